import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture";
import { Texture } from "@babylonjs/core/Materials/Textures/texture";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import type { Scene } from "@babylonjs/core/scene";
import { mulberry32 } from "../../../models/mulberry32";

/** Every material of the tour, drawn procedurally at start-up (nothing is downloaded). */
export interface ITourMaterials {
    marbleFloor: StandardMaterial;
    plaster: StandardMaterial;
    stone: StandardMaterial;
    cobbles: StandardMaterial;
    grass: StandardMaterial;
    wood: StandardMaterial;
    roof: StandardMaterial;
    plinth: StandardMaterial;
    bronze: StandardMaterial;
    gold: StandardMaterial;
    mosaic: StandardMaterial;
    water: StandardMaterial;
}

type Draw = (ctx: CanvasRenderingContext2D, size: number, random: () => number) => void;

function canvasTexture(scene: Scene, name: string, size: number, seed: number, draw: Draw, uScale = 1, vScale = 1): DynamicTexture {
    const texture = new DynamicTexture(name, { width: size, height: size }, scene, true);
    const ctx = texture.getContext() as unknown as CanvasRenderingContext2D;
    // Seeded, so the world looks the same on every load.
    draw(ctx, size, mulberry32(seed));
    texture.update(true);
    texture.wrapU = texture.wrapV = Texture.WRAP_ADDRESSMODE;
    texture.uScale = uScale;
    texture.vScale = vScale;
    texture.anisotropicFilteringLevel = 4;
    return texture;
}

function speckle(ctx: CanvasRenderingContext2D, size: number, random: () => number, count: number, alpha: number, light: boolean): void {
    for (let i = 0; i < count; i++) {
        const v = light ? 255 : 0;
        ctx.fillStyle = `rgba(${v},${v},${v},${alpha * random()})`;
        const r = 1 + random() * 3;
        ctx.fillRect(random() * size, random() * size, r, r);
    }
}

function material(scene: Scene, name: string, diffuse: Color3 | DynamicTexture, specular = 0.05): StandardMaterial {
    const m = new StandardMaterial(name, scene);
    if (diffuse instanceof Color3) {
        m.diffuseColor = diffuse;
    } else {
        m.diffuseTexture = diffuse;
    }
    m.specularColor = new Color3(specular, specular, specular);
    return m;
}

export function createTourMaterials(scene: Scene): ITourMaterials {
    const marble = canvasTexture(
        scene,
        "marbleTex",
        512,
        1,
        (ctx, size, random) => {
            const tile = size / 4;
            for (let y = 0; y < 4; y++) {
                for (let x = 0; x < 4; x++) {
                    const light = (x + y) % 2 === 0;
                    const base = light ? 226 + random() * 14 : 150 + random() * 14;
                    ctx.fillStyle = `rgb(${base},${base - 6},${base - 16})`;
                    ctx.fillRect(x * tile, y * tile, tile, tile);
                    ctx.strokeStyle = light ? "rgba(120,110,100,0.35)" : "rgba(240,235,225,0.25)";
                    ctx.lineWidth = 1.5;
                    ctx.beginPath();
                    ctx.moveTo(x * tile + random() * tile, y * tile);
                    ctx.bezierCurveTo(x * tile + random() * tile, y * tile + tile * 0.4, x * tile + random() * tile, y * tile + tile * 0.6, x * tile + random() * tile, y * tile + tile);
                    ctx.stroke();
                }
            }
            ctx.strokeStyle = "rgba(70,60,50,0.6)";
            ctx.lineWidth = 2;
            for (let i = 0; i <= 4; i++) {
                ctx.beginPath();
                ctx.moveTo(i * tile, 0);
                ctx.lineTo(i * tile, size);
                ctx.moveTo(0, i * tile);
                ctx.lineTo(size, i * tile);
                ctx.stroke();
            }
        }
    );
    const plasterTex = canvasTexture(
        scene,
        "plasterTex",
        256,
        2,
        (ctx, size, random) => {
            ctx.fillStyle = "rgb(236,226,206)";
            ctx.fillRect(0, 0, size, size);
            speckle(ctx, size, random, 2500, 0.08, false);
            speckle(ctx, size, random, 1500, 0.12, true);
            ctx.fillStyle = "rgba(150,90,60,0.55)";
            ctx.fillRect(0, size - 22, size, 22); // a terracotta skirting band
        }
    );
    const stoneTex = canvasTexture(
        scene,
        "stoneTex",
        512,
        3,
        (ctx, size, random) => {
            ctx.fillStyle = "rgb(120,108,96)";
            ctx.fillRect(0, 0, size, size);
            const rows = 8;
            const h = size / rows;
            for (let r = 0; r < rows; r++) {
                const w = size / 4;
                const offset = r % 2 === 0 ? 0 : w / 2;
                for (let c = -1; c < 5; c++) {
                    const g = 168 + random() * 40;
                    ctx.fillStyle = `rgb(${g},${g - 12},${g - 28})`;
                    ctx.fillRect(c * w + offset + 3, r * h + 3, w - 6, h - 6);
                }
            }
            speckle(ctx, size, random, 3000, 0.12, false);
        }
    );
    const cobbleTex = canvasTexture(
        scene,
        "cobbleTex",
        512,
        4,
        (ctx, size, random) => {
            ctx.fillStyle = "rgb(92,88,80)";
            ctx.fillRect(0, 0, size, size);
            for (let i = 0; i < 260; i++) {
                const g = 140 + random() * 60;
                ctx.fillStyle = `rgb(${g},${g - 8},${g - 18})`;
                ctx.beginPath();
                ctx.ellipse(random() * size, random() * size, 12 + random() * 14, 10 + random() * 10, random() * Math.PI, 0, Math.PI * 2);
                ctx.fill();
            }
        }
    );
    const grassTex = canvasTexture(
        scene,
        "grassTex",
        256,
        5,
        (ctx, size, random) => {
            ctx.fillStyle = "rgb(86,140,64)";
            ctx.fillRect(0, 0, size, size);
            for (let i = 0; i < 3000; i++) {
                const g = 110 + random() * 90;
                ctx.fillStyle = `rgba(${g * 0.55},${g},${g * 0.4},0.6)`;
                ctx.fillRect(random() * size, random() * size, 1.5, 4);
            }
        },
        4,
        4
    );
    const woodTex = canvasTexture(
        scene,
        "woodTex",
        256,
        6,
        (ctx, size, random) => {
            ctx.fillStyle = "rgb(132,88,52)";
            ctx.fillRect(0, 0, size, size);
            for (let i = 0; i < 60; i++) {
                ctx.strokeStyle = `rgba(70,40,20,${0.15 + random() * 0.25})`;
                ctx.lineWidth = 1 + random() * 2;
                const y = random() * size;
                ctx.beginPath();
                ctx.moveTo(0, y);
                ctx.bezierCurveTo(size * 0.3, y + random() * 8 - 4, size * 0.6, y + random() * 8 - 4, size, y);
                ctx.stroke();
            }
        }
    );
    const mosaicTex = canvasTexture(scene, "mosaicTex", 512, 7, (ctx, size, random) => {
        const palette = ["#1d4e89", "#f2a541", "#c8553d", "#f6f0e0", "#2a9d8f", "#e9c46a"];
        const cells = 32;
        const c = size / cells;
        for (let y = 0; y < cells; y++) {
            for (let x = 0; x < cells; x++) {
                const dx = x - cells / 2 + 0.5;
                const dy = y - cells / 2 + 0.5;
                const ring = Math.floor(Math.sqrt(dx * dx + dy * dy) / 2.2);
                const petal = Math.floor(((Math.atan2(dy, dx) + Math.PI) / (Math.PI * 2)) * 12) % 2;
                ctx.fillStyle = palette[(ring + petal * 2 + (random() < 0.06 ? 1 : 0)) % palette.length];
                ctx.fillRect(x * c + 1, y * c + 1, c - 2, c - 2);
            }
        }
        ctx.strokeStyle = "#3b2a1a";
        ctx.lineWidth = 14;
        ctx.strokeRect(7, 7, size - 14, size - 14);
    });

    const roof = material(scene, "roof", new Color3(0.55, 0.5, 0.46));
    roof.backFaceCulling = false;
    const bronze = material(scene, "bronze", new Color3(0.62, 0.42, 0.22), 0.6);
    bronze.specularPower = 48;
    const gold = material(scene, "gold", new Color3(0.9, 0.72, 0.25), 0.8);
    gold.specularPower = 64;
    const mosaic = material(scene, "mosaic", mosaicTex);
    mosaic.emissiveColor = new Color3(0.15, 0.15, 0.15);
    const water = material(scene, "water", new Color3(0.25, 0.5, 0.7), 0.9);
    water.alpha = 0.85;

    return {
        marbleFloor: material(scene, "marbleFloor", marble, 0.25),
        plaster: material(scene, "plaster", plasterTex),
        stone: material(scene, "stone", stoneTex),
        cobbles: material(scene, "cobbles", cobbleTex),
        grass: material(scene, "grass", grassTex),
        wood: material(scene, "wood", woodTex),
        roof,
        plinth: material(scene, "plinth", new Color3(0.9, 0.88, 0.84), 0.2),
        bronze,
        gold,
        mosaic,
        water,
    };
}

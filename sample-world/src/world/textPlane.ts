import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import { CreatePlane } from "@babylonjs/core/Meshes/Builders/planeBuilder";
import { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Scene } from "@babylonjs/core/scene";

export interface ITextPlaneOptions {
    width: number;
    height: number;
    lines: string[];
    background: string;
    color: string;
    /** Font size in texture pixels (the texture is 128 px per metre of height). */
    fontPx?: number;
    /** Readable from both sides (signs), or from the front only (labels). @default false */
    doubleSided?: boolean;
    /** Unlit, so text reads the same in shade and sun. @default true */
    unlit?: boolean;
}

/** A plane showing a few lines of text, drawn once into a DynamicTexture. */
export function createTextPlane(scene: Scene, name: string, options: ITextPlaneOptions): Mesh {
    const pxPerMetre = 256;
    const width = Math.round(options.width * pxPerMetre);
    const height = Math.round(options.height * pxPerMetre);
    const texture = new DynamicTexture(`${name}-text`, { width, height }, scene, true);
    const ctx = texture.getContext() as unknown as CanvasRenderingContext2D;
    ctx.fillStyle = options.background;
    ctx.fillRect(0, 0, width, height);
    ctx.strokeStyle = "rgba(0,0,0,0.35)";
    ctx.lineWidth = 8;
    ctx.strokeRect(4, 4, width - 8, height - 8);
    let fontPx = options.fontPx ?? Math.floor(height / (options.lines.length + 0.8));
    ctx.font = `bold ${fontPx}px system-ui, "DejaVu Sans", sans-serif`;
    // Shrink the font until the widest line fits inside the border: a fixed size cropped long
    // labels ("The Bronze Dancer") at both ends.
    const widest = Math.max(...options.lines.map((line) => ctx.measureText(line).width));
    const room = width - 24;
    if (widest > room) {
        fontPx = Math.floor((fontPx * room) / widest);
        ctx.font = `bold ${fontPx}px system-ui, "DejaVu Sans", sans-serif`;
    }
    ctx.fillStyle = options.color;
    ctx.textAlign = "center";
    ctx.textBaseline = "middle";
    const step = height / options.lines.length;
    options.lines.forEach((line, i) => ctx.fillText(line, width / 2, step * (i + 0.5)));
    texture.update(true);

    const material = new StandardMaterial(`${name}-mat`, scene);
    material.diffuseTexture = texture;
    material.specularColor = Color3.Black();
    if (options.unlit ?? true) {
        material.emissiveTexture = texture;
        material.disableLighting = true;
    }
    const plane = CreatePlane(name, { width: options.width, height: options.height, sideOrientation: options.doubleSided ? Mesh.DOUBLESIDE : Mesh.FRONTSIDE }, scene);
    plane.material = material;
    return plane;
}

import { Color3 } from "@babylonjs/core/Maths/math.color";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateCylinder } from "@babylonjs/core/Meshes/Builders/cylinderBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Scene } from "@babylonjs/core/scene";
import type { ITourMaterials } from "./materials";
import { createTextPlane } from "./textPlane";

/** A guidance sign or landmark tracked as a hint. */
export interface IHint {
    readonly id: "toCourtyard" | "toGallery" | "bell";
    readonly label: string;
    readonly node: Mesh;
}

/** Signposts ("To the courtyard", "To the gallery") and the bell tower with its bell. */
export function buildHints(scene: Scene, materials: ITourMaterials): { hints: IHint[]; obstacles: Mesh[]; bell: Mesh } {
    const obstacles: Mesh[] = [];
    const signpost = (id: IHint["id"], label: string, arrowLine: string, x: number, z: number, yaw: number): IHint => {
        const post = CreateCylinder(`${id}-post`, { diameter: 0.12, height: 2.1, tessellation: 12 }, scene);
        post.position.set(x, 1.05, z);
        post.material = materials.wood;
        post.checkCollisions = true;
        obstacles.push(post);
        const board = createTextPlane(scene, `hint-${id}`, { width: 1.7, height: 0.62, lines: [label, arrowLine], background: "#1f5f8b", color: "#ffffff", doubleSided: true });
        board.position.set(x, 2.0, z);
        board.rotation.y = yaw;
        return { id, label, node: board };
    };

    const toCourtyard = signpost("toCourtyard", "To the courtyard", "\u2192  bell tower", 6.2, 2.4, Math.PI / 2);
    const toGallery = signpost("toGallery", "To the gallery", "\u2190  exhibits", 15.6, -2.6, -Math.PI / 2);

    // The bell tower: two stone pillars, a beam, and a gold bell that rings.
    for (const dz of [-1, 1]) {
        const pillar = CreateBox(`towerPillar${dz}`, { width: 0.5, height: 5, depth: 0.5 }, scene);
        pillar.position.set(24, 2.5, 5 + dz);
        pillar.material = materials.stone;
        pillar.checkCollisions = true;
        obstacles.push(pillar);
    }
    const beam = CreateBox("towerBeam", { width: 0.6, height: 0.4, depth: 2.6 }, scene);
    beam.position.set(24, 5.1, 5);
    beam.material = materials.wood;
    const bell = CreateCylinder("hint-bell", { diameterTop: 0.45, diameterBottom: 1.0, height: 0.9, tessellation: 24 }, scene);
    bell.position.set(24, 4.4, 5);
    bell.material = materials.gold;
    const rim = materials.gold.clone("bellGlow");
    rim.emissiveColor = new Color3(0.25, 0.18, 0.05);
    bell.material = rim;
    return {
        hints: [toCourtyard, toGallery, { id: "bell", label: "The bell tower", node: bell }],
        obstacles,
        bell,
    };
}

import { Color3 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateLathe } from "@babylonjs/core/Meshes/Builders/latheBuilder";
import { CreateTorusKnot } from "@babylonjs/core/Meshes/Builders/torusKnotBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Scene } from "@babylonjs/core/scene";
import type { ITourMaterials } from "./materials";
import { createTextPlane } from "./textPlane";

/** One exhibit: the artwork is the tracked task node; the plinth is an obstacle. */
export interface IExhibit {
    readonly id: "mosaic" | "dancer" | "vase";
    readonly label: string;
    readonly art: Mesh;
    readonly plinth: Mesh;
    /** Where a visitor stands to look at it (the autopilot uses this too). */
    readonly viewpoint: Vector3;
}

/** The Sun Mosaic (behind the screen), the Bronze Dancer and the Golden Vase. */
export function buildExhibits(scene: Scene, materials: ITourMaterials): IExhibit[] {
    const plinthAt = (name: string, x: number, z: number, w: number, h: number, d: number): Mesh => {
        const plinth = CreateBox(name, { width: w, height: h, depth: d }, scene);
        plinth.position.set(x, h / 2, z);
        plinth.material = materials.plinth;
        plinth.checkCollisions = true;
        plinth.freezeWorldMatrix();
        return plinth;
    };
    const caption = (name: string, lines: string[], x: number, y: number, z: number, yaw: number): void => {
        const plate = createTextPlane(scene, name, { width: 1.0, height: 0.4, lines, background: "#f4efe2", color: "#3b2a1a", fontPx: 36 });
        plate.position.set(x, y, z);
        plate.rotation.y = yaw;
        plate.isPickable = false;
    };

    // A: the mosaic, a panel on a low stand against the west wall, facing east.
    const mosaicPlinth = plinthAt("mosaicStand", -10.9, 0, 0.6, 0.6, 3);
    const mosaic = CreateBox("exhibit-mosaic", { width: 0.12, height: 2.4, depth: 2.4 }, scene);
    mosaic.position.set(-10.9, 1.9, 0);
    mosaic.material = materials.mosaic;
    // The box's +x face carries the texture the right way up after this turn.
    mosaic.rotation.x = 0;
    caption("caption-mosaic", ["The Sun Mosaic", "Exhibit A"], -10.55, 0.75, 0, Math.PI / 2 + Math.PI);

    // B: the bronze dancer, a torus knot on a plinth.
    const dancerPlinth = plinthAt("dancerPlinth", 3, -5.5, 1.1, 1.0, 1.1);
    const dancer = CreateTorusKnot("exhibit-dancer", { radius: 0.42, tube: 0.13, radialSegments: 96, tubularSegments: 16, p: 2, q: 3 }, scene);
    dancer.position.set(3, 1.65, -5.5);
    dancer.material = materials.bronze;
    caption("caption-dancer", ["The Bronze Dancer", "Exhibit B"], 3, 0.6, -4.94, Math.PI);

    // C: the golden vase, a lathe profile.
    const vasePlinth = plinthAt("vasePlinth", 3, 5.5, 1.0, 1.0, 1.0);
    const profile = [
        [0, 0],
        [0.22, 0],
        [0.28, 0.15],
        [0.36, 0.45],
        [0.3, 0.75],
        [0.16, 0.95],
        [0.14, 1.05],
        [0.22, 1.15],
    ].map(([r, y]) => new Vector3(r, y, 0));
    const vase = CreateLathe("exhibit-vase", { shape: profile, tessellation: 40, sideOrientation: 2 }, scene);
    vase.position.set(3, 1.0, 5.5);
    vase.material = materials.gold;
    caption("caption-vase", ["The Golden Vase", "(bonus)"], 3, 0.6, 4.94, 0);

    const mosaicMaterial = materials.mosaic;
    mosaicMaterial.emissiveColor = new Color3(0.2, 0.2, 0.2);

    return [
        { id: "mosaic", label: "The Sun Mosaic", art: mosaic, plinth: mosaicPlinth, viewpoint: new Vector3(-7, 0, 0.5) },
        { id: "dancer", label: "The Bronze Dancer", art: dancer, plinth: dancerPlinth, viewpoint: new Vector3(3.2, 0, -2.8) },
        { id: "vase", label: "The Golden Vase", art: vase, plinth: vasePlinth, viewpoint: new Vector3(3.2, 0, 2.8) },
    ];
}

import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import { CreateCapsule } from "@babylonjs/core/Meshes/Builders/capsuleBuilder";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { CreateCylinder } from "@babylonjs/core/Meshes/Builders/cylinderBuilder";
import { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { Scene } from "@babylonjs/core/scene";
import { createTextPlane } from "./textPlane";

/** One NPC: the body is the tracked node; head, eyes, hat and name plate are its children. */
export interface IGuide {
    readonly id: "ada" | "gus" | "bea" | "cora";
    readonly label: string;
    readonly body: Mesh;
    /** What the guide calls out when it speaks. */
    readonly callout: string;
    readonly priority: number;
}

interface IGuideSpec {
    id: IGuide["id"];
    label: string;
    x: number;
    z: number;
    /** Facing, Babylon yaw. */
    yaw: number;
    color: Color3;
    callout: string;
    priority: number;
}

const SPECS: readonly IGuideSpec[] = [
    { id: "ada", label: "Guide Ada", x: 1.2, z: -1.5, yaw: Math.PI / 2, color: new Color3(0.95, 0.5, 0.12), callout: "Welcome! The Sun Mosaic is behind the screen.", priority: 0.7 },
    { id: "gus", label: "Guard Gus", x: -10.2, z: 6.4, yaw: (3 * Math.PI) / 4, color: new Color3(0.3, 0.38, 0.6), callout: "Please do not touch the exhibits.", priority: 0.3 },
    { id: "bea", label: "Guide Bea", x: 17.5, z: 3.2, yaw: -Math.PI / 2, color: new Color3(0.1, 0.7, 0.62), callout: "The bell tower is this way!", priority: 0.6 },
    { id: "cora", label: "Curator Cora", x: 29, z: -6, yaw: -Math.PI / 2, color: new Color3(0.62, 0.28, 0.78), callout: "Seen both exhibits? Come and tell me!", priority: 0.9 },
];

/** Builds the four NPC guides: capsule bodies with a head, distinct colours and a name plate. */
export function buildGuides(scene: Scene): IGuide[] {
    const skin = new StandardMaterial("skin", scene);
    skin.diffuseColor = new Color3(0.96, 0.8, 0.66);
    skin.specularColor = new Color3(0.1, 0.1, 0.1);
    const eye = new StandardMaterial("eye", scene);
    eye.diffuseColor = new Color3(0.05, 0.05, 0.08);
    return SPECS.map((spec) => {
        const body = CreateCapsule(`npc-${spec.id}`, { height: 1.5, radius: 0.32, tessellation: 16 }, scene);
        body.position.set(spec.x, 0.75, spec.z);
        body.rotation.y = spec.yaw;
        const cloth = new StandardMaterial(`cloth-${spec.id}`, scene);
        cloth.diffuseColor = spec.color;
        cloth.specularColor = new Color3(0.15, 0.15, 0.15);
        body.material = cloth;
        body.checkCollisions = true;

        const head = CreateSphere(`npc-${spec.id}-head`, { diameter: 0.4, segments: 16 }, scene);
        head.parent = body;
        head.position.set(0, 0.98, 0);
        head.material = skin;
        for (const side of [-1, 1]) {
            const e = CreateSphere(`npc-${spec.id}-eye${side}`, { diameter: 0.07, segments: 8 }, scene);
            e.parent = head;
            e.position.set(0.08 * side, 0.04, 0.17);
            e.material = eye;
        }
        const hat = CreateCylinder(`npc-${spec.id}-hat`, { diameterTop: 0.3, diameterBottom: 0.44, height: 0.14, tessellation: 16 }, scene);
        hat.parent = head;
        hat.position.set(0, 0.2, 0);
        hat.material = cloth;

        const plate = createTextPlane(scene, `npc-${spec.id}-name`, { width: 1.1, height: 0.24, lines: [spec.label], background: "rgba(20,24,36,0.85)", color: "#ffffff" });
        plate.parent = body;
        plate.position.set(0, 1.55, 0);
        plate.billboardMode = Mesh.BILLBOARDMODE_ALL;
        plate.isPickable = false;
        return { id: spec.id, label: spec.label, body, callout: spec.callout, priority: spec.priority };
    });
}

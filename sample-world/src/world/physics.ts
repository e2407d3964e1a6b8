import HavokPhysics from "@babylonjs/havok";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { PhysicsAggregate } from "@babylonjs/core/Physics/v2/physicsAggregate";
import { PhysicsShapeType } from "@babylonjs/core/Physics/v2/IPhysicsEnginePlugin";
import { HavokPlugin } from "@babylonjs/core/Physics/v2/Plugins/havokPlugin";
import "@babylonjs/core/Physics/joinedPhysicsEngineComponent"; // scene.enablePhysics
import type { Scene } from "@babylonjs/core/scene";

/** Where Havok's wasm is served: the site's own origin (see vite.config.ts), never a CDN. */
export function havokWasmUrl(): string {
    return new URL("havok/HavokPhysics.wasm", document.baseURI).href;
}

/** Loads Havok, enables physics on the scene, and gives every solid mesh a static body. */
export async function enableHavokAsync(scene: Scene, staticMeshes: Mesh[]): Promise<HavokPlugin> {
    const havok = await HavokPhysics({ locateFile: () => havokWasmUrl() });
    const plugin = new HavokPlugin(true, havok);
    scene.enablePhysics(new Vector3(0, -9.81, 0), plugin);
    for (const mesh of staticMeshes) {
        const shape = mesh.name.startsWith("npc-") ? PhysicsShapeType.CAPSULE : mesh.name.includes("Basin") || mesh.name.endsWith("-post") ? PhysicsShapeType.CYLINDER : PhysicsShapeType.BOX;
        new PhysicsAggregate(mesh, shape, { mass: 0 }, scene);
    }
    return plugin;
}

import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateGround } from "@babylonjs/core/Meshes/Builders/groundBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { PhysicsAggregate } from "@babylonjs/core/Physics/v2/physicsAggregate";
import { PhysicsShapeType } from "@babylonjs/core/Physics/v2/IPhysicsEnginePlugin";
import { HavokPlugin } from "@babylonjs/core/Physics/v2/Plugins/havokPlugin";
import "@babylonjs/core/Physics/joinedPhysicsEngineComponent";
import { Scene } from "@babylonjs/core/scene";
import HavokPhysics, { type HavokPhysicsWithBindings } from "@babylonjs/havok";
import type { AttentionNavigator } from "../../plugin/navigation";

let _havok: Promise<HavokPhysicsWithBindings> | null = null;

/** Havok from its wasm file: Node has no fetch of relative URLs. Loaded once per test file. */
export function LoadHavokAsync(): Promise<HavokPhysicsWithBindings> {
    if (!_havok) {
        const require = createRequire(import.meta.url);
        const wasmPath = require.resolve("@babylonjs/havok/lib/esm/HavokPhysics.wasm");
        _havok = readFile(wasmPath).then((bytes) => HavokPhysics({ wasmBinary: new Uint8Array(bytes).buffer }));
    }
    return _havok;
}

/** A NullEngine scene with Havok and a 30 x 30 m floor; `walkable` lists what the navmesh is built from. */
export interface ITestWorld {
    engine: NullEngine;
    scene: Scene;
    walkable: Mesh[];
    /** Adds a static box (physics body and, if `walkable`, navmesh input). */
    addBox(name: string, center: Vector3, size: Vector3, walkable?: boolean): Mesh;
    dispose(): void;
}

export async function CreateTestWorldAsync(): Promise<ITestWorld> {
    const havok = await LoadHavokAsync();
    const engine = new NullEngine();
    const scene = new Scene(engine);
    scene.enablePhysics(new Vector3(0, -9.81, 0), new HavokPlugin(false, havok));
    const ground = CreateGround("ground", { width: 30, height: 30 }, scene);
    new PhysicsAggregate(ground, PhysicsShapeType.BOX, { mass: 0 }, scene);
    const walkable: Mesh[] = [ground];
    return {
        engine,
        scene,
        walkable,
        addBox(name, center, size, isWalkable = true) {
            const box = CreateBox(name, { width: size.x, height: size.y, depth: size.z }, scene);
            box.position.copyFrom(center);
            box.computeWorldMatrix(true);
            new PhysicsAggregate(box, PhysicsShapeType.BOX, { mass: 0 }, scene);
            if (isWalkable) {
                walkable.push(box);
            }
            return box;
        },
        dispose() {
            scene.dispose();
            engine.dispose();
        },
    };
}

/**
 * Steps the navigator and the physics world at 60 Hz until the navigation ends or `maxSteps` pass.
 * @returns the number of steps taken
 */
export function Simulate(world: ITestWorld, nav: AttentionNavigator, maxSteps: number, each?: (step: number) => void): number {
    const dt = 1 / 60;
    for (let step = 1; step <= maxSteps; step++) {
        nav.update(dt);
        world.scene.getPhysicsEngine()!._step(dt);
        each?.(step);
        if (!nav.isNavigating) {
            return step;
        }
    }
    return maxSteps;
}

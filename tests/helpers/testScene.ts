import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Scene } from "@babylonjs/core/scene";

/** A manual clock: tests advance time explicitly, so ticks are deterministic. */
export class ManualClock {
    public now = 0;
    public readonly read = (): number => this.now;
    public advance(ms: number): void {
        this.now += ms;
    }
}

export interface ITestWorld {
    engine: NullEngine;
    scene: Scene;
    camera: UniversalCamera;
    clock: ManualClock;
    sphere(name: string, x: number, y: number, z: number, diameter?: number): Mesh;
    box(name: string, x: number, y: number, z: number, width: number, height: number, depth: number): Mesh;
    lookAt(x: number, y: number, z: number): void;
    dispose(): void;
}

/** A NullEngine scene with a camera at (0, 1.6, 0) looking down +Z. */
export function createTestWorld(): ITestWorld {
    const engine = new NullEngine();
    const scene = new Scene(engine);
    const camera = new UniversalCamera("player", new Vector3(0, 1.6, 0), scene);
    camera.setTarget(new Vector3(0, 1.6, 10));
    scene.activeCamera = camera;
    const clock = new ManualClock();
    return {
        engine,
        scene,
        camera,
        clock,
        sphere(name, x, y, z, diameter = 1) {
            const mesh = CreateSphere(name, { diameter, segments: 8 }, scene);
            mesh.position.set(x, y, z);
            return mesh;
        },
        box(name, x, y, z, width, height, depth) {
            const mesh = CreateBox(name, { width, height, depth }, scene);
            mesh.position.set(x, y, z);
            return mesh;
        },
        lookAt(x, y, z) {
            camera.setTarget(new Vector3(x, y, z));
        },
        dispose() {
            scene.dispose();
            engine.dispose();
        },
    };
}

/** Advances the clock and ticks `count` times at `hz`. */
export async function runTicks(plugin: { tickAsync(): Promise<unknown> }, clock: ManualClock, count: number, hz = 30): Promise<void> {
    for (let i = 0; i < count; i++) {
        clock.advance(1000 / hz);
        await plugin.tickAsync();
    }
}

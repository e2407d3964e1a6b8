// The scripted camera of the browser check: two NPCs left and right, the camera turns to each
// in turn, and the focus must follow. node-check.mjs repeats it in plain JavaScript, so that it
// imports the package as an untyped Node script would.
import type { Scene } from "@babylonjs/core/scene.js";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder.js";
import { AttentionPlugin, AttentionTargetBehavior, type ScorerBackend } from "babylon-attention";

export interface IFocusScriptResult {
    backend: ScorerBackend;
    modelUrl: string;
    focusAfterTurns: Array<string | null>;
    /** Whether the model ran in the plugin's model worker (`wasmProxy`). */
    modelInWorker: boolean;
}

export async function runFocusScriptAsync(scene: Scene, modelUrl: string): Promise<IFocusScriptResult> {
    const camera = new FreeCamera("camera", new Vector3(0, 1.6, 0), scene);
    let now = 0;
    const attention = await AttentionPlugin.CreateAsync(scene, { camera, clock: () => now, autoTick: false, backend: "wasm" });
    const left = CreateBox("left", { size: 1 }, scene);
    left.position.set(-4, 1.6, 6);
    const right = CreateBox("right", { size: 1 }, scene);
    right.position.set(4, 1.6, 6);
    left.addBehavior(new AttentionTargetBehavior({ kind: "npc", label: "Left" }));
    attention.track(right, { kind: "npc", label: "Right" });

    const backend = await attention.whenModelReadyAsync();
    const focusAfterTurns: Array<string | null> = [];
    for (const target of [left, right, left]) {
        camera.setTarget(target.position.clone());
        for (let i = 0; i < 60; i++) {
            now += 33;
            scene.render();
            await attention.tickAsync();
        }
        focusAfterTurns.push(attention.focus?.label ?? null);
    }
    const modelInWorker = attention.wasmProxy?.enabled ?? false;
    attention.dispose();
    return { backend, modelUrl, focusAfterTurns, modelInWorker };
}

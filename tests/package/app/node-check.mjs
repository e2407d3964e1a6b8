// The installed package in plain Node: no bundler, no TypeScript. A NullEngine scene, the
// packaged model on WASM (read from disk), and the focus following a scripted camera.
// Prints one JSON line for the test to read.
import { NullEngine } from "@babylonjs/core/Engines/nullEngine.js";
import { Scene } from "@babylonjs/core/scene.js";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { AttentionPlugin, defaultModelUrl } from "babylon-attention";
import * as effects from "babylon-attention/effects";
import * as recording from "babylon-attention/recording";

const engine = new NullEngine();
const scene = new Scene(engine);
const camera = new FreeCamera("camera", new Vector3(0, 1.6, 0), scene);
let now = 0;
const attention = await AttentionPlugin.CreateAsync(scene, { camera, clock: () => now, autoTick: false, backend: "wasm" });
const left = new TransformNode("left", scene);
left.position.set(-4, 1.6, 6);
const right = new TransformNode("right", scene);
right.position.set(4, 1.6, 6);
attention.track(left, { kind: "npc", label: "Left" });
attention.track(right, { kind: "npc", label: "Right" });

const backend = await attention.whenModelReadyAsync();
const focusAfterTurns = [];
for (const target of [left, right, left]) {
    camera.setTarget(target.position.clone());
    for (let i = 0; i < 60; i++) {
        now += 33;
        scene.render();
        await attention.tickAsync();
    }
    focusAfterTurns.push(attention.focus?.label ?? null);
}
attention.dispose();
scene.dispose();
engine.dispose();
console.log(JSON.stringify({
    backend,
    modelUrl: defaultModelUrl(),
    focusAfterTurns,
    subpaths: { effects: typeof effects.FocusEffects, recording: typeof recording.SessionRecorder },
}));

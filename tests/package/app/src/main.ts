import { Engine } from "@babylonjs/core/Engines/engine.js";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { Scene } from "@babylonjs/core/scene.js";
import { defaultModelUrl } from "babylon-attention";
import { runFocusScriptAsync, type IFocusScriptResult } from "./focusScript.js";
import "./subpaths.js";

declare global {
    interface Window {
        __testReady?: Promise<IFocusScriptResult>;
    }
}

const canvas = document.getElementById("canvas") as HTMLCanvasElement;
const engine = new Engine(canvas, true, { stencil: true });
const scene = new Scene(engine);
new HemisphericLight("light", new Vector3(0, 1, 0), scene);
window.__testReady = runFocusScriptAsync(scene, defaultModelUrl());

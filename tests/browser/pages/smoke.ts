import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreatePlane } from "@babylonjs/core/Meshes/Builders/planeBuilder";
import { Scene } from "@babylonjs/core/scene";
import type { ITestWindow } from "../harness/page.js";
import { createTestEngineAsync, waitFramesAsync, type IEngineReport } from "./createEngine.js";

// A plain scene with nothing of the plugin: proves the engine renders in this browser.
// Clear colour (0.2, 0.4, 0.8) is RGB (51, 102, 204); an unlit pure red plane covers the centre.
async function runAsync(): Promise<IEngineReport> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const { engine, report } = await createTestEngineAsync(canvas);
    const scene = new Scene(engine);
    scene.clearColor = new Color4(0.2, 0.4, 0.8, 1);
    const camera = new FreeCamera("camera", new Vector3(0, 0, -5), scene);
    camera.setTarget(Vector3.Zero());
    const plane = CreatePlane("plane", { size: 2 }, scene);
    const material = new StandardMaterial("red", scene);
    material.disableLighting = true;
    material.emissiveColor = new Color3(1, 0, 0);
    plane.material = material;
    await scene.whenReadyAsync();
    engine.runRenderLoop(() => scene.render());
    await waitFramesAsync(engine, 10);
    return report;
}

(window as unknown as ITestWindow).__testReady = runAsync();

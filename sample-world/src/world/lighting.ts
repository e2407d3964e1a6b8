import { DirectionalLight } from "@babylonjs/core/Lights/directionalLight";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { ShadowGenerator } from "@babylonjs/core/Lights/Shadows/shadowGenerator";
import "@babylonjs/core/Lights/Shadows/shadowGeneratorSceneComponent";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Scene } from "@babylonjs/core/scene";

/** Sky, a soft fill and a sun with shadows: two lights keep per-pixel cost low on software GPUs. */
export function setUpLighting(scene: Scene, withShadows: boolean): ShadowGenerator | null {
    scene.clearColor = new Color4(0.55, 0.74, 0.93, 1);
    scene.ambientColor = new Color3(0.25, 0.25, 0.25);
    scene.fogMode = 3; // FOGMODE_LINEAR: a little haze gives depth to the courtyard
    scene.fogColor = new Color3(0.62, 0.77, 0.92);
    scene.fogStart = 30;
    scene.fogEnd = 90;

    const fill = new HemisphericLight("fill", new Vector3(0.2, 1, 0.1), scene);
    fill.intensity = 0.85;
    fill.groundColor = new Color3(0.42, 0.38, 0.34);

    const sun = new DirectionalLight("sun", new Vector3(-0.45, -1, 0.35), scene);
    sun.position = new Vector3(30, 25, -10);
    sun.intensity = 0.95;
    sun.diffuse = new Color3(1, 0.96, 0.88);


    if (!withShadows) {
        return null;
    }
    const shadows = new ShadowGenerator(1024, sun);
    shadows.usePercentageCloserFiltering = true;
    shadows.bias = 0.002;
    shadows.darkness = 0.35;
    return shadows;
}

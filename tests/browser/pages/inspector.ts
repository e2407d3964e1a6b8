import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateGround } from "@babylonjs/core/Meshes/Builders/groundBuilder";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Scene } from "@babylonjs/core/scene";
import { FocusEffects } from "../../../plugin/effects/index.js";
import { AttentionPlugin } from "../../../plugin/index.js";
import { ShowAttentionInspector } from "../../../plugin/inspector/index.js";
import type { ITestWindow } from "../harness/page.js";
import { createTestEngineAsync, waitFramesAsync, type IEngineReport } from "./createEngine.js";

/** What the test reads from the page through `page.evaluate`. */
export interface IInspectorPageApi {
    /** Labels of the NPC ranking, best first. */
    npcOrder(): string[];
    weights(): Record<string, number>;
    backend(): string;
    /** The focused entry's label, or null. */
    focusLabel(): string | null;
}

export interface IInspectorTestWindow extends ITestWindow {
    __inspectorPage?: IInspectorPageApi;
}

// The camera looks down +Z. "Far" stands straight ahead, "Near" close by but off to the left:
// with the default weights gaze wins (Far first); weighting proximity up puts Near first.
async function runAsync(): Promise<IEngineReport> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const { engine, report } = await createTestEngineAsync(canvas);
    // Half resolution: the scene is only a backdrop for the pane, and SwiftShader shares the CPU.
    engine.setHardwareScalingLevel(2);
    const scene = new Scene(engine);
    scene.clearColor = new Color4(0.11, 0.12, 0.16, 1);
    const camera = new UniversalCamera("camera", new Vector3(0, 1.6, 0), scene);
    camera.setTarget(new Vector3(0, 1.6, 1));
    new HemisphericLight("light", new Vector3(0.3, 1, -0.2), scene);
    const ground = CreateGround("ground", { width: 40, height: 40 }, scene);
    ground.material = material(scene, "groundMaterial", new Color3(0.25, 0.27, 0.3));

    const far = sphere(scene, "farGuide", new Vector3(0, 1.6, 20), new Color3(0.2, 0.5, 0.9));
    const near = sphere(scene, "nearGuide", new Vector3(-1.5, 1.6, 2.5), new Color3(0.9, 0.35, 0.25));
    const exhibit = CreateBox("exhibit", { size: 1.2 }, scene);
    exhibit.position.set(3, 0.6, 9);
    exhibit.material = material(scene, "exhibitMaterial", new Color3(0.85, 0.7, 0.3));
    const sign = CreateBox("sign", { width: 1.4, height: 0.8, depth: 0.1 }, scene);
    sign.position.set(-4, 2.2, 12);
    sign.material = material(scene, "signMaterial", new Color3(0.3, 0.8, 0.5));

    const attention = await AttentionPlugin.CreateAsync(scene, { camera, updateHz: 30, backend: "heuristic" });
    attention.track(far, { kind: "npc", label: "Far" });
    attention.track(near, { kind: "npc", label: "Near" });
    attention.track(exhibit, { kind: "task", label: "Exhibit" });
    attention.track(sign, { kind: "hint", label: "Sign" });
    const effects = new FocusEffects(attention);

    await scene.whenReadyAsync();
    engine.runRenderLoop(() => scene.render());
    await waitFramesAsync(engine, 10);
    // No "new feature" popovers: they cover the pane and hide the page from accessibility queries.
    ShowAttentionInspector(attention, { effects, inspectorOptions: { disableTeachingMoments: true } });

    (window as unknown as IInspectorTestWindow).__inspectorPage = {
        npcOrder: () => attention.ranking.npc.map((entry) => entry.label),
        weights: () => ({ ...attention.weights }),
        backend: () => attention.backend,
        focusLabel: () => attention.focus?.label ?? null,
    };
    return report;
}

function sphere(scene: Scene, name: string, position: Vector3, colour: Color3): Mesh {
    const mesh = CreateSphere(name, { diameter: 1.2, segments: 16 }, scene);
    mesh.position.copyFrom(position);
    mesh.material = material(scene, `${name}Material`, colour);
    return mesh;
}

function material(scene: Scene, name: string, colour: Color3): StandardMaterial {
    const m = new StandardMaterial(name, scene);
    m.diffuseColor = colour;
    m.specularColor = new Color3(0.1, 0.1, 0.1);
    return m;
}

(window as unknown as IInspectorTestWindow).__testReady = runAsync();

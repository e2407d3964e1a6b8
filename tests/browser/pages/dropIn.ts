import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { Scene } from "@babylonjs/core/scene";
import { AttentionPlugin, type IRanking } from "../../../plugin/index.js";
import type { ITestWindow } from "../harness/page.js";
import { createTestEngineAsync, type IEngineReport } from "./createEngine.js";

// The plugin as docs/getting-started.md drops it into an app: default options (backend "auto",
// the packaged model, onnxruntime-web's files from its own package), a few tracked meshes, a
// render loop. The page records when the model first ranked, for the start-up bench and tests.
//   ?engine=webgpu|webgl2   ?gpu=off (see dropIn.html)   ?backend=auto|webgpu|wasm|heuristic

/** Milliseconds from navigation start (performance.now()). */
export interface IDropInStartup {
    /** The engine and scene are up and the plugin created. */
    pluginMs: number;
    /** The model backend settled (loaded and warm, or fell back). */
    modelReadyMs?: number;
    /** The first ranking published with a model's scores in it (an entry with a model attention weight). */
    firstModelRankingMs?: number;
}

export interface IDropInWindow extends ITestWindow {
    __dropIn?: { startup: IDropInStartup; backendHistory: string[]; readonly backend: string; readonly rankedNpcs: string[]; readonly chosenBackend: string | null; readonly choiceReason: string | null };
}

function rankedByModel(ranking: IRanking): boolean {
    for (const kind of ["npc", "task", "hint"] as const) {
        for (const entry of ranking[kind]) {
            if (entry.why.attention > 0) {
                return true;
            }
        }
    }
    return false;
}

async function runAsync(): Promise<IEngineReport> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const { engine, report } = await createTestEngineAsync(canvas);
    const scene = new Scene(engine);
    const camera = new UniversalCamera("camera", new Vector3(0, 1.7, 0), scene);
    camera.setTarget(new Vector3(0, 1.7, 10));
    new HemisphericLight("light", new Vector3(0, 1, 0), scene);

    const backend = (new URLSearchParams(location.search).get("backend") ?? "auto") as "auto";
    const attention = await AttentionPlugin.CreateAsync(scene, { camera, backend });
    const startup: IDropInStartup = { pluginMs: performance.now() };
    for (let i = 0; i < 6; i++) {
        const sphere = CreateSphere(`npc${i}`, { diameter: 1 }, scene);
        sphere.position.set((i - 2.5) * 2, 1.2, 8 + (i % 3));
        attention.track(sphere, { kind: "npc", label: `NPC ${i}` });
    }
    const backendHistory: string[] = [];
    attention.backend$.subscribe((b) => backendHistory.push(b));
    void attention.whenModelReadyAsync().then(() => (startup.modelReadyMs = performance.now()));
    const observer = attention.onRankingUpdatedObservable.add((ranking) => {
        if (attention.backend !== "heuristic" && rankedByModel(ranking)) {
            startup.firstModelRankingMs = performance.now();
            attention.onRankingUpdatedObservable.remove(observer);
        }
    });
    (window as IDropInWindow).__dropIn = {
        startup,
        backendHistory,
        get backend() {
            return attention.backend;
        },
        get rankedNpcs() {
            return attention.ranking.npc.map((e) => e.label);
        },
        /** What backend "auto" chose once it has measured (null before, or where it measures nothing). */
        get chosenBackend() {
            return attention.backendChoice?.chosen ?? null;
        },
        get choiceReason() {
            return attention.backendChoice?.reason ?? null;
        },
    };
    engine.runRenderLoop(() => scene.render());
    return report;
}

(window as ITestWindow).__testReady = runAsync();

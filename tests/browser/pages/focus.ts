import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { Scene } from "@babylonjs/core/scene";
import { AttentionPlugin } from "../../../plugin/index.js";
import type { ITestWindow } from "../harness/page.js";
import { createTestEngineAsync, type IEngineReport } from "./createEngine.js";

/** One `focus$` emission as the test sees it. */
export interface IFocusRecord {
    /** performance.now() when it arrived, in milliseconds. */
    time: number;
    /** The focused entry's label, or null when nothing has focus. */
    label: string | null;
    /** The focused entry's node name, or null. */
    nodeName: string | null;
}

/** What a scripted turn reports: the focus at its end and every emission during it. */
export interface ITurnResult {
    label: string | null;
    nodeName: string | null;
    emissions: IFocusRecord[];
}

/** Functions the test drives the page with, through `page.evaluate`. */
export interface IFocusPageApi {
    /** Turns the camera toward a sphere over `turnMs`, holds for `holdMs`, then reports focus. */
    turnTowardAsync(label: "Left" | "Right", turnMs: number, holdMs: number): Promise<ITurnResult>;
}

export interface IFocusTestWindow extends ITestWindow {
    __focusPage?: IFocusPageApi;
}

// The camera sits at the origin looking down +Z; the two spheres stand symmetrically ahead, so
// only where the camera looks can tell them apart.
async function runAsync(): Promise<IEngineReport> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const { engine, report } = await createTestEngineAsync(canvas);
    const scene = new Scene(engine);
    scene.clearColor = new Color4(0.1, 0.1, 0.15, 1);
    const camera = new UniversalCamera("camera", Vector3.Zero(), scene);
    camera.setTarget(new Vector3(0, 0, 1));
    new HemisphericLight("light", new Vector3(0, 1, 0), scene);
    const spheres: Record<"Left" | "Right", Mesh> = {
        Left: createSphere(scene, "leftSphere", new Vector3(-4, 1, 10), new Color3(0.9, 0.3, 0.2)),
        Right: createSphere(scene, "rightSphere", new Vector3(4, 1, 10), new Color3(0.2, 0.5, 0.9)),
    };

    const backend = (new URLSearchParams(location.search).get("backend") ?? "auto") as "auto";
    const attention = await AttentionPlugin.CreateAsync(scene, { camera, updateHz: 30, backend });
    (window as unknown as { __attention: AttentionPlugin }).__attention = attention;
    attention.track(spheres.Left, { kind: "npc", priority: 0.5, label: "Left" });
    attention.track(spheres.Right, { kind: "npc", priority: 0.5, label: "Right" });
    const emissions: IFocusRecord[] = [];
    attention.focus$.subscribe((entry) => {
        emissions.push({ time: performance.now(), label: entry?.label ?? null, nodeName: entry?.node.name ?? null });
    });

    // Turns start once the model is loaded and warm, and "auto" has timed WebGPU against WASM
    // (a software WebGPU session takes seconds of both cores here), so neither start-up cost
    // overlaps a turn: the turns are timed in real time.
    await attention.whenModelReadyAsync();
    await attention.whenBackendChosenAsync();
    await scene.whenReadyAsync();
    engine.runRenderLoop(() => scene.render());

    (window as unknown as IFocusTestWindow).__focusPage = {
        turnTowardAsync: (label, turnMs, holdMs) => {
            const start = performance.now();
            return new Promise((resolve) => {
                const fromYaw = camera.rotation.y;
                const fromPitch = camera.rotation.x;
                const target = spheres[label].position;
                // Babylon's free cameras: yaw about +Y from +Z, positive pitch looks down.
                const toYaw = Math.atan2(target.x - camera.position.x, target.z - camera.position.z);
                const toPitch = -Math.atan2(target.y - camera.position.y, Math.hypot(target.x - camera.position.x, target.z - camera.position.z));
                // The hold lasts holdMs and at least this many frames: on a machine too loaded to
                // render 30 frames a second, the plugin still sees the hold frame by frame.
                const minHoldFrames = 20;
                let heldFrames = 0;
                const observer = scene.onBeforeRenderObservable.add(() => {
                    const elapsed = performance.now() - start;
                    const t = Math.min(1, elapsed / Math.max(1, turnMs));
                    camera.rotation.y = fromYaw + (toYaw - fromYaw) * t;
                    camera.rotation.x = fromPitch + (toPitch - fromPitch) * t;
                    if (t === 1) {
                        heldFrames++;
                    }
                    if (elapsed >= turnMs + holdMs && heldFrames >= minHoldFrames) {
                        scene.onBeforeRenderObservable.remove(observer);
                        const focus = attention.focus;
                        resolve({
                            label: focus?.label ?? null,
                            nodeName: focus?.node.name ?? null,
                            emissions: emissions.filter((e) => e.time >= start),
                        });
                    }
                });
            });
        },
    };
    return report;
}

function createSphere(scene: Scene, name: string, position: Vector3, colour: Color3): Mesh {
    const sphere = CreateSphere(name, { diameter: 2, segments: 16 }, scene);
    sphere.position.copyFrom(position);
    const material = new StandardMaterial(`${name}Material`, scene);
    material.diffuseColor = colour;
    sphere.material = material;
    return sphere;
}

(window as unknown as IFocusTestWindow).__testReady = runAsync();

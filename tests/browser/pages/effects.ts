import type { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture";
import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import { DirectionalLight } from "@babylonjs/core/Lights/directionalLight";
import { HemisphericLight } from "@babylonjs/core/Lights/hemisphericLight";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3, Color4 } from "@babylonjs/core/Maths/math.color";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateCapsule } from "@babylonjs/core/Meshes/Builders/capsuleBuilder";
import { CreateCylinder } from "@babylonjs/core/Meshes/Builders/cylinderBuilder";
import { CreateGround } from "@babylonjs/core/Meshes/Builders/groundBuilder";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Scene } from "@babylonjs/core/scene";
import type { Control } from "@babylonjs/gui/2D/controls/control.pure";
import { FocusEffects } from "../../../plugin/effects/index.js";
import { GuiGuidanceHintView } from "../../../plugin/effects/guidanceHintGuiView.js";
import { LayerGuidanceHintView } from "../../../plugin/effects/guidanceHintLayerView.js";
import { AttentionPlugin } from "../../../plugin/index.js";
import type { ITestWindow } from "../harness/page.js";
import { createTestEngineAsync, waitFramesAsync, type IEngineReport } from "./createEngine.js";

// A small lit yard: an NPC straight ahead (the focus), a signpost to the right (the hint) and an
// unfinished task off screen to the left. The plugin ranks with the heuristic; FocusEffects draw the
// highlight and the guidance hint through Babylon GUI. The test drives the page in steps.

/** A rectangle in canvas pixels (CSS pixels: the harness uses a device scale factor of 1). */
export interface IRect {
    left: number;
    top: number;
    width: number;
    height: number;
}

export interface IEffectsPageReport extends IEngineReport {
    /** The NPC's projected bounds. */
    npcRect: IRect;
    focusLabel: string | null;
}

export interface IHighlightResult {
    /** Glow levels [0, 1] once the NPC's glow is full. */
    npcIntensity: number;
    hintIntensity: number;
    focusLabel: string | null;
    /** Time the fade-in took, ms. */
    fadeMs: number;
}

export interface IHintResult {
    visible: boolean;
    label: string | null;
    guidance: number;
    /** Camera sweeps it took for the plugin's "lost" signal to raise guidance past the threshold. */
    sweeps: number;
    /** Where the view drew the label. */
    labelRect: IRect;
    npcIntensity: number;
}

export interface IOffScreenHintResult {
    visible: boolean;
    onScreen: boolean;
    /** Where the layer view drew the edge arrow and the label (null: not drawn, or the GUI view). */
    arrowRect: IRect | null;
    labelRect: IRect | null;
    /** The layer view's label texture draws so far (-1 for the GUI view). */
    labelDrawCount: number;
    /**
     * Whether every label texture of the layer view draws on a canvas whose 2D context is kept
     * in memory (`willReadFrequently`), which WebGPU uploads without reading it back first
     * (null for the GUI view).
     */
    labelCanvasesInMemory: boolean | null;
}

export interface IEffectsPageApi {
    /** Enables the (initially disabled) highlight and waits until the focused NPC glows fully. */
    enableHighlightAsync(): Promise<IHighlightResult>;
    /**
     * Makes the player "lost": minutes pass without task progress (the plugin's clock jumps) and
     * the gaze sweeps left and back until the hint shows; the camera ends where it started.
     */
    becomeLostAsync(): Promise<IHintResult>;
    /** After becomeLostAsync: turns away until the signpost is off screen (the hint then points at it from the edge). */
    lookAwayAsync(): Promise<IOffScreenHintResult>;
}

export interface IEffectsTestWindow extends ITestWindow {
    __effectsPage?: IEffectsPageApi;
}

const CAMERA_POSITION = new Vector3(0, 1.6, 0);

async function runAsync(): Promise<IEffectsPageReport> {
    const canvas = document.getElementById("renderCanvas") as HTMLCanvasElement;
    const { engine, report } = await createTestEngineAsync(canvas);
    const scene = new Scene(engine);
    scene.clearColor = new Color4(0.55, 0.7, 0.9, 1);
    const camera = new UniversalCamera("camera", CAMERA_POSITION.clone(), scene);
    camera.minZ = 0.1;
    const hemi = new HemisphericLight("sky", new Vector3(0.2, 1, -0.3), scene);
    hemi.intensity = 0.65;
    hemi.groundColor = new Color3(0.35, 0.33, 0.3);
    const sun = new DirectionalLight("sun", new Vector3(-0.5, -1, 0.8), scene);
    sun.intensity = 0.6;

    const ground = CreateGround("ground", { width: 40, height: 40 }, scene);
    ground.material = material(scene, "grass", new Color3(0.36, 0.52, 0.3));
    const npc = createNpc(scene);
    const sign = createSignpost(scene);
    const lever = CreateBox("lever", { width: 0.8, height: 1, depth: 0.8 }, scene);
    lever.position.set(-14, 0.5, 10);
    lever.material = material(scene, "crate", new Color3(0.55, 0.4, 0.25));
    const npcTarget = new Vector3(0, 1.3, 6);
    camera.setTarget(npcTarget);
    const startYaw = camera.rotation.y;
    const startPitch = camera.rotation.x;

    // The plugin's clock runs with the page's, plus however long the player has been stuck.
    let stuckForMs = 0;
    const attention = await AttentionPlugin.CreateAsync(scene, { camera, backend: "heuristic", occlusion: "none", clock: () => performance.now() + stuckForMs });
    attention.track(npc, { kind: "npc", priority: 0.6, label: "Mira", radius: 0.6 });
    attention.track(sign, { kind: "hint", priority: 0.5, label: "Signpost: the lever is west", radius: 0.8 });
    attention.track(lever, { kind: "task", priority: 0.5, label: "Pull the lever", active: true });
    const hintViewName = new URLSearchParams(location.search).get("hintView");
    const effects = new FocusEffects(attention, {
        // ?highlight=overlay tints the meshes instead of the HighlightLayer's glow.
        highlight: { enabled: false, style: new URLSearchParams(location.search).get("highlight") === "overlay" ? "overlay" : "glow" },
        depthOfField: false,
        cameraAssist: false,
        // ?hintView=gui draws the hint with Babylon GUI instead of the core layers.
        guidanceHint: { view: hintViewName === "gui" ? new GuiGuidanceHintView(scene, { fontSize: 18 }) : new LayerGuidanceHintView(scene, { fontSize: 18 }) },
    });
    const highlight = effects.highlight!;
    const hint = effects.guidanceHint!;
    const view = hint.options.view as GuiGuidanceHintView | LayerGuidanceHintView;

    await scene.whenReadyAsync();
    engine.runRenderLoop(() => scene.render());
    await untilAsync(engine, () => attention.focus?.node === npc, 10_000, "the NPC never took focus");
    await waitFramesAsync(engine, 3);

    (window as unknown as IEffectsTestWindow).__effectsPage = {
        enableHighlightAsync: async () => {
            const start = performance.now();
            highlight.enabled = true;
            await untilAsync(engine, () => highlight.getIntensity(npc) >= 1, 10_000, "the NPC's glow never reached full intensity");
            const fadeMs = performance.now() - start;
            await waitFramesAsync(engine, 3);
            return { npcIntensity: highlight.getIntensity(npc), hintIntensity: highlight.getIntensity(sign), focusLabel: attention.focus?.label ?? null, fadeMs: Math.round(fadeMs) };
        },
        becomeLostAsync: async () => {
            // Ten minutes without progress on the active task.
            stuckForMs = 10 * 60_000;
            let sweeps = 0;
            while (!hint.state.visible && sweeps < 6) {
                sweeps++;
                // Away from the signpost (it is to the right), so looking never dismisses the hint.
                await turnAsync(engine, camera, startYaw - 1.2, startPitch, 500);
                await turnAsync(engine, camera, startYaw, startPitch, 500);
            }
            // Back on the NPC: let its glow return and the GUI lay the label out.
            await untilAsync(engine, () => attention.focus?.node === npc && highlight.getIntensity(npc) >= 1, 10_000, "the NPC did not regain focus");
            await waitFramesAsync(engine, 5);
            const labelRect = drawnLabelRect(view) ?? { left: 0, top: 0, width: 0, height: 0 };
            return { visible: hint.state.visible, label: hint.state.entry?.label ?? null, guidance: hint.state.guidance, sweeps, labelRect, npcIntensity: highlight.getIntensity(npc) };
        },
        lookAwayAsync: async () => {
            await turnAsync(engine, camera, startYaw - 1.2, startPitch, 500);
            await untilAsync(engine, () => hint.state.visible && !hint.state.onScreen, 10_000, "the hint never pointed off screen");
            await waitFramesAsync(engine, 5);
            const arrowRect = view instanceof LayerGuidanceHintView ? view.arrowRect : null;
            const labelDrawCount = view instanceof LayerGuidanceHintView ? view.labelDrawCount : -1;
            const labelTextures = scene.textures.filter((t) => t.name.startsWith("attention.guidanceHint.")) as DynamicTexture[];
            const labelCanvasesInMemory =
                view instanceof LayerGuidanceHintView ? labelTextures.length > 0 && labelTextures.every((t) => (t.getContext() as CanvasRenderingContext2D).getContextAttributes().willReadFrequently === true) : null;
            return { visible: hint.state.visible, onScreen: hint.state.onScreen, arrowRect, labelRect: drawnLabelRect(view), labelDrawCount, labelCanvasesInMemory };
        },
    };
    return { ...report, npcRect: projectedRect(scene, camera, npc), focusLabel: attention.focus?.label ?? null };
}

/** Where the hint's label is drawn, render pixels, or null. */
function drawnLabelRect(view: GuiGuidanceHintView | LayerGuidanceHintView): IRect | null {
    if (view instanceof LayerGuidanceHintView) {
        return view.labelRect;
    }
    const label = view.texture?.getControlByName("attention.guidanceHint.label") as Control | null;
    return label ? { left: label.centerX - label.widthInPixels / 2, top: label.centerY - label.heightInPixels / 2, width: label.widthInPixels, height: label.heightInPixels } : null;
}

function material(scene: Scene, name: string, colour: Color3): StandardMaterial {
    const m = new StandardMaterial(name, scene);
    m.diffuseColor = colour;
    m.specularColor = new Color3(0.1, 0.1, 0.1);
    return m;
}

/** A capsule body with a head: a TransformNode, so the highlight glows it through its child meshes. */
function createNpc(scene: Scene): TransformNode {
    const root = new TransformNode("npc", scene);
    root.position.set(0, 0, 6);
    const body = CreateCapsule("npcBody", { height: 1.5, radius: 0.35 }, scene);
    body.position.y = 0.75;
    body.material = material(scene, "tunic", new Color3(0.2, 0.35, 0.75));
    body.parent = root;
    const head = CreateSphere("npcHead", { diameter: 0.45, segments: 16 }, scene);
    head.position.y = 1.7;
    head.material = material(scene, "skin", new Color3(0.95, 0.78, 0.62));
    head.parent = root;
    return root;
}

function createSignpost(scene: Scene): Mesh {
    const board = CreateBox("signBoard", { width: 1.1, height: 0.55, depth: 0.08 }, scene);
    board.position.set(2.1, 1.45, 7);
    board.rotation.y = -0.35;
    board.material = material(scene, "board", new Color3(0.85, 0.7, 0.35));
    const post = CreateCylinder("signPost", { height: 1.5, diameter: 0.12 }, scene);
    post.position.set(0, -0.7, 0);
    post.material = material(scene, "wood", new Color3(0.45, 0.32, 0.2));
    post.parent = board;
    return board;
}

/** Screen bounds of a node's meshes, from their world bounding boxes. */
function projectedRect(scene: Scene, camera: UniversalCamera, node: TransformNode): IRect {
    const engine = scene.getEngine();
    const viewport = camera.viewport.toGlobal(engine.getRenderWidth(), engine.getRenderHeight());
    const transform = scene.getTransformMatrix();
    let minX = Infinity;
    let minY = Infinity;
    let maxX = -Infinity;
    let maxY = -Infinity;
    for (const mesh of node.getChildMeshes()) {
        mesh.computeWorldMatrix(true);
        for (const corner of mesh.getBoundingInfo().boundingBox.vectorsWorld) {
            const p = Vector3.Project(corner, Matrix.IdentityReadOnly, transform, viewport);
            minX = Math.min(minX, p.x);
            minY = Math.min(minY, p.y);
            maxX = Math.max(maxX, p.x);
            maxY = Math.max(maxY, p.y);
        }
    }
    return { left: minX, top: minY, width: maxX - minX, height: maxY - minY };
}

/** Eases the camera to a yaw and pitch over `ms`, one step per rendered frame. */
function turnAsync(engine: AbstractEngine, camera: UniversalCamera, yaw: number, pitch: number, ms: number): Promise<void> {
    const fromYaw = camera.rotation.y;
    const fromPitch = camera.rotation.x;
    const start = performance.now();
    return new Promise((resolve) => {
        const observer = engine.onBeginFrameObservable.add(() => {
            const t = Math.min(1, (performance.now() - start) / ms);
            const s = t * t * (3 - 2 * t);
            camera.rotation.y = fromYaw + (yaw - fromYaw) * s;
            camera.rotation.x = fromPitch + (pitch - fromPitch) * s;
            if (t >= 1) {
                engine.onBeginFrameObservable.remove(observer);
                resolve();
            }
        });
    });
}

/** Resolves on the first frame where `condition` holds; rejects after `timeoutMs`. */
function untilAsync(engine: AbstractEngine, condition: () => boolean, timeoutMs: number, message: string): Promise<void> {
    const start = performance.now();
    return new Promise((resolve, reject) => {
        const observer = engine.onEndFrameObservable.add(() => {
            if (condition()) {
                engine.onEndFrameObservable.remove(observer);
                resolve();
            } else if (performance.now() - start > timeoutMs) {
                engine.onEndFrameObservable.remove(observer);
                reject(new Error(`${message} within ${timeoutMs} ms`));
            }
        });
    });
}

(window as unknown as IEffectsTestWindow).__testReady = runAsync();

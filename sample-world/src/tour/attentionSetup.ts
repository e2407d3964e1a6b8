import type { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { DefaultRenderingPipeline } from "@babylonjs/core/PostProcesses/RenderPipeline/Pipelines/defaultRenderingPipeline";
import { ImageProcessingConfiguration } from "@babylonjs/core/Materials/imageProcessingConfiguration";
import type { Scene } from "@babylonjs/core/scene";
import { AttentionPlugin, type BackendPreference } from "../../../plugin/index";
import { FocusEffects, LayerGuidanceHintView } from "../../../plugin/effects/index";
import { GuiGuidanceHintView } from "../../../plugin/effects/guidanceHintGuiView";
import { SessionRecorder } from "../../../plugin/recording/index";
import { PluginTicking } from "./pluginTicking";
import type { IExhibit } from "../world/exhibits";
import type { IGuide } from "../world/guides";
import type { IHint } from "../world/signs";

/** What the plugin needs before the rest of the world exists. */
export interface IAttentionStartOptions {
    camera: UniversalCamera;
    occluders: Mesh[];
    backend: BackendPreference;
    /** Candidates the model ranks per tick (K); the plugin's default when undefined. */
    candidateLimit: number | undefined;
}

/** What the plugin tracks and the effects act on, once the world is built. */
export interface IAttentionTargetsOptions {
    guides: readonly IGuide[];
    exhibits: readonly IExhibit[];
    hints: readonly IHint[];
    depthOfField: boolean;
    /** How the focus is highlighted (FocusHighlightEffect's `style`). */
    highlight: "glow" | "overlay";
    /** Who draws the guidance hint: the core layer view, or Babylon GUI (to compare their cost). */
    hintView: "layer" | "gui";
    /** Camera assist turns the player's view: off under the autopilot so its runs stay repeatable. */
    cameraAssist: boolean;
}

/** The model and onnxruntime-web's files, served by this site (vite.config.ts), never a CDN. */
export function modelUrl(): string {
    return new URL("models/attention-ranker.onnx", document.baseURI).href;
}

export function ortWasmFolderUrl(): string {
    return new URL("ort/", document.baseURI).href;
}

/** The plugin, created early so its model loads while the world is built. */
export interface IAttentionStart {
    attention: AttentionPlugin;
    pipeline: DefaultRenderingPipeline;
    /** Switches the plugin's per-frame work and its effects off and on (frame-time comparisons). */
    ticking: PluginTicking;
}

export interface IAttentionSetup extends IAttentionStart {
    effects: FocusEffects;
    /** Idle until `R`; every track, engage and task change goes through it. */
    recorder: SessionRecorder;
}

/**
 * Creates the plugin with the ONNX ranker (WebGPU, then WASM, then the heuristic) and occlusion
 * against the walls' boxes. Call it as soon as the scene, the camera and the walls exist: the
 * model and onnxruntime-web download and compile while the rest of the world is built and
 * Havok loads, instead of after. `finishAttentionSetup` then tracks the world and adds the effects.
 */
export async function startAttentionAsync(scene: Scene, o: IAttentionStartOptions): Promise<IAttentionStart> {
    // A light post-process stack; the depth-of-field effect pulls its focus to the attended target.
    // Made before the plugin so that switching the plugin's ticking off leaves it rendering.
    const pipeline = new DefaultRenderingPipeline("tour", true, scene, [o.camera]);
    pipeline.fxaaEnabled = true;
    pipeline.imageProcessingEnabled = true;
    pipeline.imageProcessing.toneMappingEnabled = true;
    pipeline.imageProcessing.toneMappingType = ImageProcessingConfiguration.TONEMAPPING_ACES;
    pipeline.imageProcessing.exposure = 1.25;
    pipeline.imageProcessing.contrast = 1.1;
    pipeline.depthOfFieldEnabled = false; // the effect turns it on while enabled
    pipeline.depthOfField.fStop = 2.2;
    pipeline.depthOfField.focalLength = 40;

    const ticking = new PluginTicking(scene);
    // CreateAsync builds the plugin synchronously (its observers exist when it returns, so the
    // capture sees them); the model loads in the background from here on.
    const attention = await ticking.capture(() =>
        AttentionPlugin.CreateAsync(scene, {
            camera: o.camera,
            updateHz: 30,
            occlusion: o.occluders, // walls as boxes: exact enough for axis-aligned walls, and allocation-free
            backend: o.backend, candidateLimit: o.candidateLimit, model: modelUrl(), wasmPaths: ortWasmFolderUrl(), wasmThreads: self.crossOriginIsolated ? 2 : 1, // the ONNX model option
        })
    );
    return { attention, pipeline, ticking };
}

/**
 * Tracks every NPC, exhibit and sign, and adds the session recorder and the four scene focus
 * effects (highlight, depth of field, camera assist, guidance hint label and edge arrow).
 */
export function finishAttentionSetup(scene: Scene, start: IAttentionStart, o: IAttentionTargetsOptions): IAttentionSetup {
    const { attention, pipeline, ticking } = start;
    const { recorder, effects } = ticking.capture(() => {
        for (const guide of o.guides) {
            attention.track(guide.body, { kind: "npc", label: guide.label, priority: guide.priority, radius: 0.6 });
        }
        for (const exhibit of o.exhibits) {
            attention.track(exhibit.art, { kind: "task", label: exhibit.label, priority: exhibit.id === "vase" ? 0.4 : 0.9 });
        }
        for (const hint of o.hints) {
            attention.track(hint.node, { kind: "hint", label: hint.label, priority: 0.5 });
        }
        // Idle until `R`: it listens to the plugin, so recording can begin at any moment and
        // still knows every target tracked above.
        const recorder = new SessionRecorder(attention, { layoutId: "sample-tour", meta: { world: "sample-world" } });
        const effects = new FocusEffects(attention, {
            highlight: { style: o.highlight },
            depthOfField: o.depthOfField ? { pipeline } : false,
            cameraAssist: { enabled: o.cameraAssist },
            guidanceHint: { view: o.hintView === "gui" ? new GuiGuidanceHintView(scene) : new LayerGuidanceHintView(scene), kinds: ["hint", "task"] },
        });
        return { recorder, effects };
    });
    // Camera assist is muted with the plugin's observers, not disabled: disabling turns the
    // camera back, and the frame bench compares on and off at one view.
    ticking.addEffects([effects.highlight, effects.depthOfField, effects.guidanceHint]);
    return { attention, pipeline, ticking, effects, recorder };
}

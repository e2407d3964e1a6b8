import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Observable } from "rxjs";
import type { IFeatureOptions } from "./features/featureOptions.js";
import type { IOcclusionBudget } from "./features/occlusionScheduler.js";
import type { IOcclusionTester } from "./features/occlusionTester.js";
import type { IRefreshOptions } from "./features/refreshPlanner.js";
import type { IAttentionWeights } from "./model/attentionWeights.js";
import type { BackendPreference } from "./model/backendSelection.js";
import { resolveModelLoadOptions } from "./model/modelDownload.js";
import type { IOnnxScorerOptions } from "./model/onnxScorer.js";
import type { ModelSource } from "./model/onnxRuntime.js";
import type { WasmProxyPreference } from "./model/wasmProxy.js";
import { PACKAGED_MODEL_SHA256 } from "./model/packagedModelHash.js";
import type { OptionRanges } from "./optionRanges.js";
import type { IFocusHysteresis } from "./ranking/focusSelector.js";
import type { IGazeProvider, IGazeSample } from "./signals/gazeSample.js";

/** Where occlusion answers come from. */
export type OcclusionMode =
    /** Babylon mesh picking against pickable, visible meshes: exact, allocates per test. */
    | "pick"
    /** No occlusion: everything in view counts as visible. */
    | "none"
    /** These meshes' world bounding boxes, tested in typed arrays: fast and allocation-free. */
    | AbstractMesh[]
    /** Your own tester. */
    | IOcclusionTester;

/** Options of `AttentionPlugin.CreateAsync`; every field is optional. */
export interface IAttentionPluginOptions {
    /** The player's camera: gaze and field of view. @default scene.activeCamera at each tick */
    camera?: Camera;
    /** The node whose position is the player's, e.g. a character capsule. @default the camera */
    player?: TransformNode;
    /**
     * Where the gaze comes from: "camera" (forward ray; WebXR head gaze with the XR camera),
     * "pointer" (mouse or touch ray), a provider (e.g. `XREyeGazeProvider`), or any rxjs stream
     * of samples. @default "camera"
     */
    gaze?: "camera" | "pointer" | IGazeProvider | Observable<IGazeSample>;
    /** Ticks per second, following the render loop. [1, 240] @default 30 */
    updateHz?: number;
    /** Milliseconds clock. Inject one for deterministic tests and simulations. @default the engine's clock */
    clock?: () => number;
    /** When false, ticks run only through `tickAsync()`. @default true */
    autoTick?: boolean;
    /** Initial signal weights. @default DEFAULT_WEIGHTS */
    weights?: Partial<IAttentionWeights>;
    /** Feature scales (part of the feature schema: a trained model expects the defaults). */
    features?: Partial<IFeatureOptions>;
    /** Focus hysteresis. @default DEFAULT_FOCUS_HYSTERESIS */
    hysteresis?: Partial<IFocusHysteresis>;
    /** Occlusion source. @default "pick" */
    occlusion?: OcclusionMode;
    /** Occlusion ray tests per tick and result reuse. @default DEFAULT_OCCLUSION_BUDGET */
    occlusionBudget?: Partial<IOcclusionBudget>;
    /**
     * Level of detail in large worlds: above `fullRefreshLimit` entities, a tick re-reads only the
     * entities that can matter now and a rotating share of the rest (docs/performance.md).
     * @default DEFAULT_REFRESH_OPTIONS
     */
    refresh?: Partial<IRefreshOptions>;
    /** Default half-life of game events, ms. @default 2000 */
    eventHalfLifeMs?: number;
    /** Entries kept per kind in `ranking`. [1, 1000] @default 10 */
    rankingSize?: number;
    /**
     * Who ranks: "auto" runs the model on WASM, then, where WebGPU exists, times WebGPU against
     * it at `candidateLimit` and keeps the faster (`backendChoice`; a WASM win stands for later
     * page loads, see `rememberBackendChoice`); "webgpu" tries WebGPU first,
     * then WASM. Failures fall back to the heuristic, which ranks until the model is loaded and
     * warm. @default "auto"
     */
    backend?: BackendPreference;
    /** The ONNX model: a URL, the file's bytes, or a file path in Node. @default the packaged models/attention-ranker.onnx */
    model?: ModelSource;
    /**
     * The largest model file accepted, bytes; checked against Content-Length first, then while
     * streaming, so a larger one is never read whole. [1 KiB, 2 GiB] @default 4 MiB (4,194,304)
     */
    maxModelBytes?: number;
    /** How long loading the model may take, ms; the heuristic ranks meanwhile and after a timeout. [100, 600,000] @default 30,000 */
    modelLoadTimeoutMs?: number;
    /**
     * The SHA-256 (lowercase hex) the model file must have, or false for no check. A model that
     * differs is not used (the heuristic ranks, with one warning). Needs a secure context in browsers.
     * @default the packaged model's hash when `model` is not given; no check for your own model
     */
    modelSha256?: string | false;
    /** Candidates the model ranks, preselected by heuristic score (K). [1, 4096] @default 64 */
    candidateLimit?: number;
    /**
     * A model run slower than this counts against the backend; when most of its last 8 runs are,
     * it falls back. Runs in the plugin's model worker (`wasmProxy`) are held to at least 33 ms:
     * they hardly block the main thread, so only their results' freshness is at stake. @default 4
     */
    modelRunBudgetMs?: number;
    /** Where onnxruntime-web's .wasm files are served from (folder URL with a trailing slash). @default the runtime's own */
    wasmPaths?: string;
    /** WASM threads (more than 1 needs a cross-origin-isolated page). @default 1 */
    wasmThreads?: number;
    /**
     * Run WASM inference in the plugin's model worker, which owns the onnxruntime-web session, so
     * the main thread only writes the inputs, signals the worker and copies the results out:
     * through shared memory where the page is cross-origin isolated, else by message
     * (`attention.wasmProxy.transport`; docs/performance.md). "auto": on in a browser page where
     * a same-origin module worker can start, else on the main thread (`attention.wasmProxy` says
     * why). true: the same, with one warning when the page cannot. WebGPU runs on the main thread
     * either way. @default "auto"
     */
    wasmProxy?: WasmProxyPreference;
    /**
     * With `backend: "auto"`, keep what it measured in the page's `localStorage` (one entry per
     * model, valid for one WebGPU adapter, browser and `wasmThreads`), and on later loads where
     * WASM won, rank with WASM without measuring again (and, with WASM in the model worker,
     * without fetching onnxruntime-web's full build), for 7 days or until `candidateLimit` moves
     * by a factor of 2. false: measure on every load. @default true
     */
    rememberBackendChoice?: boolean;
}

export const DEFAULT_UPDATE_HZ = 30;
export const DEFAULT_EVENT_HALF_LIFE_MS = 2000;
export const DEFAULT_RANKING_SIZE = 10;
export const DEFAULT_CANDIDATE_LIMIT = 64;
export const DEFAULT_MODEL_RUN_BUDGET_MS = 4;
export const DEFAULT_WASM_THREADS = 1;

/** The plugin's numeric options and their ranges, checked at creation, by the setters and by the Inspector. */
export interface IPluginNumbers {
    updateHz: number;
    eventHalfLifeMs: number;
    rankingSize: number;
    candidateLimit: number;
    modelRunBudgetMs: number;
    wasmThreads: number;
}

export const DEFAULT_PLUGIN_NUMBERS: Readonly<IPluginNumbers> = Object.freeze({
    updateHz: DEFAULT_UPDATE_HZ,
    eventHalfLifeMs: DEFAULT_EVENT_HALF_LIFE_MS,
    rankingSize: DEFAULT_RANKING_SIZE,
    candidateLimit: DEFAULT_CANDIDATE_LIMIT,
    modelRunBudgetMs: DEFAULT_MODEL_RUN_BUDGET_MS,
    wasmThreads: DEFAULT_WASM_THREADS,
});

/** The range of each of the plugin's numeric options (updateHz, candidateLimit, ...). */
export const PLUGIN_NUMBER_RANGES: OptionRanges<IPluginNumbers> = Object.freeze({
    updateHz: { min: 1, max: 240 },
    eventHalfLifeMs: { min: 0, max: Infinity, minExclusive: true },
    rankingSize: { min: 1, max: 1000, integer: true },
    // The model's largest prepared shape is 256; larger K adds shapes at the next power of two.
    candidateLimit: { min: 1, max: 4096, integer: true },
    modelRunBudgetMs: { min: 0, max: Infinity, minExclusive: true },
    wasmThreads: { min: 1, max: 64, integer: true },
});

/**
 * The model-loading part of the plugin's options, checked once (a RangeError names the first
 * that is out of range): size cap, timeout, and the hash to check, which defaults to the
 * packaged model's when no model is given.
 */
export function modelLoadOptions(options: IAttentionPluginOptions): Pick<IOnnxScorerOptions, "maxModelBytes" | "loadTimeoutMs" | "sha256" | "integrity"> {
    const sha256 = options.modelSha256 === false ? undefined : (options.modelSha256 ?? (options.model === undefined ? PACKAGED_MODEL_SHA256 : undefined));
    const { maxModelBytes, loadTimeoutMs } = resolveModelLoadOptions({ maxModelBytes: options.maxModelBytes, loadTimeoutMs: options.modelLoadTimeoutMs, sha256 }, "AttentionPlugin", { loadTimeoutMs: "modelLoadTimeoutMs" });
    return { maxModelBytes, loadTimeoutMs, sha256, integrity: options.modelSha256 !== false };
}

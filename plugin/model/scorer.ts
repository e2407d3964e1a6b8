import type { RunHandOver } from "./modelRunner.js";

/**
 * The contract every scorer meets: the heuristic (always available) and the ONNX model
 * (WebGPU or WASM). Buffers are owned by the caller and reused every tick, so a scorer never
 * allocates per call in steady state.
 */
export interface IScorerInput {
    /** Row-major [count, FEATURE_COUNT] candidate features (see featureSchema.ts); may be longer. */
    features: Float32Array;
    /** Number of valid rows in `features`. */
    count: number;
    /** The player context vector, CONTEXT_COUNT entries. */
    context: Float32Array;
    /** The signal weights in WEIGHT_NAMES order. */
    weights: Float32Array;
}

/** The scores, one value per candidate row in the input's order. */
export interface IScorerOutput {
    /** Per candidate: how likely the player engages with it next (higher is better). */
    engagement: Float32Array;
    /** Per candidate: probability that the player needs guidance toward it. [0, 1] */
    guidance: Float32Array;
    /** Per candidate: expected gaze dwell in seconds. */
    dwell: Float32Array;
    /** Per candidate: the player token's attention weight (sums to 1 over valid candidates). */
    attention: Float32Array;
}

/** Where scores come from: the ONNX model on WebGPU or WASM, or the heuristic. */
export type ScorerBackend = "webgpu" | "wasm" | "heuristic";

/** Scores candidates from a feature matrix: the heuristic, or the ONNX model on WebGPU or WASM. */
export interface IAttentionScorer {
    readonly backend: ScorerBackend;
    /** True when `score` returns synchronously (the heuristic); model scorers return a promise. */
    readonly isSynchronous: boolean;
    score(input: IScorerInput, output: IScorerOutput): void | Promise<void>;
    /** True when this scorer's recent runs were mostly over its time budget: the plugin falls back to the next backend. */
    readonly isOverBudget?: boolean;
    dispose(): void;
}

/**
 * A model scorer whose run can also be started and finished without awaiting it (`OnnxScorer`):
 * the plugin's render loop launches a run on one tick and collects it on a later one, so no
 * promise is made and nothing waits for the result.
 */
export interface ILaunchingScorer extends IAttentionScorer {
    /**
     * Starts a run and returns at once; false when it started none (no candidates). Throws when
     * busy or disposed. `handOver` "caller": the run reaches the model worker only when
     * `handOver()` is called (the render loop calls it at the end of the frame), not in a task
     * after this one (`RunHandOver`).
     */
    launch(input: IScorerInput, output: IScorerOutput, handOver?: RunHandOver): boolean;
    /** Passes the launched run on to the model worker now, if it is still waiting on this thread. */
    handOver(): void;
    /** True once the launched run has ended and its scores are in the output `launch` was given; throws why it failed. */
    collect(): boolean;
    /** Resolves once the launched run has ended (at once when none is in flight); never rejects. */
    whenRunEndsAsync(): Promise<void>;
}

/** True for a scorer that can launch a run and collect it later (`ILaunchingScorer`). */
export function isLaunchingScorer(scorer: IAttentionScorer): scorer is ILaunchingScorer {
    return typeof (scorer as Partial<ILaunchingScorer>).launch === "function";
}

/** Allocates output buffers for up to `capacity` candidates. */
export function createScorerOutput(capacity: number): IScorerOutput {
    return {
        engagement: new Float32Array(capacity),
        guidance: new Float32Array(capacity),
        dwell: new Float32Array(capacity),
        attention: new Float32Array(capacity),
    };
}

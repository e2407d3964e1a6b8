import { CONTEXT_COUNT, FEATURE_COUNT } from "../features/featureSchema.js";
import { WEIGHT_COUNT } from "./attentionWeights.js";

/** The model's outputs, each float32 [1, N], in the order a bucket's buffer holds them. */
export const MODEL_OUTPUT_NAMES = Object.freeze(["engagement", "guidance", "dwell", "attention"] as const);

/**
 * Where one bucket's inputs and outputs sit in its single Float32Array, in floats. One buffer per
 * bucket, rather than one per tensor, so that a run through the model worker transfers one
 * ArrayBuffer each way and the main thread makes one view of it when it comes back.
 */
export interface IBucketLayout {
    /** Candidate rows (N), padded: the runtime sees this shape. */
    readonly size: number;
    /** Offset of features [1, N, FEATURE_COUNT]. */
    readonly features: number;
    /** Offset of mask [1, N]. */
    readonly mask: number;
    /** Offset of context [1, CONTEXT_COUNT]. */
    readonly context: number;
    /** Offset of weights [WEIGHT_COUNT]. */
    readonly weights: number;
    /** Offset of each output [1, N], in `MODEL_OUTPUT_NAMES` order. */
    readonly outputs: readonly number[];
    /** Floats in all. */
    readonly length: number;
}

/** The layout of a bucket of `size` rows. */
export function bucketLayout(size: number): IBucketLayout {
    if (!Number.isInteger(size) || size < 1) {
        throw new Error(`a bucket needs a positive whole number of rows; got ${size}`);
    }
    const mask = size * FEATURE_COUNT;
    const context = mask + size;
    const weights = context + CONTEXT_COUNT;
    const first = weights + WEIGHT_COUNT;
    const outputs = MODEL_OUTPUT_NAMES.map((_, i) => first + i * size);
    return Object.freeze({ size, features: 0, mask, context, weights, outputs: Object.freeze(outputs), length: first + MODEL_OUTPUT_NAMES.length * size });
}

/**
 * The bucket size whose layout has `floats` floats, or -1 when none has: a run's message is the
 * bare buffer, and its length says which bucket it is.
 */
export function bucketSizeOf(floats: number): number {
    const perRow = FEATURE_COUNT + 1 + MODEL_OUTPUT_NAMES.length;
    const size = (floats - CONTEXT_COUNT - WEIGHT_COUNT) / perRow;
    return Number.isInteger(size) && size >= 1 ? size : -1;
}

/** One input's place in the buffer and its tensor shape. */
export interface IInputSpan {
    readonly start: number;
    readonly end: number;
    readonly dims: readonly number[];
}

/** The four inputs' spans in the model's input order (features, mask, context, weights). */
export function inputSpans(layout: IBucketLayout): IInputSpan[] {
    const n = layout.size;
    return [
        { start: layout.features, end: layout.mask, dims: [1, n, FEATURE_COUNT] },
        { start: layout.mask, end: layout.context, dims: [1, n] },
        { start: layout.context, end: layout.weights, dims: [1, CONTEXT_COUNT] },
        { start: layout.weights, end: layout.outputs[0], dims: [WEIGHT_COUNT] },
    ];
}

/** Why an output tensor of these dims cannot fill a bucket of `size` rows, or null when it can. */
export function outputShapeProblem(name: string, dims: readonly number[] | undefined, size: number): string | null {
    if (dims && dims.length === 2 && dims[0] === 1 && dims[1] === size) {
        return null;
    }
    return `model output "${name}" has shape [${(dims ?? []).join(", ")}] for ${size} candidates: expected float32 [1, N]`;
}

/** One run's result tensors by output name, as onnxruntime-web returns them. */
export type RunResults = Readonly<Record<string, { readonly dims: readonly number[]; readonly data: unknown } | undefined>>;

/**
 * Copies a run's four outputs into their places in a bucket's buffer. Returns what was wrong
 * with any output that does not fit (its place is then left as it was), or null when all fit.
 */
export function copyOutputs(results: RunResults, layout: IBucketLayout, data: Float32Array): string[] | null {
    let problems: string[] | null = null;
    // Indexed: entries() would allocate an iterator and a pair per output per run.
    for (let i = 0; i < MODEL_OUTPUT_NAMES.length; i++) {
        const name = MODEL_OUTPUT_NAMES[i];
        const tensor = results[name];
        const problem = outputShapeProblem(name, tensor?.dims, layout.size);
        if (problem !== null) {
            (problems ??= []).push(problem);
        } else {
            data.set(tensor!.data as Float32Array, layout.outputs[i]);
        }
    }
    return problems;
}

/**
 * Examples of an IDataset packed into flat typed arrays (one allocation per field), so batches
 * are copied out with `subarray` instead of walking objects, and the evaluator can score a whole
 * split in one pass.
 */
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import type { IDataset, ITrainingExample } from "../dataset/datasetTypes";

export interface IPackedDataset {
    /** Number of examples. */
    count: number;
    /** Candidate rows per example. */
    k: number;
    /** [count, k, FEATURE_COUNT] */
    features: Float32Array;
    /** [count, k] */
    mask: Float32Array;
    /** [count, CONTEXT_COUNT] */
    context: Float32Array;
    /** [count, WEIGHT_COUNT] */
    weights: Float32Array;
    /** [count]: row engaged next within 1 s / 3 s / 6 s, or -1. */
    engage1s: Int32Array;
    engage3s: Int32Array;
    engage6s: Int32Array;
    /** [count]: row engaged next whenever it comes, or -1. */
    engageNext: Int32Array;
    /** [count]: seconds until that engagement (NaN where engageNext is -1). */
    engageNextS: Float32Array;
    /** [count, k] */
    guidance: Float32Array;
    /** [count, k] seconds */
    dwell: Float32Array;
    /** [count, k] metres */
    distance: Float32Array;
    /** [count, k] radians */
    gazeAngle: Float32Array;
    /** [count]: index into `sessions`. */
    sessionIndex: Int32Array;
    /** Distinct session ids, in first-seen order. */
    sessions: string[];
    /** Layout of each entry of `sessions`. */
    sessionLayouts: string[];
    /** [count]: 1 + the last real row (rows past it are padding in every field). */
    usedRows: Int32Array;
}

function checkExample(example: ITrainingExample, k: number, index: number): void {
    const expect = (name: string, length: number, actual: number): void => {
        if (actual !== length) {
            throw new Error(`example ${index} (session ${example.sessionId}, t=${example.timeMs} ms): ${name} has ${actual} values, expected ${length}`);
        }
    };
    expect("features", k * FEATURE_COUNT, example.features.length);
    expect("mask", k, example.mask.length);
    expect("context", CONTEXT_COUNT, example.context.length);
    expect("weights", WEIGHT_COUNT, example.weights.length);
    expect("guidance", k, example.guidance.length);
    expect("dwell", k, example.dwell.length);
    expect("distance", k, example.distance.length);
    expect("gazeAngle", k, example.gazeAngle.length);
}

/** Packs `examples` (all from `dataset`, padded to dataset.k). Throws naming the first malformed example. */
export function packExamples(dataset: IDataset, examples: readonly ITrainingExample[] = dataset.examples): IPackedDataset {
    const k = dataset.k;
    const count = examples.length;
    const packed: IPackedDataset = {
        count,
        k,
        features: new Float32Array(count * k * FEATURE_COUNT),
        mask: new Float32Array(count * k),
        context: new Float32Array(count * CONTEXT_COUNT),
        weights: new Float32Array(count * WEIGHT_COUNT),
        engage1s: new Int32Array(count),
        engage3s: new Int32Array(count),
        engage6s: new Int32Array(count),
        engageNext: new Int32Array(count),
        engageNextS: new Float32Array(count),
        guidance: new Float32Array(count * k),
        dwell: new Float32Array(count * k),
        distance: new Float32Array(count * k),
        gazeAngle: new Float32Array(count * k),
        sessionIndex: new Int32Array(count),
        sessions: [],
        sessionLayouts: [],
        usedRows: new Int32Array(count),
    };
    const sessionIndex = new Map<string, number>();
    examples.forEach((example, i) => {
        checkExample(example, k, i);
        packed.features.set(example.features, i * k * FEATURE_COUNT);
        packed.mask.set(example.mask, i * k);
        packed.context.set(example.context, i * CONTEXT_COUNT);
        packed.weights.set(example.weights, i * WEIGHT_COUNT);
        packed.guidance.set(example.guidance, i * k);
        packed.dwell.set(example.dwell, i * k);
        packed.distance.set(example.distance, i * k);
        packed.gazeAngle.set(example.gazeAngle, i * k);
        // A label pointing at a padded row would teach the model to pick padding: drop it.
        const label = (row: number): number => (row >= 0 && row < k && example.mask[row] > 0.5 ? row : -1);
        packed.engage1s[i] = label(example.engage1s);
        packed.engage3s[i] = label(example.engage3s);
        packed.engage6s[i] = label(example.engage6s);
        packed.engageNext[i] = label(example.engageNext);
        packed.engageNextS[i] = packed.engageNext[i] >= 0 ? example.engageNextS : NaN;
        let used = 0;
        for (let r = 0; r < k; r++) {
            if (example.mask[r] > 0.5) used = r + 1;
        }
        packed.usedRows[i] = Math.max(1, used);
        let s = sessionIndex.get(example.sessionId);
        if (s === undefined) {
            s = packed.sessions.length;
            sessionIndex.set(example.sessionId, s);
            packed.sessions.push(example.sessionId);
            packed.sessionLayouts.push(example.layoutId);
        }
        packed.sessionIndex[i] = s;
    });
    return packed;
}

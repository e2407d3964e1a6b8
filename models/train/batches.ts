/**
 * Copies a batch of packed examples into tensors, trimmed to the widest real candidate count in
 * the batch: attention is O(K^2), and rows past every example's last real candidate are padding
 * that cannot change the outputs, so dropping them only saves time.
 */
import * as tf from "@tensorflow/tfjs";
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { APPROACH_MIN_DISTANCE_M } from "../eval/metrics";
import type { IPackedDataset } from "./packedDataset";
import type { ITfBatch } from "./tfModel";

/**
 * Time constant of the "next engagement whenever it comes" label's weight, exp(-seconds / this):
 * an engagement 10 s away counts a third as much as one now, so the label still teaches what a
 * long look at a far target means without letting distant, less certain futures dominate.
 */
const NEXT_DISCOUNT_S = 10;

export interface ITargets {
    /** [B, rows] one-hot of the 1 s / 3 s / 6 s engagement; all zero where there is none. */
    engage1s: tf.Tensor2D;
    engage3s: tf.Tensor2D;
    engage6s: tf.Tensor2D;
    /** [B, rows] the next engagement whenever it comes, one-hot scaled by its time discount; all zero where there is none. */
    engageNext: tf.Tensor2D;
    /** [B, rows] */
    guidance: tf.Tensor2D;
    dwell: tf.Tensor2D;
}

export interface IBatch extends ITfBatch {
    targets: ITargets;
    /** Candidate rows kept. */
    rows: number;
}

/**
 * Builds the tensors for `indices` of `data`; dispose them with disposeBatch. `editWeights`
 * may rewrite the batch's signal weights ([B, WEIGHT_COUNT]) before they become a tensor.
 * `approachTicks` is the 3 s and 6 s targets' value (their tick's weight in the loss) where the
 * engaged candidate is farther than APPROACH_MIN_DISTANCE_M (ILossWeights.approachTicks).
 */
export function makeBatch(data: IPackedDataset, indices: ArrayLike<number>, editWeights?: (weights: Float32Array) => void, approachTicks = 1): IBatch {
    const b = indices.length;
    const k = data.k;
    let rows = 1;
    for (let i = 0; i < b; i++) rows = Math.max(rows, data.usedRows[indices[i]]);
    const features = new Float32Array(b * rows * FEATURE_COUNT);
    const mask = new Float32Array(b * rows);
    const context = new Float32Array(b * CONTEXT_COUNT);
    const weights = new Float32Array(b * WEIGHT_COUNT);
    const oneHot = [new Float32Array(b * rows), new Float32Array(b * rows), new Float32Array(b * rows), new Float32Array(b * rows)];
    const guidance = new Float32Array(b * rows);
    const dwell = new Float32Array(b * rows);
    for (let i = 0; i < b; i++) {
        const e = indices[i];
        features.set(data.features.subarray(e * k * FEATURE_COUNT, (e * k + rows) * FEATURE_COUNT), i * rows * FEATURE_COUNT);
        mask.set(data.mask.subarray(e * k, e * k + rows), i * rows);
        guidance.set(data.guidance.subarray(e * k, e * k + rows), i * rows);
        dwell.set(data.dwell.subarray(e * k, e * k + rows), i * rows);
        context.set(data.context.subarray(e * CONTEXT_COUNT, (e + 1) * CONTEXT_COUNT), i * CONTEXT_COUNT);
        weights.set(data.weights.subarray(e * WEIGHT_COUNT, (e + 1) * WEIGHT_COUNT), i * WEIGHT_COUNT);
        [data.engage1s[e], data.engage3s[e], data.engage6s[e]].forEach((row, h) => {
            if (row >= 0) oneHot[h][i * rows + row] = h > 0 && data.distance[e * k + row] > APPROACH_MIN_DISTANCE_M ? approachTicks : 1;
        });
        if (data.engageNext[e] >= 0) oneHot[3][i * rows + data.engageNext[e]] = Math.exp(-data.engageNextS[e] / NEXT_DISCOUNT_S);
    }
    editWeights?.(weights);
    return {
        rows,
        features: tf.tensor3d(features, [b, rows, FEATURE_COUNT]),
        mask: tf.tensor2d(mask, [b, rows]),
        context: tf.tensor2d(context, [b, CONTEXT_COUNT]),
        weights: tf.tensor2d(weights, [b, WEIGHT_COUNT]),
        targets: {
            engage1s: tf.tensor2d(oneHot[0], [b, rows]),
            engage3s: tf.tensor2d(oneHot[1], [b, rows]),
            engage6s: tf.tensor2d(oneHot[2], [b, rows]),
            engageNext: tf.tensor2d(oneHot[3], [b, rows]),
            guidance: tf.tensor2d(guidance, [b, rows]),
            dwell: tf.tensor2d(dwell, [b, rows]),
        },
    };
}

export function disposeBatch(batch: IBatch): void {
    tf.dispose([batch.features, batch.mask, batch.context, batch.weights, ...Object.values(batch.targets)]);
}

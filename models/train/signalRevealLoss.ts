/**
 * A penalty on switching a signal on the wrong way round. Below a weight of 0 the network cannot
 * read a signal's columns (signalGates.ts); at any weight above 0 it can, and nothing in the
 * ranking losses stops it from using them against the signal: the step from 0 to 0.5 could then
 * lower a candidate the signal favours, and a designer who raises a weight from 0 would see the
 * opposite of what the weight means. So each training example also runs with one of its signals
 * hidden, and for every pair of candidates the change the reveal makes to the learned residual
 * is compared with the signal's own term (the heuristic's, before its weight): a reveal that
 * moves a pair against that term is penalised by how far, times how far apart the term puts
 * them. The heuristic prior then adds the weight's own push on top, so each step up from 0
 * widens the lead.
 */
import * as tf from "@tensorflow/tfjs";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import type { ITfBatch } from "./tfModel";
import { TfAttentionModel } from "./tfModel";

/**
 * Picks, per example, one signal whose weight is above 0 to hide: returns the one-hot rows
 * [B, WEIGHT_COUNT] (all 0 for an example with no signal on).
 */
export function pickSignalsToReveal(weights: Float32Array, random: () => number): Float32Array {
    const picked = new Float32Array(weights.length);
    for (let e = 0; e < weights.length; e += WEIGHT_COUNT) {
        let on = 0;
        for (let s = 0; s < WEIGHT_COUNT; s++) if (weights[e + s] > 0) on++;
        if (on === 0) continue;
        let pick = Math.floor(random() * on);
        for (let s = 0; s < WEIGHT_COUNT; s++) {
            if (weights[e + s] > 0 && pick-- === 0) {
                picked[e + s] = 1;
                break;
            }
        }
    }
    return picked;
}

/**
 * The penalty for `batch` with the signals in `revealed` ([B, WEIGHT_COUNT] one-hot) hidden and
 * shown, both as the exported network reads them. Call inside tf.tidy or a gradient step.
 */
export function signalRevealLoss(model: TfAttentionModel, batch: ITfBatch, revealed: tf.Tensor2D): tf.Scalar {
    const hidden: ITfBatch = { ...batch, weights: tf.mul(batch.weights, tf.sub(1, revealed)) as tf.Tensor2D };
    const change = tf.sub(model.forward(batch).engagementResidual, model.forward(hidden).engagementResidual); // [B, K]
    const [b, k] = change.shape;
    // The revealed signal's own term per candidate, before its weight: [B, K].
    const term = tf.sum(tf.mul(TfAttentionModel.priorTerms(batch.features), tf.reshape(revealed, [b, 1, WEIGHT_COUNT])), 2);
    const pairwise = (x: tf.Tensor): tf.Tensor => tf.sub(tf.reshape(x, [b, k, 1]), tf.reshape(x, [b, 1, k]));
    const pairs = tf.mul(tf.reshape(batch.mask, [b, k, 1]), tf.reshape(batch.mask, [b, 1, k]));
    const termGap = pairwise(term);
    const against = tf.relu(tf.neg(tf.mul(pairwise(change), termGap)));
    const counted = tf.mul(pairs, tf.cast(tf.greater(tf.abs(termGap), 1e-6), "float32"));
    return tf.div(tf.sum(tf.mul(against, pairs)), tf.maximum(tf.sum(counted), 1)) as tf.Scalar;
}

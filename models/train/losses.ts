/**
 * The multi-task loss: engagement as a softmax cross-entropy over the real candidates (masked:
 * ticks with no engagement in the horizon do not count), at three horizons and once without a
 * horizon (the next engagement whenever it comes, weighted down the further off it is); guidance as a masked
 * binary cross-entropy on the logit (stable form, positives up-weighted: few candidates need
 * guidance); dwell as a masked absolute error in seconds (the evaluation's MAE: most dwell labels
 * are 0, and a squared or Huber loss pulls every prediction toward the mean instead).
 */
import * as tf from "@tensorflow/tfjs";
import { MASK_NEGATIVE } from "../architecture";
import type { ITargets } from "./batches";
import type { ITfOutputs } from "./tfModel";

export interface ILossWeights {
    /** @default 0.5 next engagement within 1 s */
    engage1s: number;
    /** @default 1 next engagement within 3 s */
    engage3s: number;
    /** @default 0.5 next engagement within 6 s (the approach metric's horizon) */
    engage6s: number;
    /** @default 1 next engagement whenever it comes, each tick weighted by exp(-seconds until it / 10 s) */
    engageNext: number;
    /**
     * @default 0.5 squared mean of the learned residual over each tick's real candidates. The
     * softmax losses cannot see a shift shared by all candidates, so without this the scores'
     * level drifts anywhere; centred, the model moves candidates against each other and the
     * scores keep the heuristic's level, which the plugin's focus thresholds are set on.
     */
    residualLevel: number;
    /** @default 1.5 guidance needed */
    guidance: number;
    /** @default 0.3 dwell, seconds */
    dwell: number;
    /** @default 4 weight of a positive guidance label against a negative one */
    guidancePositiveWeight: number;
    /**
     * @default 3 weight, in the 3 s and 6 s engagement losses, of a tick whose engaged candidate
     * is farther than 3 m away (an approach moment, models/eval/metrics.ts) against one that is
     * near; 1 weighs every tick alike.
     */
    approachTicks: number;
}

export const DEFAULT_LOSS_WEIGHTS: Readonly<ILossWeights> = Object.freeze({ engage1s: 0.5, engage3s: 1, engage6s: 0.5, engageNext: 1, residualLevel: 0.5, guidance: 1.5, dwell: 0.3, guidancePositiveWeight: 4, approachTicks: 3 });

export interface ILossParts {
    total: tf.Scalar;
    engagement: tf.Scalar;
    guidance: tf.Scalar;
    dwell: tf.Scalar;
}

function maskedMean(values: tf.Tensor, weights: tf.Tensor): tf.Scalar {
    return tf.div(tf.sum(tf.mul(values, weights)), tf.maximum(tf.sum(weights), 1)) as tf.Scalar;
}

/**
 * Cross-entropy of a masked softmax over candidates against a one-hot row, averaged with the
 * one-hot's value as the tick's weight (1, or a time discount); rows with no target count 0.
 */
function engagementLoss(logits: tf.Tensor2D, mask: tf.Tensor2D, oneHot: tf.Tensor2D): tf.Scalar {
    const masked = tf.add(logits, tf.mul(tf.sub(mask, 1), -MASK_NEGATIVE));
    const logProbs = tf.logSoftmax(masked, -1);
    const perRow = tf.neg(tf.sum(tf.mul(oneHot, logProbs), -1));
    return maskedMean(perRow, tf.sum(oneHot, -1));
}

export function multiTaskLoss(out: ITfOutputs, mask: tf.Tensor2D, targets: ITargets, weights: ILossWeights): ILossParts {
    const e1 = engagementLoss(out.engagementLogit, mask, targets.engage1s);
    const e3 = engagementLoss(out.engagementLogit, mask, targets.engage3s);
    const e6 = engagementLoss(out.engagementLogit, mask, targets.engage6s);
    const eNext = engagementLoss(out.engagementLogit, mask, targets.engageNext);
    const engagement = tf.addN([tf.mul(e1, weights.engage1s), tf.mul(e3, weights.engage3s), tf.mul(e6, weights.engage6s), tf.mul(eNext, weights.engageNext)]) as tf.Scalar;
    const z = out.guidanceLogit;
    const y = targets.guidance;
    const bce = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
    const labelWeight = tf.mul(mask, tf.add(1, tf.mul(y, weights.guidancePositiveWeight - 1)));
    const guidance = maskedMean(bce, labelWeight);
    const dwell = maskedMean(tf.abs(tf.sub(tf.softplus(out.dwellLogit), targets.dwell)), mask);
    const count = tf.maximum(tf.sum(mask, -1), 1);
    const level = tf.mean(tf.square(tf.div(tf.sum(tf.mul(out.engagementResidual, mask), -1), count))) as tf.Scalar;
    const total = tf.addN([engagement, tf.mul(level, weights.residualLevel), tf.mul(guidance, weights.guidance), tf.mul(dwell, weights.dwell)]) as tf.Scalar;
    return { total, engagement, guidance, dwell };
}

/**
 * The training loop: Adam over the multi-task loss, shuffled mini-batches from a fixed seed,
 * gradient clipping by global norm, validation after every epoch, early stopping with the best
 * epoch's parameters restored. Knows nothing about files: the pipeline feeds it packed splits.
 */
import * as tf from "@tensorflow/tfjs";
import { PARAM, type ParameterSet } from "../architecture";
import { mulberry32 } from "../mulberry32";
import { disposeBatch, makeBatch } from "./batches";
import { pretrainMaskedFeaturesAsync, type IPretrainResult } from "./maskedFeaturePretraining";
import { clippedGradientStep, shuffleInPlace } from "./optimiserStep";
import { dropSignalsAtRandom } from "../signalGates";
import { pickSignalsToReveal, signalRevealLoss } from "./signalRevealLoss";
import { DEFAULT_LOSS_WEIGHTS, type ILossWeights, multiTaskLoss } from "./losses";
import type { IPackedDataset } from "./packedDataset";
import { ProgressBar, type IProgressStream } from "./progressBar";
import type { TfAttentionModel } from "./tfModel";

export interface ITrainOptions {
    /** @default 30 upper bound; early stopping usually ends sooner */
    epochs: number;
    /** @default 64 examples per step */
    batchSize: number;
    /** @default 0.001 Adam step size */
    learningRate: number;
    /** @default 4 epochs without a validation improvement before stopping */
    patience: number;
    /** @default 1 validation checkpoints per epoch (early stopping can then pick a mid-epoch state) */
    checksPerEpoch: number;
    /** @default 1.0 gradients are scaled down to this global L2 norm */
    clipNorm: number;
    /** @default 1 shuffling seed */
    seed: number;
    /** @default DEFAULT_LOSS_WEIGHTS */
    lossWeights: ILossWeights;
    /**
     * @default false train `engagement.prior_scale` too. Kept at 1, the designer's weights move
     * every score by exactly the heuristic's change (the weights reach the network only through
     * the prior, and simulated sessions all carry the defaults, so nothing in the data would
     * stop training from scaling them away).
     */
    trainPriorScale: boolean;
    /**
     * @default 0 epochs of masked-feature pretraining (models/train/maskedFeaturePretraining.ts)
     * on the training split before the heads are trained; 0 skips it.
     */
    maskedFeaturePretrainEpochs: number;
    /**
     * @default 0.8 in training batches, the share of examples that keep every signal on; the
     * rest keep a random subset of 1 to 7 signals (models/signalGates.ts), so the network learns
     * to rank with whatever signals a designer leaves on. 1 trains with the examples' weights as
     * they are.
     */
    signalKeepAllShare: number;
    /**
     * @default 10 weight of the signal reveal penalty (signalRevealLoss.ts) beside the ranking
     * losses; 0 leaves it out (and its two extra forward passes per step). At 1 the ranking
     * losses still won in some scenes (switching proximity on from 0 lowered the nearer NPC).
     */
    signalRevealWeight: number;
    /** @default Infinity stop starting new epochs after this many seconds */
    maxSeconds: number;
    /** @default process.stderr where the progress bar goes; null for none */
    progress: IProgressStream | null;
}

export const DEFAULT_TRAIN_OPTIONS: Readonly<ITrainOptions> = Object.freeze({
    epochs: 30,
    batchSize: 64,
    learningRate: 0.001,
    patience: 4,
    checksPerEpoch: 1,
    clipNorm: 1,
    seed: 1,
    lossWeights: DEFAULT_LOSS_WEIGHTS,
    trainPriorScale: false,
    signalKeepAllShare: 0.8,
    signalRevealWeight: 10,
    maskedFeaturePretrainEpochs: 0,
    maxSeconds: Infinity,
    progress: process.stderr,
});

export interface ILossRecord {
    total: number;
    engagement: number;
    guidance: number;
    dwell: number;
}

export interface IEpochRecord {
    /** Epochs done at this checkpoint (fractional with several checks per epoch); 0 is the untrained model. */
    epoch: number;
    /** Mean training loss since the previous checkpoint (at 0: over the first batches of the training split, untrained). */
    train: number;
    validation: ILossRecord;
    seconds: number;
}

export interface ITrainResult {
    params: ParameterSet;
    /** One record per checkpoint; the first is the untrained model. */
    history: IEpochRecord[];
    /** Index into history of the kept parameters. */
    bestIndex: number;
    /** Epoch (fractional with several checks per epoch) of the kept parameters. */
    bestEpoch: number;
    stoppedEarly: boolean;
    steps: number;
    seconds: number;
    /** Present when masked-feature pretraining ran first. */
    pretraining?: IPretrainResult;
}

/** Mean loss parts over `data` (batched, no gradients). */
export function evaluateLoss(model: TfAttentionModel, data: IPackedDataset, weights: ILossWeights, batchSize = 256, limit = data.count): ILossRecord {
    const sums = { total: 0, engagement: 0, guidance: 0, dwell: 0 };
    let seen = 0;
    const n = Math.min(limit, data.count);
    for (let start = 0; start < n; start += batchSize) {
        const indices = Array.from({ length: Math.min(batchSize, n - start) }, (_, i) => start + i);
        const batch = makeBatch(data, indices, undefined, weights.approachTicks);
        const values = tf.tidy(() => {
            const parts = multiTaskLoss(model.forward(batch), batch.mask, batch.targets, weights);
            return tf.stack([parts.total, parts.engagement, parts.guidance, parts.dwell]).dataSync();
        });
        disposeBatch(batch);
        const w = indices.length;
        sums.total += values[0] * w;
        sums.engagement += values[1] * w;
        sums.guidance += values[2] * w;
        sums.dwell += values[3] * w;
        seen += w;
    }
    const d = Math.max(1, seen);
    return { total: sums.total / d, engagement: sums.engagement / d, guidance: sums.guidance / d, dwell: sums.dwell / d };
}

/**
 * Batches are trimmed to their widest example, so within each window of BUCKET_BATCHES batches
 * the (already shuffled) examples are sorted by candidate count: batches of similar width waste
 * less on padding. Windows stay random, and batch order within a window is shuffled again.
 */
const BUCKET_BATCHES = 16;

function bucketByRows(order: Int32Array, usedRows: Int32Array, window: number): void {
    for (let start = 0; start < order.length; start += window) {
        order.subarray(start, Math.min(order.length, start + window)).sort((a, b) => usedRows[a] - usedRows[b]);
    }
}

export async function trainAsync(model: TfAttentionModel, train: IPackedDataset, validation: IPackedDataset, options: Partial<ITrainOptions> = {}): Promise<ITrainResult> {
    const o: ITrainOptions = { ...DEFAULT_TRAIN_OPTIONS, ...options };
    const pretraining =
        o.maskedFeaturePretrainEpochs > 0
            ? await pretrainMaskedFeaturesAsync(model, train, validation, { epochs: o.maskedFeaturePretrainEpochs, batchSize: o.batchSize, learningRate: o.learningRate, clipNorm: o.clipNorm, seed: o.seed })
            : undefined;
    const startMs = performance.now();
    const optimizer = tf.train.adam(o.learningRate);
    const random = mulberry32(o.seed);
    // Its own stream, so switching signals off leaves the shuffle order as it was.
    const signalRandom = mulberry32(o.seed + 7919);
    const dropSignals = (weights: Float32Array): void => dropSignalsAtRandom(weights, signalRandom, o.signalKeepAllShare);
    const revealRandom = mulberry32(o.seed + 104729);
    const order = Int32Array.from({ length: train.count }, (_, i) => i);
    const stepsPerEpoch = Math.ceil(train.count / o.batchSize);
    const batchOrder = Int32Array.from({ length: stepsPerEpoch }, (_, i) => i);
    const priorScale = model.variables[PARAM.priorScale];
    const varList = model.variableList.filter((v) => o.trainPriorScale || v !== priorScale);
    const history: IEpochRecord[] = [];
    const initialValidation = evaluateLoss(model, validation, o.lossWeights);
    history.push({ epoch: 0, train: evaluateLoss(model, train, o.lossWeights, 256, 4 * o.batchSize).total, validation: initialValidation, seconds: 0 });
    let best = { loss: initialValidation.total, index: 0, params: model.getParameters() };
    let stoppedEarly = false;
    let steps = 0;
    const checkEvery = Math.ceil(stepsPerEpoch / Math.max(1, o.checksPerEpoch));
    const bar = new ProgressBar(o.epochs * stepsPerEpoch, o.progress);
    training: for (let epoch = 1; epoch <= o.epochs; epoch++) {
        shuffleInPlace(order, random);
        bucketByRows(order, train.usedRows, o.batchSize * BUCKET_BATCHES);
        shuffleInPlace(batchOrder, random);
        let lossSum = 0;
        let lossCount = 0;
        for (let step = 0; step < stepsPerEpoch; step++) {
            const at = batchOrder[step];
            const batch = makeBatch(train, order.subarray(at * o.batchSize, Math.min(train.count, (at + 1) * o.batchSize)), o.signalKeepAllShare < 1 ? dropSignals : undefined, o.lossWeights.approachTicks);
            const revealed = o.signalRevealWeight > 0 ? tf.tensor2d(pickSignalsToReveal(batch.weights.dataSync() as Float32Array, revealRandom), batch.weights.shape) : null;
            // Steps read every column, `focused` included; validation judges the network as exported (UNREAD_FEATURES).
            const loss = clippedGradientStep(
                optimizer,
                () => {
                    const ranking = multiTaskLoss(model.forward(batch, true), batch.mask, batch.targets, o.lossWeights).total;
                    return revealed ? (tf.add(ranking, tf.mul(signalRevealLoss(model, batch, revealed), o.signalRevealWeight)) as tf.Scalar) : ranking;
                },
                varList,
                o.clipNorm
            );
            revealed?.dispose();
            disposeBatch(batch);
            lossSum += loss;
            lossCount++;
            steps++;
            bar.update((epoch - 1) * stepsPerEpoch + step + 1, `epoch ${epoch}/${o.epochs} loss ${(lossSum / lossCount).toFixed(4)} best val ${best.loss.toFixed(4)}`);
            if ((step + 1) % checkEvery !== 0 && step + 1 !== stepsPerEpoch) continue;
            // A checkpoint: validate, keep the best parameters, stop on patience or the time limit.
            const validationLoss = evaluateLoss(model, validation, o.lossWeights);
            history.push({ epoch: epoch - 1 + (step + 1) / stepsPerEpoch, train: lossSum / lossCount, validation: validationLoss, seconds: (performance.now() - startMs) / 1000 });
            lossSum = 0;
            lossCount = 0;
            if (validationLoss.total < best.loss - 1e-4) {
                best = { loss: validationLoss.total, index: history.length - 1, params: model.getParameters() };
            } else if (history[history.length - 1].epoch - history[best.index].epoch >= o.patience) {
                stoppedEarly = true;
                break training;
            }
            if ((performance.now() - startMs) / 1000 > o.maxSeconds) {
                stoppedEarly = true;
                break training;
            }
            // Let pending I/O (the progress bar, a test runner's heartbeat) through.
            await new Promise((resolve) => setImmediate(resolve));
        }
    }
    bar.finish();
    optimizer.dispose();
    model.setParameters(best.params);
    return { params: best.params, history, bestIndex: best.index, bestEpoch: history[best.index].epoch, stoppedEarly, steps, seconds: (performance.now() - startMs) / 1000, pretraining };
}

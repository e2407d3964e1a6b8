/**
 * Masked-feature pretraining (an optional self-supervised task): hide one real candidate
 * per example (its feature row zeroed) and predict that row from the others and the player
 * token, through the same encoder and transformer layers the ranking heads use. It needs no
 * labels at all, so it could use every recorded tick; here it runs on the training split before
 * the supervised heads are trained. The prediction head exists only during pretraining and is
 * not exported: the ONNX file keeps its parameter set.
 */
import * as tf from "@tensorflow/tfjs";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { D_MODEL, PARAM } from "../architecture";
import { mulberry32 } from "../mulberry32";
import { disposeBatch, makeBatch, type IBatch } from "./batches";
import type { IPackedDataset } from "./packedDataset";
import { clippedGradientStep, shuffleInPlace } from "./optimiserStep";
import type { TfAttentionModel } from "./tfModel";

export interface IPretrainOptions {
    epochs: number;
    batchSize: number;
    learningRate: number;
    clipNorm: number;
    /** Seeds the shuffling and the choice of hidden rows. */
    seed: number;
}

export interface IPretrainRecord {
    epoch: number;
    /** Mean squared error per hidden feature, mean over the epoch's batches. */
    train: number;
    /** The same on the validation split, with its own fixed hidden rows. */
    validation: number;
}

export interface IPretrainResult {
    history: IPretrainRecord[];
    /**
     * Validation error of predicting every hidden row as the training split's mean row: what
     * pretraining must beat to have learned anything from the other candidates.
     */
    meanRowValidation: number;
    steps: number;
    seconds: number;
}

/** The hidden row of each example of a batch: one real candidate, chosen by `random`. */
function hideRows(data: IPackedDataset, indices: ArrayLike<number>, rows: number, random: () => number): Float32Array {
    const hidden = new Float32Array(indices.length * rows);
    for (let i = 0; i < indices.length; i++) {
        const used = data.usedRows[indices[i]];
        hidden[i * rows + Math.min(used - 1, Math.floor(random() * used))] = 1;
    }
    return hidden;
}

/** Mean squared error of the hidden rows' features, predicted from the rest. */
function maskedFeatureLoss(model: TfAttentionModel, head: { weight: tf.Variable; bias: tf.Variable }, batch: IBatch, hidden: tf.Tensor2D): tf.Scalar {
    const keep = tf.sub(1, tf.expandDims(hidden, 2));
    const tokens = model.forward({ ...batch, features: tf.mul(batch.features, keep) as tf.Tensor3D }).candidateTokens;
    const [b, rows] = hidden.shape;
    const predicted = tf.reshape(tf.add(tf.matMul(tf.reshape(tokens, [-1, D_MODEL]), head.weight), head.bias), [b, rows, FEATURE_COUNT]);
    const squared = tf.sum(tf.mul(tf.square(tf.sub(predicted, batch.features)), tf.expandDims(hidden, 2)));
    return tf.div(squared, b * FEATURE_COUNT) as tf.Scalar;
}

/** The mean real row of `data`, [FEATURE_COUNT]. */
function meanRow(data: IPackedDataset): Float32Array {
    const sum = new Float64Array(FEATURE_COUNT);
    let rows = 0;
    for (let e = 0; e < data.count; e++) {
        for (let r = 0; r < data.k; r++) {
            if (data.mask[e * data.k + r] > 0) {
                rows++;
                for (let f = 0; f < FEATURE_COUNT; f++) sum[f] += data.features[(e * data.k + r) * FEATURE_COUNT + f];
            }
        }
    }
    return Float32Array.from(sum, (v) => v / Math.max(1, rows));
}

let headCounter = 0;

/**
 * The validation error per hidden feature, each example's hidden row drawn from a fresh stream
 * of `seed` (the same rows on every call); with `meanRow`, also the error of guessing that row.
 */
function validationErrors(model: TfAttentionModel, head: { weight: tf.Variable; bias: tf.Variable }, data: IPackedDataset, seed: number, meanRow: Float32Array | null = null): { model: number; meanRow: number } {
    const random = mulberry32(seed);
    const guess = meanRow ? tf.tensor3d(meanRow, [1, 1, FEATURE_COUNT]) : null;
    let modelSum = 0;
    let guessSum = 0;
    for (let start = 0; start < data.count; start += 256) {
        const indices = Array.from({ length: Math.min(256, data.count - start) }, (_, i) => start + i);
        const batch = makeBatch(data, indices);
        const hidden = tf.tensor2d(hideRows(data, indices, batch.rows, random), [indices.length, batch.rows]);
        modelSum += tf.tidy(() => maskedFeatureLoss(model, head, batch, hidden).dataSync()[0]) * indices.length;
        if (guess) {
            guessSum += tf.tidy(() => tf.sum(tf.mul(tf.square(tf.sub(batch.features, guess)), tf.expandDims(hidden, 2))).dataSync()[0]) / FEATURE_COUNT;
        }
        hidden.dispose();
        disposeBatch(batch);
    }
    guess?.dispose();
    const n = Math.max(1, data.count);
    return { model: modelSum / n, meanRow: guessSum / n };
}

/**
 * Trains the encoder and the transformer layers of `model` (not the ranking heads, which the
 * loss does not reach, nor `engagement.prior_scale`) to predict hidden candidates' features.
 */
export async function pretrainMaskedFeaturesAsync(model: TfAttentionModel, train: IPackedDataset, validation: IPackedDataset, options: IPretrainOptions): Promise<IPretrainResult> {
    const startMs = performance.now();
    const random = mulberry32(options.seed);
    const head = {
        weight: tf.variable(tf.randomUniform([D_MODEL, FEATURE_COUNT], -Math.sqrt(6 / (D_MODEL + FEATURE_COUNT)), Math.sqrt(6 / (D_MODEL + FEATURE_COUNT)), "float32", options.seed), true, `pretrain${headCounter}.features.weight`),
        bias: tf.variable(tf.zeros([FEATURE_COUNT]), true, `pretrain${headCounter++}.features.bias`),
    };
    const varList = [...model.variableList.filter((v) => v !== model.variables[PARAM.priorScale]), head.weight, head.bias];
    const optimizer = tf.train.adam(options.learningRate);
    const order = Int32Array.from({ length: train.count }, (_, i) => i);
    const untrained = validationErrors(model, head, validation, options.seed + 1, meanRow(train));
    const history: IPretrainRecord[] = [{ epoch: 0, train: NaN, validation: untrained.model }];
    let steps = 0;
    try {
        for (let epoch = 1; epoch <= options.epochs; epoch++) {
            shuffleInPlace(order, random);
            let sum = 0;
            let batches = 0;
            for (let start = 0; start < order.length; start += options.batchSize) {
                const indices = order.subarray(start, Math.min(order.length, start + options.batchSize));
                const batch = makeBatch(train, indices);
                const hidden = tf.tensor2d(hideRows(train, indices, batch.rows, random), [indices.length, batch.rows]);
                sum += clippedGradientStep(optimizer, () => maskedFeatureLoss(model, head, batch, hidden), varList, options.clipNorm);
                hidden.dispose();
                disposeBatch(batch);
                batches++;
                steps++;
            }
            history.push({ epoch, train: sum / Math.max(1, batches), validation: validationErrors(model, head, validation, options.seed + 1).model });
            await new Promise((resolve) => setImmediate(resolve));
        }
    } finally {
        optimizer.dispose();
        tf.dispose([head.weight, head.bias]);
    }
    return { history, meanRowValidation: untrained.meanRow, steps, seconds: (performance.now() - startMs) / 1000 };
}

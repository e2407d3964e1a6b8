/**
 * The attention ranker of models/architecture.ts as tfjs ops, for training. Every trainable
 * tensor is a tf.Variable named and shaped exactly as its PARAMETER_SPECS entry, so the trained
 * set goes straight back through models/onnxWriter.ts. The forward pass works on padded batches
 * [B, K, F] and matches the ONNX graph (tests/train/tfModel.test.ts holds it to
 * tests/model/reference.ts), including the in-graph heuristic prior.
 */
import * as tf from "@tensorflow/tfjs";
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import {
    D_MODEL,
    FEATURE_INPUT_MASK,
    FFN_DIM,
    HEAD_COUNT,
    HEAD_DIM,
    LAYER_COUNT,
    LAYER_NORM_EPSILON,
    MASK_NEGATIVE,
    PARAM,
    PARAMETER_SPECS,
    type ParameterSet,
    layerParameterNames,
    validateParameters,
} from "../architecture";
import { CONTEXT_GATE, FEATURE_GATE, TRAINING_FEATURE_GATE, type IGateMatrix } from "../signalGates";

/** A padded batch, as tensors. */
export interface ITfBatch {
    /** [B, K, FEATURE_COUNT] */
    features: tf.Tensor3D;
    /** [B, K], 1 real, 0 padding */
    mask: tf.Tensor2D;
    /** [B, CONTEXT_COUNT] */
    context: tf.Tensor2D;
    /** [B, WEIGHT_COUNT] */
    weights: tf.Tensor2D;
}

/** Model outputs for a batch, each [B, K]; the heads' pre-activation values are kept for stable losses. */
export interface ITfOutputs {
    /** Engagement logit, 0 at padded rows (what the ONNX file outputs). */
    engagement: tf.Tensor2D;
    /** Engagement logit before masking (for a masked softmax). */
    engagementLogit: tf.Tensor2D;
    /** The learned part of the engagement logit (the head's output, without the heuristic prior). */
    engagementResidual: tf.Tensor2D;
    guidance: tf.Tensor2D;
    guidanceLogit: tf.Tensor2D;
    dwell: tf.Tensor2D;
    dwellLogit: tf.Tensor2D;
    attention: tf.Tensor2D;
    /** [B, K, D_MODEL] the candidates' tokens after the final LayerNorm (what every head reads). */
    candidateTokens: tf.Tensor3D;
}

/**
 * Column indices of the heuristic prior, one per signal in WEIGHT_NAMES order:
 * signal = relu(features[signalColumn]) * gate, gate = features[gateColumn] or 1.
 * Same formula as heuristicContributions; the relu is the approach signal's max(0, x) and, as in
 * the ONNX graph, changes nothing on the other (non-negative by schema) columns.
 */
const ONE_COLUMN = FEATURE_COUNT; // index of a constant-1 column appended to the features
const PRIOR_SIGNAL_COLUMNS = [Feature.GazeAlignment, Feature.Dwell, Feature.Proximity, Feature.Event, Feature.Priority, Feature.Novelty, Feature.Visible, Feature.Approach];
const PRIOR_GATE_COLUMNS = [Feature.Visible, ONE_COLUMN, ONE_COLUMN, ONE_COLUMN, ONE_COLUMN, Feature.InView, Feature.InView, ONE_COLUMN];

function dense(x: tf.Tensor, w: tf.Tensor, b: tf.Tensor, outDim: number): tf.Tensor {
    const shape = x.shape;
    const inDim = shape[shape.length - 1];
    const flat = tf.add(tf.matMul(tf.reshape(x, [-1, inDim]) as tf.Tensor2D, w as tf.Tensor2D), b);
    return tf.reshape(flat, [...shape.slice(0, -1), outDim]);
}

function layerNorm(x: tf.Tensor, scale: tf.Tensor, bias: tf.Tensor): tf.Tensor {
    const { mean, variance } = tf.moments(x, -1, true);
    return tf.add(tf.mul(tf.mul(tf.sub(x, mean), tf.rsqrt(tf.add(variance, LAYER_NORM_EPSILON))), scale), bias);
}

export class TfAttentionModel {
    /** One variable per PARAMETER_SPECS entry, keyed and shaped the same. */
    public readonly variables: Readonly<Record<string, tf.Variable>>;
    private _isDisposed = false;
    /** The signal gates' constant matrices, kept so a forward pass outside tf.tidy leaks nothing. */
    private readonly _featureGate = gateTensors(FEATURE_GATE);
    private readonly _trainingFeatureGate = gateTensors(TRAINING_FEATURE_GATE);
    private readonly _contextGate = gateTensors(CONTEXT_GATE);
    /** FEATURE_INPUT_MASK as a tensor: what the exported network reads. */
    private readonly _inputMask = tf.tensor1d(FEATURE_INPUT_MASK);

    private constructor(variables: Record<string, tf.Variable>) {
        this.variables = variables;
    }

    /** Creates the variables from a parameter set (initParameters(seed) or a trained set). */
    public static FromParameters(params: ParameterSet): TfAttentionModel {
        const problems = validateParameters(params);
        if (problems.length > 0) {
            throw new Error(`cannot build the tfjs model: ${problems.join("; ")}`);
        }
        const variables: Record<string, tf.Variable> = {};
        for (const spec of PARAMETER_SPECS) {
            // The spec name contains dots, which tfjs accepts; a unique suffix keeps two models apart.
            variables[spec.name] = tf.variable(tf.tensor(params[spec.name], [...spec.shape], "float32"), true, `${spec.name}#${modelCounter}`);
        }
        modelCounter++;
        return new TfAttentionModel(variables);
    }

    public get isDisposed(): boolean {
        return this._isDisposed;
    }

    /** Every variable, in PARAMETER_SPECS order (the optimizer's var list). */
    public get variableList(): tf.Variable[] {
        return PARAMETER_SPECS.map((spec) => this.variables[spec.name]);
    }

    /** Copies the current values out as a parameter set for the ONNX writer. */
    public getParameters(): ParameterSet {
        const out: ParameterSet = {};
        for (const spec of PARAMETER_SPECS) {
            out[spec.name] = Float32Array.from(this.variables[spec.name].dataSync() as Float32Array);
        }
        return out;
    }

    /** Overwrites every variable (restoring the best epoch's snapshot). */
    public setParameters(params: ParameterSet): void {
        for (const spec of PARAMETER_SPECS) {
            this.variables[spec.name].assign(tf.tensor(params[spec.name], [...spec.shape], "float32"));
        }
    }

    /** Each signal's heuristic term per candidate before its weight, [B, K, WEIGHT_COUNT]. */
    public static priorTerms(features: tf.Tensor3D): tf.Tensor3D {
        return tf.tidy(() => {
            const [b, k] = features.shape;
            const withOne = tf.concat([features, tf.ones([b, k, 1])], 2);
            const signal = tf.relu(tf.gather(withOne, PRIOR_SIGNAL_COLUMNS, 2));
            return tf.mul(signal, tf.gather(withOne, PRIOR_GATE_COLUMNS, 2)) as tf.Tensor3D;
        });
    }

    /** The heuristic score per candidate, [B, K] (no mask applied). */
    public static prior(features: tf.Tensor3D, weights: tf.Tensor2D): tf.Tensor2D {
        return tf.tidy(() => {
            const b = features.shape[0];
            return tf.sum(tf.mul(TfAttentionModel.priorTerms(features), tf.reshape(weights, [b, 1, WEIGHT_COUNT])), 2) as tf.Tensor2D;
        });
    }

    /**
     * The forward pass; call inside tf.tidy (training) or dispose the outputs yourself. As
     * exported, the network does not read UNREAD_FEATURES; `readAllFeatures` lets a training
     * step read them (see UNREAD_FEATURES for why that helps and why the export drops them).
     */
    public forward(batch: ITfBatch, readAllFeatures = false): ITfOutputs {
        const v = this.variables;
        const { features, mask, context, weights } = batch;
        const [b, k] = features.shape;
        const t = k + 1;
        if (features.shape[2] !== FEATURE_COUNT || context.shape[1] !== CONTEXT_COUNT || weights.shape[1] !== WEIGHT_COUNT) {
            throw new Error(`batch shapes [${features.shape}], [${context.shape}], [${weights.shape}] do not fit [B, K, ${FEATURE_COUNT}], [B, ${CONTEXT_COUNT}], [B, ${WEIGHT_COUNT}]`);
        }
        // A column is hidden from the network unless every signal it carries is on (signalGates.ts).
        const on = tf.cast(tf.greater(weights, 0), "float32") as tf.Tensor2D; // [B, W]
        const featureGate = tf.reshape(gateOf(on, readAllFeatures ? this._trainingFeatureGate : this._featureGate), [b, 1, FEATURE_COUNT]);
        const gated = tf.mul(features, featureGate);
        const read = readAllFeatures ? gated : tf.mul(gated, this._inputMask);
        const cand = dense(read, v[PARAM.candidateWeight], v[PARAM.candidateBias], D_MODEL);
        const player = tf.reshape(dense(tf.mul(context, gateOf(on, this._contextGate)), v[PARAM.playerWeight], v[PARAM.playerBias], D_MODEL), [b, 1, D_MODEL]);
        let x: tf.Tensor = tf.concat([player, cand], 1); // [B, T, D]
        // 0 for the player token and real candidates, MASK_NEGATIVE for padding (as in the ONNX graph).
        const keyBias = tf.reshape(tf.mul(tf.sub(tf.concat([tf.ones([b, 1]), mask], 1), 1), -MASK_NEGATIVE), [b, 1, 1, t]);
        const scale = 1 / Math.sqrt(HEAD_DIM);
        let lastScores: tf.Tensor | undefined;
        const heads = (y: tf.Tensor): tf.Tensor4D => tf.transpose(tf.reshape(y, [b, t, HEAD_COUNT, HEAD_DIM]), [0, 2, 1, 3]) as tf.Tensor4D;
        for (let l = 0; l < LAYER_COUNT; l++) {
            const n = layerParameterNames(l);
            const h = layerNorm(x, v[n.ln1Scale], v[n.ln1Bias]);
            const q = heads(tf.mul(dense(h, v[n.qWeight], v[n.qBias], D_MODEL), scale));
            const key = heads(dense(h, v[n.kWeight], v[n.kBias], D_MODEL));
            const value = heads(dense(h, v[n.vWeight], v[n.vBias], D_MODEL));
            const scores = tf.add(tf.matMul(q, key, false, true), keyBias); // [B, H, T, T]
            const probs = tf.softmax(scores, -1);
            const mixed = tf.reshape(tf.transpose(tf.matMul(probs, value), [0, 2, 1, 3]), [b, t, D_MODEL]);
            x = tf.add(x, dense(mixed, v[n.oWeight], v[n.oBias], D_MODEL));
            const h2 = layerNorm(x, v[n.ln2Scale], v[n.ln2Bias]);
            const hidden = tf.relu(dense(h2, v[n.ffn1Weight], v[n.ffn1Bias], FFN_DIM));
            x = tf.add(x, dense(hidden, v[n.ffn2Weight], v[n.ffn2Bias], D_MODEL));
            lastScores = scores;
        }
        const y = tf.slice(layerNorm(x, v[PARAM.finalLnScale], v[PARAM.finalLnBias]), [0, 1, 0], [b, k, D_MODEL]);
        const rows = (w: string, bias: string): tf.Tensor2D => tf.reshape(dense(y, v[w], v[bias], 1), [b, k]) as tf.Tensor2D;
        const prior = TfAttentionModel.prior(features, weights);
        const engagementResidual = rows(PARAM.engagementWeight, PARAM.engagementBias);
        const engagementLogit = tf.add(engagementResidual, tf.mul(prior, v[PARAM.priorScale])) as tf.Tensor2D;
        const guidanceLogit = rows(PARAM.guidanceWeight, PARAM.guidanceBias);
        const dwellLogit = rows(PARAM.dwellWeight, PARAM.dwellBias);
        // The player's last-layer logits over candidates only, softmaxed per head, mean of heads.
        const playerScores = tf.slice(lastScores!, [0, 0, 0, 1], [b, HEAD_COUNT, 1, k]);
        const attention = tf.reshape(tf.mean(tf.softmax(playerScores, -1), 1), [b, k]) as tf.Tensor2D;
        return {
            engagement: tf.mul(engagementLogit, mask) as tf.Tensor2D,
            engagementLogit,
            engagementResidual,
            guidance: tf.mul(tf.sigmoid(guidanceLogit), mask) as tf.Tensor2D,
            guidanceLogit,
            dwell: tf.mul(tf.softplus(dwellLogit), mask) as tf.Tensor2D,
            dwellLogit,
            attention,
            candidateTokens: y as tf.Tensor3D,
        };
    }

    public dispose(): void {
        if (this._isDisposed) return;
        this._isDisposed = true;
        for (const variable of Object.values(this.variables)) {
            variable.dispose();
        }
        for (const gate of [this._featureGate, this._trainingFeatureGate, this._contextGate]) {
            tf.dispose([gate.select, gate.offset]);
        }
        this._inputMask.dispose();
    }
}

interface IGateTensors {
    readonly select: tf.Tensor2D;
    readonly offset: tf.Tensor1D;
}

function gateTensors(gate: IGateMatrix): IGateTensors {
    return { select: tf.tensor2d(gate.select, [WEIGHT_COUNT, gate.columns]), offset: tf.tensor1d(gate.offset) };
}

/** [B, columns] gates: 1 for a column whose signals are all on (or that carries none), else 0. */
function gateOf(on: tf.Tensor2D, gate: IGateTensors): tf.Tensor2D {
    return tf.relu(tf.add(tf.matMul(on, gate.select), gate.offset)) as tf.Tensor2D;
}

let modelCounter = 0;

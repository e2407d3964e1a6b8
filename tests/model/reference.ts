/**
 * A plain TypeScript forward pass of the attention ranker, written from architecture.ts and
 * docs/model.md and models/architecture.ts without looking at the ONNX graph code: loops over arrays in float64, the
 * prior taken straight from heuristicContributions. The tests hold the ONNX file to it.
 */
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { SIGNALS_OF_CONTEXT, SIGNALS_OF_FEATURE } from "../../plugin/features/signalColumns";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { heuristicContributions } from "../../plugin/model/heuristicScorer";
import { D_MODEL, FFN_DIM, HEAD_COUNT, HEAD_DIM, LAYER_COUNT, LAYER_NORM_EPSILON, PARAM, type ParameterSet, layerParameterNames, readCandidateWeight } from "../../models/architecture";

export interface IReferenceOutput {
    engagement: Float64Array;
    guidance: Float64Array;
    dwell: Float64Array;
    attention: Float64Array;
}

type Matrix = Float64Array[];

function linear(x: Matrix, w: Float32Array, b: Float32Array, inDim: number, outDim: number): Matrix {
    return x.map((row) => {
        const out = new Float64Array(outDim);
        for (let o = 0; o < outDim; o++) {
            let sum = b[o];
            for (let i = 0; i < inDim; i++) {
                sum += row[i] * w[i * outDim + o];
            }
            out[o] = sum;
        }
        return out;
    });
}

function layerNorm(x: Matrix, scale: Float32Array, bias: Float32Array): Matrix {
    return x.map((row) => {
        let mean = 0;
        for (const v of row) mean += v;
        mean /= row.length;
        let variance = 0;
        for (const v of row) variance += (v - mean) * (v - mean);
        variance /= row.length;
        const inv = 1 / Math.sqrt(variance + LAYER_NORM_EPSILON);
        return row.map((v, i) => (v - mean) * inv * scale[i] + bias[i]);
    });
}

function add(a: Matrix, b: Matrix): Matrix {
    return a.map((row, r) => row.map((v, i) => v + b[r][i]));
}

/** Softmax over `logits` restricted to the indices where `valid` is true; others get 0. */
function maskedSoftmax(logits: Float64Array, valid: boolean[]): Float64Array {
    let max = -Infinity;
    logits.forEach((v, i) => {
        if (valid[i] && v > max) max = v;
    });
    const out = new Float64Array(logits.length);
    let sum = 0;
    logits.forEach((v, i) => {
        if (valid[i]) {
            out[i] = Math.exp(v - max);
            sum += out[i];
        }
    });
    return out.map((v) => v / sum);
}

/**
 * Runs the model on `count` candidates (rows of `features`), `mask[i]` 1 for real rows.
 * Padded candidates are left out of every key set; their outputs are 0.
 */
export function referenceForward(params: ParameterSet, features: Float32Array, mask: Float32Array, count: number, context: Float32Array, weights: Float32Array): IReferenceOutput {
    const n = count;
    const scratch = new Float32Array(8);
    const rows: Matrix = [];
    // A column is hidden from the network (reads 0) unless every signal it carries has a weight above 0.
    const on = Array.from(weights.subarray(0, WEIGHT_COUNT), (w) => (w > 0 ? 1 : 0));
    const seen = (signals: readonly number[]): number => (signals.every((s) => on[s] === 1) ? 1 : 0);
    for (let i = 0; i < n; i++) rows.push(Float64Array.from(features.subarray(i * FEATURE_COUNT, (i + 1) * FEATURE_COUNT), (v, c) => v * seen(SIGNALS_OF_FEATURE[c])));
    const playerInput = Float64Array.from(context.subarray(0, CONTEXT_COUNT), (v, c) => v * seen(SIGNALS_OF_CONTEXT[c]));
    const player = linear([playerInput], params[PARAM.playerWeight], params[PARAM.playerBias], CONTEXT_COUNT, D_MODEL);
    const cand = linear(rows, readCandidateWeight(params), params[PARAM.candidateBias], FEATURE_COUNT, D_MODEL);
    let x: Matrix = [...player, ...cand];
    const valid = [true, ...Array.from({ length: n }, (_, i) => mask[i] > 0.5)];
    const t = n + 1;
    let lastLogits: Float64Array[] = []; // per head, the player's logits over all tokens

    for (let l = 0; l < LAYER_COUNT; l++) {
        const p = layerParameterNames(l);
        const h = layerNorm(x, params[p.ln1Scale], params[p.ln1Bias]);
        const q = linear(h, params[p.qWeight], params[p.qBias], D_MODEL, D_MODEL);
        const k = linear(h, params[p.kWeight], params[p.kBias], D_MODEL, D_MODEL);
        const v = linear(h, params[p.vWeight], params[p.vBias], D_MODEL, D_MODEL);
        const mixed: Matrix = Array.from({ length: t }, () => new Float64Array(D_MODEL));
        lastLogits = [];
        for (let head = 0; head < HEAD_COUNT; head++) {
            const off = head * HEAD_DIM;
            for (let i = 0; i < t; i++) {
                const logits = new Float64Array(t);
                for (let j = 0; j < t; j++) {
                    let dot = 0;
                    for (let d = 0; d < HEAD_DIM; d++) dot += q[i][off + d] * k[j][off + d];
                    logits[j] = dot / Math.sqrt(HEAD_DIM);
                }
                if (i === 0) lastLogits.push(logits);
                const probs = maskedSoftmax(logits, valid);
                for (let j = 0; j < t; j++) {
                    for (let d = 0; d < HEAD_DIM; d++) mixed[i][off + d] += probs[j] * v[j][off + d];
                }
            }
        }
        x = add(x, linear(mixed, params[p.oWeight], params[p.oBias], D_MODEL, D_MODEL));
        const h2 = layerNorm(x, params[p.ln2Scale], params[p.ln2Bias]);
        const hidden = linear(h2, params[p.ffn1Weight], params[p.ffn1Bias], D_MODEL, FFN_DIM).map((row) => row.map((v) => Math.max(0, v)));
        x = add(x, linear(hidden, params[p.ffn2Weight], params[p.ffn2Bias], FFN_DIM, D_MODEL));
    }

    const y = layerNorm(x, params[PARAM.finalLnScale], params[PARAM.finalLnBias]).slice(1);
    const engagementRaw = linear(y, params[PARAM.engagementWeight], params[PARAM.engagementBias], D_MODEL, 1);
    const guidanceRaw = linear(y, params[PARAM.guidanceWeight], params[PARAM.guidanceBias], D_MODEL, 1);
    const dwellRaw = linear(y, params[PARAM.dwellWeight], params[PARAM.dwellBias], D_MODEL, 1);
    const out: IReferenceOutput = {
        engagement: new Float64Array(n),
        guidance: new Float64Array(n),
        dwell: new Float64Array(n),
        attention: new Float64Array(n),
    };
    const candValid = valid.slice(1);
    const explain = new Float64Array(n);
    for (const logits of lastLogits) {
        const probs = maskedSoftmax(logits.slice(1), candValid);
        for (let i = 0; i < n; i++) explain[i] += probs[i] / HEAD_COUNT;
    }
    for (let i = 0; i < n; i++) {
        if (!candValid[i]) continue;
        const prior = heuristicContributions(features, i, weights, scratch, 0);
        out.engagement[i] = engagementRaw[i][0] + params[PARAM.priorScale][0] * prior;
        out.guidance[i] = 1 / (1 + Math.exp(-guidanceRaw[i][0]));
        out.dwell[i] = Math.log1p(Math.exp(dwellRaw[i][0]));
        out.attention[i] = explain[i];
    }
    return out;
}

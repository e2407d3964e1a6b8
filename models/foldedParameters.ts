/**
 * Build-time constant folding for the ONNX graph: rearranges and combines a parameter set
 * (architecture.ts) into the tensors the graph multiplies by, so a run uses the kernels that
 * are fast in onnxruntime-web's WASM build. Measured at 65 tokens, 1 thread: LayerNormalization
 * 20 us against 7 us for SimplifiedLayerNormalization (RMS); a MatMul that broadcasts the tokens
 * over per-head weights [H, D, *] 30 us against 8 us for one Gemm over both heads.
 *
 * Every fold is exact in real arithmetic; in float32 the results differ from the unfolded
 * graph by rounding only (the tests hold the file to a float64 reference within 1e-4):
 * - the residual stream is kept centred (each token's mean over D is 0): every linear layer that
 *   writes into it (the two embeddings, the attention output, the FFN output) has its weight and
 *   bias multiplied by C = I - 1/D on the output side, and sums of centred rows stay centred.
 *   LayerNorm of a centred row is x / sqrt(mean(x^2) + eps) * scale + bias, so the graph
 *   normalises with SimplifiedLayerNormalization (RMS, no mean subtraction) and each LayerNorm
 *   bias moves into the bias of the linear layers that read the normalised tokens (b + beta W);
 * - Q^T, K^T and V^T of both heads are the rows of one [3 * H * (hd + 1), D] matrix, so one Gemm
 *   with transB yields all of them for all tokens, already transposed ([rows, T]); each head has
 *   one extra row (QK_WIDTH): Q's is the constant 1 and K's the key mask (0 or -1e9), so Q K^T
 *   arrives masked with no [H, T, T] Add, and V's is the constant 1, which P V keeps at 1 (each
 *   attention row sums to 1) and the output projection turns into its bias;
 * - Q is pre-scaled by 1/sqrt(headDim); K's bias (with LayerNorm's) is dropped: it adds
 *   q_i . b_k to every logit of query i, the same for every key, and softmax is invariant to
 *   that (the explanation output re-softmaxes rows of the same logits);
 * - the output projection reads the heads stacked, [H * (hd + 1), D]: head h's rows of W_o, then
 *   b_o on head 0's constant row and 0 on the others, so one Gemm adds projection, bias and
 *   (as its C) the residual;
 * - the heuristic prior's selections carry `prior_scale` on the gate side, and the three heads
 *   are transposed into one [3, D] matrix (their biases absorbing the final LayerNorm's), so the
 *   graph computes them as rows [3, N].
 */
import { FEATURE_COUNT, Feature } from "../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../plugin/model/attentionWeights";
import { Signal } from "../plugin/model/heuristicScorer";
import { D_MODEL, FFN_DIM, HEAD_COUNT, HEAD_DIM, MASK_NEGATIVE, PARAM, type ParameterSet, layerParameterNames } from "./architecture";

/** Rows of the graph's packed head output, in this order. */
export const HEAD_ROWS = 3;
/**
 * Rows of one head's Q^T, K^T and V^T in the file: the head width plus one row (Q: the constant
 * 1; K: the key mask; V: the constant 1 that carries the output bias).
 */
export const QK_WIDTH = HEAD_DIM + 1;

export interface IFoldedLinear {
    /** [in, out] row-major. */
    weight: Float32Array;
    /** [out]. */
    bias: Float32Array;
}

export interface IFoldedLayer {
    /**
     * [3 * H * (hd + 1), D]: the rows of Q^T, K^T and V^T, each laid out [H, hd + 1] with a zero
     * last row per head: W_q^T / sqrt(hd), W_k^T, W_v^T.
     */
    qkvWeightT: Float32Array;
    /**
     * [3 * H * (hd + 1), 1]: the bias of each row: (b_q + beta_1 W_q) / sqrt(hd) then 1 (Q's constant
     * row); 0 then MASK_NEGATIVE (K's mask row, offset by the mask); b_v + beta_1 W_v then 1 (V's constant row).
     */
    qkvBiasT: Float32Array;
    /** [3 * H * (hd + 1), 1]: 1 on K's mask rows (they read the key mask), 0 elsewhere. */
    maskSelector: Float32Array;
    /** [H * (hd + 1), D]: centred W_o rows per head, then the centred b_o (head 0's row) or 0. */
    outWeight: Float32Array;
    /** [F]: b_1 + beta_2 W_1 (W_1 itself is used as it is). */
    ffnInBias: Float32Array;
    /** [F, D] and [D]: W_2 and b_2, centred. */
    ffnOut: IFoldedLinear;
}

export interface IFoldedPrior {
    /** [F, W]: signal s reads feature f before the Relu (the approach signal's max(0, x)). */
    select: Float32Array;
    /** [F, W]: signal s's gate feature, times prior_scale. */
    gate: Float32Array;
    /** [W, 1]: prior_scale where a signal has no gate, 0 where it has one. */
    gateBias: Float32Array;
    /** [3, W]: row 0 ones, so (weights x this) puts the weighted prior in the engagement row only. */
    rowSelect: Float32Array;
}

export interface IFoldedHeads {
    /** [3, D]: engagement, guidance, dwell weights as rows. */
    weightT: Float32Array;
    /** [3, 1]: each head's bias plus the final LayerNorm bias through its weights. */
    bias: Float32Array;
}

/** b + beta W for W [in, out] row-major, in float64. */
function biasThrough(bias: Float32Array, beta: Float32Array, weight: Float32Array, outDim: number): Float64Array {
    const out = Float64Array.from(bias);
    for (let o = 0; o < outDim; o++) {
        for (let i = 0; i < beta.length; i++) {
            out[o] += beta[i] * weight[i * outDim + o];
        }
    }
    return out;
}

/** Each row of `rows` ([n, D]) minus its mean, written as float32 at `target[offset + r * D]`. */
function writeCentred(rows: ArrayLike<number>, rowCount: number, target: Float32Array, offset: number): void {
    for (let r = 0; r < rowCount; r++) {
        let mean = 0;
        for (let c = 0; c < D_MODEL; c++) {
            mean += rows[r * D_MODEL + c];
        }
        mean /= D_MODEL;
        for (let c = 0; c < D_MODEL; c++) {
            target[offset + r * D_MODEL + c] = rows[r * D_MODEL + c] - mean;
        }
    }
}

/** A linear layer that writes into the residual stream, with its output centred (W C, b C). */
export function centredLinear(weight: Float32Array, bias: Float32Array): IFoldedLinear {
    const folded = { weight: new Float32Array(weight.length), bias: new Float32Array(D_MODEL) };
    writeCentred(weight, weight.length / D_MODEL, folded.weight, 0);
    writeCentred(bias, 1, folded.bias, 0);
    return folded;
}

/** Per-head layouts and folds of one transformer block; sums run in float64, rounded once. */
export function foldLayer(params: ParameterSet, layer: number): IFoldedLayer {
    const n = layerParameterNames(layer);
    const ln1Bias = params[n.ln1Bias];
    const scale = 1 / Math.sqrt(HEAD_DIM);
    const blockRows = HEAD_COUNT * QK_WIDTH;
    const qkvWeightT = new Float32Array(3 * blockRows * D_MODEL);
    const qkvBiasT = new Float32Array(3 * blockRows);
    const maskSelector = new Float32Array(3 * blockRows);
    const blocks = [
        { weight: params[n.qWeight], bias: params[n.qBias], scale, lastRowBias: 1 },
        { weight: params[n.kWeight], bias: null, scale: 1, lastRowBias: MASK_NEGATIVE },
        { weight: params[n.vWeight], bias: params[n.vBias], scale: 1, lastRowBias: 1 },
    ];
    blocks.forEach((block, b) => {
        const bias64 = block.bias ? biasThrough(block.bias, ln1Bias, block.weight, D_MODEL) : new Float64Array(D_MODEL);
        for (let h = 0; h < HEAD_COUNT; h++) {
            const headStart = b * blockRows + h * QK_WIDTH;
            qkvBiasT[headStart + HEAD_DIM] = block.lastRowBias;
            for (let d = 0; d < HEAD_DIM; d++) {
                const col = h * HEAD_DIM + d;
                qkvBiasT[headStart + d] = bias64[col] * block.scale;
                for (let i = 0; i < D_MODEL; i++) {
                    qkvWeightT[(headStart + d) * D_MODEL + i] = block.weight[i * D_MODEL + col] * block.scale;
                }
            }
        }
    });
    for (let h = 0; h < HEAD_COUNT; h++) {
        maskSelector[blockRows + h * QK_WIDTH + HEAD_DIM] = 1;
    }
    const outWeight = new Float32Array(blockRows * D_MODEL);
    for (let h = 0; h < HEAD_COUNT; h++) {
        writeCentred(params[n.oWeight].subarray(h * HEAD_DIM * D_MODEL, (h + 1) * HEAD_DIM * D_MODEL), HEAD_DIM, outWeight, h * QK_WIDTH * D_MODEL);
    }
    writeCentred(params[n.oBias], 1, outWeight, HEAD_DIM * D_MODEL);
    return {
        qkvWeightT,
        qkvBiasT,
        maskSelector,
        outWeight,
        ffnInBias: Float32Array.from(biasThrough(params[n.ffn1Bias], params[n.ln2Bias], params[n.ffn1Weight], FFN_DIM)),
        ffnOut: centredLinear(params[n.ffn2Weight], params[n.ffn2Bias]),
    };
}

/**
 * The heuristic prior as selections: signal = relu(select . f) * (gate . f + gateBias), each
 * signal one feature times a gate (visible, inView) or times 1, exactly as
 * heuristicContributions computes it. The Relu is the approach signal's max(0, x); on the other
 * signals it changes nothing for features within the schema's ranges (all are >= 0). Selection
 * by a matrix product is exact: every other term is a product with 0, and prior_scale (folded
 * into the gate side) multiplies 0 or 1.
 */
export function foldPrior(params: ParameterSet): IFoldedPrior {
    const priorScale = params[PARAM.priorScale][0];
    const select = new Float32Array(FEATURE_COUNT * WEIGHT_COUNT);
    const gate = new Float32Array(FEATURE_COUNT * WEIGHT_COUNT);
    const gateBias = new Float32Array(WEIGHT_COUNT).fill(priorScale);
    const pick = (feature: Feature, signal: Signal): void => {
        select[feature * WEIGHT_COUNT + signal] = 1;
    };
    const gateBy = (feature: Feature, signal: Signal): void => {
        gate[feature * WEIGHT_COUNT + signal] = priorScale;
        gateBias[signal] = 0;
    };
    pick(Feature.GazeAlignment, Signal.Gaze);
    gateBy(Feature.Visible, Signal.Gaze);
    pick(Feature.Dwell, Signal.Dwell);
    pick(Feature.Proximity, Signal.Proximity);
    pick(Feature.Event, Signal.Event);
    pick(Feature.Priority, Signal.Priority);
    pick(Feature.Novelty, Signal.Novelty);
    gateBy(Feature.InView, Signal.Novelty);
    pick(Feature.Visible, Signal.Visibility);
    gateBy(Feature.InView, Signal.Visibility);
    pick(Feature.Approach, Signal.Approach);
    const rowSelect = new Float32Array(HEAD_ROWS * WEIGHT_COUNT);
    rowSelect.fill(1, 0, WEIGHT_COUNT);
    return { select, gate, gateBias, rowSelect };
}

/** The engagement, guidance and dwell heads as the rows of one matrix, reading RMS-normalised tokens. */
export function foldHeads(params: ParameterSet): IFoldedHeads {
    const heads = [
        [PARAM.engagementWeight, PARAM.engagementBias],
        [PARAM.guidanceWeight, PARAM.guidanceBias],
        [PARAM.dwellWeight, PARAM.dwellBias],
    ];
    const weightT = new Float32Array(HEAD_ROWS * D_MODEL);
    const bias = new Float32Array(HEAD_ROWS);
    heads.forEach(([weightName, biasName], row) => {
        weightT.set(params[weightName], row * D_MODEL);
        bias[row] = biasThrough(params[biasName], params[PARAM.finalLnBias], params[weightName], 1)[0];
    });
    return { weightT, bias };
}

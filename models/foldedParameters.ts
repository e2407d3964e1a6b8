/**
 * Build-time constant folding for the ONNX graph: rearranges and combines a parameter set
 * (architecture.ts) into the tensors the graph multiplies by, so the runtime runs fewer, larger
 * kernels. A WASM run at these sizes costs a few microseconds per node before any arithmetic,
 * so every node folded away here is time saved on every frame.
 *
 * Every fold is exact in real arithmetic; in float32 the results differ from the unfolded
 * graph by rounding only (the tests hold the file to a float64 reference within 1e-4):
 * - Q is pre-scaled by 1/sqrt(headDim) and laid out per head, [H, D, hd + 1] plus [H, 1, hd + 1],
 *   the extra column a constant 1 that meets the key mask in K^T (QK_WIDTH);
 * - K is laid out transposed, [H * (hd + 1), D], so one Gemm with transB yields K^T for all heads;
 *   its bias is dropped: it adds q_i . b_k to every logit of query i, the same for every key,
 *   and softmax is invariant to that (the explanation output re-softmaxes the same rows);
 * - V and the output projection are laid out per head, [H, D, hd] and [H, hd, D], so heads
 *   merge by a ReduceSum instead of Transpose + Reshape; V's bias moves into the output bias
 *   (each attention row sums to 1, so P (V + 1 b_v) W_o = P V W_o + b_v W_o);
 * - the heuristic prior's selections carry `prior_scale` on the gate side, and the three heads
 *   are transposed into one [3, D] matrix, so the graph computes them as rows [3, N].
 */
import { FEATURE_COUNT, Feature } from "../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../plugin/model/attentionWeights";
import { Signal } from "../plugin/model/heuristicScorer";
import { D_MODEL, HEAD_COUNT, HEAD_DIM, PARAM, type ParameterSet, layerParameterNames } from "./architecture";

/** Rows of the graph's packed head output, in this order. */
export const HEAD_ROWS = 3;
/**
 * Width of one head's Q and K^T in the file: the head width plus one column that carries the
 * key mask. Q's extra column is the constant 1 (weight 0, bias 1) and K^T's extra row is the
 * key bias (0 or -1e9), so Q K^T already holds the masked logits and no [H, T, T] Add is needed.
 */
export const QK_WIDTH = HEAD_DIM + 1;

export interface IFoldedLayer {
    /** [H, D, hd + 1]: W_q / sqrt(hd), one [D, hd] block per head, then a zero column. */
    qWeight: Float32Array;
    /** [H, 1, hd + 1]: b_q / sqrt(hd), then 1. */
    qBias: Float32Array;
    /** [H * (hd + 1), D]: W_k transposed, head-major rows, each head's last row zero (the mask row). */
    kWeightT: Float32Array;
    /** [H, D, hd]. */
    vWeight: Float32Array;
    /** [H, hd, D]: the rows of W_o that read each head. */
    oWeight: Float32Array;
    /** [D]: b_o + b_v W_o. */
    oBias: Float32Array;
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
    /** [3, 1]. */
    bias: Float32Array;
}

/** The mask rows of K^T: 1 where a head's QK_WIDTH block ends, 0 elsewhere ([H * (hd + 1), 1]). */
export function maskRowSelector(): Float32Array {
    const rows = new Float32Array(HEAD_COUNT * QK_WIDTH);
    for (let h = 0; h < HEAD_COUNT; h++) {
        rows[h * QK_WIDTH + HEAD_DIM] = 1;
    }
    return rows;
}

/** Per-head layout and folds of one transformer block; sums run in float64, rounded once. */
export function foldLayer(params: ParameterSet, layer: number): IFoldedLayer {
    const n = layerParameterNames(layer);
    const wq = params[n.qWeight];
    const bq = params[n.qBias];
    const wk = params[n.kWeight];
    const wv = params[n.vWeight];
    const bv = params[n.vBias];
    const wo = params[n.oWeight];
    const bo = params[n.oBias];
    const scale = 1 / Math.sqrt(HEAD_DIM);
    const qWeight = new Float32Array(HEAD_COUNT * D_MODEL * QK_WIDTH);
    const qBias = new Float32Array(HEAD_COUNT * QK_WIDTH);
    const kWeightT = new Float32Array(HEAD_COUNT * QK_WIDTH * D_MODEL);
    const vWeight = new Float32Array(HEAD_COUNT * D_MODEL * HEAD_DIM);
    const oWeight = new Float32Array(D_MODEL * D_MODEL);
    for (let h = 0; h < HEAD_COUNT; h++) {
        qBias[h * QK_WIDTH + HEAD_DIM] = 1;
        for (let d = 0; d < HEAD_DIM; d++) {
            const col = h * HEAD_DIM + d;
            const qkCol = h * QK_WIDTH + d;
            qBias[qkCol] = bq[col] * scale;
            for (let i = 0; i < D_MODEL; i++) {
                qWeight[(h * D_MODEL + i) * QK_WIDTH + d] = wq[i * D_MODEL + col] * scale;
                vWeight[(h * D_MODEL + i) * HEAD_DIM + d] = wv[i * D_MODEL + col];
                kWeightT[qkCol * D_MODEL + i] = wk[i * D_MODEL + col];
            }
        }
    }
    // [H, hd, D] with head-major rows is W_o's own row-major layout.
    oWeight.set(wo);
    const oBias = new Float32Array(D_MODEL);
    for (let o = 0; o < D_MODEL; o++) {
        let sum = bo[o];
        for (let i = 0; i < D_MODEL; i++) {
            sum += bv[i] * wo[i * D_MODEL + o];
        }
        oBias[o] = sum;
    }
    return { qWeight, qBias, kWeightT, vWeight, oWeight, oBias };
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

/** The engagement, guidance and dwell heads as the rows of one matrix. */
export function foldHeads(params: ParameterSet): IFoldedHeads {
    const weightT = new Float32Array(HEAD_ROWS * D_MODEL);
    weightT.set(params[PARAM.engagementWeight], 0);
    weightT.set(params[PARAM.guidanceWeight], D_MODEL);
    weightT.set(params[PARAM.dwellWeight], 2 * D_MODEL);
    const bias = new Float32Array([params[PARAM.engagementBias][0], params[PARAM.guidanceBias][0], params[PARAM.dwellBias][0]]);
    return { weightT, bias };
}

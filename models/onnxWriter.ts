/**
 * Writes the attention ranker (architecture.ts) as an ONNX graph, opset 17, from any parameter
 * set: the documented initialisation today, trained parameters later. The graph is the only
 * place the forward pass exists in ONNX form; tests/model/reference.ts recomputes it in plain
 * TypeScript and the tests compare the two.
 */
import type onnxProto from "onnx-proto";
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, Feature } from "../plugin/features/featureSchema";
import { Signal } from "../plugin/model/heuristicScorer";
import { WEIGHT_COUNT, WEIGHT_NAMES } from "../plugin/model/attentionWeights";
import { MODEL_INPUTS, MODEL_OPSET, MODEL_OUTPUTS } from "../plugin/model/modelManifest";
import {
    D_MODEL,
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
} from "./architecture";
import { OnnxGraphBuilder, floatValueInfo, onnx } from "./onnxGraphBuilder";

/** ONNX IR version written (onnx-proto 8 knows up to 8; opset 17 runs under it). */
const IR_VERSION = 8;
const INT64_MAX = Number.MAX_SAFE_INTEGER;

export interface IWriteModelOptions {
    /** Recorded as the graph's doc string and in metadata ("initialisation" or a training run id). */
    parameterSource?: string;
}

/**
 * The heuristic prior as two selection matrices: signal = relu(features @ A) * (features @ B + c).
 * Each signal is one feature times a gate (visible, inView) or times 1, exactly as
 * heuristicContributions computes it. The relu is the approach signal's max(0, x); on the other
 * columns it changes nothing for features within the schema's ranges (all are >= 0). Selection
 * by MatMul is exact: every other term is a product with 0.
 */
function priorSelection(): { a: Float32Array; b: Float32Array; c: Float32Array } {
    const a = new Float32Array(FEATURE_COUNT * WEIGHT_COUNT);
    const b = new Float32Array(FEATURE_COUNT * WEIGHT_COUNT);
    const c = new Float32Array(WEIGHT_COUNT).fill(1);
    const pick = (m: Float32Array, feature: Feature, signal: Signal): void => {
        m[feature * WEIGHT_COUNT + signal] = 1;
    };
    const gate = (feature: Feature, signal: Signal): void => {
        pick(b, feature, signal);
        c[signal] = 0;
    };
    pick(a, Feature.GazeAlignment, Signal.Gaze);
    gate(Feature.Visible, Signal.Gaze);
    pick(a, Feature.Dwell, Signal.Dwell);
    pick(a, Feature.Proximity, Signal.Proximity);
    pick(a, Feature.Event, Signal.Event);
    pick(a, Feature.Priority, Signal.Priority);
    pick(a, Feature.Novelty, Signal.Novelty);
    gate(Feature.InView, Signal.Novelty);
    pick(a, Feature.Visible, Signal.Visibility);
    gate(Feature.InView, Signal.Visibility);
    pick(a, Feature.Approach, Signal.Approach);
    return { a, b, c };
}

/** [Wq / sqrt(hd) | Wk | Wv] as one [D, 3D] matrix, and the matching bias. */
function packQkv(params: ParameterSet, layer: number): { weight: Float32Array; bias: Float32Array } {
    const n = layerParameterNames(layer);
    const scale = 1 / Math.sqrt(HEAD_DIM);
    const parts: [string, string, number][] = [
        [n.qWeight, n.qBias, scale],
        [n.kWeight, n.kBias, 1],
        [n.vWeight, n.vBias, 1],
    ];
    const weight = new Float32Array(D_MODEL * 3 * D_MODEL);
    const bias = new Float32Array(3 * D_MODEL);
    parts.forEach(([w, b, factor], part) => {
        for (let i = 0; i < D_MODEL; i++) {
            for (let o = 0; o < D_MODEL; o++) {
                weight[i * 3 * D_MODEL + part * D_MODEL + o] = params[w][i * D_MODEL + o] * factor;
            }
        }
        for (let o = 0; o < D_MODEL; o++) {
            bias[part * D_MODEL + o] = params[b][o] * factor;
        }
    });
    return { weight, bias };
}

/** Encodes the model with the given parameters; throws when the set does not fit architecture.ts. */
export function writeAttentionModel(params: ParameterSet, options: IWriteModelOptions = {}): Uint8Array {
    const problems = validateParameters(params);
    if (problems.length > 0) {
        throw new Error(`cannot write the attention model: ${problems.join("; ")}`);
    }
    const g = new OnnxGraphBuilder();
    // Q/K/V and the three output heads are packed into one MatMul each below, so their own tensors are not written.
    const packed = new Set<string>([PARAM.engagementWeight, PARAM.engagementBias, PARAM.guidanceWeight, PARAM.guidanceBias, PARAM.dwellWeight, PARAM.dwellBias]);
    for (let l = 0; l < LAYER_COUNT; l++) {
        const n = layerParameterNames(l);
        [n.qWeight, n.qBias, n.kWeight, n.kBias, n.vWeight, n.vBias].forEach((name) => packed.add(name));
    }
    for (const spec of PARAMETER_SPECS) {
        if (!packed.has(spec.name)) {
            g.addFloat(spec.name, spec.shape, params[spec.name]);
        }
    }
    const [features, mask, context, weights] = MODEL_INPUTS.map((s) => s.name);
    const shapeRows = g.addInt64("const.shape_1_n", [1, -1]);

    // Heuristic prior, the same formula as heuristicContributions, weighted by the `weights` input.
    const sel = priorSelection();
    const priorA = g.addFloat("const.prior_a", [FEATURE_COUNT, WEIGHT_COUNT], sel.a);
    const priorB = g.addFloat("const.prior_b", [FEATURE_COUNT, WEIGHT_COUNT], sel.b);
    const priorC = g.addFloat("const.prior_c", [WEIGHT_COUNT], sel.c);
    // Only operators with WebGPU kernels in onnxruntime-web 1.30 (no Max, no Softplus, no
    // MatMul by a 1-D tensor), so the WebGPU provider runs the whole graph on the GPU.
    const signalA = g.op("Relu", [g.op("MatMul", [features, priorA], "prior/a_raw")], "prior/a");
    const signalB = g.op("Add", [g.op("MatMul", [features, priorB], "prior/b_raw"), priorC], "prior/b");
    const signals = g.op("Mul", [g.op("Mul", [signalA, signalB], "prior/signals"), weights], "prior/weighted");
    const prior = g.op("ReduceSum", [signals, g.addInt64("const.axis_last", [-1])], "prior/score", { keepdims: 0 }); // [1,N]

    // Tokens: the player token first, then the candidates.
    const cand = g.op("Add", [g.op("MatMul", [features, PARAM.candidateWeight], "embed/cand_mm"), PARAM.candidateBias], "embed/cand");
    const player = g.op("Add", [g.op("MatMul", [context, PARAM.playerWeight], "embed/player_mm"), PARAM.playerBias], "embed/player");
    const player3 = g.op("Reshape", [player, g.addInt64("const.shape_1_1_d", [1, 1, D_MODEL])], "embed/player3");
    let x = g.op("Concat", [player3, cand], "embed/tokens", { axis: 1 });

    // Key bias: 0 for the player token and real candidates, MASK_NEGATIVE for padding.
    const one11 = g.addConstant("const.one_1_1", [1, 1], [1]);
    const maskFull = g.op("Concat", [one11, mask], "mask/full", { axis: 1 });
    const keyBias = g.op(
        "Mul",
        [g.op("Sub", [maskFull, g.addConstant("const.one", [], [1])], "mask/minus_one"), g.addConstant("const.mask_scale", [], [-MASK_NEGATIVE])],
        "mask/bias",
    );
    const keyBias4 = g.op("Reshape", [keyBias, g.addInt64("const.shape_1_1_1_t", [1, 1, 1, -1])], "mask/bias4");

    // One [D, 3D] MatMul per layer yields Q, K and V; 1/sqrt(headDim) is folded into the Q
    // columns so the scores need no extra Mul. Fewer, larger kernels: per-node overhead
    // dominates a WASM run at these sizes.
    const qkvShape = g.addInt64("const.shape_qkv", [1, -1, 3, HEAD_COUNT, HEAD_DIM]);
    const tokenShape = g.addInt64("const.shape_tokens", [1, -1, D_MODEL]);
    const pick = [0, 1, 2].map((i) => g.addInt64(`const.index_${i}`, [i], []));
    const epsilon = { float: LAYER_NORM_EPSILON };
    let lastScores = "";
    for (let l = 0; l < LAYER_COUNT; l++) {
        const n = layerParameterNames(l);
        const p = `layer${l}/`;
        const linear = (input: string, w: string, b: string, label: string): string => g.op("Add", [g.op("MatMul", [input, w], label + "_mm"), b], label);
        const { weight: qkvWeight, bias: qkvBias } = packQkv(params, l);
        g.addFloat(`layers.${l}.attn.qkv.packed_weight`, [D_MODEL, 3 * D_MODEL], qkvWeight);
        g.addFloat(`layers.${l}.attn.qkv.packed_bias`, [3 * D_MODEL], qkvBias);
        const h = g.op("LayerNormalization", [x, n.ln1Scale, n.ln1Bias], p + "ln1", { axis: -1, epsilon });
        const qkv = linear(h, `layers.${l}.attn.qkv.packed_weight`, `layers.${l}.attn.qkv.packed_bias`, p + "qkv");
        const split = g.op("Transpose", [g.op("Reshape", [qkv, qkvShape], p + "qkv_heads")], p + "qkv_t", { perm: [2, 0, 3, 1, 4] }); // [3,1,H,T,hd]
        const q = g.op("Gather", [split, pick[0]], p + "q", { axis: 0 }); // [1,H,T,hd], pre-scaled
        const k = g.op("Transpose", [g.op("Gather", [split, pick[1]], p + "k", { axis: 0 })], p + "k_t", { perm: [0, 1, 3, 2] }); // [1,H,hd,T]
        const v = g.op("Gather", [split, pick[2]], p + "v", { axis: 0 }); // [1,H,T,hd]
        const scores = g.op("Add", [g.op("MatMul", [q, k], p + "qk"), keyBias4], p + "scores");
        const probs = g.op("Softmax", [scores], p + "probs", { axis: -1 });
        const mixed = g.op("Transpose", [g.op("MatMul", [probs, v], p + "mixed_heads")], p + "mixed_t", { perm: [0, 2, 1, 3] });
        const merged = g.op("Reshape", [mixed, tokenShape], p + "mixed");
        x = g.op("Add", [x, linear(merged, n.oWeight, n.oBias, p + "attn_out")], p + "resid1");
        const h2 = g.op("LayerNormalization", [x, n.ln2Scale, n.ln2Bias], p + "ln2", { axis: -1, epsilon });
        const hidden = g.op("Relu", [linear(h2, n.ffn1Weight, n.ffn1Bias, p + "ffn_in")], p + "ffn_relu");
        x = g.op("Add", [x, linear(hidden, n.ffn2Weight, n.ffn2Bias, p + "ffn_out")], p + "resid2");
        lastScores = scores;
    }

    // Candidate rows of the final normalised tokens.
    const y = g.op("LayerNormalization", [x, PARAM.finalLnScale, PARAM.finalLnBias], "final/ln", { axis: -1, epsilon });
    const yc = g.op("Slice", [y, g.addInt64("const.slice_cand_start", [1]), g.addInt64("const.slice_cand_end", [INT64_MAX]), g.addInt64("const.axis_1", [1])], "final/cand");

    // The three heads run as one [D, 3] MatMul; packing is a graph detail, the parameters stay separate.
    const headW = new Float32Array(D_MODEL * 3);
    const headB = new Float32Array([params[PARAM.engagementBias][0], params[PARAM.guidanceBias][0], params[PARAM.dwellBias][0]]);
    for (let i = 0; i < D_MODEL; i++) {
        headW[i * 3] = params[PARAM.engagementWeight][i];
        headW[i * 3 + 1] = params[PARAM.guidanceWeight][i];
        headW[i * 3 + 2] = params[PARAM.dwellWeight][i];
    }
    const headOut = g.op("Add", [g.op("MatMul", [yc, g.addFloat("heads.packed_weight", [D_MODEL, 3], headW)], "heads/mm"), g.addFloat("heads.packed_bias", [3], headB)], "heads/out");
    const [engRaw, guideRaw, dwellRaw] = g.node("Split", [headOut], "heads/split", { axis: 2 }, 3);
    const rows = (t: string, label: string): string => g.op("Reshape", [t, shapeRows], label);
    const engagementLogit = g.op("Add", [rows(engRaw, "heads/eng_rows"), g.op("Mul", [prior, PARAM.priorScale], "prior/scaled")], "heads/eng");
    const [engagementName, guidanceName, dwellName, attentionName] = MODEL_OUTPUTS.map((s) => s.name);
    // Padded rows read 0 so a consumer that ignores `count` still sees nothing there.
    g.op("Mul", [engagementLogit, mask], engagementName);
    g.op("Mul", [g.op("Sigmoid", [rows(guideRaw, "heads/guide_rows")], "heads/guide"), mask], guidanceName);
    // softplus(x) = relu(x) + log(1 + exp(-|x|)): stable for any x, and built from WebGPU-supported ops.
    const dwellLogit = rows(dwellRaw, "heads/dwell_rows");
    const softTail = g.op(
        "Log",
        [g.op("Add", [g.op("Exp", [g.op("Neg", [g.op("Abs", [dwellLogit], "heads/dwell_abs")], "heads/dwell_neg")], "heads/dwell_exp"), g.addConstant("const.one_dwell", [], [1])], "heads/dwell_1p")],
        "heads/dwell_log",
    );
    const dwell = g.op("Add", [g.op("Relu", [dwellLogit], "heads/dwell_relu"), softTail], "heads/dwell");
    g.op("Mul", [dwell, mask], dwellName);

    // Explanation: the player's last-layer attention logits over candidates only (its share on
    // itself left out), softmaxed per head, then averaged over heads: sums to 1 over real candidates.
    const playerScores = g.op(
        "Slice",
        [lastScores, g.addInt64("const.slice_attn_start", [0, 1]), g.addInt64("const.slice_attn_end", [1, INT64_MAX]), g.addInt64("const.axes_2_3", [2, 3])],
        "explain/player_scores",
    );
    const playerProbs = g.op("Softmax", [playerScores], "explain/probs", { axis: -1 });
    const meanHeads = g.op("ReduceMean", [playerProbs], "explain/mean", { axes: [1], keepdims: 0 });
    g.op("Reshape", [meanHeads, shapeRows], attentionName);

    const graph: onnxProto.onnx.IGraphProto = {
        name: "attention_ranker",
        docString: options.parameterSource ?? "initialisation",
        node: g.nodes,
        initializer: g.initializers,
        input: MODEL_INPUTS.map((s) => floatValueInfo(s.name, s.shape, s.description)),
        output: MODEL_OUTPUTS.map((s) => floatValueInfo(s.name, s.shape, s.description)),
    };
    const model = onnx.ModelProto.create({
        irVersion: IR_VERSION,
        producerName: "babylon-attention",
        producerVersion: "models/onnxWriter.ts",
        docString: "Self-attention ranker over tracked entities; see docs/model.md.",
        opsetImport: [{ domain: "", version: MODEL_OPSET }],
        metadataProps: [
            { key: "feature_schema_version", value: String(FEATURE_SCHEMA_VERSION) },
            { key: "feature_names", value: FEATURE_NAMES.join(",") },
            { key: "weight_names", value: WEIGHT_NAMES.join(",") },
            { key: "parameter_source", value: options.parameterSource ?? "initialisation" },
        ],
        graph,
    });
    return onnx.ModelProto.encode(model).finish();
}

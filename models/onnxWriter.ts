/**
 * Writes the attention ranker (architecture.ts) as an ONNX graph, opset 17, from any parameter
 * set: the documented initialisation today, trained parameters later. The graph is the only
 * place the forward pass exists in ONNX form; tests/model/reference.ts recomputes it in plain
 * TypeScript and the tests compare the two.
 */
import type onnxProto from "onnx-proto";
import { FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../plugin/features/featureSchema";
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
import { HEAD_ROWS, QK_WIDTH, foldHeads, foldLayer, foldPrior, maskRowSelector } from "./foldedParameters";
import { OnnxGraphBuilder, floatValueInfo, onnx } from "./onnxGraphBuilder";

/** ONNX IR version written (onnx-proto 8 knows up to 8; opset 17 runs under it). */
const IR_VERSION = 8;
const INT64_MAX = Number.MAX_SAFE_INTEGER;
/** onnxruntime's contrib operator domain (SkipLayerNormalization). */
const MS_DOMAIN = "com.microsoft";

export interface IWriteModelOptions {
    /** Recorded as the graph's doc string and in metadata ("initialisation" or a training run id). */
    parameterSource?: string;
}

/** Encodes the model with the given parameters; throws when the set does not fit architecture.ts. */
export function writeAttentionModel(params: ParameterSet, options: IWriteModelOptions = {}): Uint8Array {
    const problems = validateParameters(params);
    if (problems.length > 0) {
        throw new Error(`cannot write the attention model: ${problems.join("; ")}`);
    }
    const g = new OnnxGraphBuilder();
    const [features, mask, context, weights] = MODEL_INPUTS.map((s) => s.name);
    const [engagementName, guidanceName, dwellName, attentionName] = MODEL_OUTPUTS.map((s) => s.name);
    const param = (name: string): string => g.addFloat(name, PARAMETER_SPECS.find((s) => s.name === name)!.shape, params[name]);
    const epsilon = { float: LAYER_NORM_EPSILON };
    const transB = { transB: 1 };

    // Tokens live as a 2-D [T, D] matrix (T = 1 + N, the player first), so every linear layer
    // is one Gemm (MatMul + bias in a single kernel) and per-head tensors are [H, T, *].
    const axis0 = g.addInt64("const.axis_0", [0]);
    const features2d = g.op("Squeeze", [features, axis0], "embed/features");
    const cand = g.op("Gemm", [features2d, param(PARAM.candidateWeight), param(PARAM.candidateBias)], "embed/cand");
    const player = g.op("Gemm", [context, param(PARAM.playerWeight), param(PARAM.playerBias)], "embed/player");
    let x = g.op("Concat", [player, cand], "embed/tokens", { axis: 0 });

    // Key mask as K^T's extra rows [H * (hd + 1), T]: one Gemm computes 1e9 * m - 1e9 on those
    // rows (exactly 0 for the player and real candidates, -1e9 for padding: 1e9 is exact in
    // float32) and 0 on the others; it is each layer's K^T Gemm's C, so Q K^T arrives masked.
    const one11 = g.addConstant("const.one_1_1", [1, 1], [1]);
    const maskFull = g.op("Concat", [one11, mask], "mask/full", { axis: 1 }); // [1,T]
    const selector = maskRowSelector();
    const maskRows = g.op(
        "Gemm",
        [g.addFloat("const.mask_rows", [selector.length, 1], selector), maskFull, g.addFloat("const.mask_offset", [selector.length, 1], selector.map((v) => v * MASK_NEGATIVE))],
        "mask/k_rows",
        { alpha: { float: -MASK_NEGATIVE } },
    );

    // Each residual add is fused with the LayerNorm that reads its sum (SkipLayerNormalization,
    // which has WASM and WebGPU kernels): one kernel yields the normalised input of the next
    // sub-block and, where a later residual needs it, the sum itself.
    const skipNorm = (input: string, skip: string, scale: string, bias: string, extraBias: string | undefined, label: string, keepSum: boolean): string[] =>
        g.domainNode(MS_DOMAIN, "SkipLayerNormalization", extraBias ? [input, skip, scale, bias, extraBias] : [input, skip, scale, bias], label, { epsilon }, [true, false, false, keepSum]);
    const kShape = g.addInt64("const.shape_k_t", [HEAD_COUNT, QK_WIDTH, -1]);
    let h = g.op("LayerNormalization", [x, param(layerParameterNames(0).ln1Scale), param(layerParameterNames(0).ln1Bias)], "layer0/ln1", { axis: -1, epsilon });
    let lastScores = "";
    let y = "";
    for (let l = 0; l < LAYER_COUNT; l++) {
        const n = layerParameterNames(l);
        const p = `layer${l}/`;
        const f = foldLayer(params, l);
        const w = (name: string, dims: number[], data: Float32Array): string => g.addFloat(`layers.${l}.${name}`, dims, data);
        const q = g.op("Add", [g.op("MatMul", [h, w("attn.q.heads_weight", [HEAD_COUNT, D_MODEL, QK_WIDTH], f.qWeight)], p + "q_mm"), w("attn.q.heads_bias", [HEAD_COUNT, 1, QK_WIDTH], f.qBias)], p + "q"); // [H,T,hd+1], pre-scaled, last column 1
        const kT = g.op("Reshape", [g.op("Gemm", [w("attn.k.weight_t", [HEAD_COUNT * QK_WIDTH, D_MODEL], f.kWeightT), h, maskRows], p + "k_t_flat", transB), kShape], p + "k_t"); // [H,hd+1,T], last row the key mask
        const scores = g.op("MatMul", [q, kT], p + "scores"); // [H,T,T], masked
        const probs = g.op("Softmax", [scores], p + "probs", { axis: -1 });
        const v = g.op("MatMul", [h, w("attn.v.heads_weight", [HEAD_COUNT, D_MODEL, HEAD_DIM], f.vWeight)], p + "v"); // [H,T,hd]
        const perHead = g.op("MatMul", [g.op("MatMul", [probs, v], p + "mixed"), w("attn.out.heads_weight", [HEAD_COUNT, HEAD_DIM, D_MODEL], f.oWeight)], p + "attn_heads"); // [H,T,D]
        const attn = g.op("ReduceSum", [perHead, axis0], p + "attn_sum", { keepdims: 0 });
        const [h2, x1] = skipNorm(attn, x, param(n.ln2Scale), param(n.ln2Bias), w("attn.out.folded_bias", [D_MODEL], f.oBias), p + "ln2", true);
        const hidden = g.op("Relu", [g.op("Gemm", [h2, param(n.ffn1Weight), param(n.ffn1Bias)], p + "ffn_in")], p + "ffn_relu");
        const ffnOut = g.op("Gemm", [hidden, param(n.ffn2Weight), param(n.ffn2Bias)], p + "ffn_out");
        if (l + 1 < LAYER_COUNT) {
            const next = layerParameterNames(l + 1);
            [h, x] = skipNorm(ffnOut, x1, param(next.ln1Scale), param(next.ln1Bias), undefined, `layer${l + 1}/ln1`, true);
        } else {
            [y] = skipNorm(ffnOut, x1, param(PARAM.finalLnScale), param(PARAM.finalLnBias), undefined, "final/ln", false);
        }
        lastScores = scores;
    }

    // Heuristic prior, the same formula as heuristicContributions, weighted by the `weights`
    // input and laid out as rows [3, N] so it is the C of the heads' Gemm: row 0 (engagement)
    // gets prior_scale x prior, the guidance and dwell rows get 0, and all three their bias.
    const prior = foldPrior(params);
    // [F, W] selections used with transA, so the file keeps one [16, *] matrix per feature-reading input.
    const signalT = (m: Float32Array, name: string, c?: string): string => {
        const select = g.addFloat(name, [FEATURE_COUNT, WEIGHT_COUNT], m);
        return g.op("Gemm", c ? [select, features2d, c] : [select, features2d], name.replace("const.", "prior/"), { transA: 1, transB: 1 });
    };
    const selected = g.op("Relu", [signalT(prior.select, "const.prior_select")], "prior/selected_relu");
    const gates = signalT(prior.gate, "const.prior_gate", g.addFloat("const.prior_gate_bias", [WEIGHT_COUNT, 1], prior.gateBias));
    const signals = g.op("Mul", [selected, gates], "prior/signals"); // [W,N]
    const rowWeights = g.op("Mul", [weights, g.addFloat("const.prior_row_select", [HEAD_ROWS, WEIGHT_COUNT], prior.rowSelect)], "prior/row_weights"); // [3,W]
    const heads = foldHeads(params);
    const priorRows = g.op("Gemm", [rowWeights, signals, g.addFloat("heads.bias_t", [HEAD_ROWS, 1], heads.bias)], "prior/rows"); // [3,N]

    // Candidate rows of the final normalised tokens, through the heads as [3, N].
    const yc = g.op("Slice", [y, g.addInt64("const.slice_cand_start", [1]), g.addInt64("const.slice_cand_end", [INT64_MAX]), axis0], "final/cand");
    const headRows = g.op("Gemm", [g.addFloat("heads.weight_t", [HEAD_ROWS, D_MODEL], heads.weightT), yc, priorRows], "heads/rows", transB);
    const [engagementLogit, guidanceLogit, dwellLogit] = g.node("Split", [headRows], "heads/split", { axis: 0 }, HEAD_ROWS); // [1,N] each
    // Padded rows read 0 so a consumer that ignores `count` still sees nothing there.
    g.op("Mul", [engagementLogit, mask], engagementName);
    g.op("Mul", [g.op("Sigmoid", [guidanceLogit], "heads/guide"), mask], guidanceName);
    // softplus(x) = relu(x) - log(sigmoid(|x|)): stable for any x (sigmoid(|x|) is in [0.5, 1]),
    // and built from WebGPU-supported ops (there is no Softplus kernel).
    const softTail = g.op("Log", [g.op("Sigmoid", [g.op("Abs", [dwellLogit], "heads/dwell_abs")], "heads/dwell_sig")], "heads/dwell_log");
    g.op("Mul", [g.op("Sub", [g.op("Relu", [dwellLogit], "heads/dwell_relu"), softTail], "heads/dwell"), mask], dwellName);

    // Explanation: the player's last-layer attention logits over candidates only (its share on
    // itself left out), softmaxed per head, then averaged over heads: sums to 1 over real candidates.
    const playerScores = g.op(
        "Slice",
        [lastScores, g.addInt64("const.slice_attn_start", [0, 1]), g.addInt64("const.slice_attn_end", [1, INT64_MAX]), g.addInt64("const.axes_1_2", [1, 2])],
        "explain/player_scores",
    ); // [H,1,N]
    const playerProbs = g.op("Softmax", [playerScores], "explain/probs", { axis: -1 });
    g.op("ReduceMean", [playerProbs], attentionName, { axes: [0], keepdims: 0 });

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
        opsetImport: [{ domain: "", version: MODEL_OPSET }, ...[...g.extraDomains].map((domain) => ({ domain, version: 1 }))],
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

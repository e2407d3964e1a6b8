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
    FFN_DIM,
    HEAD_COUNT,
    LAYER_COUNT,
    LAYER_NORM_EPSILON,
    MASK_NEGATIVE,
    PARAM,
    PARAMETER_SPECS,
    type ParameterSet,
    layerParameterNames,
    readCandidateWeight,
    validateParameters,
} from "./architecture";
import { HEAD_ROWS, QK_WIDTH, centredLinear, foldHeads, foldLayer, foldPrior } from "./foldedParameters";
import { OnnxGraphBuilder, floatValueInfo, onnx } from "./onnxGraphBuilder";
import { CONTEXT_GATE, FEATURE_GATE, type IGateMatrix } from "./signalGates";

/** ONNX IR version written (onnx-proto 8 knows up to 8; opset 17 runs under it). */
const IR_VERSION = 8;
const INT64_MAX = Number.MAX_SAFE_INTEGER;

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
    // is one Gemm (MatMul + bias in a single kernel). The residual stream is kept centred
    // (foldedParameters.ts), so each LayerNorm is an RMS normalisation.
    const axis0 = g.addInt64("const.axis_0", [0]);
    const features2d = g.op("Squeeze", [features, axis0], "embed/features");
    const centredGemm = (input: string, weightName: string, weight: Float32Array, biasName: string, label: string): string => {
        const folded = centredLinear(weight, params[biasName]);
        const inDim = weight.length / D_MODEL;
        return g.op("Gemm", [input, g.addFloat(weightName + "_centred", [inDim, D_MODEL], folded.weight), g.addFloat(biasName + "_centred", [D_MODEL], folded.bias)], label);
    };
    // Signal gates (signalGates.ts): the network reads a column only while every signal it
    // carries has a weight above 0. The prior below reads the
    // ungated features: its terms are already weighted.
    const zero = g.addConstant("const.zero_1", [1], [0]);
    const positive = g.op("Cast", [g.op("Greater", [weights, zero], "gate/positive")], "gate/positive_float", { to: onnx.TensorProto.DataType.FLOAT }); // [W]
    const on = g.op("Unsqueeze", [positive, axis0], "gate/on"); // [1,W]
    const gate = (matrix: IGateMatrix, name: string): string => {
        const sum = g.op("Gemm", [on, g.addFloat(`const.${name}_gate_select`, [WEIGHT_COUNT, matrix.columns], matrix.select), g.addFloat(`const.${name}_gate_offset`, [matrix.columns], matrix.offset)], `gate/${name}_sum`);
        // The Relu only matters where a column carries two signals or more (offset below 0).
        return matrix.offset.some((o) => o < 0) ? g.op("Relu", [sum], `gate/${name}`) : sum;
    };
    const gatedFeatures = g.op("Mul", [features2d, gate(FEATURE_GATE, "feature")], "embed/gated_features");
    const gatedContext = g.op("Mul", [context, gate(CONTEXT_GATE, "context")], "embed/gated_context");
    const cand = centredGemm(gatedFeatures, PARAM.candidateWeight, readCandidateWeight(params), PARAM.candidateBias, "embed/cand");
    const player = centredGemm(gatedContext, PARAM.playerWeight, params[PARAM.playerWeight], PARAM.playerBias, "embed/player");
    let x = g.op("Concat", [player, cand], "embed/tokens", { axis: 0 });

    // The key mask as a row [1, T]: 1 for the player and real candidates, 0 for padding.
    const maskFull = g.op("Concat", [g.addConstant("const.one_1_1", [1, 1], [1]), mask], "mask/full", { axis: 1 });

    const rmsNorm = (input: string, scaleName: string, label: string): string => g.op("SimplifiedLayerNormalization", [input, param(scaleName)], label, { axis: -1, epsilon });
    const qkRows = HEAD_COUNT * QK_WIDTH;
    const qkvShape = g.addInt64("const.shape_qkv_t", [3 * HEAD_COUNT, QK_WIDTH, -1]);
    const mixedShape = g.addInt64("const.shape_mixed_t", [qkRows, -1]);
    const swapLast = { perm: [0, 2, 1] };
    let lastScores = "";
    for (let l = 0; l < LAYER_COUNT; l++) {
        const n = layerParameterNames(l);
        const p = `layer${l}/`;
        const f = foldLayer(params, l);
        const w = (name: string, dims: number[], data: Float32Array): string => g.addFloat(`layers.${l}.${name}`, dims, data);
        // Q^T, K^T and V^T of both heads come from one Gemm, transposed ([rows, T]); its C holds
        // each row's bias, and on K's mask rows 1e9 * m - 1e9 (exactly 0 for real tokens, -1e9
        // for padding: 1e9 is exact in float32), so Q K^T arrives masked with no [H, T, T] Add.
        const rowBias = g.op("Gemm", [w("attn.mask_selector", [3 * qkRows, 1], f.maskSelector), maskFull, w("attn.qkv.bias_t", [3 * qkRows, 1], f.qkvBiasT)], p + "qkv_bias", { alpha: { float: -MASK_NEGATIVE } });
        const h = rmsNorm(x, n.ln1Scale, p + "norm1");
        const qkv = g.op("Reshape", [g.op("Gemm", [w("attn.qkv.weight_t", [3 * qkRows, D_MODEL], f.qkvWeightT), h, rowBias], p + "qkv_t_flat", transB), qkvShape], p + "qkv_t");
        const [qT, kT, vT] = g.node("Split", [qkv], p + "split", { axis: 0 }, 3); // [H,hd+1,T] each: Q^T pre-scaled, last rows 1, the key mask, 1
        // The Transposes only swap the last two axes of a MatMul input, which onnxruntime fuses
        // into the MatMul (transA / transB), so no data moves.
        const scores = g.op("MatMul", [g.op("Transpose", [qT], p + "q", swapLast), kT], p + "scores"); // [H,T,T], masked
        const probs = g.op("Softmax", [scores], p + "probs", { axis: -1 });
        const mixedT = g.op("MatMul", [vT, g.op("Transpose", [probs], p + "probs_t", swapLast)], p + "mixed_t"); // [H,hd+1,T] = (P V)^T, last rows 1
        const mixedFlatT = g.op("Reshape", [mixedT, mixedShape], p + "mixed_t_flat"); // [H*(hd+1),T]
        // Output projection, its bias (on the constant row) and the residual add in one Gemm.
        const x1 = g.op("Gemm", [mixedFlatT, w("attn.out.folded_weight", [qkRows, D_MODEL], f.outWeight), x], p + "attn_residual", { transA: 1 });
        const h2 = rmsNorm(x1, n.ln2Scale, p + "norm2");
        const hidden = g.op("Relu", [g.op("Gemm", [h2, param(n.ffn1Weight), w("ffn.in.folded_bias", [FFN_DIM], f.ffnInBias)], p + "ffn_in")], p + "ffn_relu");
        const ffnOut = g.op("Gemm", [hidden, w("ffn.out.centred_weight", [FFN_DIM, D_MODEL], f.ffnOut.weight), w("ffn.out.centred_bias", [D_MODEL], f.ffnOut.bias)], p + "ffn_out");
        x = g.op("Add", [x1, ffnOut], p + "ffn_residual");
        lastScores = scores;
    }
    const y = rmsNorm(x, PARAM.finalLnScale, "final/norm");

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

/**
 * The attention ranker, defined once: dimensions, parameter names and shapes, and the
 * deterministic initialisation. The ONNX writer (onnxWriter.ts), the reference forward pass
 * (tests/model/reference.ts) and the training pipeline all read this file; none of them
 * hard-codes a shape.
 *
 * Layout conventions (shared by every consumer):
 * - a linear layer `x @ W + b` stores `W` as [in, out] row-major, so the graph is MatMul + Add;
 * - LayerNorm uses epsilon `LAYER_NORM_EPSILON` over the last axis;
 * - parameters are float32 and keyed by the names in `PARAMETER_SPECS`.
 */
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../plugin/model/attentionWeights";
import { mulberry32 } from "./mulberry32";

/** Width of every token (candidate and player) inside the model. */
export const D_MODEL = 32;
/** Attention heads per layer; D_MODEL must divide evenly. */
export const HEAD_COUNT = 2;
/** Width of one head. */
export const HEAD_DIM = D_MODEL / HEAD_COUNT;
/** Self-attention + feed-forward blocks. */
export const LAYER_COUNT = 2;
/** Hidden width of each feed-forward block. */
export const FFN_DIM = 64;
/** Epsilon of every LayerNormalization. */
export const LAYER_NORM_EPSILON = 1e-5;
/** Added to the attention logits of padded keys so softmax gives them exactly zero weight. */
export const MASK_NEGATIVE = -1e9;
/** Seed of the documented initialisation; change it and the committed model changes. */
export const INIT_SEED = 20240917;

/**
 * Feature columns the exported network does not read. `focused` says which entity held the
 * plugin's focus after the last tick. In recorded and simulated sessions that focus is the
 * heuristic's, a memory of what it ranked first, and training reads it (it helps the network
 * learn from one tick's rows). In the plugin the model's own ranking decides the focus: read
 * back, it kept whatever the model had focused ahead of its equals (an NPC that spoke kept its
 * lift long after the event's half-life). So the graph writer and the reference zero these
 * columns' rows of `candidate.weight` (`readCandidateWeight`), and everything that judges the
 * network during training (validation loss, restart selection, the ONNX parity check) runs it
 * with the columns masked, as it will run.
 */
export const UNREAD_FEATURES: readonly Feature[] = Object.freeze([Feature.Focused]);

/** 1 per feature column the network reads, 0 for UNREAD_FEATURES. */
export const FEATURE_INPUT_MASK: Float32Array = (() => {
    const mask = new Float32Array(FEATURE_COUNT).fill(1);
    for (const feature of UNREAD_FEATURES) {
        mask[feature] = 0;
    }
    return mask;
})();

/**
 * `candidate.weight` as the exported network uses it: a copy with the rows of UNREAD_FEATURES
 * zeroed (training leaves them as it learned them). The graph writer and the reference forward
 * pass read it through this.
 */
export function readCandidateWeight(params: ParameterSet): Float32Array {
    const weight = Float32Array.from(params[PARAM.candidateWeight]);
    for (const feature of UNREAD_FEATURES) {
        weight.fill(0, feature * D_MODEL, (feature + 1) * D_MODEL);
    }
    return weight;
}

/** How a parameter starts before training. */
export type ParameterInit =
    /** Xavier (Glorot) uniform U(-b, b), b = gain * sqrt(6 / (fanIn + fanOut)). */
    | { kind: "xavier"; gain: number }
    /** Every element equal to `value`. */
    | { kind: "constant"; value: number };

export interface IParameterSpec {
    readonly name: string;
    /** [in, out] for matrices, [n] for vectors. */
    readonly shape: readonly number[];
    readonly init: ParameterInit;
}

/** A full set of parameters, as the writer and the reference consume it. */
export type ParameterSet = Record<string, Float32Array>;

/** Parameter names of one transformer block, so consumers never build strings by hand. */
export interface ILayerParameterNames {
    ln1Scale: string;
    ln1Bias: string;
    qWeight: string;
    qBias: string;
    kWeight: string;
    kBias: string;
    vWeight: string;
    vBias: string;
    oWeight: string;
    oBias: string;
    ln2Scale: string;
    ln2Bias: string;
    ffn1Weight: string;
    ffn1Bias: string;
    ffn2Weight: string;
    ffn2Bias: string;
}

export function layerParameterNames(layer: number): ILayerParameterNames {
    const p = `layers.${layer}.`;
    return {
        ln1Scale: p + "ln1.scale",
        ln1Bias: p + "ln1.bias",
        qWeight: p + "attn.q.weight",
        qBias: p + "attn.q.bias",
        kWeight: p + "attn.k.weight",
        kBias: p + "attn.k.bias",
        vWeight: p + "attn.v.weight",
        vBias: p + "attn.v.bias",
        oWeight: p + "attn.out.weight",
        oBias: p + "attn.out.bias",
        ln2Scale: p + "ln2.scale",
        ln2Bias: p + "ln2.bias",
        ffn1Weight: p + "ffn.in.weight",
        ffn1Bias: p + "ffn.in.bias",
        ffn2Weight: p + "ffn.out.weight",
        ffn2Bias: p + "ffn.out.bias",
    };
}

/** Names of the parameters outside the transformer blocks. */
export const PARAM = Object.freeze({
    candidateWeight: "candidate.weight",
    candidateBias: "candidate.bias",
    playerWeight: "player.weight",
    playerBias: "player.bias",
    finalLnScale: "final_ln.scale",
    finalLnBias: "final_ln.bias",
    engagementWeight: "engagement.weight",
    engagementBias: "engagement.bias",
    priorScale: "engagement.prior_scale",
    guidanceWeight: "guidance.weight",
    guidanceBias: "guidance.bias",
    dwellWeight: "dwell.weight",
    dwellBias: "dwell.bias",
});

/**
 * Residual branches (attention output, feed-forward output) start at a tenth of Xavier: small,
 * so the untrained model stays close to the heuristic prior, but not zero, so the attention
 * path visibly changes the outputs and the reference tests exercise it.
 */
const RESIDUAL_GAIN = 0.1;
/** The engagement head's learned residual starts small against the prior (heuristic scores span about 0-4). */
const ENGAGEMENT_GAIN = 0.02;
/** Guidance starts near sigmoid(-2) = 0.12: "probably not needed" until trained. */
const GUIDANCE_BIAS = -2;
/** Dwell starts near softplus(b) = 0.5 s. */
const DWELL_BIAS = Math.log(Math.expm1(0.5));

function xavier(gain: number): ParameterInit {
    return { kind: "xavier", gain };
}

function constant(value: number): ParameterInit {
    return { kind: "constant", value };
}

function buildSpecs(): IParameterSpec[] {
    const specs: IParameterSpec[] = [
        { name: PARAM.candidateWeight, shape: [FEATURE_COUNT, D_MODEL], init: xavier(1) },
        { name: PARAM.candidateBias, shape: [D_MODEL], init: constant(0) },
        { name: PARAM.playerWeight, shape: [CONTEXT_COUNT, D_MODEL], init: xavier(1) },
        { name: PARAM.playerBias, shape: [D_MODEL], init: constant(0) },
    ];
    for (let l = 0; l < LAYER_COUNT; l++) {
        const n = layerParameterNames(l);
        specs.push(
            { name: n.ln1Scale, shape: [D_MODEL], init: constant(1) },
            { name: n.ln1Bias, shape: [D_MODEL], init: constant(0) },
            { name: n.qWeight, shape: [D_MODEL, D_MODEL], init: xavier(1) },
            { name: n.qBias, shape: [D_MODEL], init: constant(0) },
            { name: n.kWeight, shape: [D_MODEL, D_MODEL], init: xavier(1) },
            { name: n.kBias, shape: [D_MODEL], init: constant(0) },
            { name: n.vWeight, shape: [D_MODEL, D_MODEL], init: xavier(1) },
            { name: n.vBias, shape: [D_MODEL], init: constant(0) },
            { name: n.oWeight, shape: [D_MODEL, D_MODEL], init: xavier(RESIDUAL_GAIN) },
            { name: n.oBias, shape: [D_MODEL], init: constant(0) },
            { name: n.ln2Scale, shape: [D_MODEL], init: constant(1) },
            { name: n.ln2Bias, shape: [D_MODEL], init: constant(0) },
            { name: n.ffn1Weight, shape: [D_MODEL, FFN_DIM], init: xavier(1) },
            { name: n.ffn1Bias, shape: [FFN_DIM], init: constant(0) },
            { name: n.ffn2Weight, shape: [FFN_DIM, D_MODEL], init: xavier(RESIDUAL_GAIN) },
            { name: n.ffn2Bias, shape: [D_MODEL], init: constant(0) },
        );
    }
    specs.push(
        { name: PARAM.finalLnScale, shape: [D_MODEL], init: constant(1) },
        { name: PARAM.finalLnBias, shape: [D_MODEL], init: constant(0) },
        { name: PARAM.engagementWeight, shape: [D_MODEL, 1], init: xavier(ENGAGEMENT_GAIN) },
        { name: PARAM.engagementBias, shape: [1], init: constant(0) },
        { name: PARAM.priorScale, shape: [1], init: constant(1) },
        { name: PARAM.guidanceWeight, shape: [D_MODEL, 1], init: xavier(RESIDUAL_GAIN) },
        { name: PARAM.guidanceBias, shape: [1], init: constant(GUIDANCE_BIAS) },
        { name: PARAM.dwellWeight, shape: [D_MODEL, 1], init: xavier(RESIDUAL_GAIN) },
        { name: PARAM.dwellBias, shape: [1], init: constant(DWELL_BIAS) },
    );
    return specs;
}

/** Every parameter, in the order the initialisation draws random numbers for them. */
export const PARAMETER_SPECS: readonly IParameterSpec[] = Object.freeze(buildSpecs());

export function elementCount(shape: readonly number[]): number {
    return shape.reduce((a, b) => a * b, 1);
}

/** Total number of scalar parameters. */
export const PARAMETER_COUNT = PARAMETER_SPECS.reduce((sum, spec) => sum + elementCount(spec.shape), 0);

/**
 * The documented initialisation: one mulberry32 stream, parameters drawn in PARAMETER_SPECS
 * order, matrices row-major. This is a starting point, not a learned model; the prior path
 * (heuristic score x `engagement.prior_scale`, initialised to 1) is what makes it rank sensibly.
 */
export function initParameters(seed: number = INIT_SEED): ParameterSet {
    const random = mulberry32(seed);
    const params: ParameterSet = {};
    for (const spec of PARAMETER_SPECS) {
        const data = new Float32Array(elementCount(spec.shape));
        if (spec.init.kind === "constant") {
            data.fill(spec.init.value);
        } else {
            const fanIn = spec.shape[0];
            const fanOut = spec.shape.length > 1 ? spec.shape[1] : 1;
            const bound = spec.init.gain * Math.sqrt(6 / (fanIn + fanOut));
            for (let i = 0; i < data.length; i++) {
                data[i] = (random() * 2 - 1) * bound;
            }
        }
        params[spec.name] = data;
    }
    return params;
}

/**
 * Checks that a parameter set (from initParameters or from training) has every parameter with
 * the right length, and nothing else. Returns one sentence per problem.
 */
export function validateParameters(params: ParameterSet): string[] {
    const problems: string[] = [];
    const known = new Set<string>();
    for (const spec of PARAMETER_SPECS) {
        known.add(spec.name);
        const data = params[spec.name];
        const expected = elementCount(spec.shape);
        if (!data) {
            problems.push(`parameter "${spec.name}" is missing: expected float32 [${spec.shape.join(", ")}]`);
        } else if (data.length !== expected) {
            problems.push(`parameter "${spec.name}" has ${data.length} values: expected ${expected} for [${spec.shape.join(", ")}]`);
        } else if (!data.every(Number.isFinite)) {
            problems.push(`parameter "${spec.name}" contains a non-finite value`);
        }
    }
    for (const name of Object.keys(params)) {
        if (!known.has(name)) {
            problems.push(`unknown parameter "${name}"`);
        }
    }
    return problems;
}

/** The heuristic prior's inputs: the weights tensor has one entry per signal. */
export const PRIOR_SIGNAL_COUNT = WEIGHT_COUNT;

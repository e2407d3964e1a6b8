import { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../features/featureSchema.js";
import { WEIGHT_COUNT, WEIGHT_NAMES } from "./attentionWeights.js";

/**
 * The contract between the ONNX file and the runtime: tensor names, element type and shapes.
 * models/buildModel.ts writes the graph from these specs and records them in
 * models/attention-ranker.manifest.json; the runtime checks a loaded session against them,
 * so a stale or foreign file fails with a sentence naming what is wrong instead of NaNs.
 */

/** A dimension: a fixed size, or a symbolic name for a size chosen per run ("N" candidates). */
export type ModelDim = number | string;

export interface IModelTensorSpec {
    readonly name: string;
    readonly type: "float32";
    readonly shape: readonly ModelDim[];
    /** One sentence for the model card and error messages. */
    readonly description: string;
}

/** ONNX opset the model is written for (issue 3 asks for 17 or newer; every op in the graph has a kernel there). */
export const MODEL_OPSET = 17;

/** The symbolic candidate-count dimension. */
export const CANDIDATE_DIM = "N";

export const MODEL_INPUTS: readonly IModelTensorSpec[] = Object.freeze([
    { name: "features", type: "float32", shape: [1, CANDIDATE_DIM, FEATURE_COUNT], description: "candidate feature rows in featureSchema.ts column order" },
    { name: "mask", type: "float32", shape: [1, CANDIDATE_DIM], description: "1 for a real candidate, 0 for padding; padded rows never affect real ones" },
    { name: "context", type: "float32", shape: [1, CONTEXT_COUNT], description: "the player context vector (featureSchema.ts Context)" },
    { name: "weights", type: "float32", shape: [WEIGHT_COUNT], description: "signal weights in WEIGHT_NAMES order, feeding the in-graph heuristic prior" },
]);

export const MODEL_OUTPUTS: readonly IModelTensorSpec[] = Object.freeze([
    { name: "engagement", type: "float32", shape: [1, CANDIDATE_DIM], description: "engagement logit: heuristic prior x learned scale + learned residual (higher ranks first)" },
    { name: "guidance", type: "float32", shape: [1, CANDIDATE_DIM], description: "probability that the player needs guidance toward the candidate, [0, 1]" },
    { name: "dwell", type: "float32", shape: [1, CANDIDATE_DIM], description: "expected gaze dwell in seconds, >= 0" },
    { name: "attention", type: "float32", shape: [1, CANDIDATE_DIM], description: "the player token's last-layer attention over candidates, mean of heads, sums to 1 over real candidates" },
]);

/** What models/attention-ranker.manifest.json holds. */
export interface IModelManifest {
    readonly format: "babylon-attention-model";
    readonly formatVersion: 1;
    readonly modelFile: string;
    readonly sha256: string;
    readonly opset: number;
    readonly featureSchemaVersion: number;
    readonly featureNames: readonly string[];
    readonly contextNames: readonly string[];
    readonly weightNames: readonly string[];
    readonly inputs: readonly IModelTensorSpec[];
    readonly outputs: readonly IModelTensorSpec[];
    readonly parameterCount: number;
    /** Free-form architecture summary (dims, layers), for people and the training pipeline. */
    readonly architecture: Readonly<Record<string, number | string>>;
    /** "initialisation" until the training issue replaces the weights with learned ones. */
    readonly parameterSource: string;
}

/** The I/O part of a manifest: what the runtime needs to check a session. */
export interface IModelIoSpec {
    readonly inputs: readonly IModelTensorSpec[];
    readonly outputs: readonly IModelTensorSpec[];
}

/** The built-in expectations, used when no manifest is given. */
export const DEFAULT_MODEL_IO: IModelIoSpec = Object.freeze({ inputs: MODEL_INPUTS, outputs: MODEL_OUTPUTS });

/** Formats a spec the way error messages and docs print it: `float32 [1, N, 18]`. */
export function describeTensorSpec(spec: Pick<IModelTensorSpec, "type" | "shape">): string {
    return `${spec.type} [${spec.shape.join(", ")}]`;
}

/** The subset of an onnxruntime InferenceSession that the check reads. */
export interface ISessionIo {
    readonly inputNames: readonly string[];
    readonly outputNames: readonly string[];
    readonly inputMetadata?: readonly ISessionValueMetadata[];
    readonly outputMetadata?: readonly ISessionValueMetadata[];
}

export interface ISessionValueMetadata {
    readonly name: string;
    readonly isTensor: boolean;
    readonly type?: string;
    readonly shape?: ReadonlyArray<number | string>;
}

/**
 * Compares a session's inputs and outputs with the expected specs and returns one sentence
 * per problem (empty when the file fits). Symbolic dims match any symbolic or unknown dim,
 * whatever its name; a fixed size where a symbolic one is expected is a mismatch, because the
 * runtime pads the candidate count to several bucket sizes.
 */
export function checkSessionIo(session: ISessionIo, expected: IModelIoSpec = DEFAULT_MODEL_IO): string[] {
    return [
        ...checkSide("input", expected.inputs, session.inputNames, session.inputMetadata),
        ...checkSide("output", expected.outputs, session.outputNames, session.outputMetadata),
    ];
}

function checkSide(
    side: "input" | "output",
    specs: readonly IModelTensorSpec[],
    names: readonly string[],
    metadata: readonly ISessionValueMetadata[] | undefined,
): string[] {
    const problems: string[] = [];
    for (const spec of specs) {
        if (!names.includes(spec.name)) {
            problems.push(`model ${side} "${spec.name}" not found: expected ${describeTensorSpec(spec)}; the file has ${side}s: ${names.join(", ") || "(none)"}`);
            continue;
        }
        const meta = metadata?.find((m) => m.name === spec.name);
        if (!meta) {
            continue; // Older runtimes expose names only; the probe run catches shape errors.
        }
        if (!meta.isTensor || (meta.type !== undefined && meta.type !== spec.type)) {
            problems.push(`model ${side} "${spec.name}" has type ${meta.isTensor ? meta.type : "non-tensor"}: expected ${describeTensorSpec(spec)}`);
            continue;
        }
        if (meta.shape && meta.shape.length > 0 && !shapeMatches(spec.shape, meta.shape)) {
            problems.push(`model ${side} "${spec.name}" has shape [${meta.shape.join(", ")}]: expected ${describeTensorSpec(spec)}`);
        }
    }
    for (const name of names) {
        if (!specs.some((s) => s.name === name)) {
            problems.push(`model ${side} "${name}" is not part of the expected ${side}s (${specs.map((s) => s.name).join(", ")})`);
        }
    }
    return problems;
}

function shapeMatches(expected: readonly ModelDim[], actual: ReadonlyArray<number | string>): boolean {
    if (expected.length !== actual.length) {
        return false;
    }
    for (let i = 0; i < expected.length; i++) {
        const e = expected[i];
        const a = actual[i];
        const aSymbolic = typeof a === "string" || a < 0;
        if (typeof e === "string" ? !aSymbolic : a !== e) {
            return false;
        }
    }
    return true;
}

/**
 * Checks a parsed manifest JSON against this build of the runtime: the format, the feature
 * schema version and the weight order. Returns one sentence per problem.
 */
export function checkManifest(manifest: unknown): string[] {
    if (typeof manifest !== "object" || manifest === null) {
        return ["model manifest must be a JSON object"];
    }
    const m = manifest as Partial<IModelManifest>;
    const problems: string[] = [];
    if (m.format !== "babylon-attention-model") {
        problems.push(`model manifest format is ${JSON.stringify(m.format)}: expected "babylon-attention-model"`);
    }
    if (m.featureSchemaVersion !== FEATURE_SCHEMA_VERSION) {
        problems.push(`model manifest feature schema version is ${String(m.featureSchemaVersion)}: this runtime writes version ${FEATURE_SCHEMA_VERSION}`);
    }
    if (!sameList(m.featureNames, FEATURE_NAMES)) {
        problems.push(`model manifest feature names differ from featureSchema.ts: expected ${FEATURE_NAMES.join(", ")}`);
    }
    if (!sameList(m.contextNames, CONTEXT_NAMES)) {
        problems.push(`model manifest context names differ from featureSchema.ts: expected ${CONTEXT_NAMES.join(", ")}`);
    }
    if (!sameList(m.weightNames, WEIGHT_NAMES)) {
        problems.push(`model manifest weight names differ from attentionWeights.ts: expected ${WEIGHT_NAMES.join(", ")}`);
    }
    if (!Array.isArray(m.inputs) || !Array.isArray(m.outputs)) {
        problems.push("model manifest must list inputs and outputs");
    }
    return problems;
}

function sameList(actual: unknown, expected: readonly string[]): boolean {
    return Array.isArray(actual) && actual.length === expected.length && actual.every((v, i) => v === expected[i]);
}

/**
 * `npm run build:model [-- --init]`: writes models/attention-ranker.onnx and its manifest from
 * the committed trained parameters (models/train/trained-parameters.json, saved by `npm run
 * train`), or with `--init` from the documented initialisation. Same bytes on every run (no
 * timestamps), so the committed file can be checked against a fresh build.
 */
import { createHash } from "node:crypto";
import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTEXT_NAMES, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../plugin/features/featureSchema";
import { WEIGHT_NAMES } from "../plugin/model/attentionWeights";
import { type IModelManifest, MODEL_INPUTS, MODEL_OPSET, MODEL_OUTPUTS } from "../plugin/model/modelManifest";
import { D_MODEL, FFN_DIM, HEAD_COUNT, INIT_SEED, LAYER_COUNT, PARAMETER_COUNT, type ParameterSet, initParameters } from "./architecture";
import { writeAttentionModel } from "./onnxWriter";
import { loadTrainedParameters } from "./train/trainedParameters";

export const MODEL_FILE_NAME = "attention-ranker.onnx";
export const MANIFEST_FILE_NAME = "attention-ranker.manifest.json";

export interface IBuiltModel {
    bytes: Uint8Array;
    manifest: IModelManifest;
    manifestJson: string;
}

/** Builds the model bytes and manifest in memory (the training pipeline passes its own parameters). */
export function buildModel(params: ParameterSet = initParameters(INIT_SEED), parameterSource = `initialisation (mulberry32 seed ${INIT_SEED}, Xavier uniform)`): IBuiltModel {
    const bytes = writeAttentionModel(params, { parameterSource });
    const manifest: IModelManifest = {
        format: "babylon-attention-model",
        formatVersion: 1,
        modelFile: MODEL_FILE_NAME,
        sha256: createHash("sha256").update(bytes).digest("hex"),
        opset: MODEL_OPSET,
        featureSchemaVersion: FEATURE_SCHEMA_VERSION,
        featureNames: FEATURE_NAMES,
        contextNames: CONTEXT_NAMES,
        weightNames: WEIGHT_NAMES,
        inputs: MODEL_INPUTS,
        outputs: MODEL_OUTPUTS,
        parameterCount: PARAMETER_COUNT,
        architecture: { dModel: D_MODEL, heads: HEAD_COUNT, layers: LAYER_COUNT, ffn: FFN_DIM, norm: "pre-LayerNorm", activation: "relu" },
        parameterSource,
    };
    return { bytes, manifest, manifestJson: JSON.stringify(manifest, null, 2) + "\n" };
}

/** plugin/model/packagedModelHash.ts for a model hash: the plugin checks the default model against it. */
export function packagedModelHashSource(sha256: string): string {
    return `// Written with models/attention-ranker.onnx by \`npm run train\` and \`npm run build:model\` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "${sha256}";
`;
}

/** Writes plugin/model/packagedModelHash.ts for the model file whose hash is `sha256`. */
export function writePackagedModelHash(sha256: string): string {
    const path = join(dirname(fileURLToPath(import.meta.url)), "..", "plugin", "model", "packagedModelHash.ts");
    writeFileSync(path, packagedModelHashSource(sha256));
    return path;
}

function main(): void {
    const dir = dirname(fileURLToPath(import.meta.url));
    const trained = process.argv.includes("--init") ? undefined : loadTrainedParameters();
    const built = trained ? buildModel(trained.params, trained.parameterSource) : buildModel();
    writeFileSync(join(dir, MODEL_FILE_NAME), built.bytes);
    writeFileSync(join(dir, MANIFEST_FILE_NAME), built.manifestJson);
    writePackagedModelHash(built.manifest.sha256);
    console.log(`wrote models/${MODEL_FILE_NAME} from ${built.manifest.parameterSource} (${built.bytes.length} bytes, ${PARAMETER_COUNT} parameters, sha256 ${built.manifest.sha256})`);
}

// Run only as a script, so tests can import buildModel() without writing files.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    main();
}

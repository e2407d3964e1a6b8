/**
 * The trained parameter set as JSON (base64 of little-endian float32 per parameter, plus the
 * parameter source string), saved beside the training code so the committed ONNX file can be
 * rebuilt and checked byte for byte: buildModel(params, parameterSource).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { PARAMETER_SPECS, type ParameterSet, validateParameters } from "../architecture";

export const TRAINED_PARAMETERS_PATH = join(dirname(fileURLToPath(import.meta.url)), "trained-parameters.json");

export interface ITrainedParameters {
    parameterSource: string;
    params: ParameterSet;
}

export function saveTrainedParameters(path: string, trained: ITrainedParameters): void {
    const encoded: Record<string, string> = {};
    for (const spec of PARAMETER_SPECS) {
        const data = trained.params[spec.name];
        encoded[spec.name] = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("base64");
    }
    writeFileSync(path, JSON.stringify({ format: "babylon-attention-parameters", version: 1, parameterSource: trained.parameterSource, params: encoded }, null, 1) + "\n");
}

export function loadTrainedParameters(path: string = TRAINED_PARAMETERS_PATH): ITrainedParameters {
    const json = JSON.parse(readFileSync(path, "utf8")) as { parameterSource: string; params: Record<string, string> };
    const params: ParameterSet = {};
    for (const [name, base64] of Object.entries(json.params)) {
        const bytes = Buffer.from(base64, "base64");
        // Copy into a fresh, aligned buffer: a Buffer's offset into Node's pool need not be a multiple of 4.
        params[name] = new Float32Array(new Uint8Array(bytes).buffer);
    }
    const problems = validateParameters(params);
    if (problems.length > 0) {
        throw new Error(`${path}: ${problems.join("; ")}`);
    }
    return { parameterSource: json.parameterSource, params };
}

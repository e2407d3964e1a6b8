/**
 * Runs an ONNX attention model (bytes) over a packed split with onnxruntime-web's WASM backend
 * in Node, one example per run (the file's batch dimension is 1), trimmed to the example's real
 * rows. The evaluator scores the shipped artefact, not the training framework's copy of it.
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import * as ort from "onnxruntime-web";
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import type { IPackedDataset } from "../train/packedDataset";

export interface IModelOutputs {
    engagement: Float32Array;
    guidance: Float32Array;
    dwell: Float32Array;
    attention: Float32Array;
}

/** One WASM thread, wasm files from node_modules (a filesystem path: Node cannot fetch file:// URLs). */
export async function createOnnxSessionAsync(bytes: Uint8Array): Promise<ort.InferenceSession> {
    ort.env.wasm.wasmPaths = dirname(createRequire(import.meta.url).resolve("onnxruntime-web")) + "/";
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = "error";
    return ort.InferenceSession.create(bytes, { executionProviders: ["wasm"] });
}

/** The model's per-candidate outputs, in the order the graph and the training model produce them. */
export const OUTPUT_NAMES = ["engagement", "guidance", "dwell", "attention"] as const;

/** Zeroed outputs for every example of `data`, [count, k] each. */
export function emptyOutputs(data: IPackedDataset): IModelOutputs {
    const size = data.count * data.k;
    return { engagement: new Float32Array(size), guidance: new Float32Array(size), dwell: new Float32Array(size), attention: new Float32Array(size) };
}

/** Outputs for every example, [count, k]; rows past an example's last real row stay 0. */
export async function onnxOutputsAsync(session: ort.InferenceSession, data: IPackedDataset): Promise<IModelOutputs> {
    const k = data.k;
    const out = emptyOutputs(data);
    for (let e = 0; e < data.count; e++) {
        const n = data.usedRows[e];
        const results = await session.run({
            features: new ort.Tensor("float32", data.features.slice(e * k * FEATURE_COUNT, (e * k + n) * FEATURE_COUNT), [1, n, FEATURE_COUNT]),
            mask: new ort.Tensor("float32", data.mask.slice(e * k, e * k + n), [1, n]),
            context: new ort.Tensor("float32", data.context.slice(e * CONTEXT_COUNT, (e + 1) * CONTEXT_COUNT), [1, CONTEXT_COUNT]),
            weights: new ort.Tensor("float32", data.weights.slice(e * WEIGHT_COUNT, (e + 1) * WEIGHT_COUNT), [WEIGHT_COUNT]),
        });
        for (const name of OUTPUT_NAMES) {
            out[name].set(results[name].data as Float32Array, e * k);
            results[name].dispose();
        }
    }
    return out;
}

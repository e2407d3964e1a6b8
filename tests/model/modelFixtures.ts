/**
 * Shared helpers for the model tests: onnxruntime-web set up for Node, the committed model's
 * path, seeded random inputs in the feature schema's ranges, and deliberately broken variants
 * of the model (renamed input, one feature missing) made by editing the decoded protobuf.
 */
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import onnxProto from "onnx-proto";
import * as ort from "onnxruntime-web";
import { mulberry32 } from "../../models/mulberry32";
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";

const { onnx } = onnxProto;

export const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const MODEL_PATH = join(REPO_ROOT, "models", "attention-ranker.onnx");
export const MANIFEST_PATH = join(REPO_ROOT, "models", "attention-ranker.manifest.json");

/** onnxruntime-web's dist folder as a filesystem path with a trailing slash (a file:// URL fails in Node). */
export const ORT_WASM_PATH = dirname(createRequire(import.meta.url).resolve("onnxruntime-web")) + "/";

/** The ort module configured for single-threaded WASM in Node. */
export function setUpOrt(): typeof ort {
    ort.env.wasm.wasmPaths = ORT_WASM_PATH;
    ort.env.wasm.numThreads = 1;
    ort.env.logLevel = "error";
    return ort;
}

export interface IRandomInputs {
    features: Float32Array;
    mask: Float32Array;
    context: Float32Array;
    weights: Float32Array;
}

/** Features in their documented ranges: [0, 1] except approach and gaze turn in [-1, 1], flags in {0, 1}. */
export function randomInputs(seed: number, n: number, maskedFraction = 0): IRandomInputs {
    const random = mulberry32(seed);
    const features = new Float32Array(n * FEATURE_COUNT);
    for (let i = 0; i < n; i++) {
        for (let f = 0; f < FEATURE_COUNT; f++) {
            let v = random();
            if (f === Feature.Approach || f === Feature.GazeTurn) v = v * 2 - 1;
            if (f === Feature.Visible || f === Feature.InView || f >= Feature.KindNpc) v = v < 0.5 ? 0 : 1;
            features[i * FEATURE_COUNT + f] = v;
        }
    }
    const mask = new Float32Array(n).map(() => (random() < maskedFraction ? 0 : 1));
    mask[0] = 1; // at least one real candidate
    const context = new Float32Array(CONTEXT_COUNT).map(() => random());
    context[CONTEXT_COUNT - 1] = 1;
    // Some signals switched off: the network must not see their columns.
    const weights = new Float32Array(WEIGHT_COUNT).map(() => (random() < 0.25 ? 0 : random() * 4));
    return { features, mask, context, weights };
}

export async function runModel(session: ort.InferenceSession, inputs: IRandomInputs, n: number): Promise<Record<string, Float32Array>> {
    const results = await session.run({
        features: new ort.Tensor("float32", inputs.features, [1, n, FEATURE_COUNT]),
        mask: new ort.Tensor("float32", inputs.mask, [1, n]),
        context: new ort.Tensor("float32", inputs.context, [1, CONTEXT_COUNT]),
        weights: new ort.Tensor("float32", inputs.weights, [WEIGHT_COUNT]),
    });
    const out: Record<string, Float32Array> = {};
    for (const name of Object.keys(results)) {
        out[name] = results[name].data as Float32Array;
    }
    return out;
}

/** The model with graph input `from` renamed to `to` everywhere it is used. */
export function renameInput(bytes: Uint8Array, from: string, to: string): Uint8Array {
    const model = onnx.ModelProto.decode(bytes);
    const graph = model.graph!;
    for (const input of graph.input ?? []) {
        if (input.name === from) input.name = to;
    }
    for (const node of graph.node ?? []) {
        node.input = (node.input ?? []).map((i) => (i === from ? to : i));
    }
    return onnx.ModelProto.encode(model).finish();
}

/**
 * A coherent model that takes one feature fewer than FEATURE_COUNT: the input shape and every [FEATURE_COUNT, x]
 * initialiser lose their last row, and the signal gates their last column, so the file loads and runs, just
 * with the wrong schema.
 */
export function dropLastFeature(bytes: Uint8Array): Uint8Array {
    const model = onnx.ModelProto.decode(bytes);
    const graph = model.graph!;
    const dims = graph.input!.find((i) => i.name === "features")!.type!.tensorType!.shape!.dim!;
    dims[2].dimValue = FEATURE_COUNT - 1;
    for (const init of graph.initializer ?? []) {
        if (init.dims?.length === 2 && Number(init.dims[0]) === FEATURE_COUNT) {
            const cols = Number(init.dims[1]);
            init.rawData = init.rawData!.slice(0, (FEATURE_COUNT - 1) * cols * 4);
            init.dims = [FEATURE_COUNT - 1, cols];
        } else if (init.name!.startsWith("const.feature_gate")) {
            // The signal gates: one column per feature ([signals, FEATURE_COUNT] or [FEATURE_COUNT]).
            const rows = init.dims!.length === 2 ? Number(init.dims![0]) : 1;
            const values = new Float32Array(init.rawData!.slice().buffer);
            const kept = new Float32Array(rows * (FEATURE_COUNT - 1));
            for (let r = 0; r < rows; r++) kept.set(values.subarray(r * FEATURE_COUNT, r * FEATURE_COUNT + FEATURE_COUNT - 1), r * (FEATURE_COUNT - 1));
            init.rawData = new Uint8Array(kept.buffer);
            init.dims = init.dims!.length === 2 ? [rows, FEATURE_COUNT - 1] : [FEATURE_COUNT - 1];
        }
    }
    return onnx.ModelProto.encode(model).finish();
}

export function randomBytes(length: number, seed = 1): Uint8Array {
    const random = mulberry32(seed);
    return new Uint8Array(length).map(() => Math.floor(random() * 256));
}

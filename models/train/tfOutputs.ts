/** The trained tfjs network's outputs on a packed split, for the ONNX parity check and restart selection. */
import * as tf from "@tensorflow/tfjs";
import { emptyOutputs, type IModelOutputs, OUTPUT_NAMES } from "../eval/onnxScores";
import { disposeBatch, makeBatch } from "./batches";
import type { IPackedDataset } from "./packedDataset";
import type { TfAttentionModel } from "./tfModel";

/** The trained network's outputs on `data` through tfjs, laid out like onnxOutputsAsync's. */
export function tfOutputs(model: TfAttentionModel, data: IPackedDataset, batchSize = 256): IModelOutputs {
    const k = data.k;
    const out = emptyOutputs(data);
    for (let start = 0; start < data.count; start += batchSize) {
        const indices = Array.from({ length: Math.min(batchSize, data.count - start) }, (_, i) => start + i);
        const batch = makeBatch(data, indices);
        const values = tf.tidy(() => {
            const o = model.forward(batch);
            return OUTPUT_NAMES.map((name) => o[name].dataSync() as Float32Array);
        });
        disposeBatch(batch);
        indices.forEach((e, i) => {
            const n = data.usedRows[e];
            OUTPUT_NAMES.forEach((name, j) => out[name].set(values[j].subarray(i * batch.rows, i * batch.rows + n), e * k));
        });
    }
    return out;
}

import { beforeAll, describe, expect, it } from "vitest";
import { initParameters, PARAM } from "../../models/architecture";
import { pretrainMaskedFeaturesAsync } from "../../models/train/maskedFeaturePretraining";
import { packExamples } from "../../models/train/packedDataset";
import { setUpTfBackendAsync } from "../../models/train/tfBackend";
import { TfAttentionModel } from "../../models/train/tfModel";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { makeSyntheticDataset } from "./syntheticDataset";

beforeAll(async () => {
    await setUpTfBackendAsync("wasm");
});

/**
 * Synthetic ticks where a hidden row can be told from the others: every real candidate of a
 * tick is a copy of the tick's first row (a group of look-alikes), so the others give it away,
 * while rows differ from tick to tick (the mean row is a poor guess).
 */
function clusteredSplits() {
    const dataset = makeSyntheticDataset({ layouts: 2, sessionsPerLayout: 2, ticksPerSession: 60, k: 6, seed: 9 });
    for (const e of dataset.examples) {
        const first = e.features.slice(0, FEATURE_COUNT);
        for (let r = 1; r < 6; r++) {
            if (e.mask[r] > 0) e.features.set(first, r * FEATURE_COUNT);
        }
    }
    const half = dataset.examples.length / 2;
    return { train: packExamples(dataset, dataset.examples.slice(0, half)), validation: packExamples(dataset, dataset.examples.slice(half)) };
}

describe("masked-feature pretraining", () => {
    it("learns to predict a hidden candidate's features from the others, better than the mean row, without touching the ranking heads", async () => {
        const { train, validation } = clusteredSplits();
        const model = TfAttentionModel.FromParameters(initParameters());
        try {
            const before = model.getParameters();
            const result = await pretrainMaskedFeaturesAsync(model, train, validation, { epochs: 12, batchSize: 16, learningRate: 0.005, clipNorm: 1, seed: 3 });
            const after = model.getParameters();
            const validationErrors = result.history.map((h) => h.validation);
            expect(result.history.map((h) => h.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
            expect(validationErrors[12]).toBeLessThan(validationErrors[0] / 2);
            expect(validationErrors[12]).toBeLessThan(result.meanRowValidation);
            // The encoder and layers learned; the heads and the prior scale are as they were.
            expect(after[PARAM.candidateWeight]).not.toEqual(before[PARAM.candidateWeight]);
            for (const name of [PARAM.engagementWeight, PARAM.guidanceWeight, PARAM.dwellWeight, PARAM.priorScale]) {
                expect(after[name]).toEqual(before[name]);
            }
        } finally {
            model.dispose();
        }
    }, 60_000);
});

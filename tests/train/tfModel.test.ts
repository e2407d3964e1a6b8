import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initParameters, PARAM } from "../../models/architecture";
import { TfAttentionModel } from "../../models/train/tfModel";
import { setUpTfBackendAsync } from "../../models/train/tfBackend";
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { randomInputs } from "../model/modelFixtures";
import { referenceForward } from "../model/reference";

beforeAll(async () => {
    await setUpTfBackendAsync("wasm");
});

/** Perturbs every parameter so the test exercises weights far from the initialisation. */
function perturbed(seed: number): ReturnType<typeof initParameters> {
    const params = initParameters(seed);
    let s = seed;
    for (const name of Object.keys(params)) {
        params[name] = params[name].map((v) => {
            s = (s * 1103515245 + 12345) % 2147483648;
            return v + ((s / 2147483648) * 2 - 1) * 0.3;
        });
    }
    return params;
}

describe("the tfjs training model", () => {
    it("has one variable per parameter, named and shaped as PARAMETER_SPECS", () => {
        const params = initParameters();
        const model = TfAttentionModel.FromParameters(params);
        try {
            for (const [name, value] of Object.entries(params)) {
                expect(model.variables[name].size).toBe(value.length);
            }
            expect(model.getParameters()[PARAM.candidateWeight]).toEqual(params[PARAM.candidateWeight]);
        } finally {
            model.dispose();
        }
    });

    for (const [label, seed] of [
        ["the initialisation", 20240917],
        ["perturbed parameters", 7],
    ] as const) {
        it(`matches the TypeScript reference within 1e-5 on a padded batch with ${label}`, () => {
            const params = seed === 20240917 ? initParameters() : perturbed(seed);
            const model = TfAttentionModel.FromParameters(params);
            const k = 12;
            const counts = [1, 5, 12];
            const b = counts.length;
            const features = new Float32Array(b * k * FEATURE_COUNT);
            const mask = new Float32Array(b * k);
            const context = new Float32Array(b * CONTEXT_COUNT);
            const weights = new Float32Array(b * WEIGHT_COUNT);
            const inputs = counts.map((n, i) => randomInputs(300 + i, k, n === 12 ? 0.3 : 0));
            inputs.forEach((input, i) => {
                input.mask.fill(0, counts[i]);
                input.features.fill(7, counts[i] * FEATURE_COUNT); // garbage in padded rows must not matter
                features.set(input.features, i * k * FEATURE_COUNT);
                mask.set(input.mask, i * k);
                context.set(input.context, i * CONTEXT_COUNT);
                weights.set(input.weights, i * WEIGHT_COUNT);
            });
            try {
                const out = tf.tidy(() => {
                    const o = model.forward({
                        features: tf.tensor3d(features, [b, k, FEATURE_COUNT]),
                        mask: tf.tensor2d(mask, [b, k]),
                        context: tf.tensor2d(context, [b, CONTEXT_COUNT]),
                        weights: tf.tensor2d(weights, [b, WEIGHT_COUNT]),
                    });
                    return [o.engagement, o.guidance, o.dwell, o.attention];
                });
                const [eng, guide, dwell, attn] = out.map((t) => t.dataSync() as Float32Array);
                out.forEach((t) => t.dispose());
                let worst = 0;
                inputs.forEach((input, i) => {
                    const ref = referenceForward(params, input.features, input.mask, k, input.context, input.weights);
                    for (let j = 0; j < k; j++) {
                        const at = i * k + j;
                        worst = Math.max(worst, Math.abs(eng[at] - ref.engagement[j]), Math.abs(guide[at] - ref.guidance[j]), Math.abs(dwell[at] - ref.dwell[j]), Math.abs(attn[at] - ref.attention[j]));
                    }
                });
                expect(worst).toBeLessThan(1e-5);
            } finally {
                model.dispose();
            }
        });
    }
});

import * as tf from "@tensorflow/tfjs";
import { beforeAll, describe, expect, it } from "vitest";
import { initParameters } from "../../models/architecture";
import { mulberry32 } from "../../models/mulberry32";
import { pickSignalsToReveal, signalRevealLoss } from "../../models/train/signalRevealLoss";
import { setUpTfBackendAsync } from "../../models/train/tfBackend";
import { TfAttentionModel, type ITfBatch } from "../../models/train/tfModel";
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { Signal } from "../../plugin/features/signalContributions";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { randomInputs } from "../model/modelFixtures";

beforeAll(async () => {
    await setUpTfBackendAsync("wasm");
});

const B = 6;
const K = 5;

/** B examples of K random candidates, every signal on at weight 1. */
function randomBatch(seed: number): { features: Float32Array; mask: Float32Array; context: Float32Array; weights: Float32Array } {
    const features = new Float32Array(B * K * FEATURE_COUNT);
    const context = new Float32Array(B * CONTEXT_COUNT);
    for (let e = 0; e < B; e++) {
        const one = randomInputs(seed + e, K);
        features.set(one.features, e * K * FEATURE_COUNT);
        context.set(one.context, e * CONTEXT_COUNT);
    }
    return { features, mask: new Float32Array(B * K).fill(1), context, weights: new Float32Array(B * WEIGHT_COUNT).fill(1) };
}

function asTensors(b: ReturnType<typeof randomBatch>): ITfBatch {
    return {
        features: tf.tensor3d(b.features, [B, K, FEATURE_COUNT]),
        mask: tf.tensor2d(b.mask, [B, K]),
        context: tf.tensor2d(b.context, [B, CONTEXT_COUNT]),
        weights: tf.tensor2d(b.weights, [B, WEIGHT_COUNT]),
    };
}

/** Parameters far from the initialisation, so the residual reads its inputs strongly. */
function perturbedParameters(seed: number): ReturnType<typeof initParameters> {
    const params = initParameters(seed);
    const random = mulberry32(seed);
    for (const name of Object.keys(params)) {
        params[name] = params[name].map((v) => v + (random() * 2 - 1) * 0.4);
    }
    return params;
}

describe("the signal reveal penalty", () => {
    it("hides exactly one signal per example, only one that is on, each as often as the others", () => {
        const examples = 20_000;
        const weights = new Float32Array(examples * WEIGHT_COUNT).fill(1);
        for (let e = 0; e < examples; e += 2) weights[e * WEIGHT_COUNT + Signal.Gaze] = 0;
        weights.fill(0, 0, WEIGHT_COUNT); // the first example has nothing on
        const picked = pickSignalsToReveal(weights, mulberry32(3));
        const counts = new Float64Array(WEIGHT_COUNT);
        for (let e = 1; e < examples; e++) {
            let inRow = 0;
            for (let s = 0; s < WEIGHT_COUNT; s++) {
                const p = picked[e * WEIGHT_COUNT + s];
                inRow += p;
                counts[s] += p;
                if (p === 1) expect(weights[e * WEIGHT_COUNT + s], `example ${e} hides a signal that is off`).toBeGreaterThan(0);
            }
            expect(inRow).toBe(1);
        }
        expect(picked.subarray(0, WEIGHT_COUNT).every((p) => p === 0)).toBe(true);
        // Half the examples have all 8 on (each picked 1/8 of those), half 7 without gaze (1/7):
        // gaze is picked (1/8) / (1/8 + 1/7) = 7/15 as often as each other signal.
        const other = (examples - counts[Signal.Gaze]) / (WEIGHT_COUNT - 1);
        expect(counts[Signal.Gaze] / other).toBeCloseTo(7 / 15, 1);
    });

    it("averages, over the pairs the revealed signal's term tells apart, how far the reveal moved each against it", () => {
        const model = TfAttentionModel.FromParameters(perturbedParameters(11));
        const raw = randomBatch(100);
        // Two candidates per example share their priority: that pair must not count.
        for (let e = 0; e < B; e++) raw.features[(e * K + 1) * FEATURE_COUNT + Feature.Priority] = raw.features[e * K * FEATURE_COUNT + Feature.Priority];
        const batch = asTensors(raw);
        const revealedRows = new Float32Array(B * WEIGHT_COUNT).map((_, i) => (i % WEIGHT_COUNT === Signal.Priority ? 1 : 0));
        const revealed = tf.tensor2d(revealedRows, [B, WEIGHT_COUNT]);
        const loss = tf.tidy(() => signalRevealLoss(model, batch, revealed).dataSync()[0]);
        // The same by hand: the residual with priority shown and hidden, and priority's own term.
        const hiddenWeights = tf.tensor2d(raw.weights.map((w, i) => (i % WEIGHT_COUNT === Signal.Priority ? 0 : w)), [B, WEIGHT_COUNT]);
        const shown = tf.tidy(() => model.forward(batch).engagementResidual.arraySync());
        const hidden = tf.tidy(() => model.forward({ ...batch, weights: hiddenWeights }).engagementResidual.arraySync());
        let sum = 0;
        let pairs = 0;
        for (let e = 0; e < B; e++) {
            for (let i = 0; i < K; i++) {
                for (let j = 0; j < K; j++) {
                    const gap = raw.features[(e * K + i) * FEATURE_COUNT + Feature.Priority] - raw.features[(e * K + j) * FEATURE_COUNT + Feature.Priority];
                    if (Math.abs(gap) <= 1e-6) continue;
                    pairs++;
                    sum += Math.max(0, -(shown[e][i] - hidden[e][i] - (shown[e][j] - hidden[e][j])) * gap);
                }
            }
        }
        expect(pairs).toBe(B * (K * K - K - 2));
        expect(sum).toBeGreaterThan(0);
        expect(loss).toBeCloseTo(sum / pairs, 5);
        tf.dispose([batch.features, batch.mask, batch.context, batch.weights, revealed, hiddenWeights]);
        model.dispose();
    });

    it("penalises a reveal that moves candidates against the signal, and training on it removes that", () => {
        const model = TfAttentionModel.FromParameters(perturbedParameters(12));
        const raw = randomBatch(200);
        const batch = asTensors(raw);
        const revealed = tf.tensor2d(pickSignalsToReveal(raw.weights, mulberry32(9)), [B, WEIGHT_COUNT]);
        const lossNow = (): number => tf.tidy(() => signalRevealLoss(model, batch, revealed).dataSync()[0]);
        const before = lossNow();
        expect(before).toBeGreaterThan(0);
        const optimizer = tf.train.adam(0.01);
        for (let step = 0; step < 40; step++) {
            tf.tidy(() => {
                optimizer.minimize(() => signalRevealLoss(model, batch, revealed), false, model.variableList);
            });
        }
        expect(lossNow()).toBeLessThan(before * 0.25);
        optimizer.dispose();
        tf.dispose([batch.features, batch.mask, batch.context, batch.weights, revealed]);
        model.dispose();
    });
});

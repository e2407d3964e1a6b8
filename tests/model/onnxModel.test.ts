import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import onnxProto from "onnx-proto";
import { PARAM, PARAMETER_COUNT, initParameters } from "../../models/architecture";
import { writeAttentionModel } from "../../models/onnxWriter";
import { buildModel } from "../../models/buildModel";
import { lookedAtFarNearUnseenContext, lookedAtFarNearUnseenRows } from "../../models/train/acceptanceScene";
import { loadTrainedParameters } from "../../models/train/trainedParameters";
import { FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, packWeights } from "../../plugin/model/attentionWeights";
import { heuristicContributions } from "../../plugin/model/heuristicScorer";
import { DEFAULT_MODEL_IO, checkManifest } from "../../plugin/model/modelManifest";
import { MANIFEST_PATH, MODEL_PATH, ORT_WASM_PATH, randomInputs, runModel, setUpOrt } from "./modelFixtures";
import { referenceForward } from "./reference";

const ort = setUpOrt();
// The committed file is `npm run train`'s output: these parameters, saved beside it.
const trained = loadTrainedParameters();
const params = trained.params;
let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;

beforeAll(async () => {
    session = await ort.InferenceSession.create(readFileSync(MODEL_PATH), { executionProviders: ["wasm"] });
});

afterAll(async () => {
    await session.release();
});

/** Exactly zero; a padded row may come out as -0 (a 0 mask times a negative logit), which is still zero. */
function expectZero(value: number, what: string): void {
    expect(value === 0, `${what} = ${value}`).toBe(true);
}

function maxDiff(actual: Float32Array, expected: Float64Array, n: number): number {
    let diff = 0;
    for (let i = 0; i < n; i++) {
        diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    }
    return diff;
}

describe("the committed ONNX model", () => {
    it("is byte-identical to a fresh build of the trained parameters, and its manifest matches", () => {
        const built = buildModel(trained.params, trained.parameterSource);
        expect(built.manifest.parameterSource).toMatch(/^trained: npm run train/);
        expect(Buffer.from(built.bytes).equals(readFileSync(MODEL_PATH))).toBe(true);
        expect(readFileSync(MANIFEST_PATH, "utf8")).toBe(built.manifestJson);
    });

    it("does not read the focused column: its outputs are the same whichever candidate holds the focus", async () => {
        const n = 12;
        const inputs = randomInputs(7, n);
        const focusOn = (holder: number): Float32Array => {
            const features = Float32Array.from(inputs.features);
            for (let i = 0; i < n; i++) {
                features[i * FEATURE_COUNT + Feature.Focused] = i === holder ? 1 : 0;
            }
            return features;
        };
        const first = await runModel(session, { ...inputs, features: focusOn(0) }, n);
        const last = await runModel(session, { ...inputs, features: focusOn(n - 1) }, n);
        for (const name of ["engagement", "guidance", "dwell", "attention"]) {
            expect(Array.from(last[name]), name).toEqual(Array.from(first[name]));
        }
    });

    it("has a manifest that names the runtime's I/O, the parameter count and the file's hash", () => {
        const manifest = JSON.parse(readFileSync(MANIFEST_PATH, "utf8"));
        expect(checkManifest(manifest)).toEqual([]);
        expect(manifest.inputs).toEqual(DEFAULT_MODEL_IO.inputs);
        expect(manifest.outputs).toEqual(DEFAULT_MODEL_IO.outputs);
        expect(manifest.opset).toBe(17);
        expect(manifest.parameterCount).toBe(PARAMETER_COUNT);
        expect(manifest.sha256).toBe(createHash("sha256").update(readFileSync(MODEL_PATH)).digest("hex"));
    });

    it("initialises the same parameters on every call", () => {
        const first = initParameters();
        const again = initParameters();
        for (const name of Object.keys(first)) {
            expect(again[name]).toEqual(first[name]);
        }
    });

    it("uses only operators that onnxruntime-web's WebGPU provider implements", () => {
        const supported = readFileSync(ORT_WASM_PATH + "../docs/webgpu-operators.md", "utf8");
        const model = onnxProto.onnx.ModelProto.decode(readFileSync(MODEL_PATH));
        const missing = [...new Set(model.graph!.node!.map((n) => n.opType!))].filter((op) => !supported.includes(`| ${op} |`));
        expect(missing).toEqual([]);
    });

    it("exposes the documented inputs and outputs to onnxruntime", () => {
        expect(session.inputNames).toEqual(["features", "mask", "context", "weights"]);
        expect(session.outputNames).toEqual(["engagement", "guidance", "dwell", "attention"]);
    });
});

describe("the ONNX forward pass", () => {
    for (const [n, masked] of [
        [1, 0],
        [7, 0.3],
        [64, 0.25],
        [100, 0.5],
    ] as const) {
        it(`equals the TypeScript reference within 1e-4 for N=${n} with ${masked * 100}% padded`, async () => {
            const inputs = randomInputs(1000 + n, n, masked);
            // The padded-row checks below run only where the mask has padding.
            expect(inputs.mask.some((m) => m === 0)).toBe(masked > 0);
            const out = await runModel(session, inputs, n);
            const ref = referenceForward(params, inputs.features, inputs.mask, n, inputs.context, inputs.weights);
            for (const key of ["engagement", "guidance", "dwell", "attention"] as const) {
                expect(maxDiff(out[key], ref[key], n), key).toBeLessThan(1e-4);
            }
            let attentionSum = 0;
            for (let i = 0; i < n; i++) {
                if (inputs.mask[i] === 0) {
                    expectZero(out.attention[i], `attention[${i}]`);
                    expectZero(out.engagement[i], `engagement[${i}]`);
                }
                attentionSum += out.attention[i];
            }
            expect(attentionSum).toBeCloseTo(1, 5);
        });
    }

    it("ignores whatever sits in padded rows", async () => {
        const real = randomInputs(5, 6);
        const padded = randomInputs(6, 16); // random garbage in rows 6..15
        padded.features.set(real.features);
        padded.context.set(real.context);
        padded.weights.set(real.weights);
        padded.mask.fill(1, 0, 6).fill(0, 6);
        const a = await runModel(session, real, 6);
        const b = await runModel(session, padded, 16);
        for (const key of ["engagement", "guidance", "dwell", "attention"]) {
            for (let i = 0; i < 6; i++) {
                expect(b[key][i], `${key}[${i}]`).toBeCloseTo(a[key][i], 5);
            }
        }
    });

    it("ranks like the heuristic at initialisation where the heuristic has a clear winner", async () => {
        // The initialisation, not the committed (trained) file: training starts from this promise.
        const initial = await ort.InferenceSession.create(buildModel().bytes, { executionProviders: ["wasm"] });
        try {
            await expectRanksLikeHeuristic(initial);
        } finally {
            await initial.release();
        }
    });

    async function expectRanksLikeHeuristic(initial: typeof session): Promise<void> {
        let compared = 0;
        for (let seed = 0; seed < 40; seed++) {
            const n = 12;
            const inputs = randomInputs(seed, n);
            packWeights(DEFAULT_WEIGHTS, inputs.weights);
            const out = await runModel(initial, inputs, n);
            const scratch = new Float32Array(8);
            const heuristic = Array.from({ length: n }, (_, i) => heuristicContributions(inputs.features, i, inputs.weights, scratch, 0));
            const order = heuristic.map((_, i) => i).sort((x, y) => heuristic[y] - heuristic[x]);
            if (heuristic[order[0]] - heuristic[order[1]] < 0.1) continue;
            compared++;
            const modelBest = Array.from(out.engagement.subarray(0, n)).indexOf(Math.max(...out.engagement.subarray(0, n)));
            expect(modelBest, `seed ${seed}`).toBe(order[0]);
        }
        expect(compared).toBeGreaterThan(10);
    }

    it("computes the heuristic score exactly in its prior path", async () => {
        const noResidual = initParameters();
        noResidual[PARAM.engagementWeight].fill(0);
        noResidual[PARAM.engagementBias].fill(0);
        const priorOnly = await ort.InferenceSession.create(writeAttentionModel(noResidual), { executionProviders: ["wasm"] });
        try {
            const n = 32;
            const inputs = randomInputs(77, n);
            const out = await runModel(priorOnly, inputs, n);
            const scratch = new Float32Array(8);
            for (let i = 0; i < n; i++) {
                expect(out.engagement[i]).toBeCloseTo(heuristicContributions(inputs.features, i, inputs.weights, scratch, 0), 5);
            }
        } finally {
            await priorOnly.release();
        }
    });

    it("changes the ranking when the weights input changes, without reloading", async () => {
        // A standing player who has looked for about 0.7 s at an NPC 12 m ahead, with another NPC
        // 2.5 m away outside the field of view: the scene the restart choice checks too.
        const inputs = randomInputs(3, 2);
        inputs.features.set(lookedAtFarNearUnseenRows());
        inputs.context.set(lookedAtFarNearUnseenContext());
        packWeights(DEFAULT_WEIGHTS, inputs.weights);
        const gazeFirst = await runModel(session, inputs, 2);
        expect(gazeFirst.engagement[0]).toBeGreaterThan(gazeFirst.engagement[1]);
        const scratch = new Float32Array(8);
        const heuristicBefore = [0, 1].map((i) => heuristicContributions(inputs.features, i, inputs.weights, scratch, 0));
        // Every signal still on: training keeps prior_scale at 1 and the network reads the same
        // columns, so a weight change moves each score by exactly the heuristic's change.
        packWeights({ ...DEFAULT_WEIGHTS, gaze: 0.25, proximity: 4 }, inputs.weights);
        const reweighted = await runModel(session, inputs, 2);
        expect(params[PARAM.priorScale][0]).toBe(1);
        for (const i of [0, 1]) {
            const heuristicChange = heuristicContributions(inputs.features, i, inputs.weights, scratch, 0) - heuristicBefore[i];
            expect(reweighted.engagement[i] - gazeFirst.engagement[i]).toBeCloseTo(heuristicChange, 4);
        }
        // Every signal off but proximity: the near NPC first, as under the heuristic.
        packWeights({ gaze: 0, dwell: 0, proximity: 1, event: 0, priority: 0, novelty: 0, visibility: 0, approach: 0 }, inputs.weights);
        const proximityOnly = await runModel(session, inputs, 2);
        expect(proximityOnly.engagement[1]).toBeGreaterThan(proximityOnly.engagement[0]);
    });

    it("hides a switched-off signal's columns from the network", async () => {
        const inputs = randomInputs(11, 6);
        packWeights({ ...DEFAULT_WEIGHTS, gaze: 0 }, inputs.weights);
        const before = await runModel(session, inputs, 6);
        // Whatever the gaze columns hold, the outputs are the same while gaze is off.
        for (let i = 0; i < 6; i++) {
            for (const f of [Feature.GazeAlignment, Feature.GazeAngle, Feature.GazeTurn, Feature.GazeShare]) {
                inputs.features[i * FEATURE_COUNT + f] = 1 - inputs.features[i * FEATURE_COUNT + f];
            }
        }
        const after = await runModel(session, inputs, 6);
        for (const key of ["engagement", "guidance", "dwell", "attention"] as const) {
            for (let i = 0; i < 6; i++) {
                expect(after[key][i], `${key}[${i}]`).toBeCloseTo(before[key][i], 5);
            }
        }
        // With gaze on, the same change moves them.
        packWeights(DEFAULT_WEIGHTS, inputs.weights);
        const on = await runModel(session, inputs, 6);
        for (let i = 0; i < 6; i++) {
            inputs.features[i * FEATURE_COUNT + Feature.GazeTurn] = -inputs.features[i * FEATURE_COUNT + Feature.GazeTurn];
        }
        const moved = await runModel(session, inputs, 6);
        expect(Math.max(...Array.from(on.engagement.subarray(0, 6), (v, i) => Math.abs(v - moved.engagement[i])))).toBeGreaterThan(1e-3);
    });

    it("hides novelty while dwell is off: it is worked out from the seconds looked at", async () => {
        const inputs = randomInputs(13, 6);
        const scratch = new Float32Array(8);
        /** The network's part of each engagement: the output less the heuristic prior. */
        const learned = async (): Promise<number[]> => {
            const out = await runModel(session, inputs, 6);
            return Array.from({ length: 6 }, (_, i) => out.engagement[i] - heuristicContributions(inputs.features, i, inputs.weights, scratch, 0));
        };
        const flipNovelty = (): void => {
            for (let i = 0; i < 6; i++) inputs.features[i * FEATURE_COUNT + Feature.Novelty] = 1 - inputs.features[i * FEATURE_COUNT + Feature.Novelty];
        };
        packWeights({ ...DEFAULT_WEIGHTS, dwell: 0 }, inputs.weights);
        const before = await learned();
        flipNovelty();
        const after = await learned();
        for (let i = 0; i < 6; i++) expect(after[i], `row ${i}, dwell off`).toBeCloseTo(before[i], 4);
        packWeights(DEFAULT_WEIGHTS, inputs.weights);
        const withDwell = await learned();
        flipNovelty();
        const flippedWithDwell = await learned();
        expect(Math.max(...withDwell.map((v, i) => Math.abs(v - flippedWithDwell[i])))).toBeGreaterThan(1e-3);
    });
});

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import onnxProto from "onnx-proto";
import { PARAM, PARAMETER_COUNT, initParameters } from "../../models/architecture";
import { writeAttentionModel } from "../../models/onnxWriter";
import { buildModel } from "../../models/buildModel";
import { FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, packWeights } from "../../plugin/model/attentionWeights";
import { heuristicContributions } from "../../plugin/model/heuristicScorer";
import { DEFAULT_MODEL_IO, checkManifest } from "../../plugin/model/modelManifest";
import { MANIFEST_PATH, MODEL_PATH, ORT_WASM_PATH, randomInputs, runModel, setUpOrt } from "./modelFixtures";
import { referenceForward } from "./reference";

const ort = setUpOrt();
const params = initParameters();
let session: Awaited<ReturnType<typeof ort.InferenceSession.create>>;

beforeAll(async () => {
    session = await ort.InferenceSession.create(readFileSync(MODEL_PATH), { executionProviders: ["wasm"] });
});

afterAll(async () => {
    await session.release();
});

function maxDiff(actual: Float32Array, expected: Float64Array, n: number): number {
    let diff = 0;
    for (let i = 0; i < n; i++) {
        diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    }
    return diff;
}

describe("the committed ONNX model", () => {
    it("is byte-identical to a fresh build, and its manifest matches", () => {
        const built = buildModel();
        expect(Buffer.from(built.bytes).equals(readFileSync(MODEL_PATH))).toBe(true);
        expect(readFileSync(MANIFEST_PATH, "utf8")).toBe(built.manifestJson);
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
        const again = initParameters();
        for (const name of Object.keys(params)) {
            expect(again[name]).toEqual(params[name]);
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
            const out = await runModel(session, inputs, n);
            const ref = referenceForward(params, inputs.features, inputs.mask, n, inputs.context, inputs.weights);
            for (const key of ["engagement", "guidance", "dwell", "attention"] as const) {
                expect(maxDiff(out[key], ref[key], n), key).toBeLessThan(1e-4);
            }
            let attentionSum = 0;
            for (let i = 0; i < n; i++) {
                if (inputs.mask[i] === 0) {
                    expect(out.attention[i]).toBe(0);
                    expect(out.engagement[i]).toBe(0);
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

    it("ranks like the heuristic before training where the heuristic has a clear winner", async () => {
        let compared = 0;
        for (let seed = 0; seed < 40; seed++) {
            const n = 12;
            const inputs = randomInputs(seed, n);
            packWeights(DEFAULT_WEIGHTS, inputs.weights);
            const out = await runModel(session, inputs, n);
            const scratch = new Float32Array(8);
            const heuristic = Array.from({ length: n }, (_, i) => heuristicContributions(inputs.features, i, inputs.weights, scratch, 0));
            const order = heuristic.map((_, i) => i).sort((x, y) => heuristic[y] - heuristic[x]);
            if (heuristic[order[0]] - heuristic[order[1]] < 0.1) continue;
            compared++;
            const modelBest = Array.from(out.engagement.subarray(0, n)).indexOf(Math.max(...out.engagement.subarray(0, n)));
            expect(modelBest, `seed ${seed}`).toBe(order[0]);
        }
        expect(compared).toBeGreaterThan(10);
    });

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
        const inputs = randomInputs(3, 2);
        inputs.features.fill(0);
        const row = (i: number, f: Feature, v: number): void => {
            inputs.features[i * FEATURE_COUNT + f] = v;
        };
        // Candidate 0 is looked at; candidate 1 is close.
        row(0, Feature.GazeAlignment, 0.9);
        row(0, Feature.Visible, 1);
        row(0, Feature.Proximity, 0.2);
        row(1, Feature.Visible, 1);
        row(1, Feature.Proximity, 0.9);
        packWeights(DEFAULT_WEIGHTS, inputs.weights);
        const gazeFirst = await runModel(session, inputs, 2);
        expect(gazeFirst.engagement[0]).toBeGreaterThan(gazeFirst.engagement[1]);
        packWeights({ ...DEFAULT_WEIGHTS, gaze: 0, proximity: 4 }, inputs.weights);
        const proximityFirst = await runModel(session, inputs, 2);
        expect(proximityFirst.engagement[1]).toBeGreaterThan(proximityFirst.engagement[0]);
    });
});

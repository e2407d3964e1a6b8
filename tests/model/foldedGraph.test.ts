import { afterAll, beforeAll, describe, expect, it } from "vitest";
import onnxProto from "onnx-proto";
import { PARAM, PARAMETER_SPECS, type ParameterSet, initParameters } from "../../models/architecture";
import { mulberry32 } from "../../models/mulberry32";
import { writeAttentionModel } from "../../models/onnxWriter";
import { randomInputs, runModel, setUpOrt } from "./modelFixtures";
import { referenceForward } from "./reference";

// The writer folds parameters at build time (K bias dropped, V bias moved into the output bias,
// prior_scale moved into the prior's gates, LayerNorm pairs fused). The documented
// initialisation has every bias 0, every LayerNorm scale 1 and prior_scale 1, where a wrong fold
// would still pass; trained parameters have none of that. These tests perturb all of them.

const ort = setUpOrt();

/** The initialisation with every bias, LayerNorm scale and prior_scale set to seeded non-trivial values. */
function perturbedParameters(seed: number, priorScale: number): ParameterSet {
    const params = initParameters();
    const random = mulberry32(seed);
    for (const spec of PARAMETER_SPECS) {
        const data = params[spec.name];
        if (spec.name.endsWith(".scale")) {
            data.forEach((_, i) => (data[i] = 0.5 + random()));
        } else if (spec.name.endsWith(".bias")) {
            data.forEach((_, i) => (data[i] = random() - 0.5));
        }
    }
    params[PARAM.priorScale][0] = priorScale;
    return params;
}

function maxDiff(actual: Float32Array, expected: Float64Array, n: number): number {
    let diff = 0;
    for (let i = 0; i < n; i++) {
        diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
    }
    return diff;
}

describe("the folded ONNX graph with non-trivial biases, LayerNorm scales and prior_scale", () => {
    const cases = [
        { name: "prior_scale 1.7", params: perturbedParameters(31, 1.7) },
        { name: "negative prior_scale", params: perturbedParameters(32, -0.6) },
    ];
    const sessions: Awaited<ReturnType<typeof ort.InferenceSession.create>>[] = [];

    beforeAll(async () => {
        for (const c of cases) {
            sessions.push(await ort.InferenceSession.create(writeAttentionModel(c.params), { executionProviders: ["wasm"] }));
        }
    });

    afterAll(async () => {
        for (const s of sessions) {
            await s.release();
        }
    });

    cases.forEach((c, index) => {
        for (const [n, masked] of [
            [1, 0],
            [9, 0.4],
            [64, 0.25],
        ] as const) {
            it(`equals the TypeScript reference within 1e-4 (${c.name}, N=${n}, ${masked * 100}% padded)`, async () => {
                const inputs = randomInputs(500 + n + index, n, masked);
                // The padded-row checks below run only where the mask has padding.
                expect(inputs.mask.some((m) => m === 0)).toBe(masked > 0);
                const out = await runModel(sessions[index], inputs, n);
                const ref = referenceForward(c.params, inputs.features, inputs.mask, n, inputs.context, inputs.weights);
                for (const key of ["engagement", "guidance", "dwell", "attention"] as const) {
                    expect(maxDiff(out[key], ref[key], n), key).toBeLessThan(1e-4);
                }
                for (let i = 0; i < n; i++) {
                    if (inputs.mask[i] === 0) {
                        for (const key of ["engagement", "guidance", "dwell", "attention"]) {
                            // -0 where a negative logit meets the 0 mask, as in any x * mask: compare numerically.
                            expect(out[key][i] === 0, `${key}[${i}] padded reads ${out[key][i]}`).toBe(true);
                        }
                    }
                }
            });
        }
    });

    it("gives a stable dwell for extreme dwell logits (softplus without overflow)", async () => {
        const params = perturbedParameters(33, 1);
        params[PARAM.dwellBias][0] = 150; // softplus(150 + small) = 150 + small: a naive log(1 + exp(x)) reads Infinity
        const session = await ort.InferenceSession.create(writeAttentionModel(params), { executionProviders: ["wasm"] });
        try {
            const n = 5;
            const inputs = randomInputs(7, n);
            const out = await runModel(session, inputs, n);
            const ref = referenceForward(params, inputs.features, inputs.mask, n, inputs.context, inputs.weights);
            for (let i = 0; i < n; i++) {
                expect(Number.isFinite(out.dwell[i])).toBe(true);
                expect(Math.abs(out.dwell[i] - ref.dwell[i])).toBeLessThan(1e-3);
            }
        } finally {
            await session.release();
        }
    });

    it("leaves no unused trailing output named \"\" (onnxruntime-web's WebGPU kernels reject them)", () => {
        const model = onnxProto.onnx.ModelProto.decode(writeAttentionModel(initParameters()));
        for (const node of model.graph!.node!) {
            expect(node.output![node.output!.length - 1], node.name!).not.toBe("");
        }
    });

    it("keeps to onnxruntime-web's fast WASM kernels: RMS norms only, no broadcast-batched MatMul, Transposes that fuse into a MatMul, no Add over the [H, T, T] scores", () => {
        const model = onnxProto.onnx.ModelProto.decode(writeAttentionModel(initParameters()));
        const nodes = model.graph!.node!;
        const initializers = new Set(model.graph!.initializer!.map((t) => t.name!));
        const opTypes = nodes.map((node) => node.opType!);
        // Of which 8 are the signal gates: Greater, Cast and Unsqueeze for which signals are on, a Gemm and a Mul each for the features and the context, and a Relu for the features (novelty needs two signals on).
        expect(nodes.length).toBeLessThanOrEqual(69);
        // LayerNormalization costs 20 us at 65 tokens against 7 us for the RMS form the centred stream allows.
        expect(opTypes.filter((op) => op.endsWith("LayerNormalization") && op !== "SimplifiedLayerNormalization")).toEqual([]);
        expect(opTypes.filter((op) => op === "SimplifiedLayerNormalization")).toHaveLength(5);
        // A MatMul against a weight multiplies the [T, D] tokens by a per-head batch: 4x slower than a Gemm.
        const weightMatMuls = nodes.filter((node) => node.opType === "MatMul" && node.input!.some((name) => initializers.has(name)));
        expect(weightMatMuls.map((node) => node.name)).toEqual([]);
        for (const transpose of nodes.filter((node) => node.opType === "Transpose")) {
            expect(transpose.attribute!.find((a) => a.name === "perm")!.ints!.map(Number), transpose.name!).toEqual([0, 2, 1]);
            const readers = nodes.filter((node) => node.input!.includes(transpose.output![0]));
            expect(readers.map((node) => node.opType), transpose.name!).toEqual(["MatMul"]);
        }
        const scores = nodes.filter((node) => node.opType === "Softmax").map((node) => node.input![0]);
        const producers = nodes.filter((node) => node.output!.some((o) => scores.includes(o)));
        expect(producers.map((node) => node.opType)).not.toContain("Add");
    });
});

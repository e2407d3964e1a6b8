import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { backendCandidates, createScorerAsync } from "../../plugin/model/backendSelection";
import { HeuristicScorer } from "../../plugin/model/heuristicScorer";
import { OnnxModelError } from "../../plugin/model/onnxModelError";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import { createScorerOutput } from "../../plugin/model/scorer";
import { MODEL_PATH, ORT_WASM_PATH, dropLastFeature, randomBytes, randomInputs, renameInput, setUpOrt } from "./modelFixtures";

setUpOrt();
const modelBytes = new Uint8Array(readFileSync(MODEL_PATH));
const ortOptions = { wasmPaths: ORT_WASM_PATH, numThreads: 1, warmup: false };

describe("backendCandidates", () => {
    it("starts auto at WebGPU only where navigator.gpu exists", () => {
        expect(backendCandidates("auto", true)).toEqual(["webgpu", "wasm", "heuristic"]);
        expect(backendCandidates("auto", false)).toEqual(["wasm", "heuristic"]);
        expect(backendCandidates("wasm", true)).toEqual(["wasm", "heuristic"]);
        expect(backendCandidates("heuristic", true)).toEqual(["heuristic"]);
    });
});

describe("createScorerAsync", () => {
    it("uses WASM in Node for a good model, warmed up, without warnings", async () => {
        const warnings: string[] = [];
        const result = await createScorerAsync({ model: MODEL_PATH, ...ortOptions, warmup: true, onWarning: (m) => warnings.push(m) });
        try {
            expect(result.backend).toBe("wasm");
            expect(result.scorer).toBeInstanceOf(OnnxScorer);
            expect(result.failures).toEqual([]);
            expect(warnings).toEqual([]);
            const inputs = randomInputs(1, 4);
            const output = createScorerOutput(4);
            await result.scorer.score({ features: inputs.features, count: 4, context: inputs.context, weights: inputs.weights }, output);
            expect(output.attention.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
        } finally {
            result.scorer.dispose();
        }
    });

    for (const [label, bytes, kind] of [
        ["a renamed input", renameInput(modelBytes, "mask", "valid"), "io-mismatch"],
        ["a wrong feature count", dropLastFeature(modelBytes), "io-mismatch"],
        ["random bytes", randomBytes(2048, 9), "invalid-file"],
    ] as const) {
        it(`falls back to the heuristic with exactly one warning for ${label}`, async () => {
            const warnings: string[] = [];
            const result = await createScorerAsync({ model: bytes, ...ortOptions, onWarning: (m) => warnings.push(m) });
            expect(result.backend).toBe("heuristic");
            expect(result.scorer).toBeInstanceOf(HeuristicScorer);
            expect(result.failures.map((f) => f.backend)).toEqual(["wasm"]);
            expect((result.failures[0].error as OnnxModelError).kind).toBe(kind);
            expect(warnings).toHaveLength(1);
            expect(warnings[0]).toContain(result.failures[0].error.message);
            // The fallback ranks.
            const inputs = randomInputs(2, 3);
            const output = createScorerOutput(3);
            result.scorer.score({ features: inputs.features, count: 3, context: inputs.context, weights: inputs.weights }, output);
            expect(Number.isFinite(output.engagement[0])).toBe(true);
        });
    }

    it("falls from WebGPU to WASM where the WebGPU provider is missing, with one warning", async () => {
        const warnings: string[] = [];
        const result = await createScorerAsync({ backend: "webgpu", model: modelBytes, ...ortOptions, onWarning: (m) => warnings.push(m) });
        try {
            expect(result.backend).toBe("wasm");
            expect(result.failures.map((f) => f.backend)).toEqual(["webgpu"]);
            expect(warnings).toHaveLength(1);
            expect(warnings[0]).toMatch(/^attention scorer: using wasm after webgpu failed/);
        } finally {
            result.scorer.dispose();
        }
    });

    it("picks the heuristic silently when no model is given", async () => {
        const warnings: string[] = [];
        const result = await createScorerAsync({ onWarning: (m) => warnings.push(m) });
        expect(result.backend).toBe("heuristic");
        expect(result.failures).toEqual([]);
        expect(warnings).toEqual([]);
    });
});

import { readFileSync } from "node:fs";
import { afterEach, describe, expect, it } from "vitest";
import { loadTrainedParameters } from "../../models/train/trainedParameters";
import { OnnxModelError, OnnxScorerBusyError } from "../../plugin/model/onnxModelError";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import { createScorerOutput } from "../../plugin/model/scorer";
import { MODEL_PATH, ORT_WASM_PATH, dropLastFeature, randomBytes, randomInputs, renameInput, setUpOrt } from "./modelFixtures";
import { referenceForward } from "./reference";

setUpOrt();
// The committed model is the trained one; the reference runs on the same parameters.
const params = loadTrainedParameters().params;
const modelBytes = new Uint8Array(readFileSync(MODEL_PATH));
const scorers: OnnxScorer[] = [];

async function create(model: Parameters<typeof OnnxScorer.CreateAsync>[0]): Promise<OnnxScorer> {
    const scorer = await OnnxScorer.CreateAsync(model, { wasmPaths: ORT_WASM_PATH, numThreads: 1 });
    scorers.push(scorer);
    return scorer;
}

async function createError(model: Uint8Array): Promise<OnnxModelError> {
    const error = await OnnxScorer.CreateAsync(model).then(
        () => null,
        (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(OnnxModelError);
    return error as OnnxModelError;
}

afterEach(() => {
    scorers.splice(0).forEach((s) => s.dispose());
});

/** Real candidates only: the scorer pads with the mask itself. */
async function expectMatchesReference(scorer: OnnxScorer, count: number, seed: number): Promise<void> {
    const inputs = randomInputs(seed, count);
    inputs.mask.fill(1);
    const output = createScorerOutput(count);
    await scorer.score({ features: inputs.features, count, context: inputs.context, weights: inputs.weights }, output);
    const ref = referenceForward(params, inputs.features, inputs.mask, count, inputs.context, inputs.weights);
    for (const key of ["engagement", "guidance", "dwell", "attention"] as const) {
        for (let i = 0; i < count; i++) {
            expect(Math.abs(output[key][i] - ref[key][i]), `${key}[${i}] of ${count}`).toBeLessThan(1e-4);
        }
    }
}

describe("OnnxScorer", () => {
    it("loads from a file path and pads each count to a bucket without changing the scores", async () => {
        const scorer = await create(MODEL_PATH);
        expect(scorer.backend).toBe("wasm");
        expect(scorer.isSynchronous).toBe(false);
        await expectMatchesReference(scorer, 3, 11);
        expect(scorer.stats.lastBucket).toBe(8);
        await expectMatchesReference(scorer, 64, 12);
        expect(scorer.stats.lastBucket).toBe(64);
        // Back to fewer rows in a bucket that held more: stale rows must be cleared.
        await expectMatchesReference(scorer, 40, 13);
        expect(scorer.stats.runs).toBe(3);
    });

    it("grows a bucket for more candidates than the largest one", async () => {
        const scorer = await create(modelBytes);
        await expectMatchesReference(scorer, 300, 14);
        expect(scorer.stats.lastBucket).toBe(512);
        expect(scorer.bucketSizes).toContain(512);
    });

    it("loads from an ArrayBuffer", async () => {
        const buffer = modelBytes.buffer.slice(modelBytes.byteOffset, modelBytes.byteOffset + modelBytes.byteLength) as ArrayBuffer;
        const scorer = await create(buffer);
        await expectMatchesReference(scorer, 1, 15);
    });

    it("refuses a second score() while a run is in flight, leaving its output untouched", async () => {
        const scorer = await create(modelBytes);
        const inputs = randomInputs(16, 8);
        const input = { features: inputs.features, count: 8, context: inputs.context, weights: inputs.weights };
        const first = scorer.score(input, createScorerOutput(8));
        expect(scorer.isBusy).toBe(true);
        const untouched = createScorerOutput(8).engagement.fill(-7);
        const second = scorer.score(input, { ...createScorerOutput(8), engagement: untouched });
        await expect(second).rejects.toBeInstanceOf(OnnxScorerBusyError);
        await first;
        expect(untouched.every((v) => v === -7)).toBe(true);
        expect(scorer.stats.refusedRuns).toBe(1);
        expect(scorer.isBusy).toBe(false);
    });

    it("warms up every bucket and records run times against the budget", async () => {
        const scorer = await create(modelBytes);
        await scorer.warmupAsync(2);
        expect(scorer.stats.runs).toBe(0); // warm-up runs are not scored runs
        await expectMatchesReference(scorer, 16, 17);
        expect(scorer.stats.lastRunMs).toBeGreaterThan(0);
        expect(scorer.stats.maxRunMs).toBeGreaterThanOrEqual(scorer.stats.lastRunMs);
        expect(scorer.stats.consecutiveOverBudget).toBe(scorer.stats.lastRunMs > scorer.runBudgetMs ? 1 : 0);
    });

    it("calls itself over budget once most of its last 8 runs took longer than runBudgetMs", async () => {
        // A budget no run can meet: every run counts against it.
        const scorer = await OnnxScorer.CreateAsync(modelBytes, { wasmPaths: ORT_WASM_PATH, numThreads: 1, runBudgetMs: 1e-9 });
        scorers.push(scorer);
        const inputs = randomInputs(5, 4);
        const output = createScorerOutput(4);
        for (let run = 1; run <= 6; run++) {
            await scorer.score({ features: inputs.features, count: 4, context: inputs.context, weights: inputs.weights }, output);
            expect(scorer.stats.recentOverBudget).toBe(run);
            expect(scorer.isOverBudget).toBe(run >= 5);
        }
    });

    it("launches a run and collects it later with the same scores as score(), refusing a second launch meanwhile", async () => {
        const scorer = await create(modelBytes);
        const inputs = randomInputs(19, 12);
        inputs.mask.fill(1);
        const input = { features: inputs.features, count: 12, context: inputs.context, weights: inputs.weights };
        const awaited = createScorerOutput(12);
        await scorer.score(input, awaited);
        const launched = createScorerOutput(12);
        expect(scorer.collect()).toBe(false); // nothing launched yet
        expect(scorer.launch(input, launched)).toBe(true);
        expect(scorer.isBusy).toBe(true);
        expect(() => scorer.launch(input, createScorerOutput(12))).toThrow(OnnxScorerBusyError);
        await scorer.whenRunEndsAsync();
        expect(scorer.collect()).toBe(true);
        expect(scorer.isBusy).toBe(false);
        expect(scorer.collect()).toBe(false); // collected once
        expect(Array.from(launched.engagement)).toEqual(Array.from(awaited.engagement));
        expect(Array.from(launched.attention)).toEqual(Array.from(awaited.attention));
        expect(scorer.stats.runs).toBe(2);
        expect(scorer.stats.refusedRuns).toBe(1);
        // The run's own time, ended before its end was seen: not the wait until collect() looked.
        const launchedAt = performance.now();
        expect(scorer.launch(input, launched)).toBe(true);
        await scorer.whenRunEndsAsync();
        const seenEndedMs = performance.now() - launchedAt;
        await new Promise((resolve) => setTimeout(resolve, 50));
        expect(scorer.collect()).toBe(true);
        expect(scorer.stats.lastRunMs).toBeLessThanOrEqual(seenEndedMs);
    });

    it("finishes a launched run itself when disposed before anyone collected it", async () => {
        const scorer = await create(modelBytes);
        const inputs = randomInputs(20, 4);
        expect(scorer.launch({ features: inputs.features, count: 4, context: inputs.context, weights: inputs.weights }, createScorerOutput(4))).toBe(true);
        scorer.dispose();
        expect(scorer.isBusy).toBe(true);
        await scorer.whenRunEndsAsync();
        // Free, so the session has been released: nobody is left to call collect().
        expect(scorer.isBusy).toBe(false);
        expect(() => scorer.launch({ features: inputs.features, count: 4, context: inputs.context, weights: inputs.weights }, createScorerOutput(4))).toThrow(/disposed/);
    });

    it("rejects score() after dispose, and dispose is idempotent", async () => {
        const scorer = await create(modelBytes);
        scorer.dispose();
        scorer.dispose();
        expect(scorer.isDisposed).toBe(true);
        const inputs = randomInputs(18, 2);
        await expect(scorer.score({ features: inputs.features, count: 2, context: inputs.context, weights: inputs.weights }, createScorerOutput(2))).rejects.toThrow(/disposed/);
    });
});

describe("OnnxScorer with a wrong model file", () => {
    it("names a renamed input, its expected shape and the inputs the file has", async () => {
        const error = await createError(renameInput(modelBytes, "features", "feats"));
        expect(error.kind).toBe("io-mismatch");
        expect(error.message).toContain('model input "features" not found: expected float32 [1, N, 18]; the file has inputs: feats, mask, context, weights');
    });

    it("names a wrong feature count with the expected shape", async () => {
        const error = await createError(dropLastFeature(modelBytes));
        expect(error.kind).toBe("io-mismatch");
        expect(error.message).toBe('model input "features" has shape [1, N, 17]: expected float32 [1, N, 18]');
    });

    it("says random bytes are not a valid ONNX model", async () => {
        const error = await createError(randomBytes(4096));
        expect(error.kind).toBe("invalid-file");
        expect(error.message).toMatch(/^a 4096-byte buffer is not a valid ONNX model/);
    });

    it("says which file path could not be read", async () => {
        const error = await OnnxScorer.CreateAsync("/nonexistent/ranker.onnx").catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OnnxModelError);
        expect((error as OnnxModelError).kind).toBe("load-failed");
        expect((error as OnnxModelError).message).toContain('could not read the model from "/nonexistent/ranker.onnx"');
    });
});

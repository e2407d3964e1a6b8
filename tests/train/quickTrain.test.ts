import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { buildModel } from "../../models/buildModel";
import { DATA_PRESETS, simulateAsync } from "../../models/train/datasetSource";
import { PARITY_TOLERANCE, runTrainingPipelineAsync, type IPipelineResult } from "../../models/train/pipeline";
import { loadTrainedParameters } from "../../models/train/trainedParameters";
import { RESTART_SEEDS, TRAIN_PRESETS } from "../../models/train/trainPresets";
import { MODEL_PATH } from "../model/modelFixtures";

const outDir = mkdtempSync(join(tmpdir(), "quick-train-"));
const committedBefore = readFileSync(MODEL_PATH);
let result: IPipelineResult;

afterAll(() => {
    rmSync(outDir, { recursive: true, force: true });
});

describe("npm run train -- --quick (in process, simulated players)", () => {
    it("trains, exports and evaluates within the time budget, writing only to its own folder", async () => {
        const startMs = performance.now();
        const data = await simulateAsync(DATA_PRESETS.quick);
        result = await runTrainingPipelineAsync({ dataset: data.dataset, datasetDescription: data.description, outDir, train: { ...TRAIN_PRESETS.quick, progress: null }, restartSeeds: RESTART_SEEDS.quick, log: () => {} });
        expect((performance.now() - startMs) / 1000).toBeLessThan(120);
        for (const name of ["attention-ranker.onnx", "attention-ranker.manifest.json", "report.json", "trained-parameters.json", "learning-curves.svg"]) {
            expect(statSync(join(outDir, name)).size, name).toBeGreaterThan(0);
        }
        expect(readFileSync(MODEL_PATH).equals(committedBefore)).toBe(true);
    }, 150_000);

    it("lowers the validation and training loss", () => {
        const history = result.training.history;
        expect(result.training.bestEpoch).toBeGreaterThan(0);
        expect(history[result.training.bestIndex].validation.total).toBeLessThan(history[0].validation.total * 0.9);
        expect(history[history.length - 1].train).toBeLessThan(history[0].train);
    });

    it("trains one run per restart seed and keeps the one that ranks best on the selection set", () => {
        const { records, chosenSeed, selection } = result.restarts;
        expect(records.map((r) => r.seed)).toEqual([...RESTART_SEEDS.quick]);
        expect(selection).toBe("the validation split");
        const best = Math.max(...records.map((r) => r.score));
        expect(records.find((r) => r.seed === chosenSeed)!.score).toBe(best);
        // The kept run's own training record is the one the pipeline exported.
        expect(result.training.history[result.training.bestIndex].validation.total).toBe(records.find((r) => r.seed === chosenSeed)!.validationLoss);
        for (const r of records) {
            expect(r.score).toBeCloseTo((Number.isFinite(r.approachTop1At3s) ? r.approachTop1At3s : 0) + r.ndcgAt5, 10);
            expect(r.ndcgAt5).toBeGreaterThan(0);
        }
        const report = JSON.parse(readFileSync(join(outDir, "report.json"), "utf8"));
        expect(report.restarts.chosenSeed).toBe(chosenSeed);
        expect(report.restarts.records).toHaveLength(RESTART_SEEDS.quick.length);
    });

    it("exports an ONNX file that reproduces the trained network within 1e-4 on the test split", () => {
        expect(result.parity.examples).toBeGreaterThan(0);
        for (const [output, diff] of Object.entries(result.parity.maxAbsDiff)) {
            expect(diff, output).toBeLessThan(PARITY_TOLERANCE);
        }
    });

    it("saves parameters that rebuild the exported file byte for byte", () => {
        const saved = loadTrainedParameters(join(outDir, "trained-parameters.json"));
        const rebuilt = buildModel(saved.params, saved.parameterSource);
        expect(Buffer.from(rebuilt.bytes).equals(readFileSync(join(outDir, "attention-ranker.onnx")))).toBe(true);
        expect(saved.parameterSource).toMatch(/^trained: /);
    });

    it("reports every metric for the model and the four baselines on held-out layouts", () => {
        const report = JSON.parse(readFileSync(join(outDir, "report.json"), "utf8"));
        expect(Object.keys(report.evaluation.baselines)).toEqual(["nearest", "gazeAngle", "heuristicDefault", "heuristicTuned"]);
        expect(Object.keys(report.evaluation.model)).toEqual(["top1@1s", "top1@3s", "top3@3s", "approachTop1@3s", "approachTop1@6s", "ndcg@5", "hintF1", "dwellMae"]);
        expect(report.split.by).toBe("layout");
        const train = new Set<string>(report.split.train.groups);
        expect(report.split.test.groups.some((g: string) => train.has(g))).toBe(false);
        expect(report.evaluation.sessions).toBeGreaterThan(0);
        // The picture draws curves, not just an empty frame (its size is checked above).
        expect(readFileSync(join(outDir, "learning-curves.svg"), "utf8")).toMatch(/<polyline/);
    });
});

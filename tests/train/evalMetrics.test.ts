import { describe, expect, it } from "vitest";
import { approachBreakdown } from "../../models/eval/approachBreakdown";
import { computeMetricReport, computeMetrics, rankOf } from "../../models/eval/metrics";
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { packExamples } from "../../models/train/packedDataset";
import { splitDataset } from "../../models/train/split";
import { makeSyntheticDataset } from "./syntheticDataset";

/** Two sessions of synthetic ticks, with hand-set targets and distances. */
function smallSplit() {
    const dataset = makeSyntheticDataset({ layouts: 1, sessionsPerLayout: 2, ticksPerSession: 2, k: 4, seed: 3 });
    dataset.examples.forEach((e, i) => {
        e.mask.set([1, 1, 1, 0]);
        e.engage1s = i === 0 ? 0 : -1;
        e.engage3s = [0, 1, 2, 1][i];
        e.engage6s = [0, 1, 2, 2][i];
        e.distance.set([1, 5, 8, 0]);
        e.guidance.set([0, 1, 0, 0]);
        e.dwell.set([1, 0, 0, 0]);
    });
    return packExamples(dataset);
}

describe("evaluation metrics", () => {
    it("ranks ties toward the lower row and ignores padded rows", () => {
        const data = smallSplit();
        const scores = new Float32Array([1, 1, 0.5, 99, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        expect(rankOf(scores, data.mask, 0, 4, 0)).toBe(1);
        expect(rankOf(scores, data.mask, 0, 4, 1)).toBe(2);
        expect(rankOf(scores, data.mask, 0, 4, 2)).toBe(3);
    });

    it("counts approach moments only beyond 3 m and scores NDCG@5 by the 3 s target's rank", () => {
        const data = smallSplit();
        const k = data.k;
        // Every tick ranks row 0 first, row 1 second, row 2 third.
        const engagement = new Float32Array(data.count * k);
        for (let e = 0; e < data.count; e++) engagement.set([3, 2, 1, 0], e * k);
        const guidance = new Float32Array(data.count * k);
        for (let e = 0; e < data.count; e++) guidance.set([0, 0.9, 0.9, 0], e * k);
        const dwell = new Float32Array(data.count * k);
        const m = computeMetrics(data, { engagement, guidance, dwell, hintThreshold: 0.5 });
        expect(m["top1@1s"]).toBe(1);
        expect(m["top1@3s"]).toBe(0.25); // targets 0, 1, 2, 1: only the first is ranked first
        expect(m["top3@3s"]).toBe(1);
        expect(m["approachTop1@3s"]).toBe(0); // the only near target (row 0, 1 m) is excluded
        expect(m["approachTop1@6s"]).toBe(0);
        expect(m["ndcg@5"]).toBeCloseTo((1 + 2 / Math.log2(3) + 1 / Math.log2(4)) / 4, 6);
        expect(m.hintF1).toBeCloseTo((2 * 4) / (2 * 4 + 4 + 0), 6); // 4 true positives at row 1, 4 false at row 2
        expect(m.dwellMae).toBeCloseTo(4 / 12, 6);
        const report = computeMetricReport(data, { engagement, guidance, dwell, hintThreshold: 0.5 });
        expect(report["top3@3s"]).toMatchObject({ value: 1, low: 1, high: 1, count: 4 });
        expect(report["top1@3s"].low).toBeLessThanOrEqual(0.25);
        expect(report["top1@3s"].high).toBeGreaterThanOrEqual(0.25);
    });

    it("splits the approach moments by what the player does toward the target", () => {
        const data = smallSplit();
        const k = data.k;
        // Targets 1, 2, 1 are beyond 3 m (tick 0's row 0 is 1 m away, so not an approach moment).
        const set = (e: number, row: number, feature: Feature, value: number): void => void (data.features[(e * k + row) * FEATURE_COUNT + feature] = value);
        for (let e = 0; e < data.count; e++) {
            set(e, 1, Feature.GazeAlignment, 0);
            set(e, 1, Feature.Dwell, 0);
            set(e, 2, Feature.GazeAlignment, 0);
            set(e, 2, Feature.Dwell, 0);
            data.context[e * CONTEXT_COUNT + Context.Speed] = 0.8;
        }
        set(1, 1, Feature.GazeAlignment, 0.9);
        set(1, 1, Feature.Approach, 0.7);
        set(3, 1, Feature.GazeAlignment, 0.9);
        set(3, 1, Feature.Approach, 0.7);
        set(2, 2, Feature.Approach, -0.5);
        // The model ranks the target first at ticks 1 and 2; the tuned heuristic only at tick 1.
        const model = new Float32Array(data.count * k);
        const tuned = new Float32Array(data.count * k);
        model.set([0, 5, 0, 0], 1 * k);
        model.set([0, 0, 5, 0], 2 * k);
        tuned.set([0, 5, 0, 0], 1 * k);
        tuned.set([5, 0, 0, 0], 2 * k);
        model.set([5, 0, 0, 0], 3 * k);
        tuned.set([5, 0, 0, 0], 3 * k);
        expect(approachBreakdown(data, model, tuned)).toEqual([
            { situation: "looking / walking to it", moments: 2, modelHits: 1, tunedHits: 1 },
            { situation: "not looking / walking elsewhere", moments: 1, modelHits: 1, tunedHits: 0 },
        ]);
    });

    it("holds whole layouts out of training", () => {
        const dataset = makeSyntheticDataset({ layouts: 8, sessionsPerLayout: 2, ticksPerSession: 3 });
        const split = splitDataset(dataset);
        const trainLayouts = new Set(split.train.map((e) => e.layoutId));
        expect(split.by).toBe("layout");
        expect(split.test.length).toBeGreaterThan(0);
        expect(split.test.some((e) => trainLayouts.has(e.layoutId))).toBe(false);
        expect(split.validation.some((e) => trainLayouts.has(e.layoutId))).toBe(false);
        expect(splitDataset(dataset).testGroups).toEqual(split.testGroups);
    });
});

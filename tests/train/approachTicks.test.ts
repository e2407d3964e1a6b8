import { describe, expect, it } from "vitest";
import { disposeBatch, makeBatch } from "../../models/train/batches";
import { APPROACH_MIN_DISTANCE_M } from "../../models/eval/metrics";
import { packExamples } from "../../models/train/packedDataset";
import { makeSyntheticDataset } from "./syntheticDataset";

describe("approach ticks in the engagement losses", () => {
    it("weigh each horizon's 3 s and 6 s target by its own distance, and nothing else", () => {
        const data = packExamples(makeSyntheticDataset({ layouts: 1, sessionsPerLayout: 1, ticksPerSession: 40 }));
        const k = data.k;
        const isFar = (i: number, row: number): boolean => data.distance[i * k + row] > APPROACH_MIN_DISTANCE_M;
        // The simulated ticks give both horizons the same target: give some a 6 s target on the
        // other side of the approach distance, and some no 3 s target at all, so that a weight
        // read from the wrong horizon's target, or set where there is none, shows.
        let moved = 0;
        for (let i = 0; i < data.count; i++) {
            const target = data.engage3s[i];
            const other = Array.from({ length: data.usedRows[i] }, (_, row) => row).find((row) => data.mask[i * k + row] > 0 && isFar(i, row) !== isFar(i, target));
            if (i % 2 === 0 && other !== undefined) {
                data.engage6s[i] = other;
                moved++;
            } else if (i % 5 === 1) {
                data.engage3s[i] = -1;
            }
        }
        expect(moved).toBeGreaterThan(0);

        const indices = Array.from({ length: data.count }, (_, i) => i);
        const plain = makeBatch(data, indices);
        const weighted = makeBatch(data, indices, undefined, 3);
        const rows = weighted.rows;
        const read = (t: { dataSync(): ArrayLike<number> }): number[] => Array.from(t.dataSync());
        const [p1, p3, p6, pNext] = [plain.targets.engage1s, plain.targets.engage3s, plain.targets.engage6s, plain.targets.engageNext].map(read);
        const [w1, w3, w6, wNext] = [weighted.targets.engage1s, weighted.targets.engage3s, weighted.targets.engage6s, weighted.targets.engageNext].map(read);
        const seen = { far: 0, near: 0, none: 0 };
        for (const [horizon, plainTargets, weightedTargets] of [
            [data.engage3s, p3, w3],
            [data.engage6s, p6, w6],
        ] as const) {
            for (let i = 0; i < data.count; i++) {
                const target = horizon[i];
                const row = weightedTargets.slice(i * rows, (i + 1) * rows);
                if (target < 0) {
                    seen.none++;
                    expect(row.every((v) => v === 0)).toBe(true);
                    continue;
                }
                const far = isFar(i, target);
                seen[far ? "far" : "near"]++;
                expect(plainTargets[i * rows + target]).toBe(1);
                expect(row[target]).toBe(far ? 3 : 1);
                expect(row.filter((v) => v !== 0)).toHaveLength(1);
            }
        }
        // Every branch was checked.
        expect(seen.far).toBeGreaterThan(0);
        expect(seen.near).toBeGreaterThan(0);
        expect(seen.none).toBeGreaterThan(0);
        // The 1 s and next-engagement targets are as without the weight.
        expect(w1).toEqual(p1);
        expect(wNext).toEqual(pNext);
        disposeBatch(plain);
        disposeBatch(weighted);
    });
});

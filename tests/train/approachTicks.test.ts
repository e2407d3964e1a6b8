import { describe, expect, it } from "vitest";
import { disposeBatch, makeBatch } from "../../models/train/batches";
import { APPROACH_MIN_DISTANCE_M } from "../../models/eval/metrics";
import { packExamples } from "../../models/train/packedDataset";
import { makeSyntheticDataset } from "./syntheticDataset";

describe("approach ticks in the engagement losses", () => {
    it("weigh the 3 s and 6 s targets of a candidate engaged from beyond 3 m, and nothing else", () => {
        const data = packExamples(makeSyntheticDataset({ layouts: 1, sessionsPerLayout: 1, ticksPerSession: 40 }));
        const indices = Array.from({ length: data.count }, (_, i) => i);
        const plain = makeBatch(data, indices);
        const weighted = makeBatch(data, indices, undefined, 3);
        const rows = weighted.rows;
        const read = (t: { dataSync(): ArrayLike<number> }) => Array.from(t.dataSync());
        const [p1, p3, p6, pNext] = [plain.targets.engage1s, plain.targets.engage3s, plain.targets.engage6s, plain.targets.engageNext].map(read);
        const [w1, w3, w6, wNext] = [weighted.targets.engage1s, weighted.targets.engage3s, weighted.targets.engage6s, weighted.targets.engageNext].map(read);
        let far = 0;
        let near = 0;
        for (let i = 0; i < data.count; i++) {
            const target = data.engage3s[i];
            const isFar = data.distance[i * data.k + target] > APPROACH_MIN_DISTANCE_M;
            far += isFar ? 1 : 0;
            near += isFar ? 0 : 1;
            expect(p3[i * rows + target]).toBe(1);
            expect(w3[i * rows + target]).toBe(isFar ? 3 : 1);
            expect(w6[i * rows + data.engage6s[i]]).toBe(isFar ? 3 : 1);
        }
        // Both kinds of tick are in the data, so both branches were checked.
        expect(far).toBeGreaterThan(0);
        expect(near).toBeGreaterThan(0);
        // The 1 s and next-engagement targets, and every other entry, are as without the weight.
        expect(w1).toEqual(p1);
        expect(wNext).toEqual(pNext);
        expect(w3.filter((v, j) => v !== p3[j]).every((v) => v === 3)).toBe(true);
        expect(w6.filter((v, j) => v !== p6[j]).every((v) => v === 3)).toBe(true);
        disposeBatch(plain);
        disposeBatch(weighted);
    });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { GroupTopK, selectTopK, selectTopKPerGroup } from "../../plugin/ranking/selectTopK";

/** Group g's best k rows by a full sort: higher score first, equal scores by row index. */
function sortedTop(scores: Float32Array, count: number, k: number, groups: Uint8Array, valid: Uint8Array, g: number): number[] {
    return Array.from({ length: count }, (_, i) => i)
        .filter((i) => valid[i] === 1 && groups[i] === g && scores[i] > -Infinity)
        .sort((a, b) => (scores[b] !== scores[a] ? scores[b] - scores[a] : a - b))
        .slice(0, k);
}

describe("selectTopK", () => {
    it("returns the k best indices, best first, matching a full sort", () => {
        let seed = 7;
        const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        const scores = Float32Array.from({ length: 500 }, random);
        const out = new Int32Array(16);
        const n = selectTopK(scores, scores.length, 16, out);
        const expected = Array.from(scores.keys()).sort((a, b) => scores[b] - scores[a]).slice(0, 16);
        expect(n).toBe(16);
        expect(Array.from(out)).toEqual(expected);
    });

    it("returns fewer than k when fewer rows qualify, honouring the include mask", () => {
        const scores = Float32Array.from([0.1, 0.9, 0.5, 0.7]);
        const out = new Int32Array(8);
        expect(selectTopK(scores, 4, 8, out, Uint8Array.from([1, 0, 1, 1]))).toBe(3);
        expect(Array.from(out.subarray(0, 3))).toEqual([3, 2, 0]);
    });

    it("selects per group in one pass, skipping invalid rows, each group matching a full sort", () => {
        const scores = Float32Array.from([0.9, 0.8, 0.7, 0.6, 0.95, 0.1]);
        const groups = Uint8Array.from([0, 1, 1, 1, 2, 0]);
        const valid = Uint8Array.from([1, 0, 1, 1, 1, 1]);
        const out = new Int32Array(3 * 2);
        const sizes = new Int32Array(3);
        selectTopKPerGroup(scores, 6, 2, out, sizes, groups, valid);
        expect(Array.from(sizes)).toEqual([2, 2, 1]);
        expect(Array.from(out.subarray(0, 2))).toEqual([0, 5]);
        expect(Array.from(out.subarray(2, 4))).toEqual([2, 3]);
        expect(out[4]).toBe(4);

        let seed = 11;
        const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        const many = Float32Array.from({ length: 900 }, random);
        const kinds = Uint8Array.from({ length: 900 }, (_, i) => (i * 7) % 3);
        const all = new Uint8Array(900).fill(1);
        const top = new Int32Array(3 * 10);
        selectTopKPerGroup(many, 900, 10, top, sizes, kinds, all);
        for (let g = 0; g < 3; g++) {
            const expected = Array.from(many.keys()).filter((i) => kinds[i] === g).sort((a, b) => many[b] - many[a]).slice(0, 10);
            expect(Array.from(top.subarray(g * 10, g * 10 + sizes[g]))).toEqual(expected);
        }
    });

    it("never selects a row whose score is NaN, per group, even while a list has room", () => {
        const scores = Float32Array.from([NaN, 0.2, NaN, 0.5, -Infinity, 0.1]);
        const groups = Uint8Array.from([0, 0, 1, 1, 1, 0]);
        const valid = new Uint8Array(6).fill(1);
        const out = new Int32Array(2 * 4);
        const sizes = new Int32Array(2);
        selectTopKPerGroup(scores, 6, 4, out, sizes, groups, valid);
        expect(Array.from(sizes)).toEqual([2, 1]);
        expect(Array.from(out.subarray(0, 2))).toEqual([1, 5]);
        expect(out[4]).toBe(3);
    });

    it("ranks equal scores by row index, whatever order they arrive in", () => {
        const scores = Float32Array.from([0.5, 0.7, 0.5, 0.5, 0.7]);
        const out = new Int32Array(4);
        expect(selectTopK(scores, 5, 4, out)).toBe(4);
        expect(Array.from(out)).toEqual([1, 4, 0, 2]);
    });
});

/** `scores` behind a proxy that counts the element reads made through it. */
function countingReads(scores: Float32Array): { scores: Float32Array; reads: () => number } {
    let reads = 0;
    const counting = new Proxy(scores, {
        get(target, key) {
            if (typeof key === "string" && /^\d+$/.test(key)) {
                reads++;
            }
            const value = Reflect.get(target, key, target);
            return typeof value === "function" ? value.bind(target) : value;
        },
    });
    return { scores: counting, reads: () => reads };
}

describe("GroupTopK", () => {
    it("gives a full sort's lists on every pass while scores, rows, groups and validity change between passes", () => {
        const pass = fc.record({
            count: fc.integer({ min: 0, max: 60 }),
            // Few distinct values, so ties are common.
            scores: fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }).map((v) => v / 4), fc.constant(Number.NaN), fc.constant(-Infinity)), { minLength: 60, maxLength: 60 }),
            groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 60, maxLength: 60 }),
            valid: fc.array(fc.integer({ min: 0, max: 5 }).map((v) => (v === 0 ? 0 : 1)), { minLength: 60, maxLength: 60 }),
        });
        fc.assert(
            fc.property(fc.integer({ min: 1, max: 5 }), fc.array(pass, { minLength: 1, maxLength: 6 }), (k, passes) => {
                const top = new GroupTopK(k, 3);
                for (const p of passes) {
                    const scores = Float32Array.from(p.scores);
                    const groups = Uint8Array.from(p.groups);
                    const valid = Uint8Array.from(p.valid);
                    top.select(scores, p.count, groups, valid);
                    for (let g = 0; g < 3; g++) {
                        const expected = sortedTop(scores, p.count, k, groups, valid, g);
                        expect(Array.from(top.out.subarray(g * k, g * k + top.sizes[g]))).toEqual(expected);
                        // The training data's candidates (selectTopK) are the plugin's, group by group.
                        const inGroup = Uint8Array.from(groups, (group, i) => (group === g && valid[i] === 1 ? 1 : 0));
                        const plain = new Int32Array(k);
                        expect(Array.from(plain.subarray(0, selectTopK(scores, p.count, k, plain, inGroup)))).toEqual(expected);
                    }
                }
            }),
            { numRuns: 300 }
        );
    });

    it("starts from the last pass's rows: a pass over unchanged scores inserts only those", () => {
        let seed = 3;
        const random = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
        const scores = Float32Array.from({ length: 1000 }, random);
        const groups = Uint8Array.from({ length: 1000 }, (_, i) => i % 3);
        const valid = new Uint8Array(1000).fill(1);
        const top = new GroupTopK(8, 3);
        top.select(scores, 1000, groups, valid);
        const first = Array.from(top.out);
        // A row whose score is read is a row compared: count the reads of the second pass.
        const seeded = countingReads(scores);
        top.select(seeded.scores, 1000, groups, valid);
        expect(Array.from(top.out)).toEqual(first);
        // Once per row for the bar, and a few per seed insertion; an unseeded pass reads far more.
        expect(seeded.reads()).toBeLessThan(1000 + 24 * 10);
        const unseeded = countingReads(scores);
        selectTopKPerGroup(unseeded.scores, 1000, 8, new Int32Array(24), new Int32Array(3), groups, valid);
        expect(unseeded.reads()).toBeGreaterThan(seeded.reads());
    });
});

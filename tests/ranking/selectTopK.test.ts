import { describe, expect, it } from "vitest";
import { selectTopK, selectTopKPerGroup } from "../../plugin/ranking/selectTopK";

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
});

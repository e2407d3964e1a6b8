import { describe, expect, it } from "vitest";
import { selectTopK, selectTopKInGroup } from "../../plugin/ranking/selectTopK";

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

    it("selects within one group and skips invalid rows", () => {
        const scores = Float32Array.from([0.9, 0.8, 0.7, 0.6]);
        const groups = Uint8Array.from([0, 1, 1, 1]);
        const valid = Uint8Array.from([1, 0, 1, 1]);
        const out = new Int32Array(2);
        expect(selectTopKInGroup(scores, 4, 2, out, groups, 1, valid)).toBe(2);
        expect(Array.from(out)).toEqual([2, 3]);
    });
});

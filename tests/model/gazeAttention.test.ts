import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { normalizeGazeAttention } from "../../plugin/model/heuristicScorer";

describe("normalizeGazeAttention", () => {
    it("gives each row its share of the total, or a uniform share when nothing is looked at, for any row count", () => {
        const share = fc.oneof(fc.constant(0), fc.float({ min: 0, max: 1, noNaN: true }));
        fc.assert(
            fc.property(fc.array(share, { maxLength: 23 }), fc.nat({ max: 3 }), (values, spare) => {
                // Rows past `count` hold values that must be neither counted nor written.
                const raw = Float32Array.from([...values, ...Array.from({ length: spare }, () => 0.75)]);
                const out = new Float32Array(raw.length).fill(-1);
                const count = values.length;
                normalizeGazeAttention(raw, out, count);
                let total = 0;
                for (let i = 0; i < count; i++) total += raw[i];
                for (let i = 0; i < count; i++) {
                    expect(out[i]).toBeCloseTo(total > 0 ? raw[i] / total : 1 / count, 6);
                }
                for (let i = count; i < raw.length; i++) {
                    expect(out[i]).toBe(-1);
                }
            })
        );
    });

    it("may write over its input", () => {
        const values = Float32Array.of(1, 3, 0, 0, 4);
        normalizeGazeAttention(values, values, 5);
        expect(Array.from(values)).toEqual([0.125, 0.375, 0, 0, 0.5]);
    });
});

import { describe, expect, it } from "vitest";
import { Feature } from "../../plugin/features/featureSchema";
import { Signal } from "../../plugin/features/signalContributions";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { mulberry32 } from "../../models/mulberry32";
import { CONTEXT_GATE, FEATURE_GATE, dropSignalsAtRandom } from "../../models/signalGates";

describe("signal gates", () => {
    it("read a column only while every signal it carries is on, and the kind and focus columns always", () => {
        const gateFor = (on: readonly number[], column: number): number => {
            let sum = FEATURE_GATE.offset[column];
            for (let s = 0; s < WEIGHT_COUNT; s++) sum += on[s] * FEATURE_GATE.select[s * FEATURE_GATE.columns + column];
            return Math.max(0, sum);
        };
        const allOn = new Array<number>(WEIGHT_COUNT).fill(1);
        const allOff = new Array<number>(WEIGHT_COUNT).fill(0);
        const only = (signal: Signal): number[] => allOff.map((_, s) => (s === signal ? 1 : 0));
        const without = (signal: Signal): number[] => allOn.map((_, s) => (s === signal ? 0 : 1));
        for (let column = 0; column < FEATURE_GATE.columns; column++) {
            expect(gateFor(allOn, column), `column ${column}, every signal on`).toBe(1);
        }
        expect([Feature.KindNpc, Feature.KindTask, Feature.KindHint, Feature.Focused].map((c) => gateFor(allOff, c))).toEqual([1, 1, 1, 1]);
        expect([Feature.GazeAlignment, Feature.GazeAngle, Feature.GazeTurn, Feature.GazeShare].map((c) => gateFor(without(Signal.Gaze), c))).toEqual([0, 0, 0, 0]);
        expect([Feature.GazeAlignment, Feature.Dwell, Feature.Proximity].map((c) => gateFor(only(Signal.Gaze), c))).toEqual([1, 0, 0]);
        // Novelty comes from the seconds looked at: it needs dwell on as well as novelty.
        expect(gateFor(only(Signal.Novelty), Feature.Novelty)).toBe(0);
        expect(gateFor(without(Signal.Dwell), Feature.Novelty)).toBe(0);
        expect(gateFor(without(Signal.Gaze), Feature.Novelty)).toBe(1);
        expect(CONTEXT_GATE.offset.reduce((a, b) => a + b, 0)).toBe(CONTEXT_GATE.columns - 3);
    });

    it("keep a share of examples whole, leave 1 to 7 signals on in the rest as often as each other, and never switch one back on", () => {
        const examples = 40_000;
        const weights = new Float32Array(examples * WEIGHT_COUNT).fill(1);
        weights[3] = 0; // already off in the first example
        dropSignalsAtRandom(weights, mulberry32(5), 0.6);
        const onCounts = new Float64Array(WEIGHT_COUNT + 1);
        const off = new Float64Array(WEIGHT_COUNT);
        for (let e = 1; e < examples; e++) {
            let on = 0;
            for (let s = 0; s < WEIGHT_COUNT; s++) {
                if (weights[e * WEIGHT_COUNT + s] === 0) off[s]++;
                else on++;
            }
            onCounts[on]++;
        }
        expect(onCounts[0]).toBe(0);
        expect(onCounts[WEIGHT_COUNT] / examples).toBeCloseTo(0.6, 1);
        // The other 40 % spread evenly over 1 to 7 signals left on.
        for (let k = 1; k < WEIGHT_COUNT; k++) expect(onCounts[k] / examples, `${k} on`).toBeCloseTo(0.4 / 7, 1);
        // Every signal is switched off as often as the others: half the time in the 40 %.
        for (let s = 0; s < WEIGHT_COUNT; s++) expect(off[s] / examples).toBeCloseTo(0.4 * 0.5, 1);
        expect(weights[3]).toBe(0);
        expect(new Set(weights)).toEqual(new Set([0, 1]));
    });
});

import { describe, expect, it } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { CandidateBatch, mergeModelResult } from "../../plugin/model/candidateBatch";
import { createScorerOutput } from "../../plugin/model/scorer";

/** Four rows with heuristic scores 0.2, 0.8, 0.5, 0.1; the model scores the best three. */
function mergedRig() {
    const store = new EntityStore(4);
    for (let i = 0; i < 4; i++) {
        store.add(0, 0.5, 0.5);
    }
    const heuristic = createScorerOutput(4);
    heuristic.engagement.set([0.2, 0.8, 0.5, 0.1]);
    heuristic.dwell.set([0.4, 1.5, 0.9, 0.2]);
    const scores = createScorerOutput(4);
    scores.engagement.set(heuristic.engagement);
    scores.dwell.set(heuristic.dwell);
    const batch = new CandidateBatch(3);
    batch.gather(store, new Float32Array(4 * FEATURE_COUNT), heuristic.engagement);
    // The model reverses the heuristic's order among the candidates and has its own side outputs.
    for (let r = 0; r < batch.count; r++) {
        const slot = store.slotOf(batch.ids[r]);
        batch.output.engagement[r] = -heuristic.engagement[slot];
        batch.output.guidance[r] = 0.3 + slot / 10;
        batch.output.dwell[r] = 7 + slot;
        batch.output.attention[r] = 1 / 3;
    }
    mergeModelResult(batch, scores, heuristic, store.count, store.id, (id) => store.slotOf(id), new Uint8Array(4), store.hot);
    return { batch, scores, heuristic };
}

describe("mergeModelResult", () => {
    it("ranks the candidates in the model's order on the span of their heuristic scores", () => {
        const { scores } = mergedRig();
        // Candidates are rows 1, 2, 0 (heuristic 0.8, 0.5, 0.2); the model puts row 0 first.
        expect(scores.engagement[0]).toBeCloseTo(0.8, 6);
        expect(scores.engagement[2]).toBeCloseTo(0.5, 6);
        expect(scores.engagement[1]).toBeCloseTo(0.2, 6);
        // The row left out ranks below every candidate.
        expect(scores.engagement[3]).toBeLessThan(scores.engagement[1]);
    });

    it("takes guidance and attention from the model and keeps the heuristic's expected dwell", () => {
        const { scores, heuristic } = mergedRig();
        for (const slot of [0, 1, 2]) {
            expect(scores.guidance[slot]).toBeCloseTo(0.3 + slot / 10, 6);
            expect(scores.attention[slot]).toBeCloseTo(1 / 3, 6);
            expect(scores.dwell[slot]).toBe(heuristic.dwell[slot]);
        }
        expect(scores.attention[3]).toBe(0);
        expect(scores.dwell[3]).toBe(heuristic.dwell[3]);
    });
});

describe("mergeModelResult after rows moved", () => {
    it("applies each candidate's result to the row that holds it now, and skips one that is gone", () => {
        const store = new EntityStore(4);
        for (let i = 0; i < 4; i++) {
            store.add(0, 0.5, 0.5);
        }
        const heuristic = createScorerOutput(4);
        heuristic.engagement.set([0.2, 0.8, 0.5, 0.9]);
        const batch = new CandidateBatch(3);
        batch.gather(store, new Float32Array(4 * FEATURE_COUNT), heuristic.engagement);
        // Candidates: rows 3, 1, 2. The model ranks by id; then row 1's entity is untracked and
        // row 3's moves into its place.
        const ids = Array.from(batch.ids.subarray(0, batch.count));
        for (let r = 0; r < batch.count; r++) {
            batch.output.engagement[r] = batch.ids[r];
            batch.output.guidance[r] = batch.ids[r] / 10;
        }
        const goneId = store.id[1];
        const movedId = store.id[3];
        expect(ids).toEqual([movedId, goneId, store.id[2]]);
        expect(store.remove(1)).toBe(3);
        expect(store.id[1]).toBe(movedId);
        const scores = createScorerOutput(3);
        const after = createScorerOutput(3);
        after.engagement.set([0.2, 0.9, 0.5]);
        scores.engagement.set(after.engagement);
        mergeModelResult(batch, scores, after, store.count, store.id, (id) => store.slotOf(id), new Uint8Array(3), store.hot);
        expect(scores.guidance[1]).toBeCloseTo(movedId / 10, 6);
        expect(scores.guidance[2]).toBeCloseTo(store.id[2] / 10, 6);
        expect(scores.guidance[0]).toBe(0);
    });
});

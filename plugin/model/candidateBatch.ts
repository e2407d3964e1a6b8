import type { EntityStore } from "../features/entityStore.js";
import { FEATURE_COUNT } from "../features/featureSchema.js";
import { GroupTopK } from "../ranking/selectTopK.js";
import { createScorerOutput, type IScorerOutput } from "./scorer.js";

/** A non-candidate's score sits this far below the lowest candidate's, so the model's order is never interleaved. */
const BELOW_CANDIDATES = 1e-3;

/**
 * The K rows one model run scores: chosen by heuristic score, gathered into a [K, FEATURE_COUNT]
 * input, with their stable ids so the result can be matched to rows after rows have moved, and
 * the run's outputs. Plain data, no Babylon and no runtime: the model stage keeps two (the run
 * in flight and the result being applied) and swaps them when a run lands.
 */
export class CandidateBatch {
    /** Rows in this batch. */
    public count = 0;
    /** Clock time of the tick that gathered the batch, ms. */
    public gatheredAtMs = 0;
    public readonly ids: Int32Array;
    /**
     * The row each candidate was in when gathered. Rows move only when an entity is untracked,
     * so the merge finds a candidate here, checked against its id, and asks the registry only
     * when the row now holds another entity.
     */
    public readonly slots: Int32Array;
    public readonly input: Float32Array;
    public readonly output: IScorerOutput;
    /** The best rows by heuristic score, started each gather from the last gather's. */
    private readonly _top: GroupTopK;

    public constructor(public readonly limit: number) {
        this.ids = new Int32Array(limit);
        this.slots = new Int32Array(limit);
        this._top = new GroupTopK(limit, 1);
        this.input = new Float32Array(limit * FEATURE_COUNT);
        this.output = createScorerOutput(limit);
    }

    /**
     * Chooses the `limit` valid rows with the best heuristic scores and copies their features
     * and ids in. Chosen from the heuristic's scores, never from merged ones: a merged score
     * ranks the previous candidates above every other row, and the batch would never change.
     * Returns the row count.
     */
    public gather(store: EntityStore, features: Float32Array, heuristic: Float32Array): number {
        const top = this._top;
        top.select(heuristic, store.count, null, store.valid);
        const k = top.sizes[0];
        const slots = top.out;
        const input = this.input;
        for (let r = 0; r < k; r++) {
            const slot = slots[r];
            this.ids[r] = store.id[slot];
            this.slots[r] = slot;
            // A plain loop: subarray() would allocate a view per candidate per tick.
            const from = slot * FEATURE_COUNT;
            const to = r * FEATURE_COUNT;
            for (let f = 0; f < FEATURE_COUNT; f++) {
                input[to + f] = features[from + f];
            }
        }
        this.count = k;
        return k;
    }

    /** True when every output of the batch's rows is a finite number. */
    public hasFiniteOutput(): boolean {
        const { engagement, guidance, dwell, attention } = this.output;
        for (let r = 0; r < this.count; r++) {
            // x - x is 0 for finite numbers and NaN for NaN and the infinities.
            if (engagement[r] - engagement[r] !== 0 || guidance[r] - guidance[r] !== 0 || dwell[r] - dwell[r] !== 0 || attention[r] - attention[r] !== 0) {
                return false;
            }
        }
        return true;
    }
}

/**
 * Merges a model result into this tick's scores, on one scale. The model's engagement is an
 * unbounded logit-like number; the focus thresholds, the HUD and the Inspector read scores on
 * the heuristic's scale. So the candidates' model scores are mapped, keeping their order and
 * their relative gaps, onto the range their heuristic scores span this tick: the best candidate
 * scores what the best heuristic score among them is, the worst what the worst is. The model
 * decides the order, the heuristic how strong the pull is, and a score is never negative.
 * Every other row keeps its heuristic score, capped just below the lowest candidate's.
 *
 * Expected dwell stays the heuristic rule's for every row: the model's dwell head misses by more
 * than the rule on every evaluated population (`npm run eval`, models/RESULTS.md), so the plugin
 * does not use it. Guidance and attention come from the model.
 *
 * `scores` holds this tick's heuristic scores on entry (`heuristic` too, untouched here).
 * `rowIds` is the store's id column; `slotOfId` maps a stable id to its row, or -1 if the
 * entity is gone, for a candidate whose row has moved since the gather. Candidates' rows are
 * flagged in `isCandidate` and `hot` (read every tick whatever their level of detail).
 */
export function mergeModelResult(batch: CandidateBatch, scores: IScorerOutput, heuristic: IScorerOutput, count: number, rowIds: Int32Array, slotOfId: (id: number) => number, isCandidate: Uint8Array, hot: Uint8Array): void {
    const out = batch.output;
    const rows = batch.slots;
    // Where each candidate is now, written over its gathered row (-1: gone).
    for (let r = 0; r < batch.count; r++) {
        const gathered = rows[r];
        const id = batch.ids[r];
        rows[r] = gathered < count && rowIds[gathered] === id ? gathered : slotOfId(id);
    }
    isCandidate.fill(0, 0, count);
    let modelMin = Infinity;
    let modelMax = -Infinity;
    let heuristicMin = Infinity;
    let heuristicMax = -Infinity;
    for (let r = 0; r < batch.count; r++) {
        const slot = rows[r];
        if (slot < 0 || slot >= count) {
            continue;
        }
        isCandidate[slot] = 1;
        hot[slot] = 1;
        const m = out.engagement[r];
        const h = heuristic.engagement[slot];
        if (m < modelMin) modelMin = m;
        if (m > modelMax) modelMax = m;
        if (h < heuristicMin) heuristicMin = h;
        if (h > heuristicMax) heuristicMax = h;
    }
    if (modelMin === Infinity) {
        return; // every candidate has gone: the heuristic ranks
    }
    const span = modelMax - modelMin;
    // One candidate, or a model that cannot tell them apart: all sit at the middle of the range.
    const scale = span > 1e-9 ? (heuristicMax - heuristicMin) / span : 0;
    const offset = span > 1e-9 ? heuristicMin : 0.5 * (heuristicMin + heuristicMax);
    let lowest = Infinity;
    for (let r = 0; r < batch.count; r++) {
        const slot = rows[r];
        if (slot < 0 || slot >= count) {
            continue;
        }
        const calibrated = offset + (out.engagement[r] - modelMin) * scale;
        scores.engagement[slot] = calibrated;
        scores.guidance[slot] = out.guidance[r];
        scores.attention[slot] = out.attention[r];
        if (calibrated < lowest) {
            lowest = calibrated;
        }
    }
    let cap = lowest - BELOW_CANDIDATES;
    if (cap < 0) {
        cap = 0;
    }
    for (let i = 0; i < count; i++) {
        if (isCandidate[i] === 0) {
            scores.attention[i] = 0;
            if (scores.engagement[i] > cap) {
                scores.engagement[i] = cap;
            }
        }
    }
}

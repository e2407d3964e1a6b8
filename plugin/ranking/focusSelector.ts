import type { OptionRanges } from "../optionRanges.js";
import type { ITickTime } from "../features/tickTime.js";

/** Hysteresis settings for focus selection. */
export interface IFocusHysteresis {
    /** A challenger must beat the focused entity's score by this much to take the focus. @default 0.15 */
    switchMargin: number;
    /** ...and keep beating it for this long, ms. @default 250 */
    minDwellMs: number;
    /** Below this score nothing is focused; the focus is acquired at this score. @default 0.35 */
    acquireScore: number;
    /** A focused entity keeps the focus until its score drops below this (lower than acquireScore). @default 0.25 */
    releaseScore: number;
}

/** The focus hysteresis used where `IAttentionPluginOptions.hysteresis` leaves a field out. */
export const DEFAULT_FOCUS_HYSTERESIS: Readonly<IFocusHysteresis> = Object.freeze({
    switchMargin: 0.15,
    minDwellMs: 250,
    acquireScore: 0.35,
    releaseScore: 0.25,
});

/** The rule between the thresholds: the focus is released below where it is acquired, or it would flicker. */
export function hysteresisOrderProblem(h: Readonly<IFocusHysteresis>): string | null {
    return h.releaseScore > h.acquireScore ? `releaseScore (${h.releaseScore}) must not exceed acquireScore (${h.acquireScore})` : null;
}

/**
 * Scores live on the heuristic's scale whichever backend ranks: 0 up to the sum of the weights
 * (4.1 with the defaults); thresholds above 10 would need most weights near their maximum.
 */
export const FOCUS_HYSTERESIS_RANGES: OptionRanges<IFocusHysteresis> = Object.freeze({
    switchMargin: { min: 0, max: 10 },
    minDwellMs: { min: 0, max: 10_000 },
    acquireScore: { min: 0, max: 10 },
    releaseScore: { min: 0, max: 10 },
});

/** Challenger id standing for "any entity above the acquire threshold". */
const ANYONE = -2;

/** Why the focus changed, for debugging and the Inspector. */
export type FocusChangeReason = "acquired" | "outscored" | "released" | "removed";

/**
 * Chooses the focused entity from the tick's best candidate with two kinds of hysteresis, as
 * perception systems do (a lose-sight radius larger than the sight radius): a challenger must
 * beat the holder by a margin for a minimum time, and the holder keeps the focus until its
 * score falls below a release threshold lower than the acquire threshold. Jittery gaze between
 * two close targets therefore cannot flip the focus more than once per `minDwellMs`.
 * Works on stable entity ids (0 means none) so it knows nothing about nodes.
 */
export class FocusSelector {
    /** The focused entity's id, 0 when nothing is focused. */
    public focusedId = 0;
    public lastReason: FocusChangeReason = "released";

    private _challengerId = 0;
    private _challengerSinceMs = 0;
    // This update's inputs, kept in fields so the decision steps take no fractional arguments.
    private _bestScore = 0;
    private _focusedScore = 0;
    private _nowMs = 0;

    public constructor(public hysteresis: IFocusHysteresis = { ...DEFAULT_FOCUS_HYSTERESIS }) {}

    /**
     * Advances the selection. `focusedScore` is NaN when the focused entity is gone.
     * Returns true when `focusedId` changed.
     */
    public update(bestId: number, bestScore: number, focusedScore: number, nowMs: number): boolean {
        this._bestScore = bestScore;
        this._focusedScore = focusedScore;
        this._nowMs = nowMs;
        return this._decide(bestId);
    }

    /**
     * The same, reading the scores from the tick's score array (slot -1: none or gone). The
     * plugin calls this form: no fractional number crosses a call, so nothing is boxed.
     */
    public updateFromScores(bestId: number, scores: Float32Array, bestSlot: number, focusedSlot: number, time: ITickTime): boolean {
        // Branches, not `slot >= 0 ? scores[slot] : NaN`: V8's optimising compiler gives such a
        // ternary a tagged result, boxing the score into a fresh heap number every tick.
        if (bestSlot >= 0) {
            this._bestScore = scores[bestSlot];
        } else {
            this._bestScore = -Infinity;
        }
        if (focusedSlot >= 0) {
            this._focusedScore = scores[focusedSlot];
        } else {
            this._focusedScore = NaN;
        }
        this._nowMs = time.nowMs;
        return this._decide(bestId);
    }

    private _decide(bestId: number): boolean {
        const h = this.hysteresis;
        const current = this.focusedId;
        const bestScore = this._bestScore;
        const focusedScore = this._focusedScore;
        if (current !== 0 && focusedScore !== focusedScore) {
            // The focused entity left the world: hand over at once, no dwell.
            const next = bestId !== 0 && bestScore >= h.acquireScore ? bestId : 0;
            return this._set(next, "removed");
        }
        if (current === 0) {
            // Acquiring needs someone above the threshold for minDwellMs, not the same someone:
            // gaze hopping between two close targets still acquires the best of them.
            if (bestId !== 0 && bestScore >= h.acquireScore) {
                return this._challenge(ANYONE) ? this._set(bestId, "acquired") : false;
            }
            this._challengerId = -1;
            return false;
        }
        if (focusedScore < h.releaseScore) {
            if (bestId !== 0 && bestId !== current && bestScore >= h.acquireScore) {
                return this._challenge(bestId) ? this._set(bestId, "outscored") : false;
            }
            return this._challenge(0) ? this._set(0, "released") : false;
        }
        if (bestId !== 0 && bestId !== current && bestScore > focusedScore + h.switchMargin) {
            return this._challenge(bestId) ? this._set(bestId, "outscored") : false;
        }
        this._challengerId = -1;
        return false;
    }

    public reset(): void {
        this.focusedId = 0;
        this._challengerId = -1;
    }

    /** Records `id` as the challenger; true once it has challenged for `minDwellMs`. */
    private _challenge(id: number): boolean {
        if (this._challengerId !== id) {
            this._challengerId = id;
            this._challengerSinceMs = this._nowMs;
        }
        return this._nowMs - this._challengerSinceMs >= this.hysteresis.minDwellMs;
    }

    private _set(id: number, reason: FocusChangeReason): boolean {
        this._challengerId = -1;
        this._challengerSinceMs = this._nowMs;
        if (id === this.focusedId) {
            return false;
        }
        this.focusedId = id;
        this.lastReason = reason;
        return true;
    }
}

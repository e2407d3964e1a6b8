import { FEATURE_COUNT } from "../features/featureSchema.js";
import { createPlayerState, type IPlayerState } from "../features/playerState.js";
import { createTickTime, type ITickTime } from "../features/tickTime.js";
import { WEIGHT_COUNT } from "../model/attentionWeights.js";
import { createScorerOutput, type IScorerOutput } from "../model/scorer.js";
import type { IScoreSource } from "../ranking/rankingBuilder.js";
import { createGazeSample, type IGazeSample } from "../signals/gazeSample.js";

/**
 * Everything one tick reads and writes, in one place, passed to every stage of the tick
 * pipeline in order. Buffers are indexed by row (the target registry's slots) and reused from
 * tick to tick; they grow with the registry, the only time the frame allocates.
 *
 * The two score buffers are kept apart on purpose: `heuristic` holds the heuristic's scores and
 * only the heuristic writes it, so the model's candidates are always chosen from fresh heuristic
 * scores; `scores` is what ranks (the heuristic's, with the model's result merged over it).
 */
export class TickFrame implements IScoreSource {
    /** This tick's clock time and step. */
    public readonly time: ITickTime = createTickTime();
    /** The player as read this tick: gaze ray, view direction, position. */
    public readonly player: IPlayerState = createPlayerState();
    /** The gaze sample of this tick (updated in place). */
    public readonly gaze: IGazeSample = createGazeSample();
    /** The player context vector (the context tracker's, updated in place). */
    public readonly context: Float32Array;
    /** The signal weights in WEIGHT_NAMES order. */
    public readonly weights = new Float32Array(WEIGHT_COUNT);
    /** Feature rows, [capacity, FEATURE_COUNT]. */
    public features = new Float32Array(16 * FEATURE_COUNT);
    /** The heuristic's scores per row; rows the refresh plan skips keep theirs. */
    public heuristic: IScorerOutput = createScorerOutput(16);
    /** The scores that rank this tick, on the heuristic's scale whoever produced them. */
    public scores: IScorerOutput = createScorerOutput(16);
    /** 1 for rows the model scored in the result merged this tick. */
    public isCandidate = new Uint8Array(16);
    /** True when nothing has transformed the scene's nodes since their last move (tickAsync): read them fresh. */
    public freshTransforms = false;
    /** The best row over all kinds after ranking, or -1. */
    public bestSlot = -1;

    public constructor(context: Float32Array) {
        this.context = context;
    }

    /** Grows every row buffer to hold `capacity` rows, keeping the rows already there. */
    public ensureCapacity(capacity: number): void {
        if (this.scores.engagement.length >= capacity) {
            return;
        }
        const features = new Float32Array(capacity * FEATURE_COUNT);
        features.set(this.features);
        this.features = features;
        this.heuristic = growOutput(this.heuristic, capacity);
        this.scores = growOutput(this.scores, capacity);
        this.isCandidate = new Uint8Array(capacity);
    }
}

function growOutput(old: IScorerOutput, capacity: number): IScorerOutput {
    const next = createScorerOutput(capacity);
    next.engagement.set(old.engagement);
    next.guidance.set(old.guidance);
    next.dwell.set(old.dwell);
    next.attention.set(old.attention);
    return next;
}

/**
 * The contract between the session recorder / simulator (which produce recorded ticks and
 * labels) and the trainer / evaluator (which consume fixed-size examples). One example is one
 * tick of one session, with the candidates padded to `K` rows.
 */
export interface ITrainingExample {
    /** Session this tick comes from (splits are by session and by layout). */
    sessionId: string;
    /** Layout (world) the session was played in; held-out layouts are never seen in training. */
    layoutId: string;
    /** Tick time within the session, ms. */
    timeMs: number;
    /** Row-major [K, FEATURE_COUNT] candidate features, zero rows where mask is 0. */
    features: Float32Array;
    /** [K]: 1 for a real candidate, 0 for padding. */
    mask: Float32Array;
    /** [CONTEXT_COUNT] player context. */
    context: Float32Array;
    /** [WEIGHT_COUNT] the signal weights in force (default weights in simulated sessions). */
    weights: Float32Array;
    /** Row of the candidate the player engages next within 1 s, or -1 if none. */
    engage1s: number;
    /** Same within 3 s. */
    engage3s: number;
    /** Same within 6 s (for the approach metric). */
    engage6s: number;
    /**
     * Row of the next engagement whenever it comes (a far target the player looks at before
     * setting off is engaged after any fixed horizon), or -1 when the session ends first.
     */
    engageNext: number;
    /** Seconds from this tick to that engagement (NaN when engageNext is -1). */
    engageNextS: number;
    /** [K]: 1 where the player needed guidance toward this candidate at this moment (lost, and a hint/task here would have helped). */
    guidance: Float32Array;
    /** [K]: seconds the player's gaze stays on this candidate next (from this tick, capped). */
    dwell: Float32Array;
    /** [K]: distance from the player to each candidate in metres (for "approach" metrics). */
    distance: Float32Array;
    /** [K]: gaze angle to each candidate in radians (for the gaze-angle baseline). */
    gazeAngle: Float32Array;
}

/** A dataset: examples plus the K they were padded to. */
export interface IDataset {
    k: number;
    examples: ITrainingExample[];
}

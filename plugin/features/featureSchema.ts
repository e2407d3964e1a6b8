/**
 * The per-candidate feature schema: one row of `FEATURE_COUNT` floats per tracked entity.
 *
 * The schema is versioned because recorded sessions, the ONNX model's manifest and the
 * training pipeline all depend on the column order. Bump `FEATURE_SCHEMA_VERSION` whenever a
 * column is added, removed, reordered or changes meaning; docs/features.md lists every column.
 * Every column is finite and lies in the documented range, so the model never sees raw metres.
 */
export const FEATURE_SCHEMA_VERSION = 2;

/** Column indices into a feature row. */
export const enum Feature {
    /** Gaze alignment: 1 on the gaze ray, falling linearly to 0 at the gaze cone's edge. [0, 1] */
    GazeAlignment = 0,
    /** Angle between the gaze ray and the direction to the entity, divided by pi. [0, 1] */
    GazeAngle = 1,
    /** Decayed time the entity has spent in the gaze cone while visible, as d / (d + dwellScale). [0, 1) */
    Dwell = 2,
    /** Closeness: 1 / (1 + distance / proximityScale). (0, 1] */
    Proximity = 3,
    /** Distance from the player to the entity's surface, divided by maxDistance and clamped. [0, 1] */
    Distance = 4,
    /** 1 when the last occlusion test found a clear line of sight, 0 when occluded. [0, 1] */
    Visible = 5,
    /** Sum of the entity's game events, each decayed by its half-life, saturated as e / (1 + e). [0, 1) */
    Event = 6,
    /** Designer priority given at track time. [0, 1] */
    Priority = 7,
    /** Novelty: exp(-total attended seconds / noveltySeconds); 1 for never-looked-at entities. (0, 1] */
    Novelty = 8,
    /** Approach: the player's speed toward the entity divided by approachScale, clamped. [-1, 1] */
    Approach = 9,
    /** Rate at which the gaze is turning toward the entity, divided by gazeTurnScale, clamped. [-1, 1] */
    GazeTurn = 10,
    /** 1 when the entity lies inside the camera's horizontal field of view. {0, 1} */
    InView = 11,
    /** One-hot kind: NPC. {0, 1} */
    KindNpc = 12,
    /** One-hot kind: task. {0, 1} */
    KindTask = 13,
    /** One-hot kind: guidance hint. {0, 1} */
    KindHint = 14,
    /** 1 when the entity held the focus after the previous tick. {0, 1} */
    Focused = 15,
    /**
     * Sustained approach: the player's speed toward the entity averaged over the last
     * approachSmoothingSeconds (exponentially), divided by approachScale, clamped. Walkers sway
     * and bend their path, so the instantaneous Approach swings between things that lie the
     * same way; the average says which one the walk keeps closing on. [-1, 1] (version 2)
     */
    SustainedApproach = 16,
    /**
     * Recent gaze share: the fraction of the last gazeShareSeconds (exponentially weighted) the
     * entity spent in the gaze cone while visible, weighted by alignment. Dwell forgets a look
     * within a second or two; people glance back at where they are going again and again, and
     * this keeps count of those returns. [0, 1] (version 2)
     */
    GazeShare = 17,
}

/** Column names in order, as used by docs/features.md, the model manifest and recordings. */
export const FEATURE_NAMES: readonly string[] = Object.freeze([
    "gazeAlignment",
    "gazeAngle",
    "dwell",
    "proximity",
    "distance",
    "visible",
    "event",
    "priority",
    "novelty",
    "approach",
    "gazeTurn",
    "inView",
    "kindNpc",
    "kindTask",
    "kindHint",
    "focused",
    "sustainedApproach",
    "gazeShare",
]);

/** Number of columns in a feature row. */
export const FEATURE_COUNT = FEATURE_NAMES.length;

/**
 * The player context vector, one row per tick, fed to the model beside the candidates.
 * docs/features.md documents each entry.
 */
export const enum Context {
    /** Player speed divided by walkSpeedScale, clamped. [0, 1] */
    Speed = 0,
    /** Seconds since the player last engaged anything, as s / (s + 10). [0, 1) */
    SinceEngagement = 1,
    /** 1 when the game has at least one active (unfinished) task tracked. {0, 1} */
    ActiveTask = 2,
    /** Seconds since the player last made task progress, as s / (s + 30). [0, 1) */
    SinceProgress = 3,
    /** Gaze wander: 1 - length of the 3-second average of the unit gaze direction; 0 steady, rising as the gaze sweeps. [0, 1] */
    GazeWander = 4,
    /** Head/gaze angular speed divided by gazeTurnScale, clamped. [0, 1] */
    GazeSpeed = 5,
    /** Fraction of tracked entities currently in view. [0, 1] */
    InViewFraction = 6,
    /** Constant 1: gives the player token a bias input. {1} */
    Bias = 7,
}

/** Context entry names in order. */
export const CONTEXT_NAMES: readonly string[] = Object.freeze([
    "speed",
    "sinceEngagement",
    "activeTask",
    "sinceProgress",
    "gazeWander",
    "gazeSpeed",
    "inViewFraction",
    "bias",
]);

/** Number of entries in the player context vector. */
export const CONTEXT_COUNT = CONTEXT_NAMES.length;

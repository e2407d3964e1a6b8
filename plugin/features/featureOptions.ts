import type { INumberRange, OptionRanges } from "../optionRanges.js";

/**
 * Scales and time constants that turn raw signals (metres, seconds, radians) into the
 * normalised feature columns. Changing any of them changes what the model sees, so a trained
 * model is only valid with the values it was trained with: they belong to the feature schema.
 */
export interface IFeatureOptions {
    /** Half-angle of the gaze cone, radians. @default 0.21 (12 degrees) */
    gazeConeHalfAngle: number;
    /** Distance at which Proximity falls to 0.5, metres. @default 4 */
    proximityScale: number;
    /** Distance beyond which entities are out of range for gaze and occlusion, metres. @default 40 */
    maxDistance: number;
    /** Dwell seconds at which the Dwell feature reaches 0.5. @default 1 */
    dwellScale: number;
    /** Time constant of dwell decay once the gaze leaves, seconds. @default 1.5 */
    dwellDecaySeconds: number;
    /** Attended seconds at which novelty falls to 1/e. @default 4 */
    noveltySeconds: number;
    /** Player speed toward an entity that maps to Approach = 1, metres per second. @default 2 */
    approachScale: number;
    /** Time constant of SustainedApproach's average of the speed toward an entity, seconds. @default 2 */
    approachSmoothingSeconds: number;
    /** Time constant of GazeShare's weighting of recent gaze, seconds. @default 5 */
    gazeShareSeconds: number;
    /** Gaze turn rate that maps to GazeTurn = 1, radians per second. @default 1.57 */
    gazeTurnScale: number;
    /** Player speed that maps to the Speed context entry = 1, metres per second. @default 3 */
    walkSpeedScale: number;
}

/** The feature options used where `IAttentionPluginOptions.features` leaves a field out. */
export const DEFAULT_FEATURE_OPTIONS: Readonly<IFeatureOptions> = Object.freeze({
    gazeConeHalfAngle: (12 * Math.PI) / 180,
    proximityScale: 4,
    maxDistance: 40,
    dwellScale: 1,
    dwellDecaySeconds: 1.5,
    noveltySeconds: 4,
    approachScale: 2,
    approachSmoothingSeconds: 2,
    gazeShareSeconds: 5,
    gazeTurnScale: Math.PI / 2,
    walkSpeedScale: 3,
});

const POSITIVE: INumberRange = Object.freeze({ min: 0, max: Infinity, minExclusive: true });

/** Every scale and time constant divides a signal, so each must be positive: 0 would put NaN into every row. */
export const FEATURE_OPTION_RANGES: OptionRanges<IFeatureOptions> = Object.freeze(
    Object.fromEntries(Object.keys(DEFAULT_FEATURE_OPTIONS).map((key) => [key, POSITIVE])) as Record<keyof IFeatureOptions, INumberRange>
);

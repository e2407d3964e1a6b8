import { describeRange, describeValue, isInRange, type INumberRange, type OptionRanges } from "../optionRanges.js";
import { previewString } from "../previewValue.js";

/**
 * The designer-tunable signal weights. The heuristic scorer is a weighted sum of these signals,
 * and the ONNX model takes the same numbers as an input tensor (in `WEIGHT_NAMES` order), so
 * changing a weight changes the ranking on the next tick without reloading anything.
 */
export interface IAttentionWeights {
    /** Weight of gaze alignment (only counted while the entity is visible). @default 1.0 */
    gaze: number;
    /** Weight of accumulated gaze dwell. @default 0.6 */
    dwell: number;
    /** Weight of closeness to the player. @default 0.5 */
    proximity: number;
    /** Weight of recent game events (speech, quest updates, sounds). @default 0.8 */
    event: number;
    /** Weight of the designer priority given at track time. @default 0.4 */
    priority: number;
    /** Weight of novelty: entities the player has not looked at yet. @default 0.2 */
    novelty: number;
    /** Weight of having a clear line of sight. @default 0.3 */
    visibility: number;
    /** Weight of the player walking toward the entity. @default 0.3 */
    approach: number;
}

/** Weight names in the order of the model's `weights` input tensor. */
export const WEIGHT_NAMES = Object.freeze([
    "gaze",
    "dwell",
    "proximity",
    "event",
    "priority",
    "novelty",
    "visibility",
    "approach",
] as const satisfies readonly (keyof IAttentionWeights)[]);

/** The name of one signal weight: "gaze", "dwell", "proximity" and so on, in `WEIGHT_NAMES` order. */
export type WeightName = (typeof WEIGHT_NAMES)[number];

/** Number of weights, the length of the model's `weights` input. */
export const WEIGHT_COUNT = WEIGHT_NAMES.length;

/** Every weight must lie in this range; 0 switches a signal off. */
export const WEIGHT_MIN = 0;
export const WEIGHT_MAX = 4;

const WEIGHT_RANGE: INumberRange = Object.freeze({ min: WEIGHT_MIN, max: WEIGHT_MAX });

/** Every weight's range (the same for all), for the checker, the live object and the Inspector. */
export const WEIGHT_RANGES: OptionRanges<IAttentionWeights> = Object.freeze(Object.fromEntries(WEIGHT_NAMES.map((name) => [name, WEIGHT_RANGE])) as Record<WeightName, INumberRange>);

/** The signal weights the plugin starts with; `attention.weights = DEFAULT_WEIGHTS` restores them. */
export const DEFAULT_WEIGHTS: Readonly<IAttentionWeights> = Object.freeze({
    gaze: 1.0,
    dwell: 0.6,
    proximity: 0.5,
    event: 0.8,
    priority: 0.4,
    novelty: 0.2,
    visibility: 0.3,
    approach: 0.3,
});

/** Problems `validateWeights` lists one by one; the rest are counted in one more line. */
const MAX_LISTED_PROBLEMS = 5;

/**
 * Checks a partial set of weights and returns the problems, one sentence each, naming the
 * weight and what was expected. An empty array means the input is valid. The text is pasted by
 * people, so each problem quotes at most a short preview of a key or value, and past
 * MAX_LISTED_PROBLEMS the rest are only counted: the messages stay short whatever the input.
 */
export function validateWeights(input: unknown): string[] {
    if (typeof input !== "object" || input === null || Array.isArray(input)) {
        return [`weights must be an object of numbers keyed by ${WEIGHT_NAMES.join(", ")}; got ${describeValue(input)}`];
    }
    const problems: string[] = [];
    let unlisted = 0;
    for (const [key, value] of Object.entries(input)) {
        let problem: string | null = null;
        if (!(WEIGHT_NAMES as readonly string[]).includes(key)) {
            problem = `unknown weight ${previewString(key, 40)}: expected one of ${WEIGHT_NAMES.join(", ")}`;
        } else if (!isInRange(value, WEIGHT_RANGE)) {
            problem = `weight "${key}" must be ${describeRange(WEIGHT_RANGE)}; got ${describeValue(value)}`;
        }
        if (problem !== null) {
            if (problems.length < MAX_LISTED_PROBLEMS) problems.push(problem);
            else unlisted++;
        }
    }
    if (unlisted > 0) {
        problems.push(`and ${unlisted} more problem(s)`);
    }
    return problems;
}

/** Writes the weights into `out` in `WEIGHT_NAMES` order (the model's input layout). */
export function packWeights(weights: Readonly<IAttentionWeights>, out: Float32Array): Float32Array {
    // Field by field, not weights[WEIGHT_NAMES[i]]: a keyed load boxes each number (every tick).
    out[0] = weights.gaze;
    out[1] = weights.dwell;
    out[2] = weights.proximity;
    out[3] = weights.event;
    out[4] = weights.priority;
    out[5] = weights.novelty;
    out[6] = weights.visibility;
    out[7] = weights.approach;
    return out;
}

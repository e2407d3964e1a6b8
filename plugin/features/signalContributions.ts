import { FEATURE_COUNT, Feature } from "./featureSchema.js";

/** Index of each signal's contribution in a `why` vector, in WEIGHT_NAMES order. */
export const enum Signal {
    Gaze = 0,
    Dwell = 1,
    Proximity = 2,
    Event = 3,
    Priority = 4,
    Novelty = 5,
    Visibility = 6,
    Approach = 7,
}

/**
 * Writes one candidate's per-signal contributions (weight x normalised signal) into
 * `out[offset .. offset + WEIGHT_COUNT)`; their sum is the heuristic score. Gaze only counts
 * while the entity is visible, so looking at a wall in front of an NPC does not select the NPC;
 * novelty and visibility only count for entities in view. Returns nothing on purpose: a
 * fractional return value is boxed whenever V8 does not inline the call (once per entity per tick).
 */
export function writeHeuristicContributions(features: Float32Array, row: number, weights: Float32Array, out: Float32Array, offset: number): void {
    const base = row * FEATURE_COUNT;
    const visible = features[base + Feature.Visible];
    const inView = features[base + Feature.InView];
    const approach = features[base + Feature.Approach];
    out[offset + Signal.Gaze] = weights[Signal.Gaze] * features[base + Feature.GazeAlignment] * visible;
    out[offset + Signal.Dwell] = weights[Signal.Dwell] * features[base + Feature.Dwell];
    out[offset + Signal.Proximity] = weights[Signal.Proximity] * features[base + Feature.Proximity];
    out[offset + Signal.Event] = weights[Signal.Event] * features[base + Feature.Event];
    out[offset + Signal.Priority] = weights[Signal.Priority] * features[base + Feature.Priority];
    out[offset + Signal.Novelty] = weights[Signal.Novelty] * features[base + Feature.Novelty] * inView;
    out[offset + Signal.Visibility] = weights[Signal.Visibility] * visible * inView;
    out[offset + Signal.Approach] = weights[Signal.Approach] * (approach > 0 ? approach : 0);
}

/** The heuristic score of one candidate, with its contributions written as above. */
export function heuristicContributions(features: Float32Array, row: number, weights: Float32Array, out: Float32Array, offset: number): number {
    writeHeuristicContributions(features, row, weights, out, offset);
    return sumContributions(out, offset);
}

function sumContributions(c: Float32Array, o: number): number {
    return c[o] + c[o + 1] + c[o + 2] + c[o + 3] + c[o + 4] + c[o + 5] + c[o + 6] + c[o + 7];
}

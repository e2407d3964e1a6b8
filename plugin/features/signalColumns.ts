import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "./featureSchema.js";
import { Signal } from "./signalContributions.js";

/**
 * Which signal weights each feature column carries (`Signal` indices; empty for none). The
 * learned model reads a column only while every signal it carries has a weight above 0, so a
 * designer who switches a signal off switches it off for the network as well as for the
 * heuristic prior. Novelty is worked out from the seconds the player has looked at an entity,
 * so it carries the dwell signal too: with dwell off the network must not read the player's
 * gaze history back from it. The kind and focus columns describe what an entity is, not a
 * signal, and are always read.
 */
export const SIGNALS_OF_FEATURE: readonly (readonly Signal[])[] = Object.freeze(
    columnSignals(FEATURE_COUNT, [
        [Feature.GazeAlignment, [Signal.Gaze]],
        [Feature.GazeAngle, [Signal.Gaze]],
        [Feature.GazeTurn, [Signal.Gaze]],
        [Feature.GazeShare, [Signal.Gaze]],
        [Feature.Dwell, [Signal.Dwell]],
        [Feature.Proximity, [Signal.Proximity]],
        [Feature.Distance, [Signal.Proximity]],
        [Feature.Event, [Signal.Event]],
        [Feature.Priority, [Signal.Priority]],
        [Feature.Novelty, [Signal.Novelty, Signal.Dwell]],
        [Feature.Visible, [Signal.Visibility]],
        [Feature.InView, [Signal.Visibility]],
        [Feature.Approach, [Signal.Approach]],
        [Feature.SustainedApproach, [Signal.Approach]],
    ])
);

/**
 * Which signal weights each player context entry carries. The gaze's wander and speed come from
 * the gaze itself, and the share of entities in view from the view: with those signals off the
 * network must not read them back from the context.
 */
export const SIGNALS_OF_CONTEXT: readonly (readonly Signal[])[] = Object.freeze(
    columnSignals(CONTEXT_COUNT, [
        [Context.GazeWander, [Signal.Gaze]],
        [Context.GazeSpeed, [Signal.Gaze]],
        [Context.InViewFraction, [Signal.Visibility]],
    ])
);

function columnSignals(count: number, carried: readonly (readonly [number, readonly Signal[]])[]): (readonly Signal[])[] {
    const signals = Array.from({ length: count }, (): readonly Signal[] => Object.freeze([]));
    for (const [column, list] of carried) {
        signals[column] = Object.freeze([...list]);
    }
    return signals;
}

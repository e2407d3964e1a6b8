/**
 * The scene the acceptance checks (acceptanceChecks.ts) and the ONNX tests rank: a standing
 * player who has looked for about 0.7 s at an NPC 12 m ahead (row 0), with another NPC 2.5 m
 * away outside the view (row 1). The rows are consistent with what the feature code writes for
 * such a scene: a trained network has only seen such rows.
 */
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";

/** The scene's two feature rows, [2, FEATURE_COUNT]. */
export function lookedAtFarNearUnseenRows(): Float32Array {
    const rows = new Float32Array(2 * FEATURE_COUNT);
    const set = (row: number, values: Partial<Record<Feature, number>>): void => {
        for (const [feature, value] of Object.entries(values)) rows[row * FEATURE_COUNT + Number(feature)] = value;
    };
    // 0.67 s in the gaze at alignment 0.9: dwell 0.67 / 1.67, gaze share 0.11 (1 - exp(-0.67 * 0.9 / 5)).
    set(0, { [Feature.GazeAlignment]: 0.9, [Feature.GazeAngle]: 0.01, [Feature.Dwell]: 0.4, [Feature.Proximity]: 0.25, [Feature.Distance]: 0.3, [Feature.InView]: 1, [Feature.GazeShare]: 0.11 });
    set(1, { [Feature.GazeAngle]: 0.3, [Feature.Proximity]: 0.615, [Feature.Distance]: 0.0625 });
    for (const row of [0, 1]) {
        // Both visible, never looked at long enough to lose novelty, NPCs with track()'s default priority.
        set(row, { [Feature.Visible]: 1, [Feature.Novelty]: 1, [Feature.KindNpc]: 1, [Feature.Priority]: 0.5 });
    }
    return rows;
}

/** The scene's player context: standing still, one of the two in view. */
export function lookedAtFarNearUnseenContext(): Float32Array {
    const context = new Float32Array(CONTEXT_COUNT);
    context[Context.Bias] = 1;
    context[Context.InViewFraction] = 0.5;
    return context;
}

type RowValues = Partial<Record<Feature, number>>;

/** NPCs far behind the player in the signal-weight scenes, as in the plugin's tests: the model ranks more than the two. */
export const BYSTANDER_COUNT = 6;

/**
 * Two NPCs in view and in sight, neither looked at, A 12 m off and B 6 m off, with A then given
 * the values in `a` and B those in `b`, then BYSTANDER_COUNT NPCs 35 m behind: the scene of one
 * signal-weight check, where that signal favours A (or B, for proximity) and another signal the
 * other one.
 */
export function twoNpcRows(a: RowValues, b: RowValues): Float32Array {
    const rows = new Float32Array((2 + BYSTANDER_COUNT) * FEATURE_COUNT);
    const base: RowValues = { [Feature.GazeAngle]: 0.3, [Feature.Visible]: 1, [Feature.InView]: 1, [Feature.Novelty]: 1, [Feature.KindNpc]: 1 };
    const set = (row: number, values: RowValues): void => {
        for (const [feature, value] of Object.entries(values)) rows[row * FEATURE_COUNT + Number(feature)] = value;
    };
    set(0, { ...base, [Feature.Proximity]: 0.25, [Feature.Distance]: 0.3 });
    set(1, { ...base, [Feature.Proximity]: 0.5, [Feature.Distance]: 0.15 });
    set(0, a);
    set(1, b);
    for (let row = 2; row < 2 + BYSTANDER_COUNT; row++) {
        set(row, { [Feature.GazeAngle]: 0.95, [Feature.Visible]: 1, [Feature.Novelty]: 1, [Feature.KindNpc]: 1, [Feature.Proximity]: 0.03, [Feature.Distance]: 0.7 });
    }
    return rows;
}

/**
 * Two candidates as the plugin gathered them (candidateLimit 2) in a rendered scene of six NPCs:
 * the player looked at one NPC near by for 0.67 s, then for 1.33 s straight at one 19 m off
 * (row 0: gaze alignment 1, dwell 0.57); row 1 is an NPC 10 m off, 26 degrees to the side, never
 * looked at. tests/plugin/tickPaths.test.ts plays the scene and expects the far NPC first.
 */
export function lookedAtFarBesideMidRows(): Float32Array {
    return Float32Array.from([
        1, 0, 0.5714, 0.1809, 0.4527, 1, 0, 0.5, 0.7165, 0, 0, 1, 1, 0, 0, 1, 0, 0.2341,
        0, 0.1197, 0, 0.3069, 0.2258, 1, 0, 0.5, 1, 0, 0, 1, 1, 0, 0, 0, 0, 0,
    ]);
}

/** That scene's player context. */
export function lookedAtFarBesideMidContext(): Float32Array {
    return Float32Array.from([0, 0.1643, 0, 0.0615, 0.1046, 0.0071, 0.3333, 1]);
}

/** A scene the plugin rendered and gathered (candidateLimit 8): its rows, its context, and which row is A. */
export interface IRenderedScene {
    readonly rows: Float32Array;
    readonly context: Float32Array;
    /** The row of the NPC the tested signal favours; row `1 - favoured` is the other NPC. */
    readonly favoured: 0 | 1;
}

/**
 * tests/plugin/signalWeights.test.ts's novelty scene as the plugin gathered it: the player looked
 * at B (row 0) for 3 s and never at A (row 1), then looked up away from both; six bystanders.
 */
export const RENDERED_NOVELTY_SCENE: IRenderedScene = Object.freeze({
    rows: Float32Array.from([
        0, 0.1785, 0.7308, 0.3425, 0.1919, 1, 0, 0, 0.4763, 0, 0, 1, 1, 0, 0, 0, -0.3716, 0.4357,
        0, 0.1748, 0, 0.2947, 0.2394, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 0, -0.473, 0,
        0, 0.8107, 0, 0.1049, 0.8537, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
        0, 0.8107, 0, 0.1049, 0.8537, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
        0, 0.8091, 0, 0.1045, 0.8566, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
        0, 0.8091, 0, 0.1045, 0.8566, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
        0, 0.806, 0, 0.1039, 0.8622, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
        0, 0.806, 0, 0.1039, 0.8622, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, -1, 0,
    ]),
    context: Float32Array.from([0, 0.2366, 0, 0.0937, 0.0088, 0, 0.1429, 1]),
    favoured: 1,
});

/**
 * tests/plugin/signalWeights.test.ts's approach scene as the plugin gathered it: the player walks
 * toward A (row 1), 15 m ahead; B (row 0) stands 4 m off behind the player; six bystanders.
 */
export const RENDERED_APPROACH_SCENE: IRenderedScene = Object.freeze({
    rows: Float32Array.from([
        0, 0.6551, 0, 0.4881, 0.1049, 1, 0, 0, 1, -0.4268, -0.1588, 0, 1, 0, 0, 1, -0.4787, 0,
        1, 0, 0.5946, 0.2495, 0.3008, 1, 0, 0, 0.693, 0.7, 0, 1, 1, 0, 0, 0, -1, 0.2542,
        0, 0.984, 0, 0.0994, 0.9062, 1, 0, 0, 1, -0.6997, -0.0012, 0, 1, 0, 0, 0, -1, 0,
        0, 0.984, 0, 0.0994, 0.9062, 1, 0, 0, 1, -0.6997, -0.0012, 0, 1, 0, 0, 0, -1, 0,
        0, 0.9669, 0, 0.0991, 0.9089, 1, 0, 0, 1, -0.6977, -0.0025, 0, 1, 0, 0, 0, -1, 0,
        0, 0.9669, 0, 0.0991, 0.9089, 1, 0, 0, 1, -0.6977, -0.0025, 0, 1, 0, 0, 0, -1, 0,
        0, 0.95, 0, 0.0986, 0.9142, 1, 0, 0, 1, -0.6937, -0.0037, 0, 1, 0, 0, 0, -1, 0,
        0, 0.95, 0, 0.0986, 0.9142, 1, 0, 0, 1, -0.6937, -0.0037, 0, 1, 0, 0, 0, -1, 0,
    ]),
    context: Float32Array.from([0.4667, 0.1279, 0, 0.0466, 0, 0, 0.0714, 1]),
    favoured: 1,
});

/**
 * Product behaviour a trained network must show before a restart may be kept, checked on one
 * hand-built scene (acceptanceScene.ts). The plugin's own tests check the same behaviour in
 * rendered scenes (tests/plugin/modelRanking.test.ts, tests/plugin/signalWeights.test.ts); this
 * is their cheap form, so the restart choice can skip a run that would fail them. Single
 * training runs differ here by seed alone (models/RESULTS.md).
 */
import * as tf from "@tensorflow/tfjs";
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, type IAttentionWeights, WEIGHT_COUNT, WEIGHT_NAMES, type WeightName } from "../../plugin/model/attentionWeights";
import { RENDERED_APPROACH_SCENE, RENDERED_NOVELTY_SCENE, BYSTANDER_COUNT, lookedAtFarBesideMidContext, lookedAtFarBesideMidRows, lookedAtFarNearUnseenContext, lookedAtFarNearUnseenRows, twoNpcRows } from "./acceptanceScene";
import type { TfAttentionModel } from "./tfModel";

interface IAcceptanceCheck {
    name: string;
    weights: IAttentionWeights;
    /** The row that must rank first. */
    first: 0 | 1;
}

const ONLY_PROXIMITY: IAttentionWeights = Object.fromEntries(WEIGHT_NAMES.map((name) => [name, name === "proximity" ? 1 : 0])) as unknown as IAttentionWeights;

export const ACCEPTANCE_CHECKS: readonly IAcceptanceCheck[] = Object.freeze([
    { name: "the looked-at NPC first at the default weights", weights: DEFAULT_WEIGHTS, first: 0 },
    { name: "the near NPC first with gaze and dwell off and proximity 3", weights: { ...DEFAULT_WEIGHTS, gaze: 0, dwell: 0, proximity: 3 }, first: 1 },
    { name: "the near NPC first with proximity alone", weights: ONLY_PROXIMITY, first: 1 },
]);

/** The name of the check on the rendered scene's rows (acceptanceScene.ts, lookedAtFarBesideMidRows). */
export const FAR_BESIDE_MID = "the looked-at far NPC first beside an unseen one at middle distance";

interface ISignalCheck {
    signal: WeightName;
    /** The signal that favours the other NPC, at weight 1. */
    other: WeightName;
    rows: Float32Array;
    /** The row `signal` favours. */
    favoured: 0 | 1;
}

/**
 * One scene per signal where it alone favours one NPC and `other` favours the other one, as in
 * tests/plugin/signalWeights.test.ts. Above 0 a weight moves the engagement through the prior
 * alone, so its lead grows by exactly the heuristic's; what training decides is the step from 0,
 * where the network starts to read the signal's columns.
 */
export const SIGNAL_CHECKS: readonly ISignalCheck[] = Object.freeze([
    { signal: "gaze", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.GazeAlignment]: 0.95, [Feature.GazeAngle]: 0.02, [Feature.GazeShare]: 0.15 }, {}) },
    { signal: "dwell", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.Dwell]: 0.55, [Feature.Novelty]: 0.6 }, {}) },
    { signal: "proximity", other: "gaze", favoured: 1, rows: twoNpcRows({ [Feature.GazeAlignment]: 0.95, [Feature.GazeAngle]: 0.02, [Feature.GazeShare]: 0.15 }, {}) },
    { signal: "event", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.Event]: 0.8 }, {}) },
    { signal: "priority", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.Priority]: 1 }, {}) },
    // B looked at for 3 s and only a little closer, as in the plugin's novelty scene.
    { signal: "novelty", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.Proximity]: 0.23, [Feature.Distance]: 0.25 }, { [Feature.Novelty]: 0.47, [Feature.Proximity]: 0.27, [Feature.Distance]: 0.21 }) },
    { signal: "visibility", other: "proximity", favoured: 0, rows: twoNpcRows({}, { [Feature.Visible]: 0 }) },
    // Walking toward A 15 m ahead; B 4 m off behind the player, out of view, as in the plugin's approach scene.
    { signal: "approach", other: "proximity", favoured: 0, rows: twoNpcRows({ [Feature.Approach]: 0.9, [Feature.SustainedApproach]: 0.8, [Feature.Proximity]: 0.2, [Feature.Distance]: 0.35 }, { [Feature.InView]: 0, [Feature.GazeAngle]: 0.75, [Feature.Proximity]: 0.55, [Feature.Distance]: 0.1 }) },
]);

function engagementOf(model: TfAttentionModel, rows: Float32Array, context: Float32Array, weights: IAttentionWeights): Float32Array {
    return tf.tidy(() => {
        const packed = new Float32Array(WEIGHT_COUNT);
        WEIGHT_NAMES.forEach((name, i) => (packed[i] = weights[name]));
        const n = rows.length / FEATURE_COUNT;
        const out = model.forward({ features: tf.tensor3d(rows, [1, n, FEATURE_COUNT]), mask: tf.ones([1, n]), context: tf.tensor2d(context, [1, CONTEXT_COUNT]), weights: tf.tensor2d(packed, [1, WEIGHT_COUNT]) });
        return out.engagement.dataSync() as Float32Array;
    });
}

function isolated(signal: WeightName, value: number, other: WeightName): IAttentionWeights {
    const weights = Object.fromEntries(WEIGHT_NAMES.map((name) => [name, 0])) as unknown as IAttentionWeights;
    weights[other] = 1;
    weights[signal] = value;
    return weights;
}

/** The names of the checks `model` fails (as exported: UNREAD_FEATURES masked); empty when it passes all. */
export function failedAcceptanceChecks(model: TfAttentionModel): string[] {
    const failed: string[] = [];
    const rows = lookedAtFarNearUnseenRows();
    const context = lookedAtFarNearUnseenContext();
    for (const check of ACCEPTANCE_CHECKS) {
        const engagement = engagementOf(model, rows, context, check.weights);
        if (!(engagement[check.first] > engagement[1 - check.first])) {
            failed.push(check.name);
        }
    }
    const beside = engagementOf(model, lookedAtFarBesideMidRows(), lookedAtFarBesideMidContext(), DEFAULT_WEIGHTS);
    if (!(beside[0] > beside[1])) {
        failed.push(FAR_BESIDE_MID);
    }
    const bothInView = new Float32Array(CONTEXT_COUNT);
    bothInView.set(context);
    bothInView[Context.InViewFraction] = 2 / (2 + BYSTANDER_COUNT);
    const checks = [
        ...SIGNAL_CHECKS.map((check) => ({ ...check, context: bothInView })),
        { signal: "novelty" as const, other: "proximity" as const, favoured: RENDERED_NOVELTY_SCENE.favoured, rows: RENDERED_NOVELTY_SCENE.rows, context: RENDERED_NOVELTY_SCENE.context },
        { signal: "approach" as const, other: "proximity" as const, favoured: RENDERED_APPROACH_SCENE.favoured, rows: RENDERED_APPROACH_SCENE.rows, context: RENDERED_APPROACH_SCENE.context },
    ];
    for (const check of checks) {
        const lead = (value: number): number => {
            const e = engagementOf(model, check.rows, check.context, isolated(check.signal, value, check.other));
            return e[check.favoured] - e[1 - check.favoured];
        };
        const [off, low, high] = [lead(0), lead(0.5), lead(4)];
        if (!(off < 0 && low > off && high > 0)) {
            failed.push(`${check.signal}: lead ${off.toFixed(3)} at 0, ${low.toFixed(3)} at 0.5, ${high.toFixed(3)} at 4`);
        }
    }
    return failed;
}

/**
 * Product behaviour a trained network must show before a restart may be kept, checked on one
 * hand-built scene (acceptanceScene.ts). The plugin's own tests check the same behaviour in
 * rendered scenes (tests/plugin/modelRanking.test.ts, tests/plugin/signalWeights.test.ts); this
 * is their cheap form, so the restart choice can skip a run that would fail them. Single
 * training runs differ here by seed alone (models/RESULTS.md).
 */
import * as tf from "@tensorflow/tfjs";
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, type IAttentionWeights, WEIGHT_COUNT, WEIGHT_NAMES } from "../../plugin/model/attentionWeights";
import { lookedAtFarNearUnseenContext, lookedAtFarNearUnseenRows } from "./acceptanceScene";
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

/** The names of the checks `model` fails (as exported: UNREAD_FEATURES masked); empty when it passes all. */
export function failedAcceptanceChecks(model: TfAttentionModel): string[] {
    const failed: string[] = [];
    const rows = lookedAtFarNearUnseenRows();
    const context = lookedAtFarNearUnseenContext();
    for (const check of ACCEPTANCE_CHECKS) {
        const engagement = tf.tidy(() => {
            const weights = new Float32Array(WEIGHT_COUNT);
            WEIGHT_NAMES.forEach((name, i) => (weights[i] = check.weights[name]));
            const out = model.forward({ features: tf.tensor3d(rows, [1, 2, FEATURE_COUNT]), mask: tf.ones([1, 2]), context: tf.tensor2d(context, [1, CONTEXT_COUNT]), weights: tf.tensor2d(weights, [1, WEIGHT_COUNT]) });
            return out.engagement.dataSync().slice();
        });
        const other = 1 - check.first;
        if (!(engagement[check.first] > engagement[other])) {
            failed.push(check.name);
        }
    }
    return failed;
}

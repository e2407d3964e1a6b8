/**
 * A small synthetic IDataset with a learnable rule the heuristic does not know: the player
 * engages the candidate its gaze is turning toward and it walks toward (GazeTurn + Approach),
 * guidance is needed at tasks while a task is stalled, and dwell follows gaze alignment.
 * Stands in for the simulator in the trainer's unit tests.
 */
import { mulberry32 } from "../../models/mulberry32";
import type { IDataset, ITrainingExample } from "../../models/dataset/datasetTypes";
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, WEIGHT_COUNT, packWeights } from "../../plugin/model/attentionWeights";

export interface ISyntheticOptions {
    layouts: number;
    sessionsPerLayout: number;
    ticksPerSession: number;
    k: number;
    seed: number;
}

export function makeSyntheticDataset(options: Partial<ISyntheticOptions> = {}): IDataset {
    const o: ISyntheticOptions = { layouts: 6, sessionsPerLayout: 2, ticksPerSession: 60, k: 12, seed: 5, ...options };
    const random = mulberry32(o.seed);
    const weights = packWeights(DEFAULT_WEIGHTS, new Float32Array(WEIGHT_COUNT));
    const examples: ITrainingExample[] = [];
    for (let l = 0; l < o.layouts; l++) {
        for (let s = 0; s < o.sessionsPerLayout; s++) {
            for (let t = 0; t < o.ticksPerSession; t++) {
                const k = o.k;
                const n = 3 + Math.floor(random() * (k - 2));
                const features = new Float32Array(k * FEATURE_COUNT);
                const mask = new Float32Array(k);
                const distance = new Float32Array(k);
                const gazeAngle = new Float32Array(k);
                const guidance = new Float32Array(k);
                const dwell = new Float32Array(k);
                const context = new Float32Array(CONTEXT_COUNT).map(() => random());
                context[Context.ActiveTask] = random() < 0.5 ? 1 : 0;
                context[Context.Bias] = 1;
                let target = 0;
                let bestIntent = -Infinity;
                for (let i = 0; i < n; i++) {
                    const row = (f: Feature, v: number): void => {
                        features[i * FEATURE_COUNT + f] = v;
                    };
                    const angle = random();
                    row(Feature.GazeAngle, angle);
                    row(Feature.GazeAlignment, Math.max(0, 1 - angle * 4));
                    row(Feature.Dwell, random() * 0.5);
                    const d = random();
                    row(Feature.Distance, d);
                    row(Feature.Proximity, 1 / (1 + d * 4));
                    row(Feature.Visible, random() < 0.8 ? 1 : 0);
                    row(Feature.InView, random() < 0.7 ? 1 : 0);
                    row(Feature.Event, random() < 0.2 ? random() : 0);
                    row(Feature.Priority, random());
                    row(Feature.Novelty, random());
                    const approach = random() * 2 - 1;
                    const turn = random() * 2 - 1;
                    row(Feature.Approach, approach);
                    row(Feature.GazeTurn, turn);
                    const kind = Math.floor(random() * 3);
                    row(Feature.KindNpc + kind, 1);
                    mask[i] = 1;
                    distance[i] = d * 20;
                    gazeAngle[i] = angle * Math.PI;
                    dwell[i] = 2 * features[i * FEATURE_COUNT + Feature.GazeAlignment] * features[i * FEATURE_COUNT + Feature.Visible];
                    guidance[i] = context[Context.ActiveTask] > 0.5 && context[Context.SinceProgress] > 0.5 && kind === 1 ? 1 : 0;
                    const intent = 1.5 * turn + approach + 0.3 * random();
                    if (intent > bestIntent) {
                        bestIntent = intent;
                        target = i;
                    }
                }
                examples.push({
                    sessionId: `L${l}-S${s}`,
                    layoutId: `L${l}`,
                    timeMs: t * 100,
                    features,
                    mask,
                    context,
                    weights: weights.slice(),
                    engage1s: random() < 0.5 ? target : -1,
                    engage3s: target,
                    engage6s: target,
                    engageNext: target,
                    engageNextS: 2,
                    guidance,
                    dwell,
                    distance,
                    gazeAngle,
                });
            }
        }
    }
    return { k: o.k, examples };
}

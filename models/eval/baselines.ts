/**
 * The baselines the model must beat, scored on packed splits: nearest entity, smallest gaze
 * angle, the heuristic with its default weights, and the heuristic with weights tuned on the
 * training split by coordinate search. Only the heuristic scorer has guidance and dwell rules,
 * so every baseline uses HeuristicScorer's guidance and dwell outputs: the baselines differ in
 * ranking only.
 */
import { CONTEXT_COUNT, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, WEIGHT_COUNT, WEIGHT_MAX, WEIGHT_MIN, packWeights } from "../../plugin/model/attentionWeights";
import { HeuristicScorer, heuristicContributions } from "../../plugin/model/heuristicScorer";
import type { IScorerOutput } from "../../plugin/model/scorer";
import type { IPackedDataset } from "../train/packedDataset";
import { computeMetrics, type IMethodScores, rankingObjective } from "./metrics";

export type BaselineName = "nearest" | "gazeAngle" | "heuristicDefault" | "heuristicTuned";
export const BASELINE_NAMES: readonly BaselineName[] = ["nearest", "gazeAngle", "heuristicDefault", "heuristicTuned"];

type Scores = Omit<IMethodScores, "hintThreshold">;

/** The heuristic scorer's guidance and dwell for every example (shared by all baselines). */
export function heuristicSideOutputs(data: IPackedDataset): { guidance: Float32Array; dwell: Float32Array } {
    const scorer = new HeuristicScorer();
    const k = data.k;
    const guidance = new Float32Array(data.count * k);
    const dwell = new Float32Array(data.count * k);
    const output: IScorerOutput = { engagement: new Float32Array(k), guidance: new Float32Array(k), dwell: new Float32Array(k), attention: new Float32Array(k) };
    for (let e = 0; e < data.count; e++) {
        scorer.score(
            {
                features: data.features.subarray(e * k * FEATURE_COUNT, (e + 1) * k * FEATURE_COUNT),
                count: k,
                weights: data.weights.subarray(e * WEIGHT_COUNT, (e + 1) * WEIGHT_COUNT),
                context: data.context.subarray(e * CONTEXT_COUNT, (e + 1) * CONTEXT_COUNT),
            },
            output,
        );
        guidance.set(output.guidance, e * k);
        dwell.set(output.dwell, e * k);
    }
    return { guidance, dwell };
}

/** Per-candidate signals with unit weights, [count, k, WEIGHT_COUNT]: a weighted heuristic is then one dot product. */
export function heuristicSignals(data: IPackedDataset): Float32Array {
    const k = data.k;
    const unit = new Float32Array(WEIGHT_COUNT).fill(1);
    const signals = new Float32Array(data.count * k * WEIGHT_COUNT);
    for (let e = 0; e < data.count; e++) {
        const features = data.features.subarray(e * k * FEATURE_COUNT, (e + 1) * k * FEATURE_COUNT);
        for (let r = 0; r < k; r++) heuristicContributions(features, r, unit, signals, (e * k + r) * WEIGHT_COUNT);
    }
    return signals;
}

export function weightedHeuristic(signals: Float32Array, weights: Float32Array, out: Float32Array): Float32Array {
    for (let i = 0; i < out.length; i++) {
        let sum = 0;
        for (let w = 0; w < WEIGHT_COUNT; w++) sum += signals[i * WEIGHT_COUNT + w] * weights[w];
        out[i] = sum;
    }
    return out;
}

/** Higher is better, so distance and angle are negated. */
function negated(values: Float32Array): Float32Array {
    return values.map((v) => -v);
}

const SEARCH_VALUES = [0, 0.25, 0.5, 0.75, 1, 1.5, 2, 3, 4].filter((v) => v >= WEIGHT_MIN && v <= WEIGHT_MAX);

/** What the weight search maximises: `rankingObjective` (the hint threshold does not enter it). */
function searchObjective(data: IPackedDataset, engagement: Float32Array, side: { guidance: Float32Array; dwell: Float32Array }): number {
    return rankingObjective(computeMetrics(data, { engagement, ...side, hintThreshold: 0.5 }));
}

export interface ITunedWeights {
    weights: Float32Array;
    objective: number;
    evaluations: number;
}

/** Coordinate search over the 8 weights in [0, 4], from the defaults, `passes` sweeps. */
export function tuneHeuristicWeights(train: IPackedDataset, passes = 2): ITunedWeights {
    const signals = heuristicSignals(train);
    const side = heuristicSideOutputs(train);
    const scores = new Float32Array(train.count * train.k);
    const weights = packWeights(DEFAULT_WEIGHTS, new Float32Array(WEIGHT_COUNT));
    let best = searchObjective(train, weightedHeuristic(signals, weights, scores), side);
    let evaluations = 1;
    for (let pass = 0; pass < passes; pass++) {
        for (let w = 0; w < WEIGHT_COUNT; w++) {
            const current = weights[w];
            let bestValue = current;
            for (const value of SEARCH_VALUES) {
                if (value === current) continue;
                weights[w] = value;
                const objective = searchObjective(train, weightedHeuristic(signals, weights, scores), side);
                evaluations++;
                if (objective > best + 1e-9) {
                    best = objective;
                    bestValue = value;
                }
            }
            weights[w] = bestValue;
        }
    }
    return { weights, objective: best, evaluations };
}

/** Ranking scores of every baseline on `data`; `tunedWeights` from tuneHeuristicWeights on the training split. */
export function baselineScores(data: IPackedDataset, tunedWeights: Float32Array): Record<BaselineName, Scores> {
    const side = heuristicSideOutputs(data);
    const signals = heuristicSignals(data);
    const k = data.k;
    const defaults = new Float32Array(data.count * k);
    for (let e = 0; e < data.count; e++) {
        // The default baseline uses the weights recorded with each tick (defaults in simulated sessions).
        const w = data.weights.subarray(e * WEIGHT_COUNT, (e + 1) * WEIGHT_COUNT);
        weightedHeuristic(signals.subarray(e * k * WEIGHT_COUNT, (e + 1) * k * WEIGHT_COUNT), w, defaults.subarray(e * k, (e + 1) * k));
    }
    return {
        nearest: { engagement: negated(data.distance), ...side },
        gazeAngle: { engagement: negated(data.gazeAngle), ...side },
        heuristicDefault: { engagement: defaults, ...side },
        heuristicTuned: { engagement: weightedHeuristic(signals, tunedWeights, new Float32Array(data.count * k)), ...side },
    };
}

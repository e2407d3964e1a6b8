import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { heuristicContributions } from "../../plugin/model/heuristicScorer";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import type { ITrainingExample } from "../dataset/datasetTypes";
import { simulateDatasetAsync } from "../labels/simulateDataset";

/**
 * Realism check of the simulator (`tsx models/sim/realismCheck.ts [layouts] [sessionsPerLayout]`):
 * how the simple baselines score on simulated data, overall and during the approach, and what
 * a softmax-linear scorer fitted on half the layouts reaches on the other half. If the
 * baselines are near perfect or near chance the simulator is wrong.
 */
type Scorer = (ex: ITrainingExample, row: number) => number;

function top1(examples: ITrainingExample[], label: (ex: ITrainingExample) => number, scorer: Scorer, filter: (ex: ITrainingExample, target: number) => boolean = () => true): { acc: number; n: number } {
    let hit = 0;
    let n = 0;
    for (const ex of examples) {
        const target = label(ex);
        if (target < 0 || !filter(ex, target)) continue;
        let best = -1;
        let bestScore = -Infinity;
        for (let r = 0; r < ex.mask.length; r++) {
            if (ex.mask[r] === 0) continue;
            const s = scorer(ex, r);
            if (s > bestScore) {
                bestScore = s;
                best = r;
            }
        }
        n++;
        if (best === target) hit++;
    }
    return { acc: n > 0 ? hit / n : NaN, n };
}

async function main(): Promise<void> {
    const layouts = Number(process.argv[2] ?? 8);
    const perLayout = Number(process.argv[3] ?? 6);
    const t0 = performance.now();
    const { sessions, dataset } = await simulateDatasetAsync({ seed: 11, layouts, sessionsPerLayout: perLayout, seconds: 60, hz: 20 });
    const seconds = (performance.now() - t0) / 1000;
    console.log(`${sessions.length} sessions, ${dataset.examples.length} examples in ${seconds.toFixed(1)} s`);
    const why = new Float32Array(WEIGHT_COUNT);
    const approach = (ex: ITrainingExample, target: number) => ex.distance[target] > 3;
    const half = new Set([...new Set(sessions.map((s) => s.header.layoutId))].filter((_, i) => i % 2 === 0));
    const train = dataset.examples.filter((ex) => half.has(ex.layoutId));
    const test = dataset.examples.filter((ex) => !half.has(ex.layoutId));
    const linear = fitLinear(train);
    const scorers: Record<string, Scorer> = {
        nearest: (ex, r) => -ex.distance[r],
        gazeAngle: (ex, r) => -ex.gazeAngle[r],
        heuristic: (ex, r) => heuristicContributions(ex.features, r, ex.weights, why, 0),
        linearFit: (ex, r) => linear(ex, r),
    };
    console.log("scorer        top1@1s  top1@3s  approach@3s  approach@6s   (held-out half of the layouts)");
    for (const [name, scorer] of Object.entries(scorers)) {
        const a = top1(test, (ex) => ex.engage1s, scorer);
        const b = top1(test, (ex) => ex.engage3s, scorer);
        const c = top1(test, (ex) => ex.engage3s, scorer, approach);
        const d = top1(test, (ex) => ex.engage6s, scorer, approach);
        console.log(`${name.padEnd(12)}  ${a.acc.toFixed(3)}    ${b.acc.toFixed(3)}    ${c.acc.toFixed(3)} (${c.n})  ${d.acc.toFixed(3)} (${d.n})`);
    }
    const guidance = test.filter((ex) => ex.guidance.some((g) => g > 0)).length;
    console.log(`guidance-needed examples: ${guidance} of ${test.length}; mean dwell label ${mean(test.flatMap((ex) => Array.from(ex.dwell).filter((_, r) => ex.mask[r] > 0))).toFixed(3)} s`);
}

/** Softmax regression over features + features x gaze-history terms, by plain gradient descent. */
function fitLinear(examples: ITrainingExample[]): Scorer {
    const F = FEATURE_COUNT;
    const D = F + 4;
    const phi = (ex: ITrainingExample, r: number, out: Float64Array) => {
        for (let f = 0; f < F; f++) out[f] = ex.features[r * F + f];
        out[F] = ex.features[r * F + 2] * ex.features[r * F + 9];
        out[F + 1] = ex.features[r * F + 13] * ex.context[2];
        out[F + 2] = ex.features[r * F + 6] * ex.features[r * F + 0];
        out[F + 3] = ex.features[r * F + 10] * ex.features[r * F + 9];
    };
    const w = new Float64Array(D);
    const x = new Float64Array(D);
    const labelled = examples.filter((ex) => ex.engage3s >= 0);
    const lr = 0.5;
    for (let epoch = 0; epoch < 30; epoch++) {
        const grad = new Float64Array(D);
        for (const ex of labelled) {
            const k = ex.mask.length;
            const logits = new Float64Array(k).fill(-Infinity);
            let max = -Infinity;
            for (let r = 0; r < k; r++) {
                if (ex.mask[r] === 0) continue;
                phi(ex, r, x);
                let s = 0;
                for (let d = 0; d < D; d++) s += w[d] * x[d];
                logits[r] = s;
                max = Math.max(max, s);
            }
            let z = 0;
            for (let r = 0; r < k; r++) if (ex.mask[r] > 0) z += Math.exp(logits[r] - max);
            for (let r = 0; r < k; r++) {
                if (ex.mask[r] === 0) continue;
                const p = Math.exp(logits[r] - max) / z;
                phi(ex, r, x);
                const g = p - (r === ex.engage3s ? 1 : 0);
                for (let d = 0; d < D; d++) grad[d] += g * x[d];
            }
        }
        for (let d = 0; d < D; d++) w[d] -= (lr * grad[d]) / labelled.length;
    }
    return (ex, r) => {
        phi(ex, r, x);
        let s = 0;
        for (let d = 0; d < D; d++) s += w[d] * x[d];
        return s;
    };
}

function mean(values: number[]): number {
    return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}

main().catch((error) => {
    console.error(error);
    process.exit(1);
});

/**
 * The evaluation metrics over a packed split, from any method's per-candidate scores. Every
 * metric is a ratio of sums accumulated per session, so the 95 % interval comes from a session
 * bootstrap (ticks of one session are not independent samples).
 */
import { mulberry32 } from "../mulberry32";
import type { IPackedDataset } from "../train/packedDataset";

/** Scores of one method on a split, each [count, k]; padded rows are ignored. */
export interface IMethodScores {
    engagement: Float32Array;
    guidance: Float32Array;
    dwell: Float32Array;
    /** guidance >= this counts as "hint needed" (chosen on the validation split). */
    hintThreshold: number;
}

export const METRIC_NAMES = ["top1@1s", "top1@3s", "top3@3s", "approachTop1@3s", "approachTop1@6s", "ndcg@5", "hintF1", "dwellMae"] as const;
export type MetricName = (typeof METRIC_NAMES)[number];
export type IMetricSet = Record<MetricName, number>;

export interface IMetricInterval {
    value: number;
    low: number;
    high: number;
    /** Moments (or candidates, for hintF1 and dwellMae) the metric counts. */
    count: number;
}
export type IMetricReport = Record<MetricName, IMetricInterval>;

/** Engaging needs proximity in the simulator, so "approach" moments start beyond this distance. */
export const APPROACH_MIN_DISTANCE_M = 3;
const BOOTSTRAP_SAMPLES = 1000;

// Per-session sums: [hits, count] pairs for the ranking metrics, tp/fp/fn for hints, |error|/n for dwell.
const enum Stat {
    Top1At1Hit, Top1At1N, Top1At3Hit, Top1At3N, Top3At3Hit, Approach3Hit, Approach3N, Approach6Hit, Approach6N, NdcgSum,
    HintTp, HintFp, HintFn, DwellAbs, DwellN, Count,
}

/** Whether `target` (a row of example `e`, or -1 for none) is engaged from beyond APPROACH_MIN_DISTANCE_M: an approach moment. */
export function isApproachMoment(data: IPackedDataset, e: number, target: number): boolean {
    return target >= 0 && data.distance[e * data.k + target] > APPROACH_MIN_DISTANCE_M;
}

/** 1-based rank of `target` among the real rows of example `e` (ties go to the lower row, as argmax does). */
export function rankOf(scores: Float32Array, mask: Float32Array, e: number, k: number, target: number): number {
    const base = e * k;
    const s = scores[base + target];
    let rank = 1;
    for (let r = 0; r < k; r++) {
        if (r === target || mask[base + r] < 0.5) continue;
        const v = scores[base + r];
        if (v > s || (v === s && r < target)) rank++;
    }
    return rank;
}

function sessionStats(data: IPackedDataset, scores: IMethodScores): Float64Array[] {
    const stats = data.sessions.map(() => new Float64Array(Stat.Count));
    const k = data.k;
    for (let e = 0; e < data.count; e++) {
        const s = stats[data.sessionIndex[e]];
        const t1 = data.engage1s[e];
        const t3 = data.engage3s[e];
        const t6 = data.engage6s[e];
        if (t1 >= 0) {
            s[Stat.Top1At1N]++;
            if (rankOf(scores.engagement, data.mask, e, k, t1) === 1) s[Stat.Top1At1Hit]++;
        }
        if (t3 >= 0) {
            const rank = rankOf(scores.engagement, data.mask, e, k, t3);
            s[Stat.Top1At3N]++;
            if (rank === 1) s[Stat.Top1At3Hit]++;
            if (rank <= 3) s[Stat.Top3At3Hit]++;
            if (rank <= 5) s[Stat.NdcgSum] += 1 / Math.log2(rank + 1);
            if (isApproachMoment(data, e, t3)) {
                s[Stat.Approach3N]++;
                if (rank === 1) s[Stat.Approach3Hit]++;
            }
        }
        if (isApproachMoment(data, e, t6)) {
            s[Stat.Approach6N]++;
            if (rankOf(scores.engagement, data.mask, e, k, t6) === 1) s[Stat.Approach6Hit]++;
        }
        for (let r = 0; r < k; r++) {
            const at = e * k + r;
            if (data.mask[at] < 0.5) continue;
            const predicted = scores.guidance[at] >= scores.hintThreshold;
            const actual = data.guidance[at] > 0.5;
            if (predicted && actual) s[Stat.HintTp]++;
            else if (predicted) s[Stat.HintFp]++;
            else if (actual) s[Stat.HintFn]++;
            s[Stat.DwellAbs] += Math.abs(scores.dwell[at] - data.dwell[at]);
            s[Stat.DwellN]++;
        }
    }
    return stats;
}

function ratio(a: number, b: number): number {
    return b > 0 ? a / b : NaN;
}

function metricsOf(t: Float64Array): IMetricSet {
    return {
        "top1@1s": ratio(t[Stat.Top1At1Hit], t[Stat.Top1At1N]),
        "top1@3s": ratio(t[Stat.Top1At3Hit], t[Stat.Top1At3N]),
        "top3@3s": ratio(t[Stat.Top3At3Hit], t[Stat.Top1At3N]),
        "approachTop1@3s": ratio(t[Stat.Approach3Hit], t[Stat.Approach3N]),
        "approachTop1@6s": ratio(t[Stat.Approach6Hit], t[Stat.Approach6N]),
        "ndcg@5": ratio(t[Stat.NdcgSum], t[Stat.Top1At3N]),
        hintF1: ratio(2 * t[Stat.HintTp], 2 * t[Stat.HintTp] + t[Stat.HintFp] + t[Stat.HintFn]),
        dwellMae: ratio(t[Stat.DwellAbs], t[Stat.DwellN]),
    };
}

function countsOf(t: Float64Array): IMetricSet {
    return {
        "top1@1s": t[Stat.Top1At1N],
        "top1@3s": t[Stat.Top1At3N],
        "top3@3s": t[Stat.Top1At3N],
        "approachTop1@3s": t[Stat.Approach3N],
        "approachTop1@6s": t[Stat.Approach6N],
        "ndcg@5": t[Stat.Top1At3N],
        hintF1: t[Stat.HintTp] + t[Stat.HintFn],
        dwellMae: t[Stat.DwellN],
    };
}

function total(stats: Float64Array[], pick: (i: number) => number, n: number): Float64Array {
    const sum = new Float64Array(Stat.Count);
    for (let i = 0; i < n; i++) {
        const s = stats[pick(i)];
        for (let j = 0; j < Stat.Count; j++) sum[j] += s[j];
    }
    return sum;
}

/**
 * The two headline ranking metrics, equally weighted (a metric with no moments counts 0): what the
 * tuned heuristic's weight search and the training restarts' selection both maximise.
 */
export function rankingObjective(m: IMetricSet): number {
    const approach = Number.isNaN(m["approachTop1@3s"]) ? 0 : m["approachTop1@3s"];
    return approach + (Number.isNaN(m["ndcg@5"]) ? 0 : m["ndcg@5"]);
}

/** Point values only (used by the weight search and threshold choice). */
export function computeMetrics(data: IPackedDataset, scores: IMethodScores): IMetricSet {
    const stats = sessionStats(data, scores);
    return metricsOf(total(stats, (i) => i, stats.length));
}

/** Values with a session-bootstrap 95 % interval (seeded, so reruns print the same table). */
export function computeMetricReport(data: IPackedDataset, scores: IMethodScores, seed = 7): IMetricReport {
    const stats = sessionStats(data, scores);
    const n = stats.length;
    const whole = total(stats, (i) => i, n);
    const point = metricsOf(whole);
    const counts = countsOf(whole);
    const random = mulberry32(seed);
    const samples: Record<MetricName, number[]> = Object.fromEntries(METRIC_NAMES.map((m) => [m, []])) as unknown as Record<MetricName, number[]>;
    for (let b = 0; b < BOOTSTRAP_SAMPLES; b++) {
        const m = metricsOf(total(stats, () => Math.floor(random() * n), n));
        for (const name of METRIC_NAMES) {
            if (!Number.isNaN(m[name])) samples[name].push(m[name]);
        }
    }
    const report = {} as IMetricReport;
    for (const name of METRIC_NAMES) {
        const sorted = samples[name].sort((a, b) => a - b);
        const at = (q: number): number => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
        report[name] = { value: point[name], low: at(0.025), high: at(0.975), count: counts[name] };
    }
    return report;
}

/** The guidance threshold with the best hint F1 on `data` (validation), from a fixed grid. */
export function chooseHintThreshold(data: IPackedDataset, scores: Omit<IMethodScores, "hintThreshold">): number {
    let best = { f1: -1, threshold: 0.5 };
    for (const threshold of [0.01, 0.02, 0.03, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.5, 0.55, 0.6, 0.7, 0.8, 0.9]) {
        const f1 = computeMetrics(data, { ...scores, hintThreshold: threshold }).hintF1;
        if (f1 > best.f1) best = { f1, threshold };
    }
    return best.threshold;
}

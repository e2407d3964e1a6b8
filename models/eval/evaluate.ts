/**
 * Scores the model (its ONNX file) and every baseline on the held-out test split. Hint
 * thresholds are chosen on the validation split, the tuned heuristic's weights on the training
 * split, so nothing is fitted on the numbers it is judged by.
 */
import type { IPackedDataset } from "../train/packedDataset";
import { BASELINE_NAMES, type BaselineName, baselineScores, tuneHeuristicWeights } from "./baselines";
import { METRIC_NAMES, chooseHintThreshold, computeMetricReport, type IMetricReport, type IMetricSet } from "./metrics";
import { createOnnxSessionAsync, type IModelOutputs, onnxOutputsAsync } from "./onnxScores";

export interface IEvaluationSplits {
    train: IPackedDataset;
    validation: IPackedDataset;
    test: IPackedDataset;
}

export interface IEvaluation {
    model: IMetricReport;
    baselines: Record<BaselineName, IMetricReport>;
    /** Test sessions. */
    sessions: number;
    testExamples: number;
    tunedWeights: number[];
    hintThresholds: { model: number; baselines: number };
}

/** The `--json` shape: point values only. */
export interface IEvaluationJson {
    model: IMetricSet;
    baselines: Record<BaselineName, IMetricSet>;
    sessions: number;
}

export interface IEvaluateOptions {
    /** Test-split outputs already computed from the same file (the training pipeline has them from its parity check). */
    testOutputs?: IModelOutputs;
    /** @default 2 coordinate-search sweeps for the tuned heuristic */
    tuningPasses?: number;
    /** @default 6000 training examples the weight search looks at (evenly strided) */
    tuningExamples?: number;
    /** The tuned heuristic's weights from an earlier evaluation with the same training split (the search is deterministic, so this only saves its time). @default searched on `splits.train` */
    tunedWeights?: Float32Array;
}

function strided(data: IPackedDataset, limit: number): IPackedDataset {
    if (data.count <= limit) return data;
    const step = data.count / limit;
    const pick = Array.from({ length: limit }, (_, i) => Math.floor(i * step));
    const k = data.k;
    const rows = <T extends Float32Array | Int32Array>(src: T, width: number): T => {
        const out = new (src.constructor as new (n: number) => T)(limit * width);
        pick.forEach((e, i) => out.set(src.subarray(e * width, (e + 1) * width), i * width));
        return out;
    };
    const f = data.features.length / (data.count * k);
    return {
        ...data,
        count: limit,
        features: rows(data.features, k * f),
        mask: rows(data.mask, k),
        context: rows(data.context, data.context.length / data.count),
        weights: rows(data.weights, data.weights.length / data.count),
        engage1s: rows(data.engage1s, 1),
        engage3s: rows(data.engage3s, 1),
        engage6s: rows(data.engage6s, 1),
        engageNext: rows(data.engageNext, 1),
        engageNextS: rows(data.engageNextS, 1),
        guidance: rows(data.guidance, k),
        dwell: rows(data.dwell, k),
        distance: rows(data.distance, k),
        gazeAngle: rows(data.gazeAngle, k),
        sessionIndex: rows(data.sessionIndex, 1),
        usedRows: rows(data.usedRows, 1),
    };
}

/** The tuned heuristic baseline's weights: a coordinate search on (a stride of) the training split. */
export function tuneBaselineWeights(train: IPackedDataset, options: IEvaluateOptions = {}): Float32Array {
    return tuneHeuristicWeights(strided(train, options.tuningExamples ?? 6000), options.tuningPasses ?? 2).weights;
}

export async function evaluateAsync(modelBytes: Uint8Array, splits: IEvaluationSplits, options: IEvaluateOptions = {}): Promise<IEvaluation> {
    const tunedWeights = options.tunedWeights ?? tuneBaselineWeights(splits.train, options);
    const session = await createOnnxSessionAsync(modelBytes);
    let testOutputs: IModelOutputs;
    let validationOutputs: IModelOutputs;
    try {
        validationOutputs = await onnxOutputsAsync(session, splits.validation);
        testOutputs = options.testOutputs ?? (await onnxOutputsAsync(session, splits.test));
    } finally {
        await session.release();
    }
    const modelThreshold = chooseHintThreshold(splits.validation, validationOutputs);
    const baselineValidation = baselineScores(splits.validation, tunedWeights);
    const baselineThreshold = chooseHintThreshold(splits.validation, baselineValidation.heuristicDefault);
    const baselineTest = baselineScores(splits.test, tunedWeights);
    const baselines = {} as Record<BaselineName, IMetricReport>;
    for (const name of BASELINE_NAMES) {
        baselines[name] = computeMetricReport(splits.test, { ...baselineTest[name], hintThreshold: baselineThreshold });
    }
    return {
        model: computeMetricReport(splits.test, { ...testOutputs, hintThreshold: modelThreshold }),
        baselines,
        sessions: splits.test.sessions.length,
        testExamples: splits.test.count,
        tunedWeights: Array.from(tunedWeights),
        hintThresholds: { model: modelThreshold, baselines: baselineThreshold },
    };
}

export function evaluationJson(evaluation: IEvaluation): IEvaluationJson {
    const values = (report: IMetricReport): IMetricSet => Object.fromEntries(METRIC_NAMES.map((m) => [m, report[m].value])) as IMetricSet;
    const baselines = {} as Record<BaselineName, IMetricSet>;
    for (const name of BASELINE_NAMES) baselines[name] = values(evaluation.baselines[name]);
    return { model: values(evaluation.model), baselines, sessions: evaluation.sessions };
}

/** The best baseline value of a metric (lowest for dwell MAE). */
export function bestBaseline(evaluation: IEvaluation, metric: (typeof METRIC_NAMES)[number]): { name: BaselineName; value: number } {
    const lowerIsBetter = metric === "dwellMae";
    let best = { name: BASELINE_NAMES[0], value: evaluation.baselines[BASELINE_NAMES[0]][metric].value };
    for (const name of BASELINE_NAMES) {
        const value = evaluation.baselines[name][metric].value;
        if (lowerIsBetter ? value < best.value : value > best.value) best = { name, value };
    }
    return { name: best.name, value: best.value };
}

/** One metric value as the tables print it: percent for top-k, 3 decimals for NDCG and F1, seconds for dwell. */
export function formatMetricValue(metric: string, v: number): string {
    return metric === "dwellMae" ? v.toFixed(2) : metric === "ndcg@5" || metric === "hintF1" ? v.toFixed(3) : (v * 100).toFixed(1);
}

function cell(interval: { value: number; low: number; high: number }, metric: string): string {
    if (Number.isNaN(interval.value)) return "n/a";
    const f = (v: number): string => formatMetricValue(metric, v);
    return `${f(interval.value)} [${f(interval.low)}, ${f(interval.high)}]`;
}

/** A markdown table: one row per method, one column per metric, value and 95 % interval. */
export function formatEvaluationTable(evaluation: IEvaluation): string {
    const header = `| method | ${METRIC_NAMES.join(" | ")} |`;
    const rule = `|---|${METRIC_NAMES.map(() => "---").join("|")}|`;
    const row = (name: string, report: IMetricReport): string => `| ${name} | ${METRIC_NAMES.map((m) => cell(report[m], m)).join(" | ")} |`;
    return [header, rule, row("**model**", evaluation.model), ...BASELINE_NAMES.map((name) => row(name, evaluation.baselines[name]))].join("\n");
}

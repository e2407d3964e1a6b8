/**
 * `npm run train` end to end: split by layout, train, export through buildModel, check the ONNX
 * file against the trained network on the test split (fails above 1e-4), evaluate against the
 * baselines, and write the model, manifest, trained parameters, report and learning curves.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { INIT_SEED, initParameters } from "../architecture";
import { MANIFEST_FILE_NAME, MODEL_FILE_NAME, buildModel } from "../buildModel";
import type { IDataset } from "../dataset/datasetTypes";
import { type IEvaluation, bestBaseline, evaluateAsync, evaluationJson } from "../eval/evaluate";
import { createOnnxSessionAsync, type IModelOutputs, onnxOutputsAsync } from "../eval/onnxScores";
import { learningCurvesSvg } from "./learningCurves";
import { type IPackedDataset, packExamples } from "./packedDataset";
import { type ISplitOptions, splitDataset } from "./split";
import { type TfBackendName, setUpTfBackendAsync } from "./tfBackend";
import { type IRestartRecord, trainWithRestartsAsync } from "./restarts";
import { tfOutputs } from "./tfOutputs";
import type { ITrainOptions, ITrainResult } from "./train";
import { saveTrainedParameters } from "./trainedParameters";

/** ONNX outputs must equal the trained network's within this on every test example. */
export const PARITY_TOLERANCE = 1e-4;

export interface IPipelineOptions {
    dataset: IDataset;
    /** One line naming the data (goes into the parameter source and the report). */
    datasetDescription: string;
    /** Folder for the ONNX file, its manifest, report.json and trained-parameters.json. */
    outDir: string;
    /** Where trained-parameters.json goes. @default outDir */
    parametersPath?: string;
    /** Learning-curve SVG path. @default outDir/learning-curves.svg */
    svgPath?: string;
    train: Partial<ITrainOptions>;
    split?: Partial<ISplitOptions>;
    /** @default "wasm" */
    backend?: TfBackendName;
    /** @default INIT_SEED */
    initSeed?: number;
    /**
     * Shuffling seeds to train with, keeping the run that ranks best on `selection`
     * (models/train/restarts.ts). @default [train.seed ?? 1]: one run
     */
    restartSeeds?: readonly number[];
    /** Where restarts are compared: layouts that are neither trained on nor the test split. @default the validation split */
    selection?: { data: IPackedDataset; description: string };
    log?: (line: string) => void;
}

export interface IParityResult {
    examples: number;
    maxAbsDiff: Record<"engagement" | "guidance" | "dwell" | "attention", number>;
    passed: boolean;
}

export interface IPipelineResult {
    training: ITrainResult;
    /** One record per restart (one when there were no restarts), and the seed kept. */
    restarts: { selection: string; chosenSeed: number; records: IRestartRecord[] };
    parity: IParityResult;
    evaluation: IEvaluation;
    parameterSource: string;
    report: Record<string, unknown>;
    files: string[];
}

export function compareOutputs(a: IModelOutputs, b: IModelOutputs, data: IPackedDataset): IParityResult {
    const maxAbsDiff = { engagement: 0, guidance: 0, dwell: 0, attention: 0 };
    for (const name of Object.keys(maxAbsDiff) as (keyof typeof maxAbsDiff)[]) {
        for (let e = 0; e < data.count; e++) {
            for (let r = 0; r < data.usedRows[e]; r++) {
                const at = e * data.k + r;
                const d = Math.abs(a[name][at] - b[name][at]);
                // NaN must fail the check, so compare with "not below".
                if (!(d <= maxAbsDiff[name])) maxAbsDiff[name] = Number.isNaN(d) ? Infinity : d;
            }
        }
    }
    return { examples: data.count, maxAbsDiff, passed: Object.values(maxAbsDiff).every((d) => d <= PARITY_TOLERANCE) };
}

function round(value: number, digits = 4): number {
    return Number.isFinite(value) ? Number(value.toFixed(digits)) : value;
}

export async function runTrainingPipelineAsync(options: IPipelineOptions): Promise<IPipelineResult> {
    const log = options.log ?? ((line: string) => console.log(line));
    const startMs = performance.now();
    const backend = await setUpTfBackendAsync(options.backend ?? "wasm");
    const split = splitDataset(options.dataset, options.split);
    const train = packExamples(options.dataset, split.train);
    const validation = packExamples(options.dataset, split.validation);
    const test = packExamples(options.dataset, split.test);
    log(`split by ${split.by}: train ${train.count} examples (${split.trainGroups.length}), validation ${validation.count} (${split.validationGroups.join(", ")}), test ${test.count} (${split.testGroups.join(", ")}); tfjs backend ${backend}`);

    const initSeed = options.initSeed ?? INIT_SEED;
    const seeds = options.restartSeeds ?? [options.train.seed ?? 1];
    const selection = options.selection ?? { data: validation, description: "the validation split" };
    const restarts = await trainWithRestartsAsync(initParameters(initSeed), train, validation, selection.data, options.train, seeds, log);
    const { model, training, chosenSeed } = restarts;
    const restartSummary = { selection: selection.description, chosenSeed, records: restarts.records };
    try {
        if (seeds.length > 1) {
            log(`kept restart seed ${chosenSeed} of ${seeds.join(", ")} (best approach top-1 at 3 s + NDCG@5 on ${selection.description})`);
        }
        if (training.pretraining) {
            const p = training.pretraining;
            log(`masked-feature pretraining: ${p.steps} steps in ${p.seconds.toFixed(1)} s; validation error per hidden feature ${p.history.map((h) => h.validation.toFixed(4)).join(" -> ")} (the mean row: ${p.meanRowValidation.toFixed(4)})`);
        }
        const last = training.history[training.history.length - 1];
        const best = training.history[training.bestIndex];
        const bestEpoch = Number(training.bestEpoch.toFixed(2));
        log(`trained ${training.steps} steps in ${training.seconds.toFixed(1)} s; best epoch ${bestEpoch} of ${Number(last.epoch.toFixed(2))} (validation loss ${training.history[0].validation.total.toFixed(4)} -> ${best.validation.total.toFixed(4)})`);

        const restartNote = seeds.length > 1 ? `, shuffle seed ${chosenSeed} of restarts ${seeds.join("/")} kept on ${selection.description}` : "";
        const parameterSource = `trained: npm run train, ${options.datasetDescription}; init seed ${initSeed}${restartNote}, best epoch ${bestEpoch}/${Number(last.epoch.toFixed(2))}, validation loss ${best.validation.total.toFixed(4)}`;
        const built = buildModel(training.params, parameterSource);
        const ortSession = await createOnnxSessionAsync(built.bytes);
        let onnxTest: IModelOutputs;
        try {
            onnxTest = await onnxOutputsAsync(ortSession, test);
        } finally {
            await ortSession.release();
        }
        const parity = compareOutputs(onnxTest, tfOutputs(model, test), test);
        log(`ONNX parity on ${parity.examples} test examples: max |diff| ${Object.entries(parity.maxAbsDiff).map(([k, v]) => `${k} ${v.toExponential(2)}`).join(", ")}`);
        if (!parity.passed) {
            throw new Error(`the exported ONNX model differs from the trained network by more than ${PARITY_TOLERANCE} on the test split: ${JSON.stringify(parity.maxAbsDiff)}; nothing was written`);
        }

        const evaluation = await evaluateAsync(built.bytes, { train, validation, test }, { testOutputs: onnxTest });
        const approach = bestBaseline(evaluation, "approachTop1@3s");
        const ndcg = bestBaseline(evaluation, "ndcg@5");
        const margins = {
            approachTop1At3sPoints: round((evaluation.model["approachTop1@3s"].value - approach.value) * 100, 2),
            approachBestBaseline: approach.name,
            ndcgAt5: round(evaluation.model["ndcg@5"].value - ndcg.value),
            ndcgBestBaseline: ndcg.name,
        };

        mkdirSync(options.outDir, { recursive: true });
        const files: string[] = [];
        const write = (path: string, data: string | Uint8Array): void => {
            writeFileSync(path, data);
            files.push(path);
        };
        write(join(options.outDir, MODEL_FILE_NAME), built.bytes);
        write(join(options.outDir, MANIFEST_FILE_NAME), built.manifestJson);
        const parametersPath = options.parametersPath ?? join(options.outDir, "trained-parameters.json");
        saveTrainedParameters(parametersPath, { parameterSource, params: training.params });
        files.push(parametersPath);
        const svgPath = options.svgPath ?? join(options.outDir, "learning-curves.svg");
        write(svgPath, learningCurvesSvg(training.history, training.bestEpoch, `attention ranker: loss per epoch (${train.count} training examples)`));

        const report = {
            parameterSource,
            sha256: built.manifest.sha256,
            tfBackend: backend,
            dataset: { description: options.datasetDescription, k: options.dataset.k, examples: options.dataset.examples.length },
            split: { by: split.by, train: { examples: train.count, groups: split.trainGroups }, validation: { examples: validation.count, groups: split.validationGroups }, test: { examples: test.count, groups: split.testGroups } },
            training: {
                options: { ...options.train, progress: undefined },
                steps: training.steps,
                seconds: round(training.seconds, 1),
                bestEpoch: training.bestEpoch,
                stoppedEarly: training.stoppedEarly,
                history: training.history.map((h) => ({ epoch: round(h.epoch, 3), train: round(h.train), validation: { total: round(h.validation.total), engagement: round(h.validation.engagement), guidance: round(h.validation.guidance), dwell: round(h.validation.dwell) }, seconds: round(h.seconds, 1) })),
                ...(training.pretraining && {
                    maskedFeaturePretraining: {
                        history: training.pretraining.history.map((h) => ({ epoch: h.epoch, train: round(h.train, 5), validation: round(h.validation, 5) })),
                        meanRowValidation: round(training.pretraining.meanRowValidation, 5),
                        steps: training.pretraining.steps,
                        seconds: round(training.pretraining.seconds, 1),
                    },
                }),
            },
            restarts: { ...restartSummary, records: restartSummary.records.map((r) => ({ ...r, bestEpoch: round(r.bestEpoch, 3), validationLoss: round(r.validationLoss), approachTop1At3s: round(r.approachTop1At3s), ndcgAt5: round(r.ndcgAt5), score: round(r.score) })) },
            parity: { tolerance: PARITY_TOLERANCE, ...parity },
            evaluation: { ...evaluationJson(evaluation), intervals: { model: evaluation.model, baselines: evaluation.baselines }, testExamples: evaluation.testExamples, tunedWeights: evaluation.tunedWeights.map((w) => round(w, 2)), hintThresholds: evaluation.hintThresholds },
            margins,
            totalSeconds: round((performance.now() - startMs) / 1000, 1),
        };
        write(join(options.outDir, "report.json"), JSON.stringify(report, null, 2) + "\n");
        return { training, restarts: restartSummary, parity, evaluation, parameterSource, report, files };
    } finally {
        model.dispose();
    }
}

/**
 * Trains one data/training configuration as one run of `npm run train` (a single shuffle seed,
 * no restarts: pass `{"seed":N}` for another; into a folder of its own, never models/) and
 * scores it three ways against the tuned heuristic: on its own validation layouts,
 * on its own test layouts, and on a common set of seed-2 layouts that no configuration trains
 * on. It produced the tables "Schema version 2 and restarts" and "More or longer simulated
 * play" in models/RESULTS.md:
 *
 *   npx tsx models/train/compareConfigurations.ts <outDir> <layouts> <sessionsPerLayout> <seconds> ['<ITrainOptions JSON>']
 *   e.g. npx tsx models/train/compareConfigurations.ts /tmp/L120 120 3 60
 *
 * The common set is COMMON_HELD_OUT_SIMULATION (24 layouts x 3 sessions x 60 s of seed 2).
 * Writes <outDir>/summary.json.
 */
import { readFileSync, writeFileSync } from "node:fs";
import type { IEvaluation } from "../eval/evaluate";
import { evaluateAsync } from "../eval/evaluate";
import { DATA_PRESETS, simulateAsync, simulateCommonHeldOutAsync, type IDataPreset } from "./datasetSource";
import { packExamples } from "./packedDataset";
import { runTrainingPipelineAsync } from "./pipeline";
import { splitDataset } from "./split";
import { TRAIN_PRESETS } from "./trainPresets";

/** Model against the tuned heuristic per metric, with the moments counted (the table's third figure). */
function margins(e: IEvaluation): Record<string, { model: number; tuned: number; count: number }> {
    const pick = (metric: "approachTop1@3s" | "approachTop1@6s" | "ndcg@5" | "top1@3s") => ({ model: e.model[metric].value, tuned: e.baselines.heuristicTuned[metric].value, count: e.model[metric].count });
    return { approachTop1At3s: pick("approachTop1@3s"), approachTop1At6s: pick("approachTop1@6s"), ndcgAt5: pick("ndcg@5"), top1At3s: pick("top1@3s") };
}

async function mainAsync(): Promise<void> {
    const [outDir, layouts, sessions, seconds, trainJson] = process.argv.slice(2);
    if (!outDir || !(Number(layouts) > 0) || !(Number(sessions) > 0) || !(Number(seconds) > 0)) {
        throw new Error("usage: compareConfigurations <outDir> <layouts> <sessionsPerLayout> <seconds> ['<train options JSON>']");
    }
    const startMs = performance.now();
    const labels = DATA_PRESETS.full.labels;
    const preset: IDataPreset = { simulation: { ...DATA_PRESETS.full.simulation, layouts: Number(layouts), sessionsPerLayout: Number(sessions), seconds: Number(seconds) }, labels };
    const data = await simulateAsync(preset, console.log);
    const result = await runTrainingPipelineAsync({ dataset: data.dataset, datasetDescription: data.description, outDir, train: { ...TRAIN_PRESETS.full, ...(trainJson ? JSON.parse(trainJson) : {}), progress: null }, log: console.log });
    const bytes = new Uint8Array(readFileSync(`${outDir}/attention-ranker.onnx`));
    const split = splitDataset(data.dataset);
    const train = packExamples(data.dataset, split.train);
    const validation = packExamples(data.dataset, split.validation);
    // The validation layouts in the test slot: the pipeline itself reports the test split only.
    const onValidation = await evaluateAsync(bytes, { train, validation, test: validation });
    const common = await simulateCommonHeldOutAsync((line) => console.log(`common set: ${line}`));
    const onCommon = await evaluateAsync(bytes, { train, validation, test: packExamples(common.dataset, common.dataset.examples) });
    const summary = {
        description: data.description,
        seconds: Math.round((performance.now() - startMs) / 1000),
        bestEpoch: result.training.bestEpoch,
        lastEpoch: result.training.history.at(-1)?.epoch,
        validation: { ...margins(onValidation), sessions: onValidation.sessions },
        test: { ...margins(result.evaluation), sessions: result.evaluation.sessions },
        common: { ...margins(onCommon), sessions: onCommon.sessions },
    };
    writeFileSync(`${outDir}/summary.json`, JSON.stringify(summary, null, 2) + "\n");
    console.log(JSON.stringify(summary, null, 2));
}

mainAsync().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
});

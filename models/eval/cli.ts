/**
 * `npm run eval -- [--sessions <files>] [--json <file>] [--model <file.onnx>] [--quick]`
 *
 * Rebuilds the training run's data (the same simulator preset and seed, or the given session
 * files), takes the same layout-held-out split, and scores the ONNX model and the baselines on
 * the test layouts. Then, for the simulated full preset, the same on EVALUATION_SIMULATION's 40
 * layouts, which no training, restart selection or tuning sees (thresholds and tuned weights stay
 * those of the training data's validation and training splits). Then the same again for each of
 * EVALUATION_POPULATIONS: visitors written apart from the training simulator (models/sim/personas).
 * Prints the tables; `--json` writes the JSON shape, with the 40 layouts under `largeHeldOut` and
 * each population under `populations.<name>`.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "../train/cliArgs";
import { DATA_PRESETS, EVALUATION_POPULATIONS, loadSessionFilesAsync, simulateAsync, simulateEvaluationLayoutsAsync, simulatePopulationAsync } from "../train/datasetSource";
import { packExamples } from "../train/packedDataset";
import { splitDataset } from "../train/split";
import { evaluateAsync, evaluationJson, formatEvaluationTable, type IEvaluation, type IEvaluationJson } from "./evaluate";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function mainAsync(): Promise<void> {
    const args = parseArgs(process.argv.slice(2), { flags: ["quick"], values: ["sessions", "json", "model"] });
    const preset = args.flags.has("quick") ? "quick" : "full";
    const log = (line: string): void => console.error(line);
    const files = args.values.get("sessions");
    const data = files ? await loadSessionFilesAsync(files, DATA_PRESETS[preset].labels, log) : await simulateAsync(DATA_PRESETS[preset], log);
    const modelPath = args.values.get("model")?.[0] ?? join(REPO_ROOT, "models", "attention-ranker.onnx");
    const split = splitDataset(data.dataset);
    const reportPath = join(REPO_ROOT, "models", "report.json");
    if (!files && existsSync(reportPath)) {
        const trainedOn = (JSON.parse(readFileSync(reportPath, "utf8")) as { split?: { test?: { groups?: string[] } } }).split?.test?.groups ?? [];
        if (trainedOn.join() !== split.testGroups.join()) {
            log(`warning: the test layouts (${split.testGroups.join(", ")}) are not the ones models/report.json held out (${trainedOn.join(", ")})`);
        }
    }
    const modelBytes = new Uint8Array(readFileSync(modelPath));
    const splits = {
        train: packExamples(data.dataset, split.train),
        validation: packExamples(data.dataset, split.validation),
        test: packExamples(data.dataset, split.test),
    };
    const evaluation = await evaluateAsync(modelBytes, splits);
    console.log(`${data.description}; test ${split.by}s ${split.testGroups.join(", ")}: ${evaluation.sessions} sessions, ${evaluation.testExamples} ticks; model ${modelPath}`);
    console.log(formatEvaluationTable(evaluation));
    console.log(momentsLine(evaluation));
    let largeHeldOut: IHeldOutJson | undefined;
    let populations: Record<string, IHeldOutJson> | undefined;
    if (!files && preset === "full") {
        const extra = await simulateEvaluationLayoutsAsync(log);
        const reuse = { tunedWeights: Float32Array.from(evaluation.tunedWeights) };
        const extraEvaluation = await evaluateAsync(modelBytes, { ...splits, test: packExamples(extra.dataset) }, reuse);
        console.log(`\n${extra.description}, no layout of it trained, selected or tuned on: ${extraEvaluation.sessions} sessions, ${extraEvaluation.testExamples} ticks`);
        console.log(formatEvaluationTable(extraEvaluation));
        console.log(momentsLine(extraEvaluation));
        largeHeldOut = { ...evaluationJson(extraEvaluation), approachMoments: approachMoments(extraEvaluation) };
        populations = {};
        for (const name of Object.keys(EVALUATION_POPULATIONS)) {
            const population = await simulatePopulationAsync(name, log);
            const populationEvaluation = await evaluateAsync(modelBytes, { ...splits, test: packExamples(population.dataset) }, reuse);
            console.log(`\nPopulation "${name}" (${population.description}), visitors written apart from the training simulator: ${populationEvaluation.sessions} sessions, ${populationEvaluation.testExamples} ticks`);
            console.log(formatEvaluationTable(populationEvaluation));
            console.log(momentsLine(populationEvaluation));
            populations[name] = { ...evaluationJson(populationEvaluation), approachMoments: approachMoments(populationEvaluation) };
        }
    }
    const json = args.values.get("json")?.[0];
    if (json) {
        writeFileSync(json, JSON.stringify({ ...evaluationJson(evaluation), approachMoments: approachMoments(evaluation), ...(largeHeldOut ? { largeHeldOut } : {}), ...(populations ? { populations } : {}) }, null, 2) + "\n");
        console.log(`wrote ${json}`);
    }
}

type IHeldOutJson = IEvaluationJson & { approachMoments: IApproachMoments };

interface IApproachMoments {
    "3s": number;
    "6s": number;
}

/** How many approach moments the approach metrics rest on: what one moment is worth. */
function approachMoments(evaluation: IEvaluation): IApproachMoments {
    return { "3s": evaluation.model["approachTop1@3s"].count, "6s": evaluation.model["approachTop1@6s"].count };
}

function momentsLine(evaluation: IEvaluation): string {
    const moments = approachMoments(evaluation);
    return `Approach moments: ${moments["3s"]} at 3 s, ${moments["6s"]} at 6 s (one moment is ${(100 / Math.max(1, moments["3s"])).toFixed(2)} points at 3 s).`;
}

mainAsync().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});

/**
 * `npm run eval -- [--sessions <files>] [--json <file>] [--model <file.onnx>] [--quick]`
 *
 * Rebuilds the training run's data (the same simulator preset and seed, or the given session
 * files), takes the same layout-held-out split, and scores the ONNX model and the baselines on
 * the test layouts. Prints the table; `--json` writes the JSON shape.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "../train/cliArgs";
import { DATA_PRESETS, loadSessionFilesAsync, simulateAsync } from "../train/datasetSource";
import { packExamples } from "../train/packedDataset";
import { splitDataset } from "../train/split";
import { evaluateAsync, evaluationJson, formatEvaluationTable } from "./evaluate";

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
    const evaluation = await evaluateAsync(new Uint8Array(readFileSync(modelPath)), {
        train: packExamples(data.dataset, split.train),
        validation: packExamples(data.dataset, split.validation),
        test: packExamples(data.dataset, split.test),
    });
    console.log(`${data.description}; test ${split.by}s ${split.testGroups.join(", ")}: ${evaluation.sessions} sessions, ${evaluation.testExamples} ticks; model ${modelPath}`);
    console.log(formatEvaluationTable(evaluation));
    const json = args.values.get("json")?.[0];
    if (json) {
        writeFileSync(json, JSON.stringify(evaluationJson(evaluation), null, 2) + "\n");
        console.log(`wrote ${json}`);
    }
}

mainAsync().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});

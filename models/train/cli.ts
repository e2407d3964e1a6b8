/**
 * `npm run train [-- --quick] [--sessions <files>] [--out <dir>] [--epochs n] [--backend wasm|cpu]`
 *
 * Full run (default): simulated data (DATA_PRESETS.full), writes models/attention-ranker.onnx,
 * its manifest, the hash the plugin checks it against (plugin/model/packagedModelHash.ts),
 * models/report.json, models/train/trained-parameters.json, docs/images/learning-curves.svg and
 * the results section of models/RESULTS.md.
 * `--quick`: the smoke preset, written to a temporary folder unless `--out` is given, docs untouched.
 * Exits non-zero when the ONNX parity check fails.
 */
import { tmpdir } from "node:os";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { writePackagedModelHash } from "../buildModel";
import { parseArgs } from "./cliArgs";
import { DATA_PRESETS, loadSessionFilesAsync, simulateAsync, simulateCommonHeldOutAsync } from "./datasetSource";
import { updateModelCard } from "./modelCardSection";
import { runTrainingPipelineAsync } from "./pipeline";
import { resultsMarkdown } from "./resultsMarkdown";
import type { ITrainOptions } from "./train";
import { RESTART_SEEDS, TRAIN_PRESETS } from "./trainPresets";
import { type IPackedDataset, packExamples } from "./packedDataset";
import type { TfBackendName } from "./tfBackend";
import { TRAINED_PARAMETERS_PATH } from "./trainedParameters";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "..", "..");

async function mainAsync(): Promise<void> {
    const args = parseArgs(process.argv.slice(2), { flags: ["quick"], values: ["sessions", "out", "epochs", "backend"] });
    const quick = args.flags.has("quick");
    const preset = quick ? "quick" : "full";
    const log = (line: string): void => console.log(line);
    const sessionFiles = args.values.get("sessions");
    const data = sessionFiles ? await loadSessionFilesAsync(sessionFiles, DATA_PRESETS[preset].labels, log) : await simulateAsync(DATA_PRESETS[preset], log);
    const outArg = args.values.get("out")?.[0];
    const writesRepo = !outArg && !quick;
    const outDir = outArg ?? (quick ? join(tmpdir(), "babylon-attention-quick-train") : join(REPO_ROOT, "models"));
    const train: Partial<ITrainOptions> = { ...TRAIN_PRESETS[preset] };
    const epochs = args.values.get("epochs")?.[0];
    if (epochs) train.epochs = Number(epochs);
    // The full simulated run compares its restarts on separate held-out layouts; recorded
    // sessions and the quick run compare them on their validation split.
    let selection: { data: IPackedDataset; description: string } | undefined;
    if (!sessionFiles && !quick) {
        const held = await simulateCommonHeldOutAsync((line) => log(`selection set: ${line}`));
        selection = { data: packExamples(held.dataset, held.dataset.examples), description: `the selection set (${held.description})` };
    }
    const svgPath = writesRepo ? join(REPO_ROOT, "docs", "images", "learning-curves.svg") : undefined;
    const result = await runTrainingPipelineAsync({
        dataset: data.dataset,
        datasetDescription: data.description,
        outDir,
        parametersPath: writesRepo ? TRAINED_PARAMETERS_PATH : undefined,
        svgPath,
        train,
        restartSeeds: RESTART_SEEDS[preset],
        selection,
        backend: (args.values.get("backend")?.[0] ?? "wasm") as TfBackendName,
        log,
    });
    const command = `npm run train${process.argv.length > 2 ? " -- " + process.argv.slice(2).join(" ") : ""}`;
    if (writesRepo) {
        const modelCard = join(REPO_ROOT, "models", "RESULTS.md");
        updateModelCard(modelCard, resultsMarkdown(result, command, relative(dirname(modelCard), svgPath!)));
        result.files.push(modelCard);
        // The plugin checks its default model against this hash: it must follow the file.
        result.files.push(writePackagedModelHash(String(result.report.sha256)));
    }
    console.log(resultsMarkdown(result, command, svgPath ?? "learning-curves.svg").split("\n").filter((l) => l.startsWith("|") || l.startsWith("Against")).join("\n"));
    console.log(`wrote ${result.files.map((f) => relative(REPO_ROOT, f)).join(", ")}`);
}

mainAsync().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});

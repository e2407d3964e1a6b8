/**
 * Mean and standard deviation over training seeds of the model's figures and its margins over
 * the tuned heuristic, from `npm run eval -- --json` files of models trained with different seeds:
 *
 *   for s in 1 2 3; do
 *     npx tsx models/train/compareConfigurations.ts /tmp/seed$s 40 3 60 "{\"seed\":$s}"
 *     npm run eval -- --model /tmp/seed$s/attention-ranker.onnx --json /tmp/seed$s/eval.json
 *   done
 *   npx tsx models/eval/seedSpread.ts /tmp/seed1/eval.json /tmp/seed2/eval.json /tmp/seed3/eval.json
 *
 * One table per population: the training run's test layouts, and `largeHeldOut` where present.
 */
import { readFileSync } from "node:fs";
import { formatMetricValue } from "./evaluate";
import { METRIC_NAMES, type IMetricSet } from "./metrics";

interface IEvalFile {
    model: IMetricSet;
    baselines: { heuristicTuned: IMetricSet };
    largeHeldOut?: { model: IMetricSet; baselines: { heuristicTuned: IMetricSet } };
}

const files = process.argv.slice(2);
if (files.length < 2) {
    throw new Error("seedSpread: give two or more `npm run eval -- --json` files, one per training seed");
}
const runs = files.map((f) => JSON.parse(readFileSync(f, "utf8")) as IEvalFile);

/** As the eval tables print, but dwell to the millisecond: its spread over seeds is a few ms. */
const show = (metric: string, v: number): string => (metric === "dwellMae" ? v.toFixed(3) : formatMetricValue(metric, v));

function meanSd(values: readonly number[]): { mean: number; sd: number } {
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const variance = values.reduce((a, v) => a + (v - mean) ** 2, 0) / (values.length - 1);
    return { mean, sd: Math.sqrt(variance) };
}


for (const [name, pick] of [
    ["the training run's test layouts", (r: IEvalFile) => r],
    ["largeHeldOut (40 layouts nothing trained, selected or tuned on)", (r: IEvalFile) => r.largeHeldOut],
] as const) {
    const populations = runs.map(pick);
    if (populations.some((p) => !p)) {
        continue;
    }
    console.log(`\n${name}, ${runs.length} seeds: mean ± sd`);
    console.log("| metric | model | margin over heuristicTuned | per seed (model) |");
    console.log("|---|---|---|---|");
    for (const metric of METRIC_NAMES) {
        const model = populations.map((p) => p!.model[metric]);
        const margin = populations.map((p) => p!.model[metric] - p!.baselines.heuristicTuned[metric]);
        const m = meanSd(model);
        const d = meanSd(margin);
        console.log(`| ${metric} | ${show(metric, m.mean)} ± ${show(metric, m.sd)} | ${d.mean >= 0 ? "+" : ""}${show(metric, d.mean)} ± ${show(metric, d.sd)} | ${model.map((v) => show(metric, v)).join(", ")} |`);
    }
}

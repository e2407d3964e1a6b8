/**
 * Where the approach moments are won and lost: the approach top-1 at 3 s of the model and the
 * tuned heuristic, split by what the player is doing toward the target it engages next (looking
 * at it, looked at it lately, not looking; walking toward it, walking elsewhere, standing).
 *
 *   npx tsx models/eval/approachBreakdown.ts [--model <file.onnx>] [--json <file>] [--population <name>]
 *
 * Scores the common held-out set (COMMON_HELD_OUT_SIMULATION, 300 approach moments, against 92 in
 * the test split), with the heuristic tuned on the full preset's training split as in
 * `npm run eval`. With `--population`, one of EVALUATION_POPULATIONS instead, and a second table
 * by persona. Read with models/RESULTS.md, "Where the approach moments are lost".
 */
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { parseArgs } from "../train/cliArgs";
import { DATA_PRESETS, simulateAsync, simulateCommonHeldOutAsync, simulatePopulationAsync } from "../train/datasetSource";
import { packExamples, type IPackedDataset } from "../train/packedDataset";
import { splitDataset } from "../train/split";
import { baselineScores } from "./baselines";
import { tuneBaselineWeights } from "./evaluate";
import { isApproachMoment, rankOf } from "./metrics";
import { createOnnxSessionAsync, onnxOutputsAsync } from "./onnxScores";

/** Gaze alignment above this: the player looks at the target now. */
const LOOKING_ALIGNMENT = 0.5;
/** Dwell feature above this (about 1 s of recent gaze at the default scale): looked at it lately. */
const LOOKED_DWELL = 0.3;
/** Context speed above this (a fifth of a walk): moving. */
const MOVING_SPEED = 0.2;
/** Approach feature above this: the distance to the target is closing at a good part of walking pace. */
const CLOSING_APPROACH = 0.3;

export interface IApproachBucket {
    /** "looking / approaching" and so on. */
    situation: string;
    moments: number;
    modelHits: number;
    tunedHits: number;
}

function situationOf(data: IPackedDataset, e: number, target: number): string {
    const row = (e * data.k + target) * FEATURE_COUNT;
    const gaze = data.features[row + Feature.GazeAlignment] > LOOKING_ALIGNMENT ? "looking" : data.features[row + Feature.Dwell] > LOOKED_DWELL ? "looked lately" : "not looking";
    const moving = data.context[e * CONTEXT_COUNT + Context.Speed] > MOVING_SPEED;
    const walk = !moving ? "standing" : data.features[row + Feature.Approach] > CLOSING_APPROACH ? "walking to it" : "walking elsewhere";
    return `${gaze} / ${walk}`;
}

/** Approach moments at 3 s by situation, most frequent first. */
export function approachBreakdown(data: IPackedDataset, model: Float32Array, tuned: Float32Array): IApproachBucket[] {
    return approachMomentsBy(data, model, tuned, situationOf);
}

/** Approach moments at 3 s grouped by `groupOf` (example, target row), most frequent first. */
export function approachMomentsBy(data: IPackedDataset, model: Float32Array, tuned: Float32Array, groupOf: (data: IPackedDataset, e: number, target: number) => string): IApproachBucket[] {
    const buckets = new Map<string, IApproachBucket>();
    for (let e = 0; e < data.count; e++) {
        const target = data.engage3s[e];
        if (!isApproachMoment(data, e, target)) continue;
        const situation = groupOf(data, e, target);
        const bucket = buckets.get(situation) ?? { situation, moments: 0, modelHits: 0, tunedHits: 0 };
        bucket.moments++;
        if (rankOf(model, data.mask, e, data.k, target) === 1) bucket.modelHits++;
        if (rankOf(tuned, data.mask, e, data.k, target) === 1) bucket.tunedHits++;
        buckets.set(situation, bucket);
    }
    return [...buckets.values()].sort((a, b) => b.moments - a.moments);
}

/** The last part of a simulated session id: its intent or persona (models/labels/simulateDataset.ts names them so). */
function sessionKindOf(data: IPackedDataset, e: number): string {
    const id = data.sessions[data.sessionIndex[e]];
    return id.slice(id.lastIndexOf("-") + 1);
}

function formatBreakdown(buckets: readonly IApproachBucket[], heading = "target, 3 s before it is engaged"): string {
    const total = buckets.reduce((t, b) => ({ moments: t.moments + b.moments, modelHits: t.modelHits + b.modelHits, tunedHits: t.tunedHits + b.tunedHits }), { moments: 0, modelHits: 0, tunedHits: 0 });
    const row = (name: string, b: Omit<IApproachBucket, "situation">): string => `| ${name} | ${b.moments} | ${b.modelHits} (${((100 * b.modelHits) / b.moments).toFixed(0)} %) | ${b.tunedHits} (${((100 * b.tunedHits) / b.moments).toFixed(0)} %) |`;
    return [`| ${heading} | moments | model right | tuned heuristic right |`, "|---|---|---|---|", ...buckets.map((b) => row(b.situation, b)), row("**all**", total)].join("\n");
}

async function mainAsync(): Promise<void> {
    const args = parseArgs(process.argv.slice(2), { flags: [], values: ["model", "json", "population"] });
    const population = args.values.get("population")?.[0];
    const modelPath = args.values.get("model")?.[0] ?? join(dirname(fileURLToPath(import.meta.url)), "..", "attention-ranker.onnx");
    const full = await simulateAsync(DATA_PRESETS.full);
    const train = packExamples(full.dataset, splitDataset(full.dataset).train);
    const common = population ? await simulatePopulationAsync(population) : await simulateCommonHeldOutAsync();
    const data = packExamples(common.dataset, common.dataset.examples);
    const tuned = baselineScores(data, tuneBaselineWeights(train)).heuristicTuned.engagement;
    const session = await createOnnxSessionAsync(new Uint8Array(readFileSync(modelPath)));
    let model: Float32Array;
    try {
        model = (await onnxOutputsAsync(session, data)).engagement;
    } finally {
        await session.release();
    }
    const buckets = approachBreakdown(data, model, tuned);
    console.log(`${common.description}; model ${modelPath}`);
    console.log(formatBreakdown(buckets));
    if (population) {
        console.log("");
        console.log(formatBreakdown(approachMomentsBy(data, model, tuned, sessionKindOf), "persona"));
    }
    const json = args.values.get("json")?.[0];
    if (json) writeFileSync(json, JSON.stringify(buckets, null, 2) + "\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    mainAsync().catch((error: unknown) => {
        console.error(error instanceof Error ? error.message : error);
        process.exit(1);
    });
}

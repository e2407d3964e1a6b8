/** The generated "Training results" part of models/RESULTS.md, from one pipeline run. */
import { formatEvaluationTable } from "../eval/evaluate";
import { WEIGHT_NAMES } from "../../plugin/model/attentionWeights";
import type { IPipelineResult } from "./pipeline";

export function resultsMarkdown(result: IPipelineResult, command: string, svgRelativePath: string): string {
    const r = result.report as {
        dataset: { description: string; examples: number; k: number };
        split: { by: string; train: { examples: number; groups: string[] }; validation: { examples: number; groups: string[] }; test: { examples: number; groups: string[] } };
        margins: { approachTop1At3sPoints: number; approachBestBaseline: string; ndcgAt5: number; ndcgBestBaseline: string };
        tfBackend: string;
        totalSeconds: number;
    };
    const t = result.training;
    const history = t.history;
    const best = history[t.bestIndex];
    const epochText = (epoch: number): string => String(Number(epoch.toFixed(2)));
    const e = result.evaluation;
    const meets = r.margins.approachTop1At3sPoints >= 10 && r.margins.ndcgAt5 >= 0.05;
    return [
        "### Training results",
        "",
        `Produced by \`${command}\` (${r.totalSeconds} s end to end, tfjs ${r.tfBackend} backend). Data: ${r.dataset.description}; ${r.dataset.examples} examples.`,
        `Split by ${r.split.by}: train ${r.split.train.examples} examples (${r.split.train.groups.length} ${r.split.by}s), validation ${r.split.validation.examples} (${r.split.validation.groups.join(", ")}), test ${r.split.test.examples} (${r.split.test.groups.join(", ")}, never seen in training).`,
        "",
        `Training: ${t.steps} Adam steps in ${t.seconds.toFixed(0)} s; best validation loss at epoch ${epochText(t.bestEpoch)} of ${epochText(history[history.length - 1].epoch)} (${history.length - 1} checkpoints)${t.stoppedEarly ? " (early stopping)" : ""}: ${history[0].validation.total.toFixed(4)} untrained -> ${best.validation.total.toFixed(4)} (engagement ${history[0].validation.engagement.toFixed(3)} -> ${best.validation.engagement.toFixed(3)}, guidance ${history[0].validation.guidance.toFixed(3)} -> ${best.validation.guidance.toFixed(3)}, dwell ${history[0].validation.dwell.toFixed(3)} -> ${best.validation.dwell.toFixed(3)}).`,
        ...restartLines(result),
        `ONNX parity on the ${result.parity.examples} test examples (onnxruntime-web WASM against the tfjs network): max |diff| ${Object.entries(result.parity.maxAbsDiff).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(", ")} (limit 1e-4).`,
        "",
        `![learning curves](${svgRelativePath})`,
        "",
        `Held-out layouts, ${e.sessions} sessions, ${e.testExamples} ticks. Percentages for the top-k columns, value [bootstrap 95 % interval over sessions]; dwell MAE in seconds. \`npm run eval\` reproduces this table from the model file this run wrote (sha256 \`${(result.report as { sha256: string }).sha256.slice(0, 12)}\`).`,
        "",
        formatEvaluationTable(e),
        "",
        `Against the best baseline: approach top-1 at 3 s ${Number.isNaN(r.margins.approachTop1At3sPoints) ? "n/a (no approach moments in the test split)" : `${r.margins.approachTop1At3sPoints >= 0 ? "+" : ""}${r.margins.approachTop1At3sPoints} points`} (vs ${r.margins.approachBestBaseline}; target +10), NDCG@5 ${r.margins.ndcgAt5 >= 0 ? "+" : ""}${r.margins.ndcgAt5.toFixed(3)} (vs ${r.margins.ndcgBestBaseline}; target +0.05): **${meets ? "targets met" : "targets not met"}**.`,
        `Tuned heuristic weights (coordinate search on the training split): ${WEIGHT_NAMES.map((name, i) => `${name} ${Number(e.tunedWeights[i].toFixed(2))}`).join(", ")}. Hint thresholds (best F1 on validation): model ${e.hintThresholds.model}, heuristic ${e.hintThresholds.baselines}.`,
    ].join("\n");
}

/** One line naming every restart and the one kept (none when a single run was trained). */
function restartLines(result: IPipelineResult): string[] {
    const { records, chosenSeed, selection } = result.restarts;
    if (records.length < 2) return [];
    const runs = records.map((r) => `seed ${r.seed}${r.seed === chosenSeed ? " (kept)" : ""}: ${(100 * r.approachTop1At3s).toFixed(1)} % / ${r.ndcgAt5.toFixed(3)}, validation loss ${r.validationLoss.toFixed(4)} at epoch ${Number(r.bestEpoch.toFixed(2))}, ${r.failedChecks.length === 0 ? "passes the acceptance checks" : `fails ${r.failedChecks.length} acceptance check${r.failedChecks.length > 1 ? "s" : ""}`}`);
    return [`Restarts (shuffle seeds, same initialisation), approach top-1 at 3 s / NDCG@5 on ${selection}: ${runs.join("; ")}. The kept run is the one above: the best on that set of those that pass the acceptance checks (models/train/acceptanceChecks.ts), so its figures there are not an unbiased estimate (the test layouts below are).`];
}

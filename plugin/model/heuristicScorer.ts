import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../features/featureSchema.js";
import { writeHeuristicContributions } from "../features/signalContributions.js";
import type { IAttentionScorer, IScorerInput, IScorerOutput } from "./scorer.js";

// The per-signal contributions are feature-level arithmetic shared with the rankings' "why";
// they live in features/ and are re-exported here, where the training code has always found them.
export { heuristicContributions, Signal, writeHeuristicContributions } from "../features/signalContributions.js";

/**
 * The always-available scorer: a weighted sum of the normalised signals. The ONNX model
 * replaces it as the primary ranker but never removes it; it is what runs while the model
 * loads and what the plugin falls back to when a backend fails.
 */
export class HeuristicScorer implements IAttentionScorer {
    public readonly backend = "heuristic" as const;
    public readonly isSynchronous = true;

    private _scratch = new Float32Array(8);

    public score(input: IScorerInput, output: IScorerOutput): void {
        this.scoreRows(input, output, null, input.count);
        normalizeGazeAttention(output.attention, output.attention, input.count);
    }

    /**
     * Scores only the `rowCount` rows listed in `rows` (null: rows [0, rowCount)), leaving the
     * others as they are. The attention column gets each row's raw gaze share (alignment x
     * visibility): pass it through `normalizeGazeAttention` over all rows to get what `score()`
     * gives. The per-row work stays inside this loop because a fractional number passed to a
     * call V8 does not inline is boxed: a heap allocation per call.
     */
    public scoreRows(input: IScorerInput, output: IScorerOutput, rows: Int32Array | null, rowCount: number): void {
        const { features, weights } = input;
        // The "lost" signal, how much the player seems to need guidance: high when a task is
        // active, no progress was made for a while, and the gaze wanders.
        // Computed here rather than in a helper: a helper's fractional result would be boxed.
        const context = input.context;
        let lost = 0;
        if (context.length >= CONTEXT_COUNT && context[Context.ActiveTask] >= 0.5) {
            const wander = context[Context.GazeWander] * 2;
            lost = context[Context.SinceProgress] * (0.5 + 0.5 * (wander < 1 ? wander : 1));
            lost = lost < 0 ? 0 : lost > 1 ? 1 : lost;
        }
        const c = this._scratch;
        for (let r = 0; r < rowCount; r++) {
            const i = rows ? rows[r] : r;
            writeHeuristicContributions(features, i, weights, c, 0);
            output.engagement[i] = c[0] + c[1] + c[2] + c[3] + c[4] + c[5] + c[6] + c[7];
            const base = i * FEATURE_COUNT;
            // Guidance goes to tasks and hints the player is not already looking at.
            const kindWeight = features[base + Feature.KindHint] > 0.5 ? 1 : features[base + Feature.KindTask] > 0.5 ? 0.6 : 0;
            output.guidance[i] = lost * kindWeight * (1 - features[base + Feature.GazeAlignment]);
            // Expected dwell grows with alignment and the dwell already accumulated (seconds).
            output.dwell[i] = features[base + Feature.GazeAlignment] * features[base + Feature.Visible] * (0.5 + 2 * features[base + Feature.Dwell]);
            output.attention[i] = features[base + Feature.GazeAlignment] * features[base + Feature.Visible];
        }
    }

    public dispose(): void {
        // Nothing to release: the heuristic holds no resources.
    }
}

/**
 * Without a learned attention head, the heuristic's "attention" is where the gaze points: each
 * row's gaze share over the total (uniform when nothing is looked at). Writes rows [0, count) of
 * `out` from `raw`, which may be the same array.
 */
export function normalizeGazeAttention(raw: Float32Array, out: Float32Array, count: number): void {
    // Four running sums, not one: each add waits for the one before it in the same sum, so a
    // single sum runs at the adder's latency rather than its throughput. This pass covers every
    // row every tick.
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    const whole = count - (count & 3);
    let i = 0;
    for (; i < whole; i += 4) {
        s0 += raw[i];
        s1 += raw[i + 1];
        s2 += raw[i + 2];
        s3 += raw[i + 3];
    }
    for (; i < count; i++) {
        s0 += raw[i];
    }
    const total = s0 + s1 + s2 + s3;
    if (total > 0) {
        const inv = 1 / total;
        for (let r = 0; r < count; r++) {
            out[r] = raw[r] * inv;
        }
    } else {
        // A loop, not out.fill(): the builtin takes its value as a heap number, one allocation
        // per tick while nothing is looked at.
        const uniform = count > 0 ? 1 / count : 0;
        for (let r = 0; r < count; r++) {
            out[r] = uniform;
        }
    }
}

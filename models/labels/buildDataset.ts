import { CONTEXT_COUNT, Context, FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { heuristicContributions } from "../../plugin/model/heuristicScorer";
import { selectTopK } from "../../plugin/ranking/selectTopK";
import type { IRecordedSession, IRecordedTick } from "../../plugin/recording/sessionFormat";
import type { IDataset, ITrainingExample } from "../dataset/datasetTypes";

export interface IBuildDatasetOptions {
    /** Candidates per example; more entities are cut to the K best by heuristic score. @default 32 */
    k: number;
    /** Horizon of the dwell label, seconds. @default 3 */
    dwellHorizonS: number;
    /** Gaze angle within which gaze counts as "on" a candidate for dwell, radians. @default 6 degrees */
    dwellAngle: number;
    /** Seconds without task progress, with a task active, after which the player counts as lost. @default 20 */
    lostAfterS: number;
    /** Use every n-th tick (1: all). @default 1 */
    tickStride: number;
    /**
     * Leave out the ticks whose longest label horizon (6 s) runs past the end of the session,
     * where "no engagement" only means "not recorded". @default true
     */
    dropCensored: boolean;
}

export const DEFAULT_BUILD_DATASET_OPTIONS: Readonly<IBuildDatasetOptions> = Object.freeze({
    k: 32,
    dwellHorizonS: 3,
    dwellAngle: (6 * Math.PI) / 180,
    lostAfterS: 20,
    tickStride: 1,
    dropCensored: true,
});

/** Horizons of the next-engagement labels, ms. */
const HORIZONS_MS = [1000, 3000, 6000] as const;

/**
 * Turns recorded sessions into fixed-size training examples (models/dataset/datasetTypes.ts),
 * deriving every label from the log itself: what the player engaged next, whether it was lost
 * and what would have helped, and how long its gaze stayed on each candidate.
 */
export function buildDataset(sessions: readonly IRecordedSession[], options: Partial<IBuildDatasetOptions> = {}): IDataset {
    const o = { ...DEFAULT_BUILD_DATASET_OPTIONS, ...options };
    if (!Number.isInteger(o.k) || o.k < 1) {
        throw new Error(`buildDataset: k must be a positive integer; got ${o.k}`);
    }
    const examples: ITrainingExample[] = [];
    for (const session of sessions) {
        labelSession(session, o, examples);
    }
    return { k: o.k, examples };
}

/** Labels one session and appends its examples to `out`. */
export function labelSession(session: IRecordedSession, options: Partial<IBuildDatasetOptions> = {}, out: ITrainingExample[] = []): ITrainingExample[] {
    const o = { ...DEFAULT_BUILD_DATASET_OPTIONS, ...options };
    const ticks = session.ticks;
    if (ticks.length === 0) {
        return out;
    }
    const k = o.k;
    const sessionId = session.header.sessionId;
    const layoutId = session.header.layoutId;
    const endMs = ticks[ticks.length - 1].timeMs;

    // Engagements, task progress and hint reads in time order, from the event log.
    const engagements: { timeMs: number; id: number }[] = [];
    const progress: { timeMs: number; id: number }[] = [];
    const activeTasks = new Set<number>();
    const activeAt: Set<number>[] = [];
    for (const tick of ticks) {
        for (const event of tick.events) {
            const kind = session.entities.get(event.id)?.kind;
            if (event.type === "engage") {
                engagements.push({ timeMs: tick.timeMs, id: event.id });
                if (kind === "task") {
                    progress.push({ timeMs: tick.timeMs, id: event.id });
                }
            } else if (event.type === "taskDone") {
                activeTasks.delete(event.id);
                progress.push({ timeMs: tick.timeMs, id: event.id });
            } else if (event.type === "taskActive") {
                activeTasks.add(event.id);
            }
        }
        activeAt.push(new Set(activeTasks));
    }

    const selected = new Int32Array(k);
    const why = new Float32Array(WEIGHT_COUNT);
    const scores = new Float32Array(ticks.reduce((most, tick) => Math.max(most, tick.ids.length), 0));
    let lastProgressMs = ticks[0].timeMs;
    let progressCursor = 0;
    for (let t = 0; t < ticks.length; t++) {
        const tick = ticks[t];
        while (progressCursor < progress.length && progress[progressCursor].timeMs <= tick.timeMs) {
            lastProgressMs = progress[progressCursor].timeMs;
            progressCursor++;
        }
        if (t % o.tickStride !== 0) {
            continue;
        }
        if (o.dropCensored && tick.timeMs + HORIZONS_MS[2] > endMs) {
            break;
        }
        const n = selectCandidates(tick, k, selected, why, scores);
        const example = allocateExample(sessionId, layoutId, tick.timeMs, k);
        for (let r = 0; r < n; r++) {
            const row = selected[r];
            example.features.set(tick.features.subarray(row * FEATURE_COUNT, (row + 1) * FEATURE_COUNT), r * FEATURE_COUNT);
            example.mask[r] = 1;
            example.distance[r] = tick.distance[row];
            example.gazeAngle[r] = tick.gazeAngle[row];
        }
        example.context.set(tick.context);
        example.weights.set(tick.weights);

        // Next engagement: the first one strictly after this tick, within each horizon.
        const next = engagements.find((e) => e.timeMs > tick.timeMs);
        const rowOf = (id: number): number => {
            for (let r = 0; r < n; r++) {
                if (tick.ids[selected[r]] === id) {
                    return r;
                }
            }
            return -1;
        };
        const nextRow = next ? rowOf(next.id) : -1;
        example.engage1s = next && next.timeMs - tick.timeMs <= HORIZONS_MS[0] ? nextRow : -1;
        example.engage3s = next && next.timeMs - tick.timeMs <= HORIZONS_MS[1] ? nextRow : -1;
        example.engage6s = next && next.timeMs - tick.timeMs <= HORIZONS_MS[2] ? nextRow : -1;
        example.engageNext = nextRow;
        example.engageNextS = next && nextRow >= 0 ? (next.timeMs - tick.timeMs) / 1000 : NaN;

        // Guidance: a task is active and nothing progressed for a while. What would have helped:
        // the task the player completes next and the signs it read on the way; failing that, every
        // task still to do.
        const hasActiveTask = tick.context[Context.ActiveTask] >= 0.5 || activeAt[t].size > 0;
        if (hasActiveTask && (tick.timeMs - lastProgressMs) / 1000 >= o.lostAfterS) {
            const helpers = new Set<number>();
            const nextProgress = progress.find((p) => p.timeMs > tick.timeMs);
            if (nextProgress) {
                helpers.add(nextProgress.id);
                for (const e of engagements) {
                    if (e.timeMs > tick.timeMs && e.timeMs <= nextProgress.timeMs && session.entities.get(e.id)?.kind === "hint") {
                        helpers.add(e.id);
                    }
                }
            } else {
                for (const id of activeAt[t]) {
                    helpers.add(id);
                }
            }
            for (const id of helpers) {
                const r = rowOf(id);
                if (r >= 0) {
                    example.guidance[r] = 1;
                }
            }
        }

        // Dwell: seconds within the horizon that the gaze is on each candidate.
        const horizonEnd = tick.timeMs + o.dwellHorizonS * 1000;
        for (let u = t + 1; u < ticks.length && ticks[u].timeMs <= horizonEnd; u++) {
            const later = ticks[u];
            const stepS = (later.timeMs - ticks[u - 1].timeMs) / 1000;
            for (let r = 0; r < n; r++) {
                const id = tick.ids[selected[r]];
                const j = indexOfId(later.ids, id);
                if (j >= 0 && later.gazeAngle[j] <= o.dwellAngle) {
                    example.dwell[r] += stepS;
                }
            }
        }
        out.push(example);
    }
    return out;
}

/**
 * Chooses the candidate rows of a tick: all of them in slot order when they fit in K, else the
 * K best by the recorded weights' heuristic, best first, as the plugin preselects them (float32
 * scores; `selectTopK` gives the plugin's `GroupTopK` result, ties by row), so an example holds
 * the rows the model would have seen.
 */
function selectCandidates(tick: IRecordedTick, k: number, selected: Int32Array, why: Float32Array, scores: Float32Array): number {
    const n = tick.ids.length;
    if (n <= k) {
        for (let i = 0; i < n; i++) {
            selected[i] = i;
        }
        return n;
    }
    for (let i = 0; i < n; i++) {
        scores[i] = heuristicContributions(tick.features, i, tick.weights, why, 0);
    }
    return selectTopK(scores, n, k, selected);
}

function indexOfId(ids: Int32Array, id: number): number {
    for (let i = 0; i < ids.length; i++) {
        if (ids[i] === id) {
            return i;
        }
    }
    return -1;
}

function allocateExample(sessionId: string, layoutId: string, timeMs: number, k: number): ITrainingExample {
    return {
        sessionId,
        layoutId,
        timeMs,
        features: new Float32Array(k * FEATURE_COUNT),
        mask: new Float32Array(k),
        context: new Float32Array(CONTEXT_COUNT),
        weights: new Float32Array(WEIGHT_COUNT),
        engage1s: -1,
        engage3s: -1,
        engage6s: -1,
        engageNext: -1,
        engageNextS: NaN,
        guidance: new Float32Array(k),
        dwell: new Float32Array(k),
        distance: new Float32Array(k),
        gazeAngle: new Float32Array(k),
    };
}

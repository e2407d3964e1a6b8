import { CONTEXT_COUNT, FEATURE_COUNT } from "../features/featureSchema.js";
import { DEFAULT_WEIGHTS, packWeights, WEIGHT_COUNT } from "./attentionWeights.js";
import { createScorerOutput, type IAttentionScorer, type ScorerBackend } from "./scorer.js";

/** One backend's measured speed at the candidate count the plugin runs. */
export interface IBackendTiming {
    readonly backend: ScorerBackend;
    /** Median of the timed runs, ms, copying in and out included (what a tick waits for). */
    readonly medianMs: number;
    /** Timed runs behind the median. */
    readonly runs: number;
    /** True when one run took longer than the limit: timing stopped there, and `medianMs` is that run. */
    readonly stoppedEarly: boolean;
    /**
     * True when a run had not finished after the stall limit (a hung device or driver): timing
     * gave up waiting, `medianMs` is the time waited, and the run may still be in flight.
     */
    readonly stalled?: boolean;
}

/** What `backend: "auto"` measured and chose. */
export interface IBackendChoice {
    /** Candidates per run when measured (the plugin's `candidateLimit` then). */
    readonly k: number;
    /** Every backend that was measured, fastest first. */
    readonly timings: readonly IBackendTiming[];
    readonly chosen: ScorerBackend;
    /** One sentence for logs and the Inspector, with the figures. */
    readonly reason: string;
}

/** Runs per backend in a measurement (after `WARM_RUNS` untimed ones): a median of 7 shrugs off a GC or a late frame. */
export const TIMED_RUNS = 7;
const WARM_RUNS = 2;

/** Bounds on a timing; every one is optional. */
export interface ITimingLimits {
    /** A run longer than this (on `now`'s clock) ends the timing. @default Infinity */
    limitMs?: number;
    /** Timed runs after the untimed warm-up ones. @default TIMED_RUNS */
    runs?: number;
    /** Real milliseconds a run may stay pending before it counts as stalled. @default Infinity */
    stallMs?: number;
    /**
     * Called with a stalled run, which is still pending: onnxruntime-web runs one session at a
     * time, so the caller must not start another run until this one has ended.
     */
    onStalled?: (pending: Promise<void>) => void;
}

/**
 * Times `runs` model runs of `k` candidates on `scorer` and returns the median. The input is a
 * plausible mid-range row repeated (the cost does not depend on the values). A run longer than
 * `limitMs` (warm-up included) ends the timing: such a backend has lost already, and on a
 * starved device more runs could take seconds each. A run still pending after `stallMs` of real
 * time ends it too, marked `stalled`, so a hung device cannot hold the measurement (and the model
 * runs it pauses) forever. Not for the hot path: it allocates.
 */
export async function timeScorerAsync(scorer: IAttentionScorer, k: number, now: () => number, limits: ITimingLimits = {}): Promise<IBackendTiming> {
    const { limitMs = Infinity, runs = TIMED_RUNS, stallMs = Infinity, onStalled } = limits;
    const features = new Float32Array(k * FEATURE_COUNT).fill(0.5);
    const input = { features, count: k, context: new Float32Array(CONTEXT_COUNT), weights: packWeights(DEFAULT_WEIGHTS, new Float32Array(WEIGHT_COUNT)) };
    const output = createScorerOutput(k);
    const times: number[] = [];
    for (let i = 0; i < WARM_RUNS + runs; i++) {
        const start = now();
        const run = Promise.resolve(scorer.score(input, output));
        if (!(await settlesWithinAsync(run, stallMs))) {
            onStalled?.(run.catch(() => undefined));
            return { backend: scorer.backend, medianMs: Math.max(stallMs, now() - start), runs: 1, stoppedEarly: true, stalled: true };
        }
        const ms = now() - start;
        if (ms > limitMs) {
            return { backend: scorer.backend, medianMs: ms, runs: 1, stoppedEarly: true };
        }
        if (i >= WARM_RUNS) {
            times.push(ms);
        }
    }
    times.sort((a, b) => a - b);
    return { backend: scorer.backend, medianMs: times[times.length >> 1], runs, stoppedEarly: false };
}

/** Awaits `run` for at most `ms` of real time: true if it settled (a rejection still throws), false if it is still pending. */
async function settlesWithinAsync(run: Promise<void>, ms: number): Promise<boolean> {
    if (!Number.isFinite(ms)) {
        await run;
        return true;
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stalled = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), ms)));
    try {
        return await Promise.race([run.then(() => true as const), stalled]);
    } finally {
        clearTimeout(timer);
    }
}

/** The fastest of the measured backends, with the sentence that says so. */
export function chooseFastest(timings: readonly IBackendTiming[], k: number): IBackendChoice {
    if (timings.length === 0) {
        throw new Error("chooseFastest: no backend was measured");
    }
    const sorted = [...timings].sort((a, b) => a.medianMs - b.medianMs);
    const [fastest, ...others] = sorted;
    const against = others.map((t) => (t.stalled ? `${t.backend} (a run had not finished after ${formatMs(t.medianMs)})` : `${t.backend} ${formatMs(t.medianMs)}${t.stoppedEarly ? " (one run, too slow to time further)" : ""}`)).join(", ");
    const reason = others.length === 0 ? `${fastest.backend} is the only model backend that works here (${formatMs(fastest.medianMs)} per run at K = ${k})` : `${fastest.backend} ran fastest at K = ${k}: ${formatMs(fastest.medianMs)} per run against ${against}`;
    return { k, timings: sorted, chosen: fastest.backend, reason };
}

/**
 * True when K moved far enough from the measured one (a factor of 2 either way) to measure
 * again; only a choice between two measured backends is worth re-checking.
 */
export function needsRecheck(choice: IBackendChoice | null, k: number): boolean {
    return choice !== null && choice.timings.length > 1 && (k >= 2 * choice.k || 2 * k <= choice.k);
}

function formatMs(ms: number): string {
    return `${ms < 10 ? ms.toFixed(2) : ms.toFixed(0)} ms`;
}

import { Logger } from "@babylonjs/core/Misc/logger";
import { BehaviorSubject, type Observable } from "rxjs";
import type { EntityStore } from "../features/entityStore";
import { FEATURE_COUNT } from "../features/featureSchema";
import type { ITickTime } from "../features/tickTime";
import { selectTopK } from "../ranking/selectTopK";
import { chooseFastest, needsRecheck, timeScorerAsync, type IBackendChoice, type IBackendTiming } from "./backendChoice";
import { createScorerAsync, hasWebGpu, type BackendPreference, type ICreateScorerOptions, type ICreateScorerResult } from "./backendSelection";
import { OnnxScorerBusyError } from "./onnxModelError";
import type { ModelSource } from "./onnxRuntime";
import { OnnxScorer } from "./onnxScorer";
import { createScorerOutput, type IAttentionScorer, type IScorerOutput, type ScorerBackend } from "./scorer";

/** Over-budget runs in a row after which the stage falls back to the next backend. */
const MAX_CONSECUTIVE_OVER_BUDGET = 3;
/** A run still in flight after this long is treated as failed (a lost GPU device can hang). */
const STALLED_RUN_MS = 1000;
/** A result older than this no longer ranks: the heuristic's fresh scores do. */
const MAX_RESULT_AGE_MS = 250;
/**
 * How long "auto" waits for one timing run before giving that backend up as hung. Generous: a
 * first WebGPU run compiles its shaders, which took 1.6 s in software Chromium here.
 */
export const TIMING_STALL_MS = 10_000;

export interface IModelStageOptions {
    backend: BackendPreference;
    model: ModelSource | undefined;
    /** Candidates the model sees, preselected by heuristic score. */
    candidateLimit: number;
    scorerOptions: Omit<ICreateScorerOptions, "backend" | "model" | "onWarning" | "fallBack">;
    /** Where the stage finds WebGPU, makes scorers and reads time. Tests pass fakes. @default the real ones */
    environment?: IModelStageEnvironment;
}

/** What the stage needs from its surroundings, apart so tests can stand in for a GPU. */
export interface IModelStageEnvironment {
    hasWebGpu(): boolean;
    createScorerAsync(options: ICreateScorerOptions): Promise<ICreateScorerResult>;
    /** Milliseconds, for timing runs. */
    now(): number;
}

const DEFAULT_ENVIRONMENT: IModelStageEnvironment = { hasWebGpu, createScorerAsync, now: () => performance.now() };

/**
 * Runs the ONNX model beside the always-on heuristic. Each tick the heuristic preselects the top
 * K candidates (cost stays linear in the number of tracked entities), their rows are gathered
 * into a K-row input, and one model run starts if none is in flight: ticks that arrive meanwhile
 * are dropped, never queued. A finished run is applied on a later tick, matched by stable entity
 * ids, so results for entities that have since gone are dropped. A failing backend, or one over
 * its time budget three runs in a row, falls back to the next (WebGPU, then WASM, then the
 * heuristic) with one warning, and ranking never stops.
 */
export class ModelStage {
    private readonly _backend$ = new BehaviorSubject<ScorerBackend>("heuristic");
    private _scorer: IAttentionScorer | null = null;
    private _candidateLimit: number;
    private _candidates: Int32Array;
    /** Ids of the run in flight, and of the result being applied: swapped when a run lands. */
    private _candidateIds: Int32Array;
    private _resultIds: Int32Array;
    private _resultOutput: IScorerOutput;
    private _input: Float32Array;
    private _output: IScorerOutput;
    private _inFlight: Promise<void> | null = null;
    private _resultCount = 0;
    private _resultReady = false;
    private _launchedAtMs = 0;
    private _resultAtMs = 0;
    private _isDisposed = false;
    private readonly _ready: Promise<ScorerBackend>;
    private readonly _env: IModelStageEnvironment;
    /** "auto": the backend that lost the last measurement, kept for re-checks and as the fallback. */
    private _standby: IAttentionScorer | null = null;
    /** What "auto" measured last (null when nothing was, or after a fallback or a new preference). */
    private readonly _choice$ = new BehaviorSubject<IBackendChoice | null>(null);
    private _choosing: Promise<IBackendChoice | null> = Promise.resolve(null);
    /** While backends are being timed no tick launches a run (onnxruntime-web runs one at a time). */
    private _measuring = false;

    public constructor(private readonly _options: IModelStageOptions) {
        this._env = _options.environment ?? DEFAULT_ENVIRONMENT;
        this._candidateLimit = _options.candidateLimit;
        this._candidates = new Int32Array(this._candidateLimit);
        this._candidateIds = new Int32Array(this._candidateLimit);
        this._resultIds = new Int32Array(this._candidateLimit);
        this._input = new Float32Array(this._candidateLimit * FEATURE_COUNT);
        this._output = createScorerOutput(this._candidateLimit);
        this._resultOutput = createScorerOutput(this._candidateLimit);
        this._ready = this._selectAsync(_options.backend);
    }

    /** The backend ranking right now. */
    public get backend(): ScorerBackend {
        return this._backend$.value;
    }

    /** The backend, replayed to new subscribers and emitted on every switch. */
    public get backend$(): Observable<ScorerBackend> {
        return this._backend$.asObservable();
    }

    /** Resolves once the first backend choice has settled (the model loaded and warmed, or not). */
    public whenReadyAsync(): Promise<ScorerBackend> {
        return this._ready;
    }

    /**
     * What "auto" measured and chose, or null (another preference, no WebGPU here, no model, or
     * not measured yet).
     */
    public get choice(): IBackendChoice | null {
        return this._choice$.value;
    }

    /** `choice`, replayed to new subscribers and emitted whenever it changes (every measurement). */
    public get choice$(): Observable<IBackendChoice | null> {
        return this._choice$;
    }

    /** Resolves once "auto" has measured and chosen (null where it measures nothing). */
    public async whenChoiceAsync(): Promise<IBackendChoice | null> {
        await this._ready;
        return this._choosing;
    }

    /** The model scorer's run statistics, when a model ranks. */
    public get scorer(): IAttentionScorer | null {
        return this._scorer;
    }

    public get candidateLimit(): number {
        return this._candidateLimit;
    }

    public set candidateLimit(value: number) {
        if (!Number.isInteger(value) || value < 1 || value > 4096) {
            throw new Error(`AttentionPlugin: candidateLimit must be an integer in [1, 4096]; got ${value}`);
        }
        if (value === this._candidateLimit) {
            return;
        }
        this._candidateLimit = value;
        this._candidates = new Int32Array(value);
        this._candidateIds = new Int32Array(value);
        this._resultIds = new Int32Array(value);
        this._input = new Float32Array(value * FEATURE_COUNT);
        this._output = createScorerOutput(value);
        this._resultOutput = createScorerOutput(value);
        // A result gathered for the old K no longer matches these buffers.
        this._resultReady = false;
        if (needsRecheck(this._choice$.value, value) && !this._measuring) {
            this._startChoosing(this._measureAsync());
        }
    }

    /**
     * Starts a model run over the heuristic's top K if a model ranks and none is in flight.
     * Returns the run's promise (settled, never rejecting) or null when nothing started.
     */
    public launch(store: EntityStore, features: Float32Array, heuristic: Float32Array, context: Float32Array, weights: Float32Array, time: ITickTime): Promise<void> | null {
        const scorer = this._scorer;
        // Time is read only when a run is in flight: with no model (the heuristic ranks) this
        // returns before touching a fractional number, so it boxes none even unoptimised.
        if (scorer && this._inFlight && time.nowMs - this._launchedAtMs > STALLED_RUN_MS) {
            const stalled = this._inFlight;
            this._inFlight = null;
            void this._fallBackAsync(scorer, `a run has not finished after ${STALLED_RUN_MS} ms`, stalled);
            return null;
        }
        if (!scorer || scorer.isSynchronous || this._inFlight || this._measuring || this._isDisposed || store.count === 0) {
            return null;
        }
        const k = selectTopK(heuristic, store.count, this._candidateLimit, this._candidates, store.valid);
        if (k === 0) {
            return null;
        }
        const input = this._input;
        for (let r = 0; r < k; r++) {
            const slot = this._candidates[r];
            this._candidateIds[r] = store.id[slot];
            // A plain loop: subarray() would allocate a view per candidate per tick.
            const from = slot * FEATURE_COUNT;
            const to = r * FEATURE_COUNT;
            for (let f = 0; f < FEATURE_COUNT; f++) {
                input[to + f] = features[from + f];
            }
        }
        this._launchedAtMs = time.nowMs;
        return this._startRun(scorer, k, context, weights);
    }

    /**
     * Starts the run of `k` gathered candidates. Apart from `launch` because its callbacks
     * capture locals: V8 allocates a function's closure context on entry, so in `launch` itself
     * every tick would pay for it, even the ticks that return early.
     */
    private _startRun(scorer: IAttentionScorer, k: number, context: Float32Array, weights: Float32Array): Promise<void> {
        const launchedAt = this._launchedAtMs;
        const input = this._input;
        const run = (scorer.score({ features: input, count: k, context, weights }, this._output) as Promise<void>).then(
            () => {
                if (scorer !== this._scorer) {
                    return; // landed after its backend was dropped
                }
                this._resultAtMs = launchedAt;
                // Swap buffers so the next launch can overwrite ids and outputs while this
                // result keeps being applied tick after tick until a newer one lands.
                const ids = this._candidateIds;
                this._candidateIds = this._resultIds;
                this._resultIds = ids;
                const output = this._output;
                this._output = this._resultOutput;
                this._resultOutput = output;
                this._resultCount = k;
                this._resultReady = true;
                this._checkBudget(scorer);
            },
            (error: unknown) => {
                if (!(error instanceof OnnxScorerBusyError)) {
                    void this._fallBackAsync(scorer, `its run failed (${error instanceof Error ? error.message : String(error)})`);
                }
            }
        );
        const inFlight: Promise<void> = run.finally(() => {
            if (this._inFlight === inFlight) {
                this._inFlight = null;
            }
        });
        this._inFlight = inFlight;
        return inFlight;
    }

    /**
     * Applies the last finished run to this tick's scores: model outputs for the candidates it
     * scored, and for everyone else the heuristic score capped just below the lowest model score,
     * so the model's order is never interleaved with the heuristic's. Returns false if no result
     * was waiting. `slotOfId` maps a stable id to its current slot, or -1 if the entity is gone;
     * the candidates' slots are flagged in `hot` (the store's refresh flags).
     */
    public apply(scores: IScorerOutput, count: number, slotOfId: (id: number) => number, isCandidate: Uint8Array, hot: Uint8Array, time: ITickTime): boolean {
        if (!this._resultReady || !this._scorer || time.nowMs - this._resultAtMs > MAX_RESULT_AGE_MS) {
            return false;
        }
        const out = this._resultOutput;
        isCandidate.fill(0, 0, count);
        let minScore = Infinity;
        for (let r = 0; r < this._resultCount; r++) {
            const slot = slotOfId(this._resultIds[r]);
            if (slot < 0 || slot >= count) {
                continue;
            }
            isCandidate[slot] = 1;
            // The candidates are read every tick, whatever their level of detail.
            hot[slot] = 1;
            scores.engagement[slot] = out.engagement[r];
            scores.guidance[slot] = out.guidance[r];
            scores.dwell[slot] = out.dwell[r];
            scores.attention[slot] = out.attention[r];
            if (out.engagement[r] < minScore) {
                minScore = out.engagement[r];
            }
        }
        for (let i = 0; i < count; i++) {
            if (isCandidate[i] === 0) {
                scores.attention[i] = 0;
                if (scores.engagement[i] >= minScore) {
                    scores.engagement[i] = minScore - 1e-3;
                }
            }
        }
        return true;
    }

    /**
     * Chooses the backend again (e.g. from the Inspector). The current one keeps ranking until the
     * new one is loaded and warm; then it is disposed. Resolves with the backend now ranking.
     */
    public async switchAsync(preference: BackendPreference): Promise<ScorerBackend> {
        const scorer = await this._createAsync(preference, true);
        if (!scorer) {
            return "heuristic";
        }
        await this.settleAsync();
        const previous = this._scorer;
        this._use(scorer);
        previous?.dispose();
        this._dropStandby();
        // A new preference makes the last measurement history; "auto" measures again below.
        this._setChoice(null);
        if (preference === "auto") {
            await this._startChoosing(this._chooseAutoAsync());
        }
        return this.backend;
    }

    /** Waits for the run in flight, if any (a stalled one is given up on after STALLED_RUN_MS). */
    public async settleAsync(): Promise<void> {
        const inFlight = this._inFlight;
        if (inFlight) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            await Promise.race([inFlight, new Promise((resolve) => (timer = setTimeout(resolve, STALLED_RUN_MS)))]);
            clearTimeout(timer);
        }
    }

    public dispose(): void {
        this._isDisposed = true;
        this._scorer?.dispose();
        this._scorer = null;
        this._dropStandby();
        this._setChoice(null);
        this._backend$.complete();
        this._choice$.complete();
    }

    private async _selectAsync(preference: BackendPreference): Promise<ScorerBackend> {
        const scorer = await this._createAsync(preference, true);
        if (!scorer) {
            return "heuristic";
        }
        this._use(scorer);
        if (preference === "auto") {
            this._startChoosing(this._chooseAutoAsync());
        }
        return scorer.backend;
    }

    /**
     * Creates the scorer for a preference, or null if the stage was disposed meanwhile. "auto"
     * starts on WASM: it is ready in a fraction of a second and, at this model's size, often the
     * faster; `_chooseAutoAsync` then measures WebGPU against it while WASM ranks.
     */
    private async _createAsync(preference: BackendPreference, warn: boolean): Promise<IAttentionScorer | null> {
        const { scorer } = await this._env.createScorerAsync({
            ...this._options.scorerOptions,
            backend: preference === "auto" ? "wasm" : preference,
            model: preference === "heuristic" ? undefined : this._options.model,
            onWarning: warn ? (message) => Logger.Warn(message) : undefined,
        });
        if (this._isDisposed) {
            scorer.dispose();
            return null;
        }
        return scorer;
    }

    private _use(scorer: IAttentionScorer): void {
        this._scorer = scorer.isSynchronous ? null : scorer;
        if (scorer.isSynchronous) {
            // The heuristic already runs every tick: no second copy of it is needed.
            scorer.dispose();
        }
        this._resultReady = false;
        if (this._backend$.value !== scorer.backend) {
            this._backend$.next(scorer.backend);
        }
    }

    /**
     * "auto", once WASM ranks: where WebGPU exists, creates a WebGPU scorer and times both at the
     * current K; the faster ranks, the other stays on standby for re-checks (when K changes by a
     * factor of 2) and as the fallback. A WebGPU that fails to start is one warning; WASM goes on.
     */
    private async _chooseAutoAsync(): Promise<IBackendChoice | null> {
        const model = this._options.model;
        if (!this._env.hasWebGpu() || model === undefined || this._isDisposed) {
            return null;
        }
        // Creating the session includes a probe run.
        const { scorer: gpu, failures } = await this._withRunsPausedAsync(() =>
            this._env.createScorerAsync({
                ...this._options.scorerOptions,
                backend: "webgpu",
                model,
                fallBack: false,
                // Warmed by the timing runs at K; the other sizes only if it wins.
                warmup: false,
                onWarning: (message) => Logger.Warn(message),
            })
        );
        if (this._isDisposed || gpu.backend !== "webgpu") {
            gpu.dispose();
            if (failures.length === 0 || this._isDisposed) {
                return null;
            }
            const current = this.backend;
            const choice: IBackendChoice = { k: this._candidateLimit, timings: [], chosen: current, reason: `webgpu could not start (${failures[0].error.message}); ${current} ranks` };
            this._setChoice(choice);
            return choice;
        }
        this._standby = gpu;
        return this._measureAsync();
    }

    /**
     * The one place a measurement starts (`whenChoiceAsync` awaits it). It runs unawaited beside
     * the render loop, so it must not reject: an error (a WebGPU session that throws while
     * created, a warm-up that fails) is one warning, and the backend that ranks keeps ranking.
     */
    private _startChoosing(measurement: Promise<IBackendChoice | null>): Promise<IBackendChoice | null> {
        this._choosing = measurement.catch((e: unknown) => {
            Logger.Warn(`AttentionPlugin: backend "auto" could not measure the backends (${e instanceof Error ? e.message : String(e)}); ${this.backend} ranks`);
            return null;
        });
        return this._choosing;
    }

    /** Times the ranking backend and the standby at the current K and keeps the faster ranking. */
    private async _measureAsync(): Promise<IBackendChoice | null> {
        const choice = await this._timeContendersAsync();
        // K may have moved while the backends were timed (its setter does not start a second timing).
        return choice && needsRecheck(choice, this._candidateLimit) ? this._measureAsync() : choice;
    }

    private async _timeContendersAsync(): Promise<IBackendChoice | null> {
        const contenders = [this._scorer, this._standby].filter((s): s is IAttentionScorer => s !== null);
        if (contenders.length === 0 || this._isDisposed) {
            return null;
        }
        return this._withRunsPausedAsync(async () => {
            const k = this._candidateLimit;
            const timed: { scorer: IAttentionScorer; timing: IBackendTiming }[] = [];
            for (const scorer of contenders) {
                try {
                    // A run slower than a result stays valid could never rank: no need to time more.
                    timed.push({ scorer, timing: await timeScorerAsync(scorer, k, this._env.now, { limitMs: MAX_RESULT_AGE_MS, stallMs: TIMING_STALL_MS }) });
                } catch (e) {
                    // A backend that cannot run is no contender; if it ranks, its next run falls back.
                    Logger.Warn(`AttentionPlugin: timing the ${scorer.backend} backend failed (${e instanceof Error ? e.message : String(e)})`);
                }
                if (this._isDisposed) {
                    return null;
                }
            }
            if (timed.length === 0) {
                return null;
            }
            const choice = chooseFastest(
                timed.map((t) => t.timing),
                k
            );
            // A stalled run is slower than any finished one, so it only wins when nothing finished.
            const winner = timed.find((t) => t.timing === choice.timings[0])!.scorer;
            const hung = timed.filter((t) => t.timing.stalled).map((t) => t.scorer);
            if (hung.length > 0) {
                Logger.Warn(`AttentionPlugin: backend "auto": a ${hung.map((s) => s.backend).join(" and a ")} run had not finished after ${TIMING_STALL_MS} ms; ${hung.includes(winner) ? "no backend could be timed" : `that backend is dropped and ${winner.backend} ranks`}`);
            }
            if (hung.includes(winner)) {
                // Nothing finished: leave the scorers as they are; a ranking run on a hung one fails and falls back.
                return null;
            }
            if (winner !== this._scorer) {
                if (winner instanceof OnnxScorer) {
                    await winner.warmupAsync();
                }
                const previous = this._scorer;
                this._use(winner);
                this._standby = previous;
            }
            // A hung backend is never the fallback: its device may never answer again.
            if (this._standby && hung.includes(this._standby)) {
                this._dropStandby();
            }
            this._setChoice(choice);
            Logger.Log(`AttentionPlugin: backend "auto": ${choice.reason}`);
            return choice;
        });
    }

    /**
     * Runs `work` while no tick launches a model run (the in-flight one is waited for first):
     * onnxruntime-web runs one session at a time. The heuristic ranks meanwhile.
     */
    private async _withRunsPausedAsync<T>(work: () => Promise<T>): Promise<T> {
        this._measuring = true;
        try {
            await this.settleAsync();
            return await work();
        } finally {
            this._measuring = false;
        }
    }

    private _setChoice(choice: IBackendChoice | null): void {
        if (choice !== this._choice$.value) {
            this._choice$.next(choice);
        }
    }

    private _dropStandby(): void {
        this._standby?.dispose();
        this._standby = null;
    }

    private _checkBudget(scorer: IAttentionScorer): void {
        if (scorer instanceof OnnxScorer && scorer.stats.consecutiveOverBudget >= MAX_CONSECUTIVE_OVER_BUDGET) {
            void this._fallBackAsync(scorer, `${MAX_CONSECUTIVE_OVER_BUDGET} runs in a row took longer than its ${scorer.runBudgetMs} ms budget`);
        }
    }

    /**
     * Drops a failed backend for the next one; the heuristic ranks meanwhile. After a stalled run
     * the next backend starts only once that run has ended: onnxruntime-web runs one session at a
     * time, and a new session's runs fail ("Session already started") while another's is pending.
     */
    private async _fallBackAsync(failed: IAttentionScorer, why: string, stalledRun: Promise<void> | null = null): Promise<void> {
        if (this._scorer !== failed || this._isDisposed) {
            return;
        }
        this._scorer = null;
        failed.dispose();
        const next: BackendPreference = failed.backend === "webgpu" ? "wasm" : "heuristic";
        Logger.Warn(`AttentionPlugin: the ${failed.backend} backend stopped ranking because ${why}; falling back to ${next}`);
        this._backend$.next("heuristic");
        // "auto" may hold the next backend warm already.
        const standby = this._standby;
        this._standby = null;
        this._setChoice(null);
        if (standby && standby.backend !== next) {
            standby.dispose();
        }
        if (next === "heuristic") {
            return;
        }
        if (stalledRun) {
            await stalledRun;
            if (this._isDisposed) {
                return;
            }
        }
        // The warning above is the one warning for this fallback.
        const scorer = standby?.backend === next ? standby : await this._createAsync(next, false);
        if (scorer) {
            this._use(scorer);
        }
    }
}

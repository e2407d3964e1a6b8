import { Logger } from "@babylonjs/core/Misc/logger.js";
import { BehaviorSubject, type Observable } from "rxjs";
import type { EntityStore } from "../features/entityStore.js";
import type { TickFrame } from "../tick/tickFrame.js";
import { AutoBackendChooser, type IAutoBackendHost } from "./autoBackendChooser.js";
import type { IBackendChoice } from "./backendChoice.js";
import { createScorerAsync, hasWebGpu, nextBackend, type BackendPreference, type ICreateScorerOptions, type ICreateScorerResult } from "./backendSelection.js";
import { CandidateBatch, mergeModelResult } from "./candidateBatch.js";
import { OnnxScorerBusyError } from "./onnxModelError.js";
import { backendChoiceSlot, LocalStorageBackendChoiceMemory, type IBackendChoiceMemory } from "./backendChoiceMemory.js";
import { describeWebGpuAdapterAsync, type ModelSource, type OrtBuild } from "./onnxRuntime.js";
import { OnnxScorer } from "./onnxScorer.js";
import { BUDGET_WINDOW_RUNS } from "./runBudgetWindow.js";
import { isLaunchingScorer, type IAttentionScorer, type IScorerInput, type ILaunchingScorer, type ScorerBackend } from "./scorer.js";
import type { IWasmProxyState } from "./wasmProxy.js";

/**
 * After the last model backend fell back for being too slow, it is tried again this long later,
 * twice as long after each further fallback, up to `MAX_SLOW_RETRY_MS`: a machine busy for a
 * while (a level loading, another tab) should not cost the player the model for the session.
 */
const SLOW_RETRY_MS = 30_000;
const MAX_SLOW_RETRY_MS = 8 * 60_000;
/** A run still in flight after this long is treated as failed (a lost GPU device can hang). */
const STALLED_RUN_MS = 1000;
/** A result older than this no longer ranks: the heuristic's fresh scores do. */
const MAX_RESULT_AGE_MS = 250;
const RESOLVED = Promise.resolve();

export interface IModelStageOptions {
    backend: BackendPreference;
    model: ModelSource | undefined;
    /** Candidates the model sees, preselected by heuristic score. */
    candidateLimit: number;
    scorerOptions: Omit<ICreateScorerOptions, "backend" | "model" | "onWarning" | "fallBack">;
    /**
     * Whether "auto" keeps what it measured between page loads (the environment's
     * `backendMemory`) and, while that stands, ranks with it without measuring. @default true
     */
    rememberChoice?: boolean;
    /** Where the stage finds WebGPU, makes scorers and reads time. Tests pass fakes. @default the real ones */
    environment?: IModelStageEnvironment;
}

/** What the stage needs from its surroundings, apart so tests can stand in for a GPU. */
export interface IModelStageEnvironment {
    hasWebGpu(): boolean;
    /**
     * The adapter `navigator.gpu` hands out, described, or null for none; "auto" asks once before
     * loading. @default an unnamed adapter where `hasWebGpu()`
     */
    describeWebGpuAdapterAsync?(): Promise<string | null>;
    createScorerAsync(options: ICreateScorerOptions): Promise<ICreateScorerResult>;
    /** Milliseconds, for timing runs. */
    now(): number;
    /** Where "auto" keeps its choice between page loads: the page's `localStorage` by default; none if left out. */
    backendMemory?: IBackendChoiceMemory;
    /** Milliseconds since the epoch, for how old a kept choice is. @default Date.now */
    dateNow?(): number;
    /** The browser (its user agent by default), part of the device a kept choice stands for. @default "" if left out */
    browser?: string;
}

const DEFAULT_ENVIRONMENT: IModelStageEnvironment = {
    hasWebGpu,
    describeWebGpuAdapterAsync,
    createScorerAsync,
    now: () => performance.now(),
    backendMemory: new LocalStorageBackendChoiceMemory(),
    dateNow: () => Date.now(),
    browser: (globalThis as { navigator?: { userAgent?: string } }).navigator?.userAgent ?? "",
};

/**
 * Runs the ONNX model beside the always-on heuristic, one run at a time. Each tick, if no run is
 * in flight, the heuristic's top K rows are gathered into a batch and one run starts; ticks that
 * arrive meanwhile are dropped, never queued. A finished run is merged into a later tick's
 * scores (`CandidateBatch`), matched by stable ids. A failing backend, one whose outputs are not
 * finite, or one over its time budget in most of its last runs falls back to the next in
 * `BACKEND_ORDER` with one warning, and ranking never stops. "auto" measurement lives in
 * `AutoBackendChooser`.
 */
export class ModelStage implements IAutoBackendHost {
    private readonly _backend$ = new BehaviorSubject<ScorerBackend>("heuristic");
    private _scorer: IAttentionScorer | null = null;
    private _candidateLimit: number;
    /** The batch of the run in flight, and the batch whose result is being applied: swapped when a run lands. */
    private _running: CandidateBatch;
    private _result: CandidateBatch;
    private _resultReady = false;
    /** The run in flight of a scorer that only returns promises (tests' stand-ins). */
    private _inFlight: Promise<void> | null = null;
    /** The scorer whose launched run is in flight (`ILaunchingScorer`): collected on a later tick, never awaited there. */
    private _launched: ILaunchingScorer | null = null;
    private _launchedBatch: CandidateBatch | null = null;
    private readonly _collectLaunched = (): void => this._collect();
    /** True once a frame's end has called `handOver` since the last launch: the next launch leaves the hand-over to it. */
    private _frameEndSeen = false;
    /** The launched run waits on this thread for a frame's end to hand it over. */
    private _awaitingFrameEnd = false;
    /** When the run in flight reached where it runs (its gather, or its late hand-over): stalls are timed from here. */
    private _runStartedAtMs = 0;
    /** Runs pending on the runtime that the stage did not start (a stalled timing run): no run starts until they end. */
    private _held: Promise<void> | null = null;
    private _pausedBy = 0;
    private _isDisposed = false;
    private readonly _ready: Promise<ScorerBackend>;
    private readonly _env: IModelStageEnvironment;
    private readonly _auto: AutoBackendChooser;
    private _wasmProxy: IWasmProxyState | null = null;
    /** The input of launched runs: refilled each launch, as a literal per run would allocate. */
    private readonly _launchInput: IScorerInput;
    private _warnedWasmProxy = false;
    /** The pending retry of a backend dropped for being slow, and the wait before the next one. */
    private _slowRetry: ReturnType<typeof setTimeout> | undefined;
    private _slowRetryMs = SLOW_RETRY_MS;
    /** False once "auto" found `navigator.gpu` without an adapter: no WebGPU scorer is tried. */
    private _webGpuAdapter = true;

    public constructor(private readonly _options: IModelStageOptions) {
        const env = _options.environment ?? DEFAULT_ENVIRONMENT;
        this._env = env;
        this._candidateLimit = _options.candidateLimit;
        this._running = new CandidateBatch(this._candidateLimit);
        this._result = new CandidateBatch(this._candidateLimit);
        this._launchInput = { features: this._running.input, count: 0, context: new Float32Array(0), weights: new Float32Array(0) };
        this._auto = new AutoBackendChooser(
            this,
            {
                hasWebGpu: () => env.hasWebGpu() && this._webGpuAdapter,
                createScorerAsync: (o) => env.createScorerAsync(o),
                now: () => env.now(),
                dateNow: () => (env.dateNow ?? Date.now)(),
                memory: _options.rememberChoice === false ? null : (env.backendMemory ?? null),
            },
            _options
        );
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

    /** What "auto" measured and chose, or null (another preference, no WebGPU here, no model, or not measured yet). */
    public get choice(): IBackendChoice | null {
        return this._auto.choice;
    }

    /** `choice`, replayed to new subscribers and emitted whenever it changes (every measurement). */
    public get choice$(): Observable<IBackendChoice | null> {
        return this._auto.choice$;
    }

    /** Resolves once "auto" has measured and chosen (null where it measures nothing). */
    public async whenChoiceAsync(): Promise<IBackendChoice | null> {
        await this._ready;
        return this._auto.whenChoiceAsync();
    }

    /** Where the model runs (the plugin's model worker or the main thread) and why; null until a model session exists. */
    public get wasmProxy(): IWasmProxyState | null {
        return this._wasmProxy;
    }

    /** The model scorer ranking now (null while the heuristic ranks). */
    public get scorer(): IAttentionScorer | null {
        return this._scorer;
    }

    public get isDisposed(): boolean {
        return this._isDisposed;
    }

    public get candidateLimit(): number {
        return this._candidateLimit;
    }

    /** Sets K (validated by the caller). A result gathered for the old K is dropped. */
    public set candidateLimit(value: number) {
        if (value === this._candidateLimit) {
            return;
        }
        this._candidateLimit = value;
        this._running = new CandidateBatch(value);
        this._result = new CandidateBatch(value);
        this._resultReady = false;
        this._auto.onCandidateLimitChanged(value);
    }

    /**
     * Takes the result of the last run if it has ended since (so the merge after this can use
     * it), then starts a model run over the heuristic's top K rows if a model ranks and no run is
     * in flight. Returns whether one started; `whenRunEndsAsync` waits for it.
     */
    public launch(frame: TickFrame, store: EntityStore): boolean {
        if (this._launched) {
            if (this._awaitingFrameEnd) {
                // Launched for a frame's end that did not come (the render loop stopped within
                // the frame): the run goes to the worker now, a tick late, rather than never.
                this._awaitingFrameEnd = false;
                this._runStartedAtMs = frame.time.nowMs;
                this._launched.handOver();
            }
            this._collect();
        }
        const scorer = this._scorer;
        // Time is read only when a run is in flight: with no model (the heuristic ranks) this
        // returns before touching a fractional number, so it boxes none even unoptimised.
        if (scorer && (this._inFlight || this._launched) && frame.time.nowMs - this._runStartedAtMs > STALLED_RUN_MS) {
            this.holdRunsUntil(this._inFlight ?? this._launched!.whenRunEndsAsync());
            this._inFlight = null;
            this._launched = null;
            void this._fallBackAsync(scorer, `a run has not finished after ${STALLED_RUN_MS} ms`);
            return false;
        }
        if (!scorer || this._inFlight || this._launched || this._held || this._pausedBy > 0 || this._isDisposed || store.count === 0) {
            return false;
        }
        const batch = this._running;
        if (batch.gather(store, frame.features, frame.heuristic.engagement) === 0) {
            return false;
        }
        batch.gatheredAtMs = this._runStartedAtMs = frame.time.nowMs;
        if (isLaunchingScorer(scorer)) {
            return this._launch(scorer, batch, frame);
        }
        this._startRun(scorer, batch, frame);
        return true;
    }

    /**
     * Passes the launched run on to the model worker, if it is still waiting on this thread. The
     * plugin calls it at the end of each frame: a run launched in the tick reaches the worker
     * after the frame's own work, with no timer task per run. Until a frame's end has called
     * it (a scene rendered with `scene.render()` outside an engine's render loop), runs are
     * handed over in a task after the launch instead.
     */
    public handOver(): void {
        this._frameEndSeen = true;
        this._awaitingFrameEnd = false;
        this._launched?.handOver();
    }

    /**
     * Resolves once the run in flight has ended and its result is taken (at once when none is);
     * never rejects. For callers that wait for a run (tickAsync): the render loop never does.
     */
    public whenRunEndsAsync(): Promise<void> {
        if (this._launched) {
            return this._launched.whenRunEndsAsync().then(this._collectLaunched);
        }
        return this._inFlight ?? RESOLVED;
    }

    /**
     * Merges the last finished run into this tick's scores (see `mergeModelResult`). Returns
     * false, leaving the heuristic's scores, when no result is ready or it is too old.
     */
    public merge(frame: TickFrame, store: EntityStore, slotOfId: (id: number) => number): boolean {
        if (!this._resultReady || !this._scorer || frame.time.nowMs - this._result.gatheredAtMs > MAX_RESULT_AGE_MS) {
            return false;
        }
        mergeModelResult(this._result, frame.scores, frame.heuristic, store.count, store.id, slotOfId, frame.isCandidate, store.hot);
        return true;
    }

    /**
     * Chooses the backend again (e.g. from the Inspector). The current one keeps ranking until the
     * new one is loaded and warm; then it is disposed. Resolves with the backend now ranking.
     */
    public async switchAsync(preference: BackendPreference): Promise<ScorerBackend> {
        this._cancelSlowRetry();
        if (preference === "auto") {
            await this._prepareAutoAsync();
        }
        const scorer = await this._createAsync(preference, true);
        if (!scorer) {
            return "heuristic";
        }
        await this.settleAsync();
        const previous = this._scorer;
        this.use(scorer);
        previous?.dispose();
        // A new preference makes the last measurement history; "auto" measures again.
        this._auto.reset();
        if (preference === "auto") {
            await this._auto.startAsync();
        }
        return this.backend;
    }

    /** Waits for the run in flight, if any (a stalled one is given up on after STALLED_RUN_MS). */
    public async settleAsync(): Promise<void> {
        const inFlight = this._inFlight ?? (this._launched ? this.whenRunEndsAsync() : null);
        if (inFlight) {
            let timer: ReturnType<typeof setTimeout> | undefined;
            await Promise.race([inFlight, new Promise((resolve) => (timer = setTimeout(resolve, STALLED_RUN_MS)))]);
            clearTimeout(timer);
        }
    }

    public dispose(): void {
        this._isDisposed = true;
        this._cancelSlowRetry();
        this._scorer?.dispose();
        this._scorer = null;
        this._auto.dispose();
        this._backend$.complete();
    }

    // ---------------------------------------------------------------- IAutoBackendHost

    /** Makes `scorer` the one that ranks (the heuristic: no model runs). */
    public use(scorer: IAttentionScorer): void {
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
     * Runs `work` while no tick starts a model run (the run in flight, and any held one, is waited
     * for first): onnxruntime-web runs one session at a time. The heuristic ranks meanwhile.
     */
    public async withRunsPausedAsync<T>(work: () => Promise<T>): Promise<T> {
        this._pausedBy++;
        try {
            await this.settleAsync();
            await this._held;
            return await work();
        } finally {
            this._pausedBy--;
        }
    }

    /** No run starts until `pending` (a run this stage did not start, or gave up on) has ended. */
    public holdRunsUntil(pending: Promise<void>): void {
        const held: Promise<void> = Promise.all([this._held, pending.catch(() => undefined)]).then(() => {
            if (this._held === held) {
                this._held = null;
            }
        });
        this._held = held;
    }

    /** Starts a launching scorer's run of a gathered batch; `_collect` takes its result on a later tick. */
    private _launch(scorer: ILaunchingScorer, batch: CandidateBatch, frame: TickFrame): boolean {
        const input = this._launchInput;
        input.features = batch.input;
        input.count = batch.count;
        input.context = frame.context;
        input.weights = frame.weights;
        try {
            const handOver = this._frameEndSeen ? "caller" : "next-task";
            this._frameEndSeen = false;
            this._awaitingFrameEnd = handOver === "caller";
            if (!scorer.launch(input, batch.output, handOver)) {
                return false;
            }
        } catch (error) {
            this._onRunFailed(scorer, error);
            return false;
        }
        this._launched = scorer;
        this._launchedBatch = batch;
        return true;
    }

    /** Takes the launched run's result if it has ended: a finished run is then the one merged. */
    private _collect(): void {
        const scorer = this._launched;
        const batch = this._launchedBatch;
        if (!scorer || !batch) {
            return;
        }
        if (scorer !== this._scorer) {
            // Its backend was dropped meanwhile; the scorer finishes the run itself when disposed.
            this._launched = null;
            return;
        }
        try {
            if (!scorer.collect()) {
                return;
            }
        } catch (error) {
            this._launched = null;
            this._onRunFailed(scorer, error);
            return;
        }
        this._launched = null;
        this._onRunEnded(scorer, batch);
    }

    /**
     * Starts the run of a gathered batch on a scorer that only returns promises. Apart from
     * `launch` because its callbacks capture locals: V8 allocates a function's closure context
     * on entry, so in `launch` itself every tick would pay for it, even the ticks that return early.
     */
    private _startRun(scorer: IAttentionScorer, batch: CandidateBatch, frame: TickFrame): void {
        const run = (scorer.score({ features: batch.input, count: batch.count, context: frame.context, weights: frame.weights }, batch.output) as Promise<void>).then(
            () => this._onRunEnded(scorer, batch),
            (error: unknown) => this._onRunFailed(scorer, error),
        );
        const inFlight: Promise<void> = run.finally(() => {
            if (this._inFlight === inFlight) {
                this._inFlight = null;
            }
        });
        this._inFlight = inFlight;
    }

    private _onRunEnded(scorer: IAttentionScorer, batch: CandidateBatch): void {
        if (scorer !== this._scorer || batch !== this._running) {
            return; // landed after its backend was dropped, or K changed meanwhile
        }
        if (!batch.hasFiniteOutput()) {
            void this._fallBackAsync(scorer, "its outputs are not finite numbers (NaN or Infinity)");
            return;
        }
        // Swap batches so the next launch can overwrite ids and outputs while this
        // result keeps being applied tick after tick until a newer one lands.
        this._running = this._result;
        this._result = batch;
        this._resultReady = true;
        this._checkBudget(scorer);
    }

    private _onRunFailed(scorer: IAttentionScorer, error: unknown): void {
        if (!(error instanceof OnnxScorerBusyError)) {
            void this._fallBackAsync(scorer, `its run failed (${error instanceof Error ? error.message : String(error)})`);
        }
    }

    private async _selectAsync(preference: BackendPreference): Promise<ScorerBackend> {
        if (preference === "auto") {
            await this._prepareAutoAsync();
        }
        const scorer = await this._createAsync(preference, true);
        if (!scorer) {
            return "heuristic";
        }
        this.use(scorer);
        if (preference === "auto") {
            void this._auto.startAsync({ recall: true });
        }
        return scorer.backend;
    }

    /**
     * For "auto": asks once whether `navigator.gpu` hands out an adapter (none: no WebGPU scorer is
     * tried), and names where its choice is kept for this model and device.
     */
    private async _prepareAutoAsync(): Promise<void> {
        const model = this._options.model;
        if (!this._env.hasWebGpu() || model === undefined) {
            return;
        }
        const adapter = await (this._env.describeWebGpuAdapterAsync?.() ?? Promise.resolve("unnamed adapter"));
        this._webGpuAdapter = adapter !== null;
        const modelId = this._options.scorerOptions.sha256 ?? (typeof model === "string" ? model : null);
        this._auto.memorySlot = adapter !== null && modelId !== null ? backendChoiceSlot({ model: modelId, adapter, browser: this._env.browser ?? "", wasmThreads: this._options.scorerOptions.numThreads }) : null;
    }

    /**
     * Creates the scorer for a preference, or null if the stage was disposed meanwhile. "auto"
     * starts on WASM: it is ready in a fraction of a second and, at this model's size, often the
     * faster; the chooser then measures WebGPU against it while WASM ranks, unless WASM won the
     * last measurement on this device and that still stands. In the model worker
     * WASM takes the WASM-only build (the worker's copy is its own), so the first model ranking
     * waits for half the runtime; the full build comes with the WebGPU scorer. Where WASM runs on
     * the page's thread, "auto" loads the full build for it where WebGPU can run, so both share
     * one runtime whenever WebGPU is measured, and the WASM-only build where it cannot; "wasm"
     * loads the WASM-only build, "webgpu" the full one.
     */
    private async _createAsync(preference: BackendPreference, warn: boolean): Promise<IAttentionScorer | null> {
        const ortBuild: OrtBuild | undefined = preference === "auto" ? (this._env.hasWebGpu() && this._webGpuAdapter ? "full" : "wasm") : undefined;
        const { scorer } = await this._env.createScorerAsync({
            ...this._options.scorerOptions,
            ...(ortBuild ? { ortBuild } : {}),
            backend: preference === "auto" ? "wasm" : preference,
            model: preference === "heuristic" ? undefined : this._options.model,
            onWarning: warn ? (message) => Logger.Warn(message) : undefined,
        });
        if (this._isDisposed) {
            scorer.dispose();
            return null;
        }
        if (scorer instanceof OnnxScorer) {
            this._noteWasmProxy(scorer.wasmProxy, scorer.backend);
        }
        return scorer;
    }

    /** Records where the model runs; the worker asked for explicitly and not given to WASM, that is one warning. */
    private _noteWasmProxy(state: IWasmProxyState, backend: "webgpu" | "wasm"): void {
        this._wasmProxy = state;
        if (backend === "wasm" && state.requested === true && !state.enabled && !this._warnedWasmProxy) {
            this._warnedWasmProxy = true;
            Logger.Warn(`AttentionPlugin: wasmProxy is true, but ${state.reason}`);
        }
    }

    private _checkBudget(scorer: IAttentionScorer): void {
        if (scorer.isOverBudget) {
            const budget = scorer instanceof OnnxScorer ? ` ${scorer.runBudgetMs} ms` : "";
            void this._fallBackAsync(scorer, `most of its last ${BUDGET_WINDOW_RUNS} runs took longer than its${budget} budget`, true);
        }
    }

    /**
     * Drops a failed backend for the next in BACKEND_ORDER; the heuristic ranks meanwhile. The
     * next backend's runs start only once every pending run has ended (`holdRunsUntil`):
     * onnxruntime-web runs one session at a time, and a new session's runs fail ("Session
     * already started") while another's is pending.
     */
    private async _fallBackAsync(failed: IAttentionScorer, why: string, slow = false): Promise<void> {
        if (this._scorer !== failed || this._isDisposed) {
            return;
        }
        this._scorer = null;
        failed.dispose();
        const next = nextBackend(failed.backend);
        // Too slow, with no other model backend left: the machine may be busy for a while only.
        const retryMs = slow && next === "heuristic" ? this._scheduleSlowRetry(failed.backend) : 0;
        const retry = retryMs > 0 ? `; trying ${failed.backend} again in ${retryMs / 1000} s` : "";
        Logger.Warn(`AttentionPlugin: the ${failed.backend} backend stopped ranking because ${why}; falling back to ${next}${retry}`);
        this._backend$.next("heuristic");
        // "auto" may hold the next backend warm already.
        const standby = this._auto.takeStandby();
        if (standby && standby.backend !== next) {
            standby.dispose();
        }
        if (next === "heuristic") {
            return;
        }
        await this._held;
        if (this._isDisposed) {
            standby?.dispose();
            return;
        }
        // The warning above is the one warning for this fallback.
        const scorer = standby?.backend === next ? standby : await this._createAsync(next, false);
        if (scorer) {
            this.use(scorer);
        }
    }

    /** Schedules a fresh scorer for `backend`; returns the wait in ms. */
    private _scheduleSlowRetry(backend: ScorerBackend): number {
        const waitMs = this._slowRetryMs;
        this._slowRetryMs = Math.min(MAX_SLOW_RETRY_MS, waitMs * 2);
        clearTimeout(this._slowRetry);
        this._slowRetry = setTimeout(() => {
            this._slowRetry = undefined;
            void this._retrySlowAsync(backend);
        }, waitMs);
        return waitMs;
    }

    private async _retrySlowAsync(backend: ScorerBackend): Promise<void> {
        await this._held;
        // A model may rank again meanwhile (the game chose a backend): then there is nothing to do.
        if (this._isDisposed || this._scorer) {
            return;
        }
        const scorer = await this._createAsync(backend, false);
        if (!scorer) {
            return;
        }
        if (this._isDisposed || this._scorer || scorer.isSynchronous) {
            scorer.dispose();
            return;
        }
        this.use(scorer);
    }

    private _cancelSlowRetry(): void {
        clearTimeout(this._slowRetry);
        this._slowRetry = undefined;
        this._slowRetryMs = SLOW_RETRY_MS;
    }
}

import { Logger } from "@babylonjs/core/Misc/logger.js";
import { BehaviorSubject, type Observable } from "rxjs";
import { chooseFastest, needsRecheck, timeScorerAsync, type IBackendChoice, type IBackendTiming } from "./backendChoice.js";
import { isRememberedChoiceFresh, REMEMBERED_CHOICE_MAX_AGE_MS, type IBackendChoiceMemory, type IBackendChoiceSlot, type IRememberedChoice } from "./backendChoiceMemory.js";
import type { ICreateScorerOptions, ICreateScorerResult } from "./backendSelection.js";
import type { ModelSource } from "./onnxRuntime.js";
import { OnnxScorer } from "./onnxScorer.js";
import type { IAttentionScorer, ScorerBackend } from "./scorer.js";

/** A result older than this no longer ranks, so a run slower than it could never rank. */
const USEFUL_RUN_MS = 250;
/**
 * How long "auto" waits for one timing run before giving that backend up as hung. Generous: a
 * first WebGPU run compiles its shaders, which takes seconds on a software adapter.
 */
export const TIMING_STALL_MS = 10_000;

/** What the chooser needs of the model stage it chooses for. */
export interface IAutoBackendHost {
    /** The model scorer ranking now (null while the heuristic ranks). */
    readonly scorer: IAttentionScorer | null;
    readonly backend: ScorerBackend;
    readonly candidateLimit: number;
    readonly isDisposed: boolean;
    use(scorer: IAttentionScorer): void;
    withRunsPausedAsync<T>(work: () => Promise<T>): Promise<T>;
    holdRunsUntil(pending: Promise<void>): void;
}

interface IChooserEnvironment {
    hasWebGpu(): boolean;
    createScorerAsync(options: ICreateScorerOptions): Promise<ICreateScorerResult>;
    now(): number;
    /** Milliseconds since the epoch, for the age of a remembered choice. */
    dateNow(): number;
    /** Where choices are kept between page loads, or null to measure on every load. */
    memory: IBackendChoiceMemory | null;
}

interface IChooserOptions {
    model: ModelSource | undefined;
    scorerOptions: Omit<ICreateScorerOptions, "backend" | "model" | "onWarning" | "fallBack">;
}

/**
 * `backend: "auto"`, once WASM ranks: where WebGPU exists, creates a WebGPU scorer and times
 * both at the current K; the faster ranks, the other stays on standby for re-checks (when K
 * changes by a factor of 2) and as the fallback. A WebGPU that cannot start is logged in the
 * choice's reason, not warned about: WASM ranks, which is what the page needs. A timing run that
 * hangs drops that backend with one warning, and no run starts until the hung one has ended
 * (onnxruntime-web runs one session at a time).
 *
 * A measured choice is kept between page loads (`memory`, in `memorySlot`). Where WASM won and
 * that still stands (measured under `REMEMBERED_CHOICE_MAX_AGE_MS` ago at a K within a factor of
 * 2), later loads take it without creating a WebGPU scorer, so they never fetch the full
 * onnxruntime-web build; where WebGPU won, they measure again (the WebGPU scorer has to be made
 * either way).
 */
export class AutoBackendChooser {
    /** Where a choice is kept for this model and device; null: none is kept. */
    public memorySlot: IBackendChoiceSlot | null = null;
    private readonly _choice$ = new BehaviorSubject<IBackendChoice | null>(null);
    private _choosing: Promise<IBackendChoice | null> = Promise.resolve(null);
    private _standby: IAttentionScorer | null = null;
    private _measuring = false;
    /** The choice ranking came from memory: no WebGPU scorer exists to re-check against. */
    private _recalled = false;

    public constructor(
        private readonly _host: IAutoBackendHost,
        private readonly _env: IChooserEnvironment,
        private readonly _options: IChooserOptions
    ) {}

    public get choice(): IBackendChoice | null {
        return this._choice$.value;
    }

    public get choice$(): Observable<IBackendChoice | null> {
        return this._choice$;
    }

    /** The measurement in progress, or the last one (null where nothing is measured). */
    public whenChoiceAsync(): Promise<IBackendChoice | null> {
        return this._choosing;
    }

    /**
     * Starts measuring (WASM must already rank), or with `recall`, takes a remembered WASM win
     * that still stands instead. Never rejects: an error is one warning and a null choice.
     */
    public startAsync(options: { recall?: boolean } = {}): Promise<IBackendChoice | null> {
        const remembered = options.recall ? this._recallFresh() : null;
        if (remembered && remembered.choice.chosen === "wasm" && this._host.backend === "wasm") {
            this._recalled = true;
            const hours = Math.max(0, (this._env.dateNow() - remembered.measuredAt) / 3_600_000);
            const age = hours < 1 ? "under an hour" : `${Math.round(hours)} h`;
            const days = REMEMBERED_CHOICE_MAX_AGE_MS / 86_400_000;
            const choice: IBackendChoice = { ...remembered.choice, reason: `${remembered.choice.reason} (measured on this device ${age} ago; measured again after ${days} days, or when K moves by a factor of 2)` };
            this._setChoice(choice);
            Logger.Log(`AttentionPlugin: backend "auto": ${choice.reason}`);
            this._choosing = Promise.resolve(choice);
            return this._choosing;
        }
        return this._start(this._chooseAsync());
    }


    /** K changed: measure again when it moved by a factor of 2 from the measured one. */
    public onCandidateLimitChanged(k: number): void {
        if (this._recalled && !this._measuring && this._choice$.value && needsRecheck(this._choice$.value, k)) {
            // No WebGPU scorer was made for a remembered choice: make one and measure. The kept
            // choice is cleared first, so a further K change meanwhile starts no second timing
            // (the measurement re-checks K when it ends).
            this._recalled = false;
            this._setChoice(null);
            void this._start(this._chooseAsync());
            return;
        }
        if (needsRecheck(this._choice$.value, k) && !this._measuring) {
            void this._start(this._measureAsync());
        }
    }

    /** Hands over the standby scorer (for a fallback) and forgets the choice. */
    public takeStandby(): IAttentionScorer | null {
        const standby = this._standby;
        this._standby = null;
        this._recalled = false;
        this._setChoice(null);
        return standby;
    }

    /** Forgets the choice and the standby (a new preference). */
    public reset(): void {
        this._dropStandby();
        this._recalled = false;
        this._setChoice(null);
    }

    public dispose(): void {
        this.reset();
        this._choice$.complete();
    }

    private _start(measurement: Promise<IBackendChoice | null>): Promise<IBackendChoice | null> {
        this._choosing = measurement.catch((e: unknown) => {
            Logger.Warn(`AttentionPlugin: backend "auto" could not measure the backends (${messageOf(e)}); ${this._host.backend} ranks`);
            return null;
        });
        return this._choosing;
    }

    private async _chooseAsync(): Promise<IBackendChoice | null> {
        const model = this._options.model;
        if (!this._env.hasWebGpu() || model === undefined || this._host.isDisposed) {
            return null;
        }
        // Creating the session includes a probe run, so runs pause.
        const { scorer: gpu, failures } = await this._host.withRunsPausedAsync(() =>
            this._env.createScorerAsync({
                ...this._options.scorerOptions,
                backend: "webgpu",
                model,
                fallBack: false,
                // Warmed by the timing runs at K; the other sizes only if it wins.
                warmup: false,
            })
        );
        if (this._host.isDisposed || gpu.backend !== "webgpu") {
            gpu.dispose();
            if (failures.length === 0 || this._host.isDisposed) {
                return null;
            }
            const current = this._host.backend;
            const choice: IBackendChoice = { k: this._host.candidateLimit, timings: [], chosen: current, reason: `webgpu could not start (${failures[0].error.message}); ${current} ranks` };
            this._setChoice(choice);
            Logger.Log(`AttentionPlugin: backend "auto": ${choice.reason}`);
            return choice;
        }
        this._standby = gpu;
        return this._measureAsync();
    }

    /** Times the ranking backend and the standby at the current K and keeps the faster ranking. */
    private async _measureAsync(): Promise<IBackendChoice | null> {
        this._measuring = true;
        let choice: IBackendChoice | null;
        try {
            choice = await this._timeContendersAsync();
        } finally {
            this._measuring = false;
        }
        // K may have moved while the backends were timed (a change then does not start a second timing).
        return choice && needsRecheck(choice, this._host.candidateLimit) ? this._measureAsync() : choice;
    }

    private async _timeContendersAsync(): Promise<IBackendChoice | null> {
        const contenders = [this._host.scorer, this._standby].filter((s): s is IAttentionScorer => s !== null);
        if (contenders.length === 0 || this._host.isDisposed) {
            return null;
        }
        return this._host.withRunsPausedAsync(async () => {
            const k = this._host.candidateLimit;
            const timed: { scorer: IAttentionScorer; timing: IBackendTiming }[] = [];
            for (const scorer of contenders) {
                try {
                    const onStalled = (pending: Promise<void>): void => this._host.holdRunsUntil(pending);
                    timed.push({ scorer, timing: await timeScorerAsync(scorer, k, this._env.now, { limitMs: USEFUL_RUN_MS, stallMs: TIMING_STALL_MS, onStalled }) });
                } catch (e) {
                    // A backend that cannot run is no contender; if it ranks, its next run falls back.
                    Logger.Warn(`AttentionPlugin: timing the ${scorer.backend} backend failed (${messageOf(e)})`);
                }
                if (this._host.isDisposed) {
                    return null;
                }
                if (timed.at(-1)?.timing.stalled) {
                    // Nothing else can run on this runtime until the hung run ends.
                    break;
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
                Logger.Warn(`AttentionPlugin: backend "auto": a ${hung.map((s) => s.backend).join(" and a ")} run had not finished after ${TIMING_STALL_MS} ms; ${hung.includes(winner) ? "no backend could be timed" : `that backend is dropped and ${winner.backend} ranks once that run has ended`}`);
            }
            if (hung.includes(winner)) {
                // Nothing finished: leave the scorers as they are; a ranking run on a hung one fails and falls back.
                return null;
            }
            if (winner !== this._host.scorer) {
                if (winner instanceof OnnxScorer) {
                    await winner.warmupAsync();
                }
                const previous = this._host.scorer;
                this._host.use(winner);
                this._standby = previous;
            }
            // A hung backend is never the fallback: its device may never answer again. Its
            // session is released once its pending run ends (OnnxScorer waits for it).
            if (this._standby && hung.includes(this._standby)) {
                this._dropStandby();
            }
            this._setChoice(choice);
            this._remember(choice);
            Logger.Log(`AttentionPlugin: backend "auto": ${choice.reason}`);
            return choice;
        });
    }

    /** Keeps a choice between two measured backends for later page loads. */
    private _remember(choice: IBackendChoice): void {
        this._recalled = false;
        const slot = this.memorySlot;
        if (this._env.memory && slot && choice.timings.length > 1 && !choice.timings.some((t) => t.stalled)) {
            this._env.memory.remember(slot.key, { choice, measuredAt: this._env.dateNow(), device: slot.device });
        }
    }

    /** The choice kept in `memorySlot`, if it was measured on this device and still stands at the current K, else null. */
    private _recallFresh(): IRememberedChoice | null {
        const memory = this._env.memory;
        const slot = this.memorySlot;
        if (!memory || !slot) {
            return null;
        }
        const remembered = memory.recall(slot.key);
        return remembered && remembered.device === slot.device && isRememberedChoiceFresh(remembered, this._host.candidateLimit, this._env.dateNow()) ? remembered : null;
    }

    private _setChoice(choice: IBackendChoice | null): void {
        if (choice !== this._choice$.value && !this._choice$.closed) {
            this._choice$.next(choice);
        }
    }

    private _dropStandby(): void {
        this._standby?.dispose();
        this._standby = null;
    }
}

function messageOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

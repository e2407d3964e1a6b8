import { Observable as BabylonObservable, type Observer } from "@babylonjs/core/Misc/observable.js";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine.js";
import { Logger } from "@babylonjs/core/Misc/logger.js";
import { PrecisionDate } from "@babylonjs/core/Misc/precisionDate.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { BehaviorSubject, isObservable, Subject, type Observable, type Subscription } from "rxjs";
import { DEFAULT_PLUGIN_NUMBERS, modelLoadOptions, PLUGIN_NUMBER_RANGES, type IAttentionPluginOptions, type IPluginNumbers } from "./attentionPluginOptions.js";
import type { IAttentionEvent, IRanking, IRankingEntry, ITargetOptions } from "./attentionTypes.js";
import { KindIndex } from "./features/entityStore.js";
import { addEvent } from "./features/eventLevel.js";
import { DEFAULT_FEATURE_OPTIONS, FEATURE_OPTION_RANGES } from "./features/featureOptions.js";
import { FEATURE_COUNT } from "./features/featureSchema.js";
import { DEFAULT_OCCLUSION_BUDGET, OCCLUSION_BUDGET_RANGES } from "./features/occlusionScheduler.js";
import { DEFAULT_REFRESH_OPTIONS, REFRESH_OPTION_RANGES } from "./features/refreshPlanner.js";
import { DEFAULT_WEIGHTS, validateWeights, WEIGHT_NAMES, WEIGHT_RANGES, type IAttentionWeights } from "./model/attentionWeights.js";
import type { IBackendChoice } from "./model/backendChoice.js";
import { checkBackendPreference, type BackendPreference } from "./model/backendSelection.js";
import { checkWasmProxyPreference, type IWasmProxyState } from "./model/wasmProxy.js";
import { defaultModelUrl } from "./model/defaultModel.js";
import { ModelStage } from "./model/modelStage.js";
import type { ScorerBackend } from "./model/scorer.js";
import { checkNumber, checkOptions, createCheckedObject, describeValue, type INumberRange } from "./optionRanges.js";
import { DEFAULT_FOCUS_HYSTERESIS, FOCUS_HYSTERESIS_RANGES, FocusSelector, hysteresisOrderProblem, type FocusChangeReason, type IFocusHysteresis } from "./ranking/focusSelector.js";
import { createOcclusionTester } from "./scene/createOcclusionTester.js";
import { PlayerReader } from "./scene/playerReader.js";
import { TargetRegistry, type ITrackedTarget } from "./scene/targetRegistry.js";
import { cloneGazeSample, type IGazeSample } from "./signals/gazeSample.js";
import { fromBabylonObservable } from "./signals/fromBabylonObservable.js";
import { TickPipeline, type IWeightsState } from "./tick/tickPipeline.js";
import { TickRegulator } from "./tick/tickRegulator.js";

export type { ITrackedTarget } from "./scene/targetRegistry.js";

/** A focus change as Babylon-style observers receive it. */
export interface IFocusChange {
    previous: IRankingEntry | null;
    current: IRankingEntry | null;
    reason: FocusChangeReason;
}

/** What `navigateToAsync` needs of a navigator (AttentionNavigator fits). */
export interface IAttentionNavigatorLike {
    navigateToAsync(target: TransformNode): Promise<unknown>;
}

const pluginsByScene = new WeakMap<Scene, AttentionPlugin>();
const INTENSITY_RANGE: INumberRange = { min: 0, max: 10 };
const HALF_LIFE_RANGE: INumberRange = PLUGIN_NUMBER_RANGES.eventHalfLifeMs;

/**
 * Gives a Babylon scene a sense of where its player's attention is. Streams gaze, proximity
 * and game events into per-tick features, scores every tracked NPC, task and hint, and keeps a
 * ranked list per kind and a single focused entity with hysteresis.
 *
 * A thin facade over its parts (docs/architecture.md): a `TargetRegistry` (who is tracked, in
 * which row), a `TickPipeline` (the one stage order over one frame), a `ModelStage` (the ONNX
 * model beside the heuristic) and a `FocusSelector`.
 *
 * ```ts
 * const attention = await AttentionPlugin.CreateAsync(scene, { camera });
 * attention.track(guide, { kind: "npc", label: "Guide" });
 * attention.focus$.subscribe((entry) => console.log(entry?.label));
 * ```
 */
export class AttentionPlugin {
    /** Fires when a plugin is created for any scene (lets behaviors attached early find it). */
    public static readonly OnPluginCreatedObservable = new BabylonObservable<AttentionPlugin>();

    /** Fires on every focus change, with the reason. */
    public readonly onFocusChangedObservable = new BabylonObservable<IFocusChange>();
    /** Fires after every tick with the fresh ranking. */
    public readonly onRankingUpdatedObservable = new BabylonObservable<IRanking>();
    /** Fires when the game reports an engagement (`engage`), e.g. for recorders. */
    public readonly onEngagedObservable = new BabylonObservable<TransformNode>();
    /** Fires when a task becomes active or done (`setTaskActive`). */
    public readonly onTaskStateChangedObservable = new BabylonObservable<{ node: TransformNode; active: boolean }>();
    /** Fires after a node is tracked (its row is `trackedCount - 1`). */
    public readonly onTargetTrackedObservable: BabylonObservable<ITrackedTarget>;
    /** Fires after a node is untracked, explicitly or because it was disposed (rows have moved already). */
    public readonly onTargetUntrackedObservable: BabylonObservable<ITrackedTarget>;
    /** Fires once when the plugin is disposed. */
    public readonly onDisposeObservable = new BabylonObservable<AttentionPlugin>();

    public isDisposed = false;

    /**
     * The auto-navigator that `navigateToAsync` drives: an `AttentionNavigator` from
     * "babylon-attention/navigation" (kept structural so this entry never imports recast).
     */
    public navigator: IAttentionNavigatorLike | null = null;

    /** The tick's stages and frame, for profiling and benchmarks (advanced: read, do not drive). */
    public readonly pipeline: TickPipeline;

    private readonly _registry: TargetRegistry;
    private readonly _model: ModelStage;
    /** Aborted by dispose(): a model still downloading is abandoned and its connection closed. */
    private readonly _modelLoadAbort = new AbortController();
    private readonly _player: PlayerReader;
    private readonly _focusSelector: FocusSelector;
    private readonly _regulator: TickRegulator;
    private readonly _weightsState: { values: IAttentionWeights; version: number };
    private readonly _hysteresis: IFocusHysteresis;
    private readonly _numbers: IPluginNumbers;
    private readonly _clock: () => number;
    private readonly _ranking$: BehaviorSubject<IRanking>;
    private readonly _focus$ = new BehaviorSubject<IRankingEntry | null>(null);
    /** The focus now; `_focus$` catches up as queued changes are told (see _setFocus). */
    private _focus: IRankingEntry | null = null;
    private readonly _focusChanges: IFocusChange[] = [];
    private _tellingFocus = false;
    private readonly _events$ = new Subject<IAttentionEvent>();
    private readonly _gaze$ = new Subject<IGazeSample>();
    private readonly _subscriptions: Subscription[] = [];
    private _sceneDisposeObserver: Observer<Scene> | null = null;
    private _beforeRenderObserver: Observer<Scene> | null = null;
    private _endFrameObserver: Observer<AbstractEngine> | null = null;

    /**
     * Creates the plugin for `scene`. One plugin per scene; it disposes with the scene. Every
     * option is checked first: a bad one rejects with a message naming it and its range.
     */
    public static async CreateAsync(scene: Scene, options: IAttentionPluginOptions = {}): Promise<AttentionPlugin> {
        return new AttentionPlugin(scene, options);
    }

    /** The plugin of `scene`, if one was created. */
    public static Get(scene: Scene): AttentionPlugin | null {
        return pluginsByScene.get(scene) ?? null;
    }

    private constructor(
        public readonly scene: Scene,
        options: IAttentionPluginOptions
    ) {
        if (scene.isDisposed) {
            throw new Error("AttentionPlugin: the scene is disposed; create the plugin for a live scene");
        }
        if (pluginsByScene.has(scene)) {
            throw new Error("AttentionPlugin: this scene already has an attention plugin; use AttentionPlugin.Get(scene) or dispose the first one");
        }
        const numbers = checkOptions(
            { updateHz: options.updateHz, eventHalfLifeMs: options.eventHalfLifeMs, rankingSize: options.rankingSize, candidateLimit: options.candidateLimit, modelRunBudgetMs: options.modelRunBudgetMs, wasmThreads: options.wasmThreads },
            DEFAULT_PLUGIN_NUMBERS,
            PLUGIN_NUMBER_RANGES,
            "AttentionPlugin: options"
        );
        this._numbers = numbers;
        const backend = checkBackendPreference(options.backend ?? "auto", "AttentionPlugin: backend");
        const featureOptions = checkOptions(options.features, DEFAULT_FEATURE_OPTIONS, FEATURE_OPTION_RANGES, "AttentionPlugin: features");
        const refreshOptions = checkOptions(options.refresh, DEFAULT_REFRESH_OPTIONS, REFRESH_OPTION_RANGES, "AttentionPlugin: refresh");
        const occlusionBudget = checkOptions(options.occlusionBudget, DEFAULT_OCCLUSION_BUDGET, OCCLUSION_BUDGET_RANGES, "AttentionPlugin: occlusionBudget");
        const hysteresis = checkOptions(options.hysteresis, DEFAULT_FOCUS_HYSTERESIS, FOCUS_HYSTERESIS_RANGES, "AttentionPlugin: hysteresis");
        this._hysteresis = createCheckedObject(hysteresis, FOCUS_HYSTERESIS_RANGES, "AttentionPlugin: hysteresis", { across: hysteresisOrderProblem });
        const weightProblems = validateWeights(options.weights ?? {});
        if (weightProblems.length > 0) {
            throw new Error(`AttentionPlugin: invalid weights: ${weightProblems.join("; ")}`);
        }
        const weightsState = { values: null as unknown as IAttentionWeights, version: 0 };
        weightsState.values = createCheckedObject({ ...DEFAULT_WEIGHTS, ...options.weights }, WEIGHT_RANGES, "AttentionPlugin: weights", { onChange: () => weightsState.version++ });
        this._weightsState = weightsState;

        this._clock = options.clock ?? (() => PrecisionDate.Now);
        this._regulator = new TickRegulator(numbers.updateHz);
        this._focusSelector = new FocusSelector(this._hysteresis);
        this._player = new PlayerReader(scene, options.camera ?? null, options.player ?? null, options.gaze ?? "camera");
        this._model = new ModelStage({
            backend,
            model: options.model ?? defaultModelUrl(),
            candidateLimit: numbers.candidateLimit,
            rememberChoice: options.rememberBackendChoice !== false,
            scorerOptions: {
                runBudgetMs: numbers.modelRunBudgetMs,
                wasmPaths: options.wasmPaths,
                numThreads: numbers.wasmThreads,
                wasmProxy: checkWasmProxyPreference(options.wasmProxy ?? "auto", "AttentionPlugin: wasmProxy"),
                ...modelLoadOptions(options),
                signal: this._modelLoadAbort.signal,
            },
        });
        let pipeline: TickPipeline | null = null;
        // Entries read their row's scores and features from the tick frame, which the pipeline made.
        const scoreSource = {
            get scores() {
                return pipeline!.frame.scores;
            },
            get features() {
                return pipeline!.frame.features;
            },
            get weights() {
                return pipeline!.frame.weights;
            },
        };
        this._registry = new TargetRegistry(scene, scoreSource, (capacity) => pipeline!.ensureCapacity(capacity));
        this.onTargetTrackedObservable = this._registry.onTrackedObservable;
        this.onTargetUntrackedObservable = this._registry.onUntrackedObservable;
        this._registry.onUntrackedObservable.add((target) => this._onUntracked(target));
        pipeline = this.pipeline = new TickPipeline({
            registry: this._registry,
            player: this._player,
            model: this._model,
            focus: this._focusSelector,
            weights: weightsState as IWeightsState,
            featureOptions,
            refreshOptions,
            occlusionTester: createOcclusionTester(options.occlusion ?? "pick", scene, this._registry),
            occlusionBudget,
            rankingSize: numbers.rankingSize,
            onFocusChanged: (entry, reason) => this._setFocus(entry, reason),
            onTickFinished: () => this._publish(),
        });
        this._registry.positions.verifyMs = refreshOptions.maxStalenessMs;
        this._ranking$ = new BehaviorSubject<IRanking>(pipeline.rankings.ranking);

        pluginsByScene.set(scene, this);
        this._sceneDisposeObserver = scene.onDisposeObservable.add(() => this.dispose());
        if (options.autoTick !== false) {
            this._beforeRenderObserver = scene.onBeforeRenderObservable.add(() => this._onBeforeRender());
        }
        // A model run launched in a tick goes to the model worker once the frame's own work is
        // done: it then takes a core between frames, not inside one, and needs no timer task.
        this._endFrameObserver = scene.getEngine().onEndFrameObservable.add(() => this._model.handOver());
        try {
            // Behaviors attached before the plugin existed track their nodes now; one with bad
            // options must not leave a half-made plugin registered for the scene.
            AttentionPlugin.OnPluginCreatedObservable.notifyObservers(this);
        } catch (e) {
            this.dispose();
            throw e;
        }
    }

    // ---------------------------------------------------------------- streams and state

    /** Per-kind rankings after every tick, best first. Replays the latest to new subscribers. */
    public get ranking$(): Observable<IRanking> {
        return this._ranking$.asObservable();
    }

    /** The focused entry, or null; emits only on change and replays the latest. */
    public get focus$(): Observable<IRankingEntry | null> {
        return this._focus$.asObservable();
    }

    /** Every game event accepted by `emit`. */
    public get events$(): Observable<IAttentionEvent> {
        return this._events$.asObservable();
    }

    /** The gaze sample of every tick (a fresh copy; built only while someone subscribes). */
    public get gaze$(): Observable<IGazeSample> {
        return this._gaze$.asObservable();
    }

    /** The latest ranking (entries are updated in place every tick). */
    public get ranking(): IRanking {
        return this.pipeline.rankings.ranking;
    }

    /** The focused entry, or null. */
    public get focus(): IRankingEntry | null {
        return this._focus;
    }

    /** Why the focus last changed. */
    public get focusReason(): FocusChangeReason {
        return this._focusSelector.lastReason;
    }

    /** The latest player context vector (see docs/features.md). */
    public get context(): Readonly<Float32Array> {
        return this.pipeline.frame.context;
    }

    /** The latest feature rows, [trackedCount, FEATURE_COUNT], in row (slot) order. */
    public get features(): Readonly<Float32Array> {
        return this.pipeline.frame.features.subarray(0, this._registry.count * FEATURE_COUNT);
    }

    /** The gaze sample of the last tick (live object, updated in place every tick: copy what you keep). */
    public get latestGaze(): Readonly<IGazeSample> {
        return this.pipeline.frame.gaze;
    }

    // ---------------------------------------------------------------- backends

    /** The backend ranking right now: "webgpu", "wasm" or "heuristic". */
    public get backend(): ScorerBackend {
        return this._model.backend;
    }

    /** The backend, replayed to new subscribers and emitted on every switch (fallbacks included). */
    public get backend$(): Observable<ScorerBackend> {
        return this._model.backend$;
    }

    /**
     * Resolves once the model is loaded and warm (or the plugin settled on a fallback). With
     * "auto" that is WASM; where WebGPU exists, `whenBackendChosenAsync` says which one won.
     */
    public whenModelReadyAsync(): Promise<ScorerBackend> {
        return this._model.whenReadyAsync();
    }

    /**
     * Where onnxruntime-web runs the model: in its worker (`enabled`) or on the main thread, and
     * why (`reason`). Null until the first model session exists (and with `backend: "heuristic"`).
     */
    public get wasmProxy(): IWasmProxyState | null {
        return this._model.wasmProxy;
    }

    /**
     * With `backend: "auto"` where WebGPU exists: both backends timed at `candidateLimit` and the
     * faster one chosen (measured again when the limit changes by a factor of 2), or a WASM win
     * kept from an earlier page load (`rememberBackendChoice`; its `k` is the K it was measured
     * at, and its reason says how long ago). Null otherwise, or until measured.
     */
    public get backendChoice(): IBackendChoice | null {
        return this._model.choice;
    }

    /** `backendChoice`, replayed to new subscribers and emitted on every measurement (and when a fallback or `setBackendAsync` clears it). */
    public get backendChoice$(): Observable<IBackendChoice | null> {
        return this._model.choice$;
    }

    /** Resolves with `backendChoice` once "auto" has measured or taken a kept choice (null where it measures nothing). */
    public whenBackendChosenAsync(): Promise<IBackendChoice | null> {
        return this._model.whenChoiceAsync();
    }

    /**
     * Chooses the backend again at runtime ("auto" measures again, as at creation). Ranking goes
     * on with the current backend until the new one is warm. Resolves with the backend now ranking.
     */
    public setBackendAsync(preference: BackendPreference): Promise<ScorerBackend> {
        this._throwIfDisposed("setBackendAsync");
        try {
            return this._model.switchAsync(checkBackendPreference(preference, "AttentionPlugin.setBackendAsync: backend"));
        } catch (e) {
            return Promise.reject(e);
        }
    }

    /** How many candidates (K, best by heuristic) the model ranks each tick. [1, 4096] */
    public get candidateLimit(): number {
        return this._model.candidateLimit;
    }

    public set candidateLimit(value: number) {
        this._model.candidateLimit = checkNumber(value, PLUGIN_NUMBER_RANGES.candidateLimit, "AttentionPlugin: candidateLimit");
    }

    // ---------------------------------------------------------------- tuning

    /** Ticks per second while the render loop runs. [1, 240] */
    public get updateHz(): number {
        return this._regulator.updateHz;
    }

    public set updateHz(value: number) {
        this._regulator.updateHz = value;
    }

    /** Focus hysteresis, tunable live: each field checks what is assigned to it. */
    public get hysteresis(): IFocusHysteresis {
        return this._hysteresis;
    }

    /**
     * The signal weights, tunable live: `attention.weights.gaze = 2` checks the value (a number
     * in [0, 4]) and throws on anything else, so a NaN never reaches the scores. Assigning an
     * object or its JSON text checks every field first and applies none if any is wrong.
     */
    public get weights(): IAttentionWeights {
        return this._weightsState.values;
    }

    public set weights(value: Partial<IAttentionWeights> | string) {
        let parsed: unknown = value;
        if (typeof value === "string") {
            try {
                parsed = JSON.parse(value);
            } catch (error) {
                throw new Error(`AttentionPlugin: weights JSON does not parse: ${(error as Error).message}`);
            }
        }
        const problems = validateWeights(parsed);
        if (problems.length > 0) {
            throw new Error(`AttentionPlugin: invalid weights: ${problems.join("; ")}`);
        }
        Object.assign(this._weightsState.values, parsed);
    }

    /** The weights as JSON text, loadable back through `weights = json`. */
    public exportWeights(): string {
        const out: Record<string, number> = {};
        for (const name of WEIGHT_NAMES) {
            out[name] = this._weightsState.values[name];
        }
        return JSON.stringify(out, null, 2);
    }

    // ---------------------------------------------------------------- tracking

    /**
     * Starts tracking `node` as an NPC, task or hint. Returns its live ranking entry.
     * Throws if the node is already tracked, disposed, or the options are invalid.
     */
    public track(node: TransformNode, options: ITargetOptions): IRankingEntry {
        this._throwIfDisposed("track");
        return this._registry.track(node, options);
    }

    /** Stops tracking `node`. Returns false (a documented no-op) if it was not tracked. */
    public untrack(node: TransformNode): boolean {
        return this._registry.untrack(node);
    }

    /** Whether `node` is tracked. */
    public isTracked(node: TransformNode): boolean {
        return this._registry.isTracked(node);
    }

    /** Number of tracked entities. */
    public get trackedCount(): number {
        return this._registry.count;
    }

    /** The stable id of a tracked node (never reused), or 0 if it is not tracked. */
    public idOf(node: TransformNode): number {
        return this._registry.get(node)?.id ?? 0;
    }

    /** The tracked node whose row is `slot` in `features` this tick, or null. Rows move when nodes are untracked. */
    public nodeAt(slot: number): TransformNode | null {
        return this._registry.at(slot)?.node ?? null;
    }

    /** The tracked target in row `slot` (node, id, kind, label), or null. */
    public targetAt(slot: number): ITrackedTarget | null {
        return this._registry.at(slot);
    }

    /** The row of `node` in `features`, or -1. */
    public slotOf(node: TransformNode): number {
        return this._registry.slotOf(node);
    }

    /** Marks a tracked task as still to do (`active` true) or done (false); done counts as progress. */
    public setTaskActive(node: TransformNode, active: boolean): void {
        const slot = this._registry.require(node, "setTaskActive").entry.slot;
        const store = this._registry.store;
        const wasActive = store.active[slot] === 1;
        store.active[slot] = active ? 1 : 0;
        if (wasActive && !active) {
            this.pipeline.context.lastProgressMs = this._clock();
        }
        if (wasActive !== active) {
            this.onTaskStateChangedObservable.notifyObservers({ node, active });
        }
    }

    /** Whether `node` is a tracked task still to do (false once done, and for NPCs and hints unless set active). */
    public isTaskActive(node: TransformNode): boolean {
        const target = this._registry.get(node);
        return target !== undefined && this._registry.store.active[target.entry.slot] === 1;
    }

    /**
     * Reports that the player engaged `node` (talked to the NPC, used the exhibit, read the sign).
     * Feeds the context vector; recordings use it as the training label.
     */
    public engage(node: TransformNode): void {
        const slot = this._registry.require(node, "engage").entry.slot;
        const now = this._clock();
        const context = this.pipeline.context;
        context.lastEngagementMs = now;
        if (this._registry.store.kind[slot] === KindIndex.Task) {
            context.lastProgressMs = now;
        }
        this.onEngagedObservable.notifyObservers(node);
    }

    // ---------------------------------------------------------------- events

    /**
     * Reports a game event (an NPC speaks, a quest updates, a sound plays) on a tracked entity.
     * It lifts the entity's Event signal by `intensity`, decaying by its half-life. An event on
     * an untracked node is a documented no-op: it returns false and logs a warning.
     */
    public emit(event: IAttentionEvent): boolean {
        this._throwIfDisposed("emit");
        if (!event || typeof event !== "object") {
            throw new Error(`AttentionPlugin.emit: expected an event { target, type, intensity? }; got ${describeValue(event)}`);
        }
        if (typeof event.type !== "string" || event.type.length === 0) {
            throw new Error(`AttentionPlugin.emit: event.type must be a non-empty string such as "speech"; got ${describeValue(event.type)}`);
        }
        const intensity = checkNumber(event.intensity ?? 1, INTENSITY_RANGE, `AttentionPlugin.emit: intensity of "${event.type}"`);
        const halfLife = checkNumber(event.halfLifeMs ?? this._numbers.eventHalfLifeMs, HALF_LIFE_RANGE, `AttentionPlugin.emit: halfLifeMs of "${event.type}" (milliseconds)`);
        const target = event.target ? this._registry.get(event.target) : undefined;
        if (!target) {
            Logger.Warn(`AttentionPlugin.emit: "${event.type}" event ignored: target ${event.target ? `"${event.target.name}"` : "(none)"} is not tracked`);
            return false;
        }
        addEvent(this._registry.store, target.entry.slot, intensity, halfLife, this._clock());
        this._events$.next(event);
        return true;
    }

    /**
     * Turns every notification of a Babylon observable into an attention event, e.g. a sound's
     * `onEndedObservable` or your dialogue system's observable. Return null to skip one.
     * Returns the subscription; it also ends when the plugin is disposed.
     */
    public bridgeEvents<T>(source: BabylonObservable<T> | Observable<T>, toEvent: (value: T) => IAttentionEvent | null): Subscription {
        const stream$: Observable<T> = isObservable(source) ? source : fromBabylonObservable(source);
        const subscription = stream$.subscribe((value) => {
            const event = toEvent(value);
            if (event) {
                this.emit(event);
            }
        });
        this._subscriptions.push(subscription);
        return subscription;
    }

    // ---------------------------------------------------------------- navigation

    /**
     * Walks the player to `target` (default: the focused entity) through `navigator`. Resolves
     * with the navigator's end state: arrived, cancelled or failed with a reason.
     */
    public navigateToAsync(target: TransformNode | null = this.focus?.node ?? null): Promise<unknown> {
        this._throwIfDisposed("navigateToAsync");
        if (!this.navigator) {
            return Promise.reject(new Error('AttentionPlugin.navigateToAsync: no navigator; create one with AttentionNavigator.CreateAsync(scene, { walkableMeshes }) from "babylon-attention/navigation" and assign it to attention.navigator'));
        }
        if (!target) {
            return Promise.reject(new Error("AttentionPlugin.navigateToAsync: nothing to navigate to: no target given and nothing is focused"));
        }
        return this.navigator.navigateToAsync(target);
    }

    // ---------------------------------------------------------------- ticking

    /**
     * Entities the last tick re-evaluated (gaze geometry, features, score): all of them up to
     * `refresh.fullRefreshLimit`, fewer in large worlds (see IRefreshOptions).
     */
    public get entitiesRefreshedLastTick(): number {
        return this.pipeline.refresh.count;
    }

    /** Entities whose positions the last tick read from the scene (at most `entitiesRefreshedLastTick`). */
    public get entitiesReadLastTick(): number {
        return this.pipeline.refresh.readCount;
    }

    /** Occlusion ray tests made in the last tick. */
    public get occlusionTestsLastTick(): number {
        return this.pipeline.occlusion.testsLastTick;
    }

    /**
     * Runs one tick now, at the clock's current time, through the same stages as the render
     * loop. When a model ranks, the tick waits for its run and ranks with it, so tests and
     * simulations are deterministic; render-loop ticks never wait and use the model's result a
     * tick late instead. Disposing the plugin meanwhile settles it quietly with the last ranking.
     */
    public async tickAsync(): Promise<IRanking> {
        this._throwIfDisposed("tickAsync");
        await this._model.settleAsync();
        if (this.isDisposed) {
            return this.ranking;
        }
        // Babylon caches world matrices (and picking data) per render id, and nothing advances it
        // outside the render loop: advance it as a frame would, so moved nodes are read where they are.
        this.scene.incrementRenderId();
        this.pipeline.frame.time.nowMs = this._clock();
        this.pipeline.begin(true);
        const waiting = this.pipeline.runAsync(() => this.isDisposed);
        if (waiting) {
            await waiting;
        }
        return this.ranking;
    }

    /**
     * Kept this small on purpose: V8 optimises a small function after a few calls, but one with
     * more bytecode only after thousands, and until then every fractional number in it is boxed.
     */
    private _onBeforeRender(): void {
        const now = this._clock();
        const last = this.pipeline.lastTickMs;
        if (last === last && now - last < this._regulator.minGapMs) {
            return;
        }
        this.pipeline.frame.time.nowMs = now;
        this.pipeline.begin(false);
        this.pipeline.run();
    }

    private _publish(): void {
        if (this._gaze$.observed) {
            this._gaze$.next(cloneGazeSample(this.pipeline.frame.gaze));
        }
        // The subject already holds this same (reused) ranking object; emitting costs rxjs a
        // closure per call, so it only happens while someone listens.
        if (this._ranking$.observed) {
            this._ranking$.next(this.ranking);
        }
        if (this.onRankingUpdatedObservable.hasObservers()) {
            this.onRankingUpdatedObservable.notifyObservers(this.ranking);
        }
    }

    /**
     * Changes the focus and tells both audiences, in order. A listener may change the focus
     * again while it is told (dispose the node it was just given, say): that change is queued
     * and told after this one, so every listener sees "acquired" before "removed" and ends on
     * the real focus.
     */
    private _setFocus(entry: IRankingEntry | null, reason: FocusChangeReason): void {
        const previous = this._focus;
        if (previous === entry) {
            return;
        }
        this._focus = entry;
        // Both rows' Focused feature changes: re-read them next tick.
        const hot = this._registry.store.hot;
        for (const changed of [previous, entry]) {
            const slot = changed ? this._registry.slotOf(changed.node) : -1;
            if (slot >= 0) {
                hot[slot] = 1;
            }
        }
        this._focusChanges.push({ previous, current: entry, reason });
        if (this._tellingFocus) {
            return;
        }
        this._tellingFocus = true;
        try {
            for (let change = this._focusChanges.shift(); change; change = this._focusChanges.shift()) {
                this._focus$.next(change.current);
                this.onFocusChangedObservable.notifyObservers(change);
            }
        } finally {
            this._tellingFocus = false;
        }
    }

    /** Takes an untracked node out of the published lists and the focus at once. */
    private _onUntracked(target: ITrackedTarget): void {
        const ranking = this.ranking;
        for (const list of [ranking.npc, ranking.task, ranking.hint]) {
            const index = list.indexOf(target.entry);
            if (index >= 0) {
                list.splice(index, 1);
            }
        }
        if (this._focusSelector.focusedId === target.id) {
            this._focusSelector.reset();
            this._setFocus(null, "removed");
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Releases everything the plugin added to the scene. Safe to call twice. */
    public dispose(): void {
        if (this.isDisposed) {
            return;
        }
        this.isDisposed = true;
        this.scene.onDisposeObservable.remove(this._sceneDisposeObserver);
        this.scene.onBeforeRenderObservable.remove(this._beforeRenderObserver);
        this.scene.getEngine().onEndFrameObservable.remove(this._endFrameObserver);
        this._sceneDisposeObserver = this._beforeRenderObserver = null;
        this._endFrameObserver = null;
        this._registry.dispose();
        this._modelLoadAbort.abort(new Error("the plugin was disposed"));
        this._model.dispose();
        for (const subscription of this._subscriptions) {
            subscription.unsubscribe();
        }
        this._player.dispose();
        this.pipeline.dispose();
        if (pluginsByScene.get(this.scene) === this) {
            pluginsByScene.delete(this.scene);
        }
        this.onDisposeObservable.notifyObservers(this);
        this._ranking$.complete();
        this._focus$.complete();
        this._events$.complete();
        this._gaze$.complete();
        this.onFocusChangedObservable.clear();
        this.onRankingUpdatedObservable.clear();
        this.onEngagedObservable.clear();
        this.onTaskStateChangedObservable.clear();
        this.onDisposeObservable.clear();
    }

    private _throwIfDisposed(method: string): void {
        if (this.isDisposed) {
            throw new Error(`AttentionPlugin.${method}: the plugin is disposed`);
        }
    }
}

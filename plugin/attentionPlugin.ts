import type { Camera } from "@babylonjs/core/Cameras/camera";
import { Observable as BabylonObservable, type Observer } from "@babylonjs/core/Misc/observable";
import { Logger } from "@babylonjs/core/Misc/logger";
import { PrecisionDate } from "@babylonjs/core/Misc/precisionDate";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { Node } from "@babylonjs/core/node";
import type { Scene } from "@babylonjs/core/scene";
import { BehaviorSubject, isObservable, Subject, type Observable, type Subscription } from "rxjs";
import { DEFAULT_CANDIDATE_LIMIT, DEFAULT_EVENT_HALF_LIFE_MS, DEFAULT_RANKING_SIZE, DEFAULT_UPDATE_HZ, modelLoadOptions, type IAttentionPluginOptions } from "./attentionPluginOptions";
import { TARGET_KINDS, type IAttentionEvent, type IRanking, type IRankingEntry, type ITargetOptions } from "./attentionTypes";
import { ContextTracker } from "./features/contextTracker";
import { EntityStore } from "./features/entityStore";
import { DEFAULT_FEATURE_OPTIONS, type IFeatureOptions, validateFeatureOptions } from "./features/featureOptions";
import { FEATURE_COUNT } from "./features/featureSchema";
import { writeFeatures } from "./features/featureWriter";
import { measureGazeGeometry } from "./features/gazeGeometry";
import { MeshBoxOccluders } from "./features/meshBoxOccluders";
import { isMesh, isTransformNode } from "./nodeGuards";
import { NodePositionReader } from "./features/nodePositionReader";
import { DEFAULT_OCCLUSION_BUDGET, OcclusionScheduler, type IOcclusionBudget } from "./features/occlusionScheduler";
import type { IOcclusionTester } from "./features/occlusionTester";
import { createPlayerState, type IPlayerState } from "./features/playerState";
import { DEFAULT_REFRESH_OPTIONS, RefreshPlanner, validateRefreshOptions, type IRefreshOptions } from "./features/refreshPlanner";
import { ScenePickOccluders } from "./features/scenePickOccluders";
import { createTickTime, type ITickTime } from "./features/tickTime";
import { DEFAULT_WEIGHTS, packWeights, validateWeights, WEIGHT_COUNT, WEIGHT_NAMES, type IAttentionWeights } from "./model/attentionWeights";
import { HeuristicScorer, normalizeGazeAttention } from "./model/heuristicScorer";
import type { IBackendChoice } from "./model/backendChoice";
import type { BackendPreference } from "./model/backendSelection";
import { defaultModelUrl } from "./model/defaultModel";
import { ModelStage } from "./model/modelStage";
import { createScorerOutput, type IScorerInput, type IScorerOutput, type ScorerBackend } from "./model/scorer";
import { DEFAULT_FOCUS_HYSTERESIS, FocusSelector, type FocusChangeReason, type IFocusHysteresis } from "./ranking/focusSelector";
import { RankingBuilder, RankingEntry, type IScoreSource } from "./ranking/rankingBuilder";
import { CameraGazeProvider } from "./signals/cameraGazeProvider";
import { cloneGazeSample, createGazeSample, type IGazeProvider, type IGazeSample } from "./signals/gazeSample";
import { ObservableGazeProvider } from "./signals/observableGazeProvider";
import { fromBabylonObservable } from "./signals/fromBabylonObservable";
import { PointerGazeProvider } from "./signals/pointerGazeProvider";

/** A focus change as Babylon-style observers receive it. */
export interface IFocusChange {
    previous: IRankingEntry | null;
    current: IRankingEntry | null;
    reason: FocusChangeReason;
}

interface ITrackedTarget {
    readonly node: TransformNode;
    readonly entry: RankingEntry;
    readonly id: number;
    readonly disposeObserver: Observer<Node>;
    /** Current slot in the dense arrays; updated when another target's removal moves this one. */
    slot: number;
}

/** What `navigateToAsync` needs of a navigator (AttentionNavigator fits). */
export interface IAttentionNavigatorLike {
    navigateToAsync(target: TransformNode): Promise<unknown>;
}

const pluginsByScene = new WeakMap<Scene, AttentionPlugin>();

/**
 * Gives a Babylon scene a sense of where its player's attention is. Streams gaze, proximity
 * and game events into per-tick features, scores every tracked NPC, task and hint, and keeps a
 * ranked list per kind and a single focused entity with hysteresis.
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
    /** Fires once when the plugin is disposed. */
    public readonly onDisposeObservable = new BabylonObservable<AttentionPlugin>();

    public isDisposed = false;

    private readonly _ranking$: BehaviorSubject<IRanking>;
    private readonly _focus$ = new BehaviorSubject<IRankingEntry | null>(null);
    private readonly _events$ = new Subject<IAttentionEvent>();
    private readonly _gaze$ = new Subject<IGazeSample>();

    private readonly _clock: () => number;
    private readonly _store = new EntityStore(16);
    private readonly _positions = new NodePositionReader();
    private readonly _targets: ITrackedTarget[] = [];
    private readonly _entries: RankingEntry[] = [];
    private readonly _byNode = new Map<TransformNode, ITrackedTarget>();
    private readonly _byId = new Map<number, ITrackedTarget>();
    private readonly _slotOfId = (id: number): number => this._byId.get(id)?.slot ?? -1;
    private readonly _modelStage: ModelStage;
    /** Aborted by dispose(): a model still downloading is abandoned and its connection closed. */
    private readonly _modelLoadAbort = new AbortController();
    private _isCandidate = new Uint8Array(16);
    private readonly _player: IPlayerState = createPlayerState();
    private readonly _gazeSample = createGazeSample();
    private readonly _gazeProvider: IGazeProvider;
    private readonly _defaultCameraGaze: Map<Camera, CameraGazeProvider> = new Map();
    private readonly _context = new ContextTracker();
    private readonly _occlusion = new OcclusionScheduler();
    private readonly _occlusionTester: IOcclusionTester | null;
    private readonly _occlusionBudget: IOcclusionBudget;
    private readonly _featureOptions: IFeatureOptions;
    private readonly _focusSelector: FocusSelector;
    private readonly _rankingBuilder: RankingBuilder;
    private readonly _heuristic = new HeuristicScorer();
    private readonly _weights: IAttentionWeights = { ...DEFAULT_WEIGHTS };
    private readonly _weightsPacked = new Float32Array(WEIGHT_COUNT);
    private _features = new Float32Array(16 * FEATURE_COUNT);
    private _scores: IScorerOutput = createScorerOutput(16);
    /** The heuristic's last scores per slot; rows the refresh plan skips keep theirs (see _prepareTick). */
    private _heuristicScores: IScorerOutput = createScorerOutput(16);
    private readonly _refresh = new RefreshPlanner();
    private readonly _refreshOptions: IRefreshOptions;
    /** The weights the heuristic scores were computed with: a change re-scores every row. */
    private readonly _scoredWeights = new Float32Array(WEIGHT_COUNT).fill(NaN);
    /** What live ranking entries read their scores from (follows `_scores` when it grows). */
    private readonly _scoreSource: IScoreSource = { scores: this._scores };
    private _sceneDisposeObserver: Observer<Scene> | null = null;
    private _beforeRenderObserver: Observer<Scene> | null = null;
    private readonly _subscriptions: Subscription[] = [];
    private _lastTickMs = NaN;
    /** True inside tickAsync: no frame has transformed the meshes, so the tick must. */
    private _freshTransforms = false;
    /** This tick's time, passed by reference to every stage (see tickTime.ts). */
    private readonly _time: ITickTime = createTickTime();
    private readonly _scorerInput: IScorerInput;
    private _tickIntervalMs = 0;
    /** The smallest gap between render-loop ticks: half a 60 Hz frame less than the interval. */
    private _minTickGapMs = 0;
    private _eventHalfLifeMs: number;
    private _camera: Camera | null;
    private readonly _playerNode: TransformNode | null;
    private readonly _viewSample = createGazeSample();

    /** Creates the plugin for `scene`. One plugin per scene; it disposes with the scene. */
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
        if (pluginsByScene.has(scene)) {
            throw new Error("AttentionPlugin: this scene already has an attention plugin; use AttentionPlugin.Get(scene) or dispose the first one");
        }
        const updateHz = options.updateHz ?? DEFAULT_UPDATE_HZ;
        if (!Number.isFinite(updateHz) || updateHz < 1 || updateHz > 240) {
            throw new Error(`AttentionPlugin: updateHz must be a number in [1, 240]; got ${updateHz}`);
        }
        this._setTickInterval(1000 / updateHz);
        this._eventHalfLifeMs = positive(options.eventHalfLifeMs ?? DEFAULT_EVENT_HALF_LIFE_MS, "eventHalfLifeMs");
        const rankingSize = options.rankingSize ?? DEFAULT_RANKING_SIZE;
        if (!Number.isInteger(rankingSize) || rankingSize < 1 || rankingSize > 1000) {
            throw new Error(`AttentionPlugin: rankingSize must be an integer in [1, 1000]; got ${rankingSize}`);
        }
        this._clock = options.clock ?? (() => PrecisionDate.Now);
        this._camera = options.camera ?? null;
        this._playerNode = options.player ?? null;
        this._featureOptions = validateFeatureOptions({ ...DEFAULT_FEATURE_OPTIONS, ...options.features }, "AttentionPlugin: features");
        this._focusSelector = new FocusSelector({ ...DEFAULT_FOCUS_HYSTERESIS, ...options.hysteresis });
        this._occlusionBudget = { ...DEFAULT_OCCLUSION_BUDGET, ...options.occlusionBudget };
        this._refreshOptions = validateRefreshOptions({ ...DEFAULT_REFRESH_OPTIONS, ...options.refresh }, "AttentionPlugin: refresh");
        this._positions.verifyMs = this._refreshOptions.maxStalenessMs;
        this._rankingBuilder = new RankingBuilder(rankingSize);
        this._ranking$ = new BehaviorSubject<IRanking>(this._rankingBuilder.ranking);
        if (options.weights) {
            this.weights = options.weights;
        }
        this._gazeProvider = this._createGazeProvider(options.gaze ?? "camera");
        this._scorerInput = { features: this._features, count: 0, context: this._context.context, weights: this._weightsPacked };
        this._modelStage = new ModelStage({
            backend: options.backend ?? "auto",
            model: options.model ?? defaultModelUrl(),
            candidateLimit: options.candidateLimit ?? DEFAULT_CANDIDATE_LIMIT,
            scorerOptions: {
                runBudgetMs: options.modelRunBudgetMs,
                wasmPaths: options.wasmPaths,
                numThreads: options.wasmThreads ?? 1,
                ...modelLoadOptions(options),
                signal: this._modelLoadAbort.signal,
            },
        });
        this._occlusionTester = this._createOcclusionTester(options.occlusion ?? "pick");

        pluginsByScene.set(scene, this);
        this._sceneDisposeObserver = scene.onDisposeObservable.add(() => this.dispose());
        if (options.autoTick !== false) {
            this._beforeRenderObserver = scene.onBeforeRenderObservable.add(() => this._onBeforeRender());
        }
        AttentionPlugin.OnPluginCreatedObservable.notifyObservers(this);
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
        return this._rankingBuilder.ranking;
    }

    /** The focused entry, or null. */
    public get focus(): IRankingEntry | null {
        return this._focus$.value;
    }

    /** Why the focus last changed. */
    public get focusReason(): FocusChangeReason {
        return this._focusSelector.lastReason;
    }

    /** The latest player context vector (see docs/features.md). */
    public get context(): Readonly<Float32Array> {
        return this._context.context;
    }

    /** The latest feature rows, [trackedCount, FEATURE_COUNT], in slot order. */
    public get features(): Readonly<Float32Array> {
        return this._features.subarray(0, this._store.count * FEATURE_COUNT);
    }

    /** The backend ranking right now: "webgpu", "wasm" or "heuristic". */
    public get backend(): ScorerBackend {
        return this._modelStage.backend;
    }

    /** The backend, replayed to new subscribers and emitted on every switch (fallbacks included). */
    public get backend$(): Observable<ScorerBackend> {
        return this._modelStage.backend$;
    }

    /**
     * Resolves once the model is loaded and warm (or the plugin settled on a fallback). With
     * "auto" that is WASM; where WebGPU exists, `whenBackendChosenAsync` says which one won.
     */
    public whenModelReadyAsync(): Promise<ScorerBackend> {
        return this._modelStage.whenReadyAsync();
    }

    /**
     * With `backend: "auto"` where WebGPU exists: both backends timed at the current
     * `candidateLimit` and the faster one chosen (measured again when the limit changes by a
     * factor of 2). Null otherwise, or until measured.
     */
    public get backendChoice(): IBackendChoice | null {
        return this._modelStage.choice;
    }

    /** `backendChoice`, replayed to new subscribers and emitted on every measurement (and when a fallback or `setBackendAsync` clears it). */
    public get backendChoice$(): Observable<IBackendChoice | null> {
        return this._modelStage.choice$;
    }

    /** Resolves with `backendChoice` once "auto" has measured (null where it measures nothing). */
    public whenBackendChosenAsync(): Promise<IBackendChoice | null> {
        return this._modelStage.whenChoiceAsync();
    }

    /**
     * Chooses the backend again at runtime ("auto" measures again, as at creation). Ranking goes
     * on with the current backend until the new one is warm. Resolves with the backend now ranking.
     */
    public setBackendAsync(preference: BackendPreference): Promise<ScorerBackend> {
        this._throwIfDisposed("setBackendAsync");
        if (!["auto", "webgpu", "wasm", "heuristic"].includes(preference)) {
            return Promise.reject(new Error(`AttentionPlugin.setBackendAsync: backend must be "auto", "webgpu", "wasm" or "heuristic"; got ${JSON.stringify(preference)}`));
        }
        return this._modelStage.switchAsync(preference);
    }

    /** How many candidates (K, best by heuristic) the model ranks each tick. */
    public get candidateLimit(): number {
        return this._modelStage.candidateLimit;
    }

    public set candidateLimit(value: number) {
        this._modelStage.candidateLimit = value;
    }

    /**
     * The auto-navigator that `navigateToAsync` drives: an `AttentionNavigator` from
     * "babylon-attention/navigation" (kept structural so this entry never imports recast).
     */
    public navigator: IAttentionNavigatorLike | null = null;

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

    /** The stable id of a tracked node (never reused), or 0 if it is not tracked. */
    public idOf(node: TransformNode): number {
        return this._byNode.get(node)?.id ?? 0;
    }

    /** The tracked node whose row is `slot` in `features` this tick, or null. Slots move when nodes are untracked. */
    public nodeAt(slot: number): TransformNode | null {
        return slot >= 0 && slot < this._store.count ? this._targets[slot].node : null;
    }

    /** The row of `node` in `features`, or -1. */
    public slotOf(node: TransformNode): number {
        return this._byNode.get(node)?.slot ?? -1;
    }

    /** The gaze sample of the last tick (live object, updated in place every tick: copy what you keep). */
    public get latestGaze(): Readonly<IGazeSample> {
        return this._gazeSample;
    }

    /** Number of tracked entities. */
    public get trackedCount(): number {
        return this._store.count;
    }

    /**
     * Entities the last tick re-evaluated (gaze geometry, features, score): all of them up to
     * `refresh.fullRefreshLimit`, fewer in large worlds (see IRefreshOptions).
     */
    public get entitiesRefreshedLastTick(): number {
        return this._refresh.count;
    }

    /** Entities whose positions the last tick read from the scene (at most `entitiesRefreshedLastTick`). */
    public get entitiesReadLastTick(): number {
        return this._refresh.readCount;
    }

    /** Occlusion ray tests made in the last tick. */
    public get occlusionTestsLastTick(): number {
        return this._occlusion.testsLastTick;
    }

    /** Ticks per second while the render loop runs. */
    public get updateHz(): number {
        return 1000 / this._tickIntervalMs;
    }

    public set updateHz(value: number) {
        if (!Number.isFinite(value) || value < 1 || value > 240) {
            throw new Error(`AttentionPlugin: updateHz must be a number in [1, 240]; got ${value}`);
        }
        this._setTickInterval(1000 / value);
    }

    /** Focus hysteresis, tunable live. */
    public get hysteresis(): IFocusHysteresis {
        return this._focusSelector.hysteresis;
    }

    /**
     * The signal weights. Reading returns the live object (assign its fields to tune); assigning
     * a partial object or its JSON text validates every field first and applies none if any is
     * wrong, so a typo never half-applies.
     */
    public get weights(): IAttentionWeights {
        return this._weights;
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
        Object.assign(this._weights, parsed);
    }

    /** The weights as JSON text, loadable back through `weights = json`. */
    public exportWeights(): string {
        const out: Record<string, number> = {};
        for (const name of WEIGHT_NAMES) {
            out[name] = this._weights[name];
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
        if (!isTransformNode(node)) {
            throw new Error(`AttentionPlugin.track: expected a TransformNode or AbstractMesh; got ${describe(node)}`);
        }
        if (node.isDisposed()) {
            throw new Error(`AttentionPlugin.track: node "${node.name}" is disposed`);
        }
        if (node.getScene() !== this.scene) {
            throw new Error(`AttentionPlugin.track: node "${node.name}" belongs to another scene`);
        }
        if (this._byNode.has(node)) {
            throw new Error(`AttentionPlugin.track: node "${node.name}" is already tracked; call untrack first to change its options`);
        }
        const kind = options?.kind;
        const kindIndex = TARGET_KINDS.indexOf(kind);
        if (kindIndex < 0) {
            throw new Error(`AttentionPlugin.track: unknown kind ${JSON.stringify(kind)} for node "${node.name}"; expected one of ${TARGET_KINDS.map((k) => `"${k}"`).join(", ")}`);
        }
        const priority = options.priority ?? 0.5;
        if (!Number.isFinite(priority) || priority < 0 || priority > 1) {
            throw new Error(`AttentionPlugin.track: priority of "${node.name}" must be a number in [0, 1]; got ${priority}`);
        }
        if (options.radius !== undefined && (!Number.isFinite(options.radius) || options.radius <= 0)) {
            throw new Error(`AttentionPlugin.track: radius of "${node.name}" must be a positive number of metres; got ${options.radius}`);
        }
        const slot = this._store.add(kindIndex, priority, options.radius ?? 0.5);
        if (options.active === false) {
            this._store.active[slot] = 0;
        }
        this._ensureCapacity(this._store.capacity);
        const entry = new RankingEntry(node, kind, options.label ?? node.name, this._scoreSource);
        entry.slot = slot;
        const disposeObserver = node.onDisposeObservable.add(() => this.untrack(node));
        this._positions.add(slot, node, options.radius ?? NaN);
        const target: ITrackedTarget = {
            node,
            entry,
            id: this._store.id[slot],
            disposeObserver,
            slot,
        };
        this._targets[slot] = target;
        this._entries[slot] = entry;
        this._byNode.set(node, target);
        this._byId.set(target.id, target);
        return entry;
    }

    /** Stops tracking `node`. Returns false (a documented no-op) if it was not tracked. */
    public untrack(node: TransformNode): boolean {
        const target = this._byNode.get(node);
        if (!target) {
            return false;
        }
        const slot = target.slot;
        target.entry.slot = -1;
        node.onDisposeObservable.remove(target.disposeObserver);
        this._byNode.delete(node);
        this._byId.delete(target.id);
        const moved = this._store.remove(slot);
        if (moved >= 0) {
            this._positions.move(moved, slot);
            this._targets[slot] = this._targets[moved];
            this._entries[slot] = this._entries[moved];
            this._targets[slot].slot = slot;
            this._entries[slot].slot = slot;
        }
        this._targets.length = this._store.count;
        this._entries.length = this._store.count;
        this._positions.truncate(this._store.count);
        // Remove it from the published lists now, so nobody reads a ranking holding an untracked node.
        for (const list of [this.ranking.npc, this.ranking.task, this.ranking.hint]) {
            const index = list.indexOf(target.entry);
            if (index >= 0) {
                list.splice(index, 1);
            }
        }
        if (this._focusSelector.focusedId === target.id) {
            this._focusSelector.reset();
            this._setFocus(null, "removed");
        }
        return true;
    }

    /** Whether `node` is tracked. */
    public isTracked(node: TransformNode): boolean {
        return this._byNode.has(node);
    }

    /** Marks a tracked task as still to do (true) or done (false); done counts as progress. */
    public setTaskActive(node: TransformNode, active: boolean): void {
        const target = this._requireTracked(node, "setTaskActive");
        const slot = target.slot;
        const wasActive = this._store.active[slot] === 1;
        this._store.active[slot] = active ? 1 : 0;
        if (wasActive && !active) {
            this._context.lastProgressMs = this._clock();
        }
        if (wasActive !== active) {
            this.onTaskStateChangedObservable.notifyObservers({ node, active });
        }
    }

    /**
     * Reports that the player engaged `node` (talked to the NPC, used the exhibit, read the sign).
     * Feeds the context vector; recordings use it as the training label.
     */
    public engage(node: TransformNode): void {
        const target = this._requireTracked(node, "engage");
        const now = this._clock();
        this._context.lastEngagementMs = now;
        if (this._store.kind[target.slot] === 1) {
            this._context.lastProgressMs = now;
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
            throw new Error(`AttentionPlugin.emit: expected an event { target, type, intensity? }; got ${describe(event)}`);
        }
        if (typeof event.type !== "string" || event.type.length === 0) {
            throw new Error(`AttentionPlugin.emit: event.type must be a non-empty string such as "speech"; got ${describe(event.type)}`);
        }
        const intensity = event.intensity ?? 1;
        if (!Number.isFinite(intensity) || intensity < 0 || intensity > 10) {
            throw new Error(`AttentionPlugin.emit: intensity of "${event.type}" must be a number in [0, 10]; got ${intensity}`);
        }
        const halfLife = event.halfLifeMs ?? this._eventHalfLifeMs;
        if (!Number.isFinite(halfLife) || halfLife <= 0) {
            throw new Error(`AttentionPlugin.emit: halfLifeMs of "${event.type}" must be a positive number of milliseconds; got ${halfLife}`);
        }
        const target = event.target ? this._byNode.get(event.target) : undefined;
        if (!target) {
            Logger.Warn(`AttentionPlugin.emit: "${event.type}" event ignored: target ${event.target ? `"${event.target.name}"` : "(none)"} is not tracked`);
            return false;
        }
        const slot = target.slot;
        const s = this._store;
        const now = this._clock();
        const age = now - s.eventTime[slot];
        const current = s.eventLevel[slot] > 0 ? s.eventLevel[slot] * Math.pow(2, -(age > 0 ? age : 0) / s.eventHalfLife[slot]) : 0;
        s.eventLevel[slot] = current + intensity;
        s.eventTime[slot] = now;
        s.eventHalfLife[slot] = halfLife;
        s.hot[slot] = 1;
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

    // ---------------------------------------------------------------- ticking

    /**
     * Runs one tick now, at the clock's current time. When a model ranks, the tick waits for its
     * run and ranks with it, so tests and simulations are deterministic; render-loop ticks never
     * wait and use a model result one tick late instead.
     */
    public async tickAsync(): Promise<IRanking> {
        this._throwIfDisposed("tickAsync");
        const now = this._clock();
        await this._modelStage.settleAsync();
        // Babylon caches world matrices (and picking data) per render id, and nothing advances it
        // outside the render loop: advance it as a frame would, so moved nodes are read where they are.
        this.scene.incrementRenderId();
        this._time.nowMs = now;
        this._freshTransforms = true;
        this._prepareTick();
        this._freshTransforms = false;
        if (this._launchModel()) {
            await this._modelStage.settleAsync();
            if (this.isDisposed) {
                return this.ranking;
            }
        }
        this._finishTick();
        return this.ranking;
    }

    /**
     * Kept this small on purpose: V8 optimises a small function after a few calls, but one with
     * more bytecode only after thousands, and until then every fractional number in it is boxed
     * (about 90 bytes per tick at 30 Hz for the first minutes of play). The work is in `_tick`.
     */
    private _onBeforeRender(): void {
        const now = this._clock();
        // Half a 60 Hz frame of slack keeps a 30 Hz tick from skipping frames on a 60 Hz loop.
        if (this._lastTickMs === this._lastTickMs && now - this._lastTickMs < this._minTickGapMs) {
            return;
        }
        this._time.nowMs = now;
        this._tick();
    }

    private _tick(): void {
        this._prepareTick();
        // Apply the run that finished since the last tick, then start the next one.
        this._finishTick();
        this._launchModel();
    }

    private _setTickInterval(ms: number): void {
        this._tickIntervalMs = ms;
        this._minTickGapMs = ms - 0.5 * (1000 / 60);
    }

    /** Reads the world and computes features and heuristic scores. */
    private _prepareTick(): void {
        const time = this._time;
        const now = time.nowMs;

        time.dtSeconds = this._lastTickMs === this._lastTickMs ? Math.min(0.5, Math.max(0, (now - this._lastTickMs) / 1000)) : 0;
        this._lastTickMs = now;
        this._readPlayer();
        const store = this._store;
        const options = this._featureOptions;
        const refresh = this._refresh;
        if (this._weightsChanged()) {
            refresh.requestFullRefresh();
        }
        refresh.plan(store, this._player, options, this._refreshOptions, time);
        const slots = refresh.slots;
        const slotCount = refresh.count;
        this._positions.read(store, refresh.readSlots, refresh.readCount, this._freshTransforms, time);
        measureGazeGeometry(store, this._player, options, slots, slotCount);
        this._occlusion.update(store, this._player, this._occlusionTester, this._occlusionBudget, options, time);
        writeFeatures(store, options, time, this._focusSelector.focusedId, slots, slotCount, this._features);
        this._context.update(this._player, store, options, time);
        const input = this._scorerInput;
        input.features = this._features;
        input.count = store.count;
        const heuristic = this._heuristicScores;
        this._heuristic.scoreRows(input, heuristic, slots, slotCount);
        // This tick's scores start from the heuristic's for every row; the model stage then
        // overwrites its candidates' (copies of whole arrays: memcpy, no per-row work).
        const scores = this._scores;
        scores.engagement.set(heuristic.engagement);
        scores.guidance.set(heuristic.guidance);
        scores.dwell.set(heuristic.dwell);
        normalizeGazeAttention(heuristic.attention, scores.attention, store.count);
    }

    /** Packs the weights and reports whether they differ from those the scores were computed with. */
    private _weightsChanged(): boolean {
        const packed = this._weightsPacked;
        packWeights(this._weights, packed);
        const scored = this._scoredWeights;
        let changed = false;
        for (let i = 0; i < WEIGHT_COUNT; i++) {
            if (scored[i] !== packed[i]) {
                scored[i] = packed[i];
                changed = true;
            }
        }
        return changed;
    }

    private _launchModel(): Promise<void> | null {
        return this._modelStage.launch(this._store, this._features, this._scores.engagement, this._context.context, this._weightsPacked, this._time);
    }

    /** Merges the model's result (if one is ready), ranks, updates the focus and publishes. */
    private _finishTick(): void {
        const store = this._store;
        const hot = store.hot;
        this._modelStage.apply(this._scores, store.count, this._slotOfId, this._isCandidate, hot, this._time);
        const bestSlot = this._rankingBuilder.build(store, this._entries, this._scores, this._features, this._weightsPacked, this._time);
        this._updateFocus(bestSlot);
        // So is everything on show in a ranking, and the focus.
        const ranking = this.ranking;
        markHot(ranking.npc, hot);
        markHot(ranking.task, hot);
        markHot(ranking.hint, hot);
        markEntryHot(this._focus$.value, hot);
        if (this._gaze$.observed) {
            this._gaze$.next(cloneGazeSample(this._gazeSample));
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

    private _updateFocus(bestSlot: number): void {
        const selector = this._focusSelector;
        const bestId = bestSlot >= 0 ? this._store.id[bestSlot] : 0;
        let focusedSlot = -1;
        if (selector.focusedId !== 0) {
            const slot = this._slotOfId(selector.focusedId);
            focusedSlot = slot >= 0 && this._store.valid[slot] === 1 ? slot : -1;
        }
        if (selector.updateFromScores(bestId, this._scores.engagement, bestSlot, focusedSlot, this._time)) {
            const slot = selector.focusedId !== 0 ? this._slotOfId(selector.focusedId) : -1;
            this._setFocus(slot >= 0 ? this._entries[slot] : null, selector.lastReason);
        }
    }

    private _setFocus(entry: IRankingEntry | null, reason: FocusChangeReason): void {
        const previous = this._focus$.value;
        if (previous === entry) {
            return;
        }
        // Both rows' Focused feature changes: re-read them next tick.
        markEntryHot(previous, this._store.hot);
        markEntryHot(entry, this._store.hot);
        this._focus$.next(entry);
        this.onFocusChangedObservable.notifyObservers({ previous, current: entry, reason });
    }

    private _readPlayer(): void {
        const time = this._time;
        const camera = this._camera ?? this.scene.activeCamera;
        const provider = this._gazeProvider ?? (camera ? this._cameraGaze(camera) : null);
        if (provider) {
            provider.read(this._gazeSample, time);
        }
        const p = this._player;
        const g = this._gazeSample;
        p.gazeOriginX = g.origin.x;
        p.gazeOriginY = g.origin.y;
        p.gazeOriginZ = g.origin.z;
        p.gazeDirX = g.direction.x;
        p.gazeDirY = g.direction.y;
        p.gazeDirZ = g.direction.z;
        p.gazeConfidence = g.confidence;
        if (camera) {
            const view = this._cameraGaze(camera);
            // The view direction is the camera's forward even when the gaze is the pointer's.
            view.read(this._viewSample, time);
            p.viewDirX = this._viewSample.direction.x;
            p.viewDirY = this._viewSample.direction.y;
            p.viewDirZ = this._viewSample.direction.z;
            const engine = this.scene.getEngine();
            const aspect = engine.getAspectRatio(camera) || 1;
            // Babylon's fov is vertical (default mode); the view test needs the horizontal half-angle.
            const halfHorizontal = Math.atan(Math.tan(camera.fov / 2) * aspect);
            p.halfFovCos = Math.cos(Math.min(Math.PI / 2, halfHorizontal));
        }
        const position = this._playerNode && !this._playerNode.isDisposed() ? this._playerNode.getAbsolutePosition() : camera?.globalPosition;
        if (position) {
            p.positionX = position.x;
            p.positionY = position.y;
            p.positionZ = position.z;
        } else {
            p.positionX = g.origin.x;
            p.positionY = g.origin.y;
            p.positionZ = g.origin.z;
        }
    }

    private _cameraGaze(camera: Camera): CameraGazeProvider {
        let provider = this._defaultCameraGaze.get(camera);
        if (!provider) {
            provider = new CameraGazeProvider(camera);
            this._defaultCameraGaze.set(camera, provider);
        }
        return provider;
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
        this._sceneDisposeObserver = this._beforeRenderObserver = null;
        for (const target of this._targets) {
            target.node.onDisposeObservable.remove(target.disposeObserver);
        }
        this._targets.length = 0;
        this._entries.length = 0;
        this._byNode.clear();
        this._byId.clear();
        this._modelLoadAbort.abort(new Error("the plugin was disposed"));
        this._modelStage.dispose();
        for (const subscription of this._subscriptions) {
            subscription.unsubscribe();
        }
        this._gazeProvider?.dispose?.();
        this._heuristic.dispose();
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

    // ---------------------------------------------------------------- internals

    private _createGazeProvider(gaze: NonNullable<IAttentionPluginOptions["gaze"]>): IGazeProvider {
        if (gaze === "camera") {
            // Resolved per tick, so the plugin follows scene.activeCamera when no camera was given.
            return {
                name: "camera",
                read: (out, time) => {
                    const camera = this._camera ?? this.scene.activeCamera;
                    return camera ? this._cameraGaze(camera).read(out, time) : false;
                },
            };
        }
        if (gaze === "pointer") {
            return new PointerGazeProvider(this.scene, this._camera ?? undefined);
        }
        if (isObservable(gaze)) {
            return new ObservableGazeProvider(gaze);
        }
        if (gaze && typeof (gaze as IGazeProvider).read === "function") {
            return gaze as IGazeProvider;
        }
        throw new Error(`AttentionPlugin: gaze must be "camera", "pointer", an IGazeProvider or an rxjs Observable of gaze samples; got ${describe(gaze)}`);
    }

    private _createOcclusionTester(mode: NonNullable<IAttentionPluginOptions["occlusion"]>): IOcclusionTester | null {
        if (mode === "none") {
            return null;
        }
        if (mode === "pick") {
            return new ScenePickOccluders(
                this.scene,
                (mesh) => this._byNode.has(mesh),
                (slot) => {
                    const node = this._targets[slot]?.node;
                    return node && isMesh(node) ? node : null;
                }
            );
        }
        if (Array.isArray(mode)) {
            mode.forEach((mesh, i) => {
                if (!isMesh(mesh)) {
                    throw new Error(`AttentionPlugin: occlusion[${i}] must be an AbstractMesh; got ${describe(mesh)}`);
                }
            });
            return new MeshBoxOccluders(mode);
        }
        if (mode && typeof (mode as IOcclusionTester).isBlocked === "function") {
            return mode as IOcclusionTester;
        }
        throw new Error(`AttentionPlugin: occlusion must be "pick", "none", an array of meshes or an IOcclusionTester; got ${describe(mode)}`);
    }

    private _ensureCapacity(capacity: number): void {
        if (this._scores.engagement.length >= capacity) {
            return;
        }
        const features = new Float32Array(capacity * FEATURE_COUNT);
        features.set(this._features);
        this._features = features;
        this._scores = createScorerOutput(capacity);
        this._scoreSource.scores = this._scores;
        const heuristic = createScorerOutput(capacity);
        heuristic.engagement.set(this._heuristicScores.engagement);
        heuristic.guidance.set(this._heuristicScores.guidance);
        heuristic.dwell.set(this._heuristicScores.dwell);
        heuristic.attention.set(this._heuristicScores.attention);
        this._heuristicScores = heuristic;
        this._isCandidate = new Uint8Array(capacity);
    }

    private _requireTracked(node: TransformNode, method: string): ITrackedTarget {
        const target = this._byNode.get(node);
        if (!target) {
            throw new Error(`AttentionPlugin.${method}: node "${node?.name}" is not tracked; call track(node, { kind }) first`);
        }
        return target;
    }

    private _throwIfDisposed(method: string): void {
        if (this.isDisposed) {
            throw new Error(`AttentionPlugin.${method}: the plugin is disposed`);
        }
    }
}


function positive(value: number, name: string): number {
    if (!Number.isFinite(value) || value <= 0) {
        throw new Error(`AttentionPlugin: ${name} must be a positive number; got ${value}`);
    }
    return value;
}

function describe(value: unknown): string {
    if (value === null || value === undefined) {
        return String(value);
    }
    if (typeof value === "object") {
        return (value as { constructor?: { name?: string } }).constructor?.name ?? "an object";
    }
    return typeof value === "string" ? JSON.stringify(value) : String(value);
}

/** Flags the slots of the given entries for a refresh on the next tick. */
function markHot(entries: readonly IRankingEntry[], hot: Uint8Array): void {
    for (let r = 0; r < entries.length; r++) {
        markEntryHot(entries[r], hot);
    }
}

function markEntryHot(entry: IRankingEntry | null, hot: Uint8Array): void {
    const slot = entry ? (entry as RankingEntry).slot : -1;
    if (slot >= 0) {
        hot[slot] = 1;
    }
}

import type { IRankingEntry } from "../attentionTypes.js";
import { ContextTracker } from "../features/contextTracker.js";
import type { IFeatureOptions } from "../features/featureOptions.js";
import { writeFeatures } from "../features/featureWriter.js";
import { measureGazeGeometry } from "../features/gazeGeometry.js";
import { OcclusionScheduler, type IOcclusionBudget } from "../features/occlusionScheduler.js";
import type { IOcclusionTester } from "../features/occlusionTester.js";
import { RefreshPlanner, type IRefreshOptions } from "../features/refreshPlanner.js";
import { packWeights, type IAttentionWeights } from "../model/attentionWeights.js";
import { HeuristicScorer, normalizeGazeAttention } from "../model/heuristicScorer.js";
import type { ModelStage } from "../model/modelStage.js";
import type { IScorerInput } from "../model/scorer.js";
import type { FocusChangeReason, FocusSelector } from "../ranking/focusSelector.js";
import { RankingBuilder, type RankingEntry } from "../ranking/rankingBuilder.js";
import type { PlayerReader } from "../scene/playerReader.js";
import type { TargetRegistry } from "../scene/targetRegistry.js";
import { TickFrame } from "./tickFrame.js";

/** One step of a tick: reads and writes the frame. */
export interface ITickStage {
    /** A short name, for profiles and benchmarks ("player", "features", "model", ...). */
    readonly name: string;
    run(frame: TickFrame): void;
}

/** The live signal weights and a counter bumped on every change (a change re-scores every row). */
export interface IWeightsState {
    readonly values: Readonly<IAttentionWeights>;
    readonly version: number;
}

/** What the pipeline is built from: the plugin's parts, and how it tells the plugin about focus and results. */
export interface ITickPipelineParts {
    readonly registry: TargetRegistry;
    readonly player: PlayerReader;
    readonly model: ModelStage;
    readonly focus: FocusSelector;
    readonly weights: IWeightsState;
    readonly featureOptions: IFeatureOptions;
    readonly refreshOptions: IRefreshOptions;
    readonly occlusionTester: IOcclusionTester | null;
    readonly occlusionBudget: IOcclusionBudget;
    readonly rankingSize: number;
    /** The focused entry changed (null: nothing focused). */
    onFocusChanged(entry: IRankingEntry | null, reason: FocusChangeReason): void;
    /** A tick finished: publish its ranking. */
    onTickFinished(): void;
}

/**
 * The one order of a tick's stages, over one frame object:
 *
 * player -> plan -> positions -> gaze -> occlusion -> features -> context -> heuristic
 *        -> model (take the last run's result if it has ended; start a run on the heuristic's
 *           top K) -> merge (the last finished run) -> rank -> focus -> publish
 *
 * The render loop runs every stage at once and so ranks with the model's previous result
 * (a frame late, never waiting: nothing waits on the run, the next tick looks whether it has
 * ended); `runAsync` (tickAsync, tests, simulations) waits for the run it started before
 * merging, so it ranks with this tick's result. Both go through this one list.
 */
export class TickPipeline {
    public readonly frame: TickFrame;
    /** The stages, in order. */
    public readonly stages: readonly ITickStage[];
    public readonly refresh = new RefreshPlanner();
    public readonly occlusion = new OcclusionScheduler();
    public readonly context = new ContextTracker();
    public readonly rankings: RankingBuilder;

    private readonly _heuristic = new HeuristicScorer();
    private readonly _scorerInput: IScorerInput;
    /** Index of the first stage after the model run starts: `runAsync` waits for the run there. */
    private readonly _afterLaunch: number;
    /** Whether the last tick started a model run. */
    private _launched = false;
    private _scoredWeightsVersion = -1;
    private _lastTickMs = NaN;

    public constructor(private readonly _parts: ITickPipelineParts) {
        this.frame = new TickFrame(this.context.context);
        this.rankings = new RankingBuilder(_parts.rankingSize);
        this._scorerInput = { features: this.frame.features, count: 0, context: this.frame.context, weights: this.frame.weights };
        const stages: ITickStage[] = [
            { name: "player", run: (f) => _parts.player.read(f.gaze, f.player, f.time) },
            { name: "plan", run: (f) => this._plan(f) },
            { name: "positions", run: (f) => this._readPositions(f) },
            { name: "gaze", run: (f) => measureGazeGeometry(_parts.registry.store, f.player, _parts.featureOptions, this.refresh.slots, this.refresh.count) },
            { name: "occlusion", run: (f) => this.occlusion.update(_parts.registry.store, f.player, _parts.occlusionTester, _parts.occlusionBudget, _parts.featureOptions, f.time, this.refresh.slots, this.refresh.count) },
            { name: "features", run: (f) => writeFeatures(_parts.registry.store, _parts.featureOptions, f.time, _parts.focus.focusedId, this.refresh.slots, this.refresh.count, f.features) },
            { name: "context", run: (f) => this.context.update(f.player, _parts.registry.store, _parts.featureOptions, f.time) },
            { name: "heuristic", run: (f) => this._scoreHeuristic(f) },
            { name: "model", run: (f) => (this._launched = _parts.model.launch(f, _parts.registry.store)) },
            { name: "merge", run: (f) => _parts.model.merge(f, _parts.registry.store, _parts.registry.slotOfId) },
            { name: "rank", run: (f) => this._rank(f) },
            { name: "focus", run: (f) => this._updateFocus(f) },
            { name: "publish", run: (f) => this._publish(f) },
        ];
        this.stages = stages;
        this._afterLaunch = stages.findIndex((s) => s.name === "merge");
    }

    /** Grows the frame's row buffers with the registry. */
    public ensureCapacity(capacity: number): void {
        this.frame.ensureCapacity(capacity);
    }

    /**
     * Starts a tick at `frame.time.nowMs`, which the caller has set: the time travels by
     * reference because V8 boxes a fractional number passed to a call it does not inline.
     * `freshTransforms` when no frame has transformed the scene since nodes last moved
     * (tickAsync, outside the render loop).
     */
    public begin(freshTransforms: boolean): void {
        const time = this.frame.time;
        const now = time.nowMs;
        const last = this._lastTickMs;
        time.dtSeconds = last === last ? Math.min(0.5, Math.max(0, (now - last) / 1000)) : 0;
        this._lastTickMs = now;
        this.frame.freshTransforms = freshTransforms;
    }

    /**
     * Resolves once the model run the last tick started has ended and its result is taken
     * (never rejects); null when that tick started none. Made on request: the render loop never
     * waits for a run, so it makes no promise for one.
     */
    public get lastRun(): Promise<void> | null {
        return this._launched ? this._parts.model.whenRunEndsAsync() : null;
    }

    /** Clock time of the last tick, ms (NaN before the first). */
    public get lastTickMs(): number {
        return this._lastTickMs;
    }

    /** Runs every stage in order (the render loop: the model's result is merged a tick late). */
    public run(): void {
        // The loop inline, not through _runFrom: this is the render loop's every tick.
        const frame = this.frame;
        const stages = this.stages;
        for (let i = 0; i < stages.length; i++) {
            stages[i].run(frame);
        }
    }

    /**
     * Runs every stage in order, waiting for the model run this tick starts before merging it.
     * Returns null, having run every stage, when no run started (the heuristic ranks): no
     * promise is made for a tick that has nothing to wait for.
     */
    public runAsync(isCancelled: () => boolean): Promise<void> | null {
        const frame = this.frame;
        const stages = this.stages;
        for (let i = 0; i < this._afterLaunch; i++) {
            stages[i].run(frame);
        }
        if (!this._launched) {
            this._runFrom(this._afterLaunch);
            return null;
        }
        return this._runAfterAsync(this._parts.model.whenRunEndsAsync(), isCancelled);
    }

    private async _runAfterAsync(launched: Promise<void>, isCancelled: () => boolean): Promise<void> {
        await launched;
        if (!isCancelled()) {
            this._runFrom(this._afterLaunch);
        }
    }

    private _runFrom(first: number): void {
        const frame = this.frame;
        const stages = this.stages;
        for (let i = first; i < stages.length; i++) {
            stages[i].run(frame);
        }
    }

    public dispose(): void {
        this._heuristic.dispose();
    }

    private _plan(frame: TickFrame): void {
        const weights = this._parts.weights;
        // The weights change rarely (a designer's slider): pack them, and re-score every row, only then.
        if (weights.version !== this._scoredWeightsVersion) {
            this._scoredWeightsVersion = weights.version;
            packWeights(weights.values, frame.weights);
            this.refresh.requestFullRefresh();
        }
        this.refresh.plan(this._parts.registry.store, frame.player, this._parts.featureOptions, this._parts.refreshOptions, frame.time);
    }

    private _readPositions(frame: TickFrame): void {
        const refresh = this.refresh;
        this._parts.registry.positions.read(this._parts.registry.store, refresh.readSlots, refresh.readCount, frame.freshTransforms, frame.time);
    }

    /** Heuristic scores for the refreshed rows; this tick's ranking scores start from them. */
    private _scoreHeuristic(frame: TickFrame): void {
        const count = this._parts.registry.count;
        const input = this._scorerInput;
        input.features = frame.features;
        input.count = count;
        const heuristic = frame.heuristic;
        this._heuristic.scoreRows(input, heuristic, this.refresh.slots, this.refresh.count);
        // Copies of whole arrays (memcpy, no per-row work); the merge then overwrites the model's candidates.
        const scores = frame.scores;
        scores.engagement.set(heuristic.engagement);
        scores.guidance.set(heuristic.guidance);
        scores.dwell.set(heuristic.dwell);
        normalizeGazeAttention(heuristic.attention, scores.attention, count);
    }

    private _rank(frame: TickFrame): void {
        const registry = this._parts.registry;
        frame.bestSlot = this.rankings.build(registry.store, registry.entries, frame.scores, frame.time);
    }

    private _updateFocus(frame: TickFrame): void {
        const selector = this._parts.focus;
        const registry = this._parts.registry;
        const store = registry.store;
        const bestSlot = frame.bestSlot;
        const bestId = bestSlot >= 0 ? store.id[bestSlot] : 0;
        let focusedSlot = -1;
        if (selector.focusedId !== 0) {
            const slot = registry.slotOfId(selector.focusedId);
            focusedSlot = slot >= 0 && store.valid[slot] === 1 ? slot : -1;
        }
        if (selector.updateFromScores(bestId, frame.scores.engagement, bestSlot, focusedSlot, frame.time)) {
            const slot = selector.focusedId !== 0 ? registry.slotOfId(selector.focusedId) : -1;
            this._parts.onFocusChanged(slot >= 0 ? registry.entries[slot] : null, selector.lastReason);
        }
    }

    private _publish(_frame: TickFrame): void {
        // What is on show in a ranking, and the focus, is re-read every tick.
        const hot = this._parts.registry.store.hot;
        const ranking = this.rankings.ranking;
        markHot(ranking.npc, hot);
        markHot(ranking.task, hot);
        markHot(ranking.hint, hot);
        const focusedId = this._parts.focus.focusedId;
        if (focusedId !== 0) {
            const slot = this._parts.registry.slotOfId(focusedId);
            if (slot >= 0) {
                hot[slot] = 1;
            }
        }
        this._parts.onTickFinished();
    }
}

/** Flags the rows of the given entries for a refresh on the next tick. */
export function markHot(entries: readonly IRankingEntry[], hot: Uint8Array): void {
    for (let r = 0; r < entries.length; r++) {
        const slot = (entries[r] as RankingEntry).slot;
        if (slot >= 0) {
            hot[slot] = 1;
        }
    }
}

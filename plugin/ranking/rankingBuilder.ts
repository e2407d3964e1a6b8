import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { IRanking, IRankingEntry, IScoreBreakdown, TargetKind } from "../attentionTypes.js";
import type { EntityStore } from "../features/entityStore.js";
import { Signal, writeHeuristicContributions } from "../features/signalContributions.js";
import type { ITickTime } from "../features/tickTime.js";
import { GroupTopK } from "./selectTopK.js";

/** One tick's scores per row (a scorer's output fits). */
export interface IRowScores {
    readonly engagement: Float32Array;
    readonly guidance: Float32Array;
    readonly dwell: Float32Array;
    readonly attention: Float32Array;
}

/** Where live entries read their scores and features: the tick frame, which swaps its arrays when its capacity grows. */
export interface IScoreSource {
    readonly scores: IRowScores;
    /** Feature rows, [rows, FEATURE_COUNT]. */
    readonly features: Float32Array;
    /** The signal weights in WEIGHT_NAMES order. */
    readonly weights: Float32Array;
}

/**
 * An entry's "why", written when read. A class: as a literal it would share
 * its hidden class with every `{ gaze, dwell, ... }` object in the page (weights, parsed weights
 * JSON), and one of those holding a non-number would make every write here box (gazeSample.ts).
 */
class ScoreBreakdown implements IScoreBreakdown {
    public gaze = 0;
    public dwell = 0;
    public proximity = 0;
    public event = 0;
    public priority = 0;
    public novelty = 0;
    public visibility = 0;
    public approach = 0;
    public attention = 0;
}

/** The reused per-kind lists; `time` is written every tick (a class for the same reason). */
class Ranking implements IRanking {
    public readonly npc: IRankingEntry[] = [];
    public readonly task: IRankingEntry[] = [];
    public readonly hint: IRankingEntry[] = [];
    public time = 0;
}

/**
 * A ranking entry whose scores are read live from the tick's score arrays through its slot,
 * so a tick writes nothing per entity to keep thousands of entries current. `slot` is -1 once
 * the entity is untracked (scores then read 0). `why` too is worked out when read, from the
 * entity's current features and weights: most ticks nobody reads it.
 */
export class RankingEntry implements IRankingEntry {
    /** The entity's row this tick; the plugin moves it when slots move. */
    public slot = -1;
    private readonly _why = new ScoreBreakdown();

    public constructor(
        public readonly node: TransformNode,
        public readonly kind: TargetKind,
        public readonly label: string,
        private readonly _source: IScoreSource
    ) {}

    public get score(): number {
        return this.slot >= 0 ? this._source.scores.engagement[this.slot] : 0;
    }

    public get guidance(): number {
        return this.slot >= 0 ? this._source.scores.guidance[this.slot] : 0;
    }

    public get expectedDwell(): number {
        return this.slot >= 0 ? this._source.scores.dwell[this.slot] : 0;
    }

    /** The per-signal contributions as of the last tick (one object per entry, rewritten on each read). */
    public get why(): IScoreBreakdown {
        const why = this._why;
        const slot = this.slot;
        if (slot < 0) {
            why.gaze = why.dwell = why.proximity = why.event = why.priority = why.novelty = why.visibility = why.approach = why.attention = 0;
            return why;
        }
        const source = this._source;
        const w = WHY_SCRATCH;
        writeHeuristicContributions(source.features, slot, source.weights, w, 0);
        why.gaze = w[Signal.Gaze];
        why.dwell = w[Signal.Dwell];
        why.proximity = w[Signal.Proximity];
        why.event = w[Signal.Event];
        why.priority = w[Signal.Priority];
        why.novelty = w[Signal.Novelty];
        why.visibility = w[Signal.Visibility];
        why.approach = w[Signal.Approach];
        why.attention = source.scores.attention[slot];
        return why;
    }
}

/** The contributions of one `why` read (reads never nest). */
const WHY_SCRATCH = new Float32Array(8);

/**
 * Builds the per-kind rankings from one tick's scores, reusing the same arrays and entry
 * objects every tick.
 */
export class RankingBuilder {
    public readonly ranking: IRanking = new Ranking();
    private readonly _lists: IRankingEntry[][];
    /** Each kind's best slots, kind-major; it starts each tick from the last tick's. */
    private _top: GroupTopK;

    public constructor(public size: number) {
        this._lists = [this.ranking.npc, this.ranking.task, this.ranking.hint];
        this._top = new GroupTopK(size, 3);
    }

    /** Rebuilds the three lists from this tick's scores. Returns the slot of the best entry over all kinds, or -1. */
    public build(store: EntityStore, entries: readonly RankingEntry[], scores: IRowScores, time: ITickTime): number {
        const size = this.size;
        if (this._top.k !== size) {
            this._top = new GroupTopK(size, 3);
        }
        const engagement = scores.engagement;
        this._top.select(engagement, store.count, store.kind, store.valid);
        const top = this._top.out;
        const sizes = this._top.sizes;
        let bestSlot = -1;
        let bestScore = -Infinity;
        for (let kind = 0; kind < 3; kind++) {
            const list = this._lists[kind];
            const n = sizes[kind];
            const base = kind * size;
            for (let r = 0; r < n; r++) {
                const slot = top[base + r];
                list[r] = entries[slot];
            }
            if (list.length !== n) {
                list.length = n;
            }
            if (n > 0 && engagement[top[base]] > bestScore) {
                bestScore = engagement[top[base]];
                bestSlot = top[base];
            }
        }
        this.ranking.time = time.nowMs;
        return bestSlot;
    }
}

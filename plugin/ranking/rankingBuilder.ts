import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { IRanking, IRankingEntry, IScoreBreakdown, TargetKind } from "../attentionTypes.js";
import type { EntityStore } from "../features/entityStore.js";
import { Signal, writeHeuristicContributions } from "../features/signalContributions.js";
import type { ITickTime } from "../features/tickTime.js";
import { selectTopKPerGroup } from "./selectTopK.js";

/** One tick's scores per row (a scorer's output fits). */
export interface IRowScores {
    readonly engagement: Float32Array;
    readonly guidance: Float32Array;
    readonly dwell: Float32Array;
    readonly attention: Float32Array;
}

/** Where live entries read their scores: the tick frame, which swaps `scores` when its capacity grows. */
export interface IScoreSource {
    readonly scores: IRowScores;
}

/**
 * An entry's "why", written for ranked entries every tick. A class: as a literal it would share
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
 * the entity is untracked (scores then read 0). Only `why` is written, for ranked entries.
 */
export class RankingEntry implements IRankingEntry {
    /** The entity's row this tick; the plugin moves it when slots move. */
    public slot = -1;
    public readonly why: IScoreBreakdown = new ScoreBreakdown();

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
}

/**
 * Builds the per-kind rankings from one tick's scores, reusing the same arrays and entry
 * objects every tick. Only entries that make a ranking get their "why" breakdown computed.
 */
export class RankingBuilder {
    public readonly ranking: IRanking = new Ranking();
    private readonly _lists: IRankingEntry[][];
    /** Each kind's best slots, kind-major: [kind * size, kind * size + count). */
    private _top: Int32Array;
    private readonly _sizes = new Int32Array(3);
    private readonly _why = new Float32Array(8);

    public constructor(public size: number) {
        this._lists = [this.ranking.npc, this.ranking.task, this.ranking.hint];
        this._top = new Int32Array(3 * size);
    }

    /**
     * Copies scores into the entries of all valid slots and rebuilds the three lists.
     * Returns the slot of the best entry over all kinds, or -1.
     */
    public build(store: EntityStore, entries: readonly RankingEntry[], scores: IRowScores, features: Float32Array, weights: Float32Array, time: ITickTime): number {
        const size = this.size;
        if (this._top.length !== 3 * size) {
            this._top = new Int32Array(3 * size);
        }
        const engagement = scores.engagement;
        const top = this._top;
        const sizes = this._sizes;
        selectTopKPerGroup(engagement, store.count, size, top, sizes, store.kind, store.valid);
        let bestSlot = -1;
        let bestScore = -Infinity;
        for (let kind = 0; kind < 3; kind++) {
            const list = this._lists[kind];
            const n = sizes[kind];
            const base = kind * size;
            for (let r = 0; r < n; r++) {
                const slot = top[base + r];
                const entry = entries[slot];
                this._explain(entry, slot, features, weights, scores);
                list[r] = entry;
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

    private _explain(entry: RankingEntry, slot: number, features: Float32Array, weights: Float32Array, scores: IRowScores): void {
        const w = this._why;
        writeHeuristicContributions(features, slot, weights, w, 0);
        const why = entry.why;
        why.gaze = w[Signal.Gaze];
        why.dwell = w[Signal.Dwell];
        why.proximity = w[Signal.Proximity];
        why.event = w[Signal.Event];
        why.priority = w[Signal.Priority];
        why.novelty = w[Signal.Novelty];
        why.visibility = w[Signal.Visibility];
        why.approach = w[Signal.Approach];
        why.attention = scores.attention[slot];
    }
}

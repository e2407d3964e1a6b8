import { Observable as BabylonObservable, type Observer } from "@babylonjs/core/Misc/observable.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Node } from "@babylonjs/core/node.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { TARGET_KINDS, type ITargetOptions, type TargetKind } from "../attentionTypes.js";
import { EntityStore } from "../features/entityStore.js";
import { isTransformNode } from "../nodeGuards.js";
import { checkNumber, describeValue, type INumberRange } from "../optionRanges.js";
import { RankingEntry, type IScoreSource } from "../ranking/rankingBuilder.js";
import { NodePositionReader } from "./nodePositionReader.js";

/** A tracked node as the registry's events describe it. */
export interface ITrackedTarget {
    readonly node: TransformNode;
    /** Stable id, never reused in this plugin's life (rows move, ids do not). */
    readonly id: number;
    readonly kind: TargetKind;
    readonly label: string;
    readonly priority: number;
    /** The radius given to `track`, or undefined when it follows the mesh's bounds. */
    readonly radius: number | undefined;
    /** The live ranking entry. */
    readonly entry: RankingEntry;
}

interface ITargetRecord extends ITrackedTarget {
    readonly disposeObserver: Observer<Node>;
}

const PRIORITY_RANGE: INumberRange = { min: 0, max: 1 };
const RADIUS_RANGE: INumberRange = { min: 0, max: Infinity, minExclusive: true };

/**
 * Who is tracked, and in which row. Owns the entity store, the node position reader and the
 * one swap-remove that keeps their rows, the ranking entries and the id map in step, and tells
 * listeners (the plugin's focus and rankings, a session recorder) about every change through
 * `onTrackedObservable` and `onUntrackedObservable`: nobody else mirrors the rows.
 */
export class TargetRegistry {
    /** Fires after a node is tracked (its row is the last one). */
    public readonly onTrackedObservable = new BabylonObservable<ITrackedTarget>();
    /** Fires after a node is untracked (explicitly or because it was disposed); rows have moved already. */
    public readonly onUntrackedObservable = new BabylonObservable<ITrackedTarget>();

    public readonly store = new EntityStore(16);
    public readonly positions = new NodePositionReader();
    /** Ranking entries by row, in step with the store. */
    public readonly entries: RankingEntry[] = [];

    private readonly _records: ITargetRecord[] = [];
    private readonly _byNode = new Map<TransformNode, ITargetRecord>();
    private readonly _byId = new Map<number, ITargetRecord>();

    public constructor(
        private readonly _scene: Scene,
        private readonly _scores: IScoreSource,
        /** Called after the store grew, so row-indexed buffers elsewhere can grow with it. */
        private readonly _onCapacity: (capacity: number) => void
    ) {}

    /** Number of tracked nodes (rows). */
    public get count(): number {
        return this.store.count;
    }

    /** Starts tracking `node`; throws, naming the problem, if it cannot be. */
    public track(node: TransformNode, options: ITargetOptions, method = "track"): RankingEntry {
        const where = `AttentionPlugin.${method}`;
        if (!isTransformNode(node)) {
            throw new Error(`${where}: expected a TransformNode or AbstractMesh; got ${describeValue(node)}`);
        }
        if (node.isDisposed()) {
            throw new Error(`${where}: node "${node.name}" is disposed`);
        }
        if (node.getScene() !== this._scene) {
            throw new Error(`${where}: node "${node.name}" belongs to another scene`);
        }
        if (this._byNode.has(node)) {
            throw new Error(`${where}: node "${node.name}" is already tracked; call untrack first to change its options`);
        }
        const kind = options?.kind;
        const kindIndex = TARGET_KINDS.indexOf(kind);
        if (kindIndex < 0) {
            throw new Error(`${where}: unknown kind ${describeValue(kind)} for node "${node.name}"; expected one of ${TARGET_KINDS.map((k) => `"${k}"`).join(", ")}`);
        }
        const priority = checkNumber(options.priority ?? 0.5, PRIORITY_RANGE, `${where}: priority of "${node.name}"`);
        const radius = options.radius === undefined ? undefined : checkNumber(options.radius, RADIUS_RANGE, `${where}: radius of "${node.name}" (metres)`);

        const store = this.store;
        const slot = store.add(kindIndex, priority, radius ?? 0.5);
        if (options.active === false) {
            store.active[slot] = 0;
        }
        this._onCapacity(store.capacity);
        const entry = new RankingEntry(node, kind, options.label ?? node.name, this._scores);
        entry.slot = slot;
        this.positions.add(slot, node, radius ?? NaN);
        const record: ITargetRecord = {
            node,
            id: store.id[slot],
            kind,
            label: entry.label,
            priority,
            radius,
            entry,
            disposeObserver: node.onDisposeObservable.add(() => this.untrack(node)),
        };
        this._records[slot] = record;
        this.entries[slot] = entry;
        this._byNode.set(node, record);
        this._byId.set(record.id, record);
        this.onTrackedObservable.notifyObservers(record);
        return entry;
    }

    /** Stops tracking `node`. Returns false (a no-op) if it was not tracked. */
    public untrack(node: TransformNode): boolean {
        const record = this._byNode.get(node);
        if (!record) {
            return false;
        }
        const slot = record.entry.slot;
        record.entry.slot = -1;
        // Deferred removal (Babylon's remove waits a macrotask), so a dispose notification that
        // is running this very observer does not skip the next one.
        node.onDisposeObservable.remove(record.disposeObserver);
        this._byNode.delete(node);
        this._byId.delete(record.id);
        const store = this.store;
        const moved = store.remove(slot);
        if (moved >= 0) {
            this.positions.move(moved, slot);
            this._records[slot] = this._records[moved];
            this.entries[slot] = this.entries[moved];
            this.entries[slot].slot = slot;
        }
        this._records.length = store.count;
        this.entries.length = store.count;
        this.positions.truncate(store.count);
        this.onUntrackedObservable.notifyObservers(record);
        return true;
    }

    public isTracked(node: TransformNode): boolean {
        return this._byNode.has(node);
    }

    /** The tracked target of `node`, or undefined. */
    public get(node: TransformNode): ITrackedTarget | undefined {
        return this._byNode.get(node);
    }

    /** The tracked target of `node`; throws naming `method` when it is not tracked. */
    public require(node: TransformNode, method: string): ITrackedTarget {
        const record = this._byNode.get(node);
        if (!record) {
            throw new Error(`AttentionPlugin.${method}: node "${(node as { name?: string } | null)?.name}" is not tracked; call track(node, { kind }) first`);
        }
        return record;
    }

    /** The current row of a tracked node (-1 when it is not tracked). */
    public slotOf(node: TransformNode): number {
        return this._byNode.get(node)?.entry.slot ?? -1;
    }

    /** The current row of a stable id, or -1 when that entity is gone. */
    public readonly slotOfId = (id: number): number => this._byId.get(id)?.entry.slot ?? -1;

    /** The target in `slot`, or null. */
    public at(slot: number): ITrackedTarget | null {
        return slot >= 0 && slot < this.store.count ? this._records[slot] : null;
    }

    /** Stops listening to every node; the registry is empty afterwards. */
    public dispose(): void {
        for (const record of this._records) {
            record.node.onDisposeObservable.remove(record.disposeObserver);
        }
        this._records.length = 0;
        this.entries.length = 0;
        this._byNode.clear();
        this._byId.clear();
        this.onTrackedObservable.clear();
        this.onUntrackedObservable.clear();
    }
}

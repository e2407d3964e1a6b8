type Column = Float32Array | Float64Array | Int32Array | Uint8Array;
type ColumnType = Float32ArrayConstructor | Float64ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/**
 * Every per-entity column: its array type and the value a new entity starts with. The one list
 * that allocation, growth, `add` and the swap-remove all walk, so a new column is one line here
 * (plus its documented field below).
 */
const COLUMNS = {
    id: { type: Int32Array, initial: 0 },
    kind: { type: Uint8Array, initial: 0 },
    active: { type: Uint8Array, initial: 0 },
    valid: { type: Uint8Array, initial: 1 },
    x: { type: Float32Array, initial: 0 },
    y: { type: Float32Array, initial: 0 },
    z: { type: Float32Array, initial: 0 },
    radius: { type: Float32Array, initial: 0.5 },
    priority: { type: Float32Array, initial: 0.5 },
    eventLevel: { type: Float32Array, initial: 0 },
    eventTime: { type: Float64Array, initial: 0 },
    eventHalfLife: { type: Float32Array, initial: 1 },
    dwell: { type: Float32Array, initial: 0 },
    attended: { type: Float32Array, initial: 0 },
    novelty: { type: Float32Array, initial: 1 },
    // Until the first test, assume a clear line of sight: most things in view are visible.
    visible: { type: Float32Array, initial: 1 },
    testedAt: { type: Float64Array, initial: -Infinity },
    prevDistance: { type: Float32Array, initial: NaN },
    prevAngle: { type: Float32Array, initial: NaN },
    closingSpeed: { type: Float32Array, initial: 0 },
    gazeShare: { type: Float32Array, initial: 0 },
    distance: { type: Float32Array, initial: 0 },
    angle: { type: Float32Array, initial: Math.PI },
    alignment: { type: Float32Array, initial: 0 },
    inView: { type: Uint8Array, initial: 0 },
    hot: { type: Uint8Array, initial: 1 },
    evaluatedAt: { type: Float64Array, initial: NaN },
    readAt: { type: Float64Array, initial: NaN },
} as const satisfies Record<string, { type: ColumnType; initial: number }>;

type ColumnName = keyof typeof COLUMNS;
const COLUMN_NAMES = Object.keys(COLUMNS) as ColumnName[];

/** The entity kinds' indices, in TARGET_KINDS order (the feature schema's one-hot columns). */
export const enum KindIndex {
    Npc = 0,
    Task = 1,
    Hint = 2,
}

/**
 * Structure-of-arrays storage for everything the plugin knows about tracked entities, in
 * plain typed arrays so the per-tick loops are cache-friendly and allocation-free. Slots are
 * dense: removing an entity moves the last one into its slot (swap-remove), so loops run over
 * `[0, count)` with no holes. Capacity grows by doubling, the only time the store allocates.
 */
export class EntityStore {
    public count = 0;
    public capacity: number;

    /** Stable id per slot, never reused, so async results can be matched after slots move. */
    public id!: Int32Array;
    /** Kind index: 0 npc, 1 task, 2 hint (TARGET_KINDS order). */
    public kind!: Uint8Array;
    /** 1 for tasks that are still to be done. */
    public active!: Uint8Array;
    /** 1 while the entity's position is finite; 0 entities are skipped by every stage. */
    public valid!: Uint8Array;

    public x!: Float32Array;
    public y!: Float32Array;
    public z!: Float32Array;
    public radius!: Float32Array;
    public priority!: Float32Array;

    /** Event level at `eventTime`, decaying with `eventHalfLife` (ms). */
    public eventLevel!: Float32Array;
    public eventTime!: Float64Array;
    public eventHalfLife!: Float32Array;

    /** Decayed seconds in the gaze cone while visible. */
    public dwell!: Float32Array;
    /** Total alignment-weighted seconds the entity has been looked at (drives novelty). */
    public attended!: Float32Array;
    /** exp(-attended / noveltySeconds), kept beside `attended` and worked out only when it grows. */
    public novelty!: Float32Array;
    /** 1 visible, 0 occluded: the last occlusion test's answer. */
    public visible!: Float32Array;
    /** Clock time of the last occlusion test, ms (-Infinity: never tested). */
    public testedAt!: Float64Array;

    /** Previous tick's distance and gaze angle, for approach and gaze-turn rates (NaN: none yet). */
    public prevDistance!: Float32Array;
    public prevAngle!: Float32Array;
    /** Speed toward the entity, exponentially averaged (SustainedApproach), metres per second. */
    public closingSpeed!: Float32Array;
    /** Exponentially weighted share of recent time in the gaze cone (GazeShare). */
    public gazeShare!: Float32Array;
    /** This tick's distance to the surface, gaze angle (rad) and gaze alignment, kept for later stages. */
    public distance!: Float32Array;
    public angle!: Float32Array;
    public alignment!: Float32Array;
    public inView!: Uint8Array;

    /**
     * 1 when the entity must be re-read on the next tick whatever its level of detail (new,
     * moved slot, an event, in a ranking or the model's candidates); the refresh planner clears it.
     */
    public hot!: Uint8Array;
    /** Clock time of the entity's last full evaluation, ms (NaN: never): its own dt for decays and rates. */
    public evaluatedAt!: Float64Array;
    /** Clock time the entity's position was last read from the scene, ms (NaN: never). */
    public readAt!: Float64Array;

    private _nextId = 1;

    public constructor(initialCapacity = 16) {
        this.capacity = Math.max(1, initialCapacity | 0);
        this._allocate(this.capacity, 0);
    }

    /** Adds an entity and returns its slot. Fields start at their columns' initial values. */
    public add(kind: number, priority: number, radius: number): number {
        if (this.count === this.capacity) {
            this._allocate(this.capacity * 2, this.count);
        }
        const slot = this.count++;
        for (const name of COLUMN_NAMES) {
            this._column(name)[slot] = COLUMNS[name].initial;
        }
        this.id[slot] = this._nextId++;
        this.kind[slot] = kind;
        this.active[slot] = kind === KindIndex.Task ? 1 : 0;
        this.radius[slot] = radius;
        this.priority[slot] = priority;
        return slot;
    }

    /**
     * Removes the entity in `slot` by moving the last entity into it. Returns the slot the moved
     * entity came from (so the owner can update its own parallel arrays), or -1 if none moved.
     */
    public remove(slot: number): number {
        const last = --this.count;
        if (slot === last) {
            return -1;
        }
        for (const name of COLUMN_NAMES) {
            const column = this._column(name);
            column[slot] = column[last];
        }
        // Rows kept outside the store (features, scores) did not move with it.
        this.hot[slot] = 1;
        return last;
    }

    /** Finds the slot of a stable id, or -1. Linear: used only off the hot path. */
    public slotOf(id: number): number {
        for (let i = 0; i < this.count; i++) {
            if (this.id[i] === id) {
                return i;
            }
        }
        return -1;
    }

    private _column(name: ColumnName): Column {
        return this[name];
    }

    private _allocate(capacity: number, keep: number): void {
        for (const name of COLUMN_NAMES) {
            const next = new COLUMNS[name].type(capacity);
            const old = this[name] as Column | undefined;
            if (old && keep > 0) {
                next.set(old.subarray(0, keep));
            }
            (this as Record<ColumnName, Column>)[name] = next;
        }
        this.capacity = capacity;
    }
}

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

    /** Adds an entity and returns its slot. Fields start at neutral values. */
    public add(kind: number, priority: number, radius: number): number {
        if (this.count === this.capacity) {
            this._allocate(this.capacity * 2, this.count);
        }
        const slot = this.count++;
        this.id[slot] = this._nextId++;
        this.kind[slot] = kind;
        this.active[slot] = kind === 1 ? 1 : 0;
        this.valid[slot] = 1;
        this.x[slot] = this.y[slot] = this.z[slot] = 0;
        this.radius[slot] = radius;
        this.priority[slot] = priority;
        this.eventLevel[slot] = 0;
        this.eventTime[slot] = 0;
        this.eventHalfLife[slot] = 1;
        this.dwell[slot] = 0;
        this.attended[slot] = 0;
        // Until the first test, assume a clear line of sight: most things in view are visible.
        this.visible[slot] = 1;
        this.testedAt[slot] = -Infinity;
        this.prevDistance[slot] = NaN;
        this.prevAngle[slot] = NaN;
        this.closingSpeed[slot] = 0;
        this.gazeShare[slot] = 0;
        this.distance[slot] = 0;
        this.angle[slot] = Math.PI;
        this.alignment[slot] = 0;
        this.inView[slot] = 0;
        this.hot[slot] = 1;
        this.evaluatedAt[slot] = NaN;
        this.readAt[slot] = NaN;
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
        for (const array of this._arrays()) {
            array[slot] = array[last];
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

    private *_arrays(): Generator<Float32Array | Float64Array | Int32Array | Uint8Array> {
        yield this.id;
        yield this.kind;
        yield this.active;
        yield this.valid;
        yield this.x;
        yield this.y;
        yield this.z;
        yield this.radius;
        yield this.priority;
        yield this.eventLevel;
        yield this.eventTime;
        yield this.eventHalfLife;
        yield this.dwell;
        yield this.attended;
        yield this.visible;
        yield this.testedAt;
        yield this.prevDistance;
        yield this.prevAngle;
        yield this.closingSpeed;
        yield this.gazeShare;
        yield this.distance;
        yield this.angle;
        yield this.alignment;
        yield this.inView;
        yield this.hot;
        yield this.evaluatedAt;
        yield this.readAt;
    }

    private _allocate(capacity: number, keep: number): void {
        const grow = <T extends Float32Array | Float64Array | Int32Array | Uint8Array>(old: T | undefined, make: (n: number) => T): T => {
            const next = make(capacity);
            if (old && keep > 0) {
                next.set(old.subarray(0, keep) as never);
            }
            return next;
        };
        const f32 = (n: number) => new Float32Array(n);
        const f64 = (n: number) => new Float64Array(n);
        const u8 = (n: number) => new Uint8Array(n);
        this.id = grow(this.id, (n) => new Int32Array(n));
        this.kind = grow(this.kind, u8);
        this.active = grow(this.active, u8);
        this.valid = grow(this.valid, u8);
        this.x = grow(this.x, f32);
        this.y = grow(this.y, f32);
        this.z = grow(this.z, f32);
        this.radius = grow(this.radius, f32);
        this.priority = grow(this.priority, f32);
        this.eventLevel = grow(this.eventLevel, f32);
        this.eventTime = grow(this.eventTime, f64);
        this.eventHalfLife = grow(this.eventHalfLife, f32);
        this.dwell = grow(this.dwell, f32);
        this.attended = grow(this.attended, f32);
        this.visible = grow(this.visible, f32);
        this.testedAt = grow(this.testedAt, f64);
        this.prevDistance = grow(this.prevDistance, f32);
        this.prevAngle = grow(this.prevAngle, f32);
        this.closingSpeed = grow(this.closingSpeed, f32);
        this.gazeShare = grow(this.gazeShare, f32);
        this.distance = grow(this.distance, f32);
        this.angle = grow(this.angle, f32);
        this.alignment = grow(this.alignment, f32);
        this.inView = grow(this.inView, u8);
        this.hot = grow(this.hot, u8);
        this.evaluatedAt = grow(this.evaluatedAt, f64);
        this.readAt = grow(this.readAt, f64);
        this.capacity = capacity;
    }
}

/**
 * Writes the indices of the `k` highest `scores[i]` (i in [0, count), where `include[i]` is
 * non-zero if `include` is given) into `out`, best first, and returns how many were written.
 * Equal scores rank by index, lowest first. A bounded insertion into a sorted prefix: O(count x k)
 * compares in the worst case but close to O(count) when k is small, and no allocation, unlike
 * sorting the whole array.
 */
export function selectTopK(scores: Float32Array, count: number, k: number, out: Int32Array, include?: Uint8Array | Float32Array): number {
    const limit = Math.min(k, out.length);
    let size = 0;
    for (let i = 0; i < count && limit > 0; i++) {
        if (!include || include[i] !== 0) {
            size = insertRanked(scores, out, 0, size, limit, i);
        }
    }
    return size;
}

/**
 * The `k` best valid rows of every group (the rankings' kinds) in one pass over the scores,
 * with `selectTopK`'s bounded insertion: group g's best rows go to `out[g * k, g * k + sizes[g])`,
 * best first, equal scores by row index. `out` holds `groupCount * k` slots and `sizes`
 * `groupCount` counts (at most 256 groups: they are bytes). Rows whose score is NaN or -Infinity
 * are never selected.
 */
export function selectTopKPerGroup(scores: Float32Array, count: number, k: number, out: Int32Array, sizes: Int32Array, groups: Uint8Array, valid: Uint8Array): void {
    selectSeeded(scores, count, k, out, sizes, groups, valid, NO_SEEDS, 0, NO_SEEDS_TAKEN);
}

/**
 * `selectTopKPerGroup` for a caller that selects every tick from scores that change little:
 * each pass first inserts the rows the last pass selected. They are usually still the best, so
 * each group's list is full, with a high entry score, before the scan starts, and nearly every
 * other row costs one compare instead of an insertion into a list still filling with whatever
 * came first. The result is exactly `selectTopKPerGroup`'s (ties broken by row index, not by
 * insertion order), whatever moved since the last pass. Owns its output; grows with the rows.
 */
export class GroupTopK {
    /** Group g's best rows, best first: `[g * k, g * k + sizes[g])`. */
    public readonly out: Int32Array;
    public readonly sizes: Int32Array;
    private readonly _seeds: Int32Array;
    private _taken = new Uint8Array(16);

    public constructor(
        public readonly k: number,
        groupCount: number
    ) {
        this.out = new Int32Array(groupCount * k);
        this.sizes = new Int32Array(groupCount);
        this._seeds = new Int32Array(groupCount * k);
    }

    /** Selects from rows [0, count); `groups` null puts every row in group 0. */
    public select(scores: Float32Array, count: number, groups: Uint8Array | null, valid: Uint8Array): void {
        if (this._taken.length < count) {
            this._taken = new Uint8Array(Math.max(count, 2 * this._taken.length));
        }
        // The last pass's rows, gathered out of `out` before it is rewritten.
        const seeds = this._seeds;
        const k = this.k;
        let seedCount = 0;
        for (let g = 0; g < this.sizes.length; g++) {
            const base = g * k;
            for (let r = 0; r < this.sizes[g]; r++) {
                const row = this.out[base + r];
                // A row index past the end is a row removed since; it cannot be selected.
                if (row < count) {
                    seeds[seedCount++] = row;
                }
            }
        }
        selectSeeded(scores, count, k, this.out, this.sizes, groups, valid, seeds, seedCount, this._taken);
    }
}

const NO_SEEDS = new Int32Array(0);
const NO_SEEDS_TAKEN = new Uint8Array(0);

/**
 * The selection itself: the seed rows first (each marked in `taken`, so the scan skips it), then
 * every other row. A row enters its group's list only by beating the list's last entry, so a
 * list filled early from good seeds turns away nearly every row at one compare.
 */
function selectSeeded(scores: Float32Array, count: number, k: number, out: Int32Array, sizes: Int32Array, groups: Uint8Array | null, valid: Uint8Array, seeds: Int32Array, seedCount: number, taken: Uint8Array): void {
    sizes.fill(0);
    if (k <= 0) {
        return;
    }
    // Each group's entry bar: the score (and, for ties, the row) of its list's last entry once the
    // list is full; -Infinity until then. Kept beside the loop, so nearly every row loses one
    // compare against a local value instead of loading its list's size, last slot and score.
    const floors = GROUP_FLOORS;
    const floorRows = GROUP_FLOOR_ROWS;
    floors.fill(-Infinity, 0, sizes.length);
    floorRows.fill(-1, 0, sizes.length);
    for (let s = 0; s < seedCount; s++) {
        const i = seeds[s];
        taken[i] = 1;
        if (valid[i] !== 0) {
            admit(scores, k, out, sizes, groups, floors, floorRows, i);
        }
    }
    for (let i = 0; i < count; i++) {
        const g = groups !== null ? groups[i] : 0;
        const s = scores[i];
        // Loses to the bar: below it, or equal and after it in row order. NaN fails both.
        // Tested first: nearly every row stops here, before its other columns are read.
        if (!(s > floors[g]) && !(s === floors[g] && i < floorRows[g])) {
            continue;
        }
        if (valid[i] === 0 || (seedCount > 0 && taken[i] === 1)) {
            continue;
        }
        admit(scores, k, out, sizes, groups, floors, floorRows, i);
    }
    for (let s = 0; s < seedCount; s++) {
        taken[seeds[s]] = 0;
    }
}

/** Inserts row `i` into its group's list and raises the group's bar once the list is full. */
function admit(scores: Float32Array, k: number, out: Int32Array, sizes: Int32Array, groups: Uint8Array | null, floors: Float64Array, floorRows: Int32Array, i: number): void {
    const g = groups !== null ? groups[i] : 0;
    const base = g * k;
    const size = insertRanked(scores, out, base, sizes[g], k, i);
    sizes[g] = size;
    if (size === k) {
        const last = out[base + k - 1];
        floors[g] = scores[last];
        floorRows[g] = last;
    }
}

/** Each group's entry score and row for the selection (shared: the selection never re-enters). */
const GROUP_FLOORS = new Float64Array(256);
const GROUP_FLOOR_ROWS = new Int32Array(256);

/**
 * Inserts row `i` into the best-first list `out[base, base + size)` kept at most `limit` long;
 * returns the new size. A higher score ranks first, and equal scores by row index, so the list
 * does not depend on the order rows arrive in. NaN and -Infinity never enter.
 */
function insertRanked(scores: Float32Array, out: Int32Array, base: number, size: number, limit: number, i: number): number {
    const s = scores[i];
    if (!(s > -Infinity)) {
        return size;
    }
    if (size === limit) {
        const last = out[base + size - 1];
        const t = scores[last];
        if (!(s > t) && !(s === t && i < last)) {
            return size;
        }
    }
    let j = size < limit ? size++ : size - 1;
    while (j > 0) {
        const prev = out[base + j - 1];
        const t = scores[prev];
        if (!(t < s) && !(t === s && prev > i)) {
            break;
        }
        out[base + j] = prev;
        j--;
    }
    out[base + j] = i;
    return size;
}

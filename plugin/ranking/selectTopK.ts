/**
 * Writes the indices of the `k` highest `scores[i]` (i in [0, count), where `include[i]` is
 * non-zero if `include` is given) into `out`, best first, and returns how many were written.
 * A bounded insertion into a sorted prefix: O(count x k) compares in the worst case but close
 * to O(count) when k is small, and no allocation, unlike sorting the whole array.
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
 * best first. `out` holds `groupCount * k` slots and `sizes` `groupCount` counts (at most 256
 * groups: they are bytes). Rows whose score is NaN or -Infinity are never selected.
 */
export function selectTopKPerGroup(scores: Float32Array, count: number, k: number, out: Int32Array, sizes: Int32Array, groups: Uint8Array, valid: Uint8Array): void {
    sizes.fill(0);
    if (k <= 0) {
        return;
    }
    // The score a row must beat to enter its group's list: -Infinity until the list is full,
    // then its last entry's. Nearly every row loses that one compare against a value kept
    // beside the loop, instead of loading its list's size, last slot and that slot's score.
    const floors = GROUP_FLOORS;
    floors.fill(-Infinity, 0, sizes.length);
    for (let i = 0; i < count; i++) {
        if (valid[i] === 0) {
            continue;
        }
        const g = groups[i];
        if (!(scores[i] > floors[g])) {
            continue;
        }
        const base = g * k;
        const size = insertRanked(scores, out, base, sizes[g], k, i);
        sizes[g] = size;
        if (size === k) {
            floors[g] = scores[out[base + k - 1]];
        }
    }
}

/** Each group's entry score for `selectTopKPerGroup` (shared: the selection never re-enters). */
const GROUP_FLOORS = new Float64Array(256);

/**
 * Inserts row `i` into the best-first list `out[base, base + size)` kept at most `limit` long;
 * returns the new size. Most rows lose to a full list's last entry: one compare and on.
 */
function insertRanked(scores: Float32Array, out: Int32Array, base: number, size: number, limit: number, i: number): number {
    const s = scores[i];
    if (size === limit && !(s > scores[out[base + size - 1]])) {
        return size;
    }
    let j = size < limit ? size++ : size - 1;
    while (j > 0 && scores[out[base + j - 1]] < s) {
        out[base + j] = out[base + j - 1];
        j--;
    }
    out[base + j] = i;
    return size;
}

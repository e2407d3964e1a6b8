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
            size = insertRanked(scores, out, size, limit, i);
        }
    }
    return size;
}

/**
 * Like `selectTopK`, restricted to the valid rows whose `groups[i]` equals `group`: used to
 * build the per-kind rankings from one score array without splitting it first.
 */
export function selectTopKInGroup(scores: Float32Array, count: number, k: number, out: Int32Array, groups: Uint8Array, group: number, valid: Uint8Array): number {
    const limit = Math.min(k, out.length);
    let size = 0;
    for (let i = 0; i < count && limit > 0; i++) {
        if (groups[i] === group && valid[i] !== 0) {
            size = insertRanked(scores, out, size, limit, i);
        }
    }
    return size;
}

/** Inserts row `i` into the best-first prefix `out[0, size)` kept at most `limit` long; returns the new size. */
function insertRanked(scores: Float32Array, out: Int32Array, size: number, limit: number, i: number): number {
    const s = scores[i];
    if (size === limit && !(s > scores[out[size - 1]])) {
        return size;
    }
    let j = size < limit ? size++ : size - 1;
    while (j > 0 && scores[out[j - 1]] < s) {
        out[j] = out[j - 1];
        j--;
    }
    out[j] = i;
    return size;
}

/**
 * Order statistics for benchmark samples. Nearest-rank percentiles (no interpolation), so a
 * reported p99 is a time some tick actually took.
 */

/** The `q`-quantile (0..1) of `sorted` by the nearest-rank method; NaN for no samples. */
export function percentile(sorted: ArrayLike<number>, q: number): number {
    const n = sorted.length;
    if (n === 0) {
        return NaN;
    }
    if (!(q >= 0 && q <= 1)) {
        throw new Error(`percentile: q must lie in [0, 1]; got ${q}`);
    }
    // Nearest rank: the smallest sample with at least q * n samples at or below it.
    const rank = Math.max(1, Math.ceil(q * n));
    return sorted[rank - 1];
}

export interface ISummary {
    p50Ms: number;
    p99Ms: number;
}

/** Sorts `samples` in place (a typed array sorts numerically) and returns p50 and p99, rounded to the microsecond. */
export function summarize(samples: Float64Array): ISummary {
    samples.sort();
    return { p50Ms: roundMs(percentile(samples, 0.5)), p99Ms: roundMs(percentile(samples, 0.99)) };
}

/** Milliseconds rounded to 0.001 ms (1 us): finer digits are timer noise. */
export function roundMs(ms: number): number {
    return Math.round(ms * 1000) / 1000;
}

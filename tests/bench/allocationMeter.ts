import { GCProfiler, getHeapSpaceStatistics, setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Measures the bytes a function allocates on the V8 heap per call in steady state.
 *
 * Method: force a full GC, then for each call run the untimed `setup` (e.g. moving the scene),
 * read the young generation's used bytes, run the function, read them again, and sum the
 * differences. V8 allocates new objects by bumping a pointer in the young generation (new
 * space, or new large-object space for big ones), and its used size counts every byte up to
 * that pointer, so as long as no collection runs the difference is exactly what was allocated
 * between the two reads. The old generation is left out on purpose: after a full GC, V8 sweeps
 * it concurrently and its used size drifts down for a while, which would read as negative
 * allocation. A `GCProfiler` runs around the whole window and reports, synchronously, whether
 * any GC ran inside it; if one did (it would free garbage and hide allocation), the window is
 * halved and measured again. Reading the statistics allocates their result after taking the
 * figure; that constant is measured with an empty span and subtracted. `setup` runs outside
 * the spans, so what it allocates is never counted.
 */
export class AllocationMeter {
    private readonly _gc: () => void;

    public constructor() {
        this._gc = resolveGc();
    }

    /** The full GC every window starts with (for tools that must start from the same state). */
    public collectGarbage(): void {
        this._gc();
    }

    /**
     * Bytes allocated per call of `fn` (fractional; <= 0 means none measurable): the median of
     * three windows, because V8 now and then charges a whole young-generation page (256 KiB)
     * to one window when allocation moves to a new page; a median ignores that one window.
     */
    public bytesPerCall(fn: () => void, calls = 1000, setup: () => void = noop): number {
        // A discarded pass: the meter's own loops must be compiled before they measure anything.
        this._window(noop, 200, noop);
        this._window(fn, Math.min(calls, 50), setup);
        return median3(() => this._measure(fn, calls, setup));
    }

    /** `bytesPerCall` for a function returning a promise, awaited inside the span (its microtasks included). */
    public async bytesPerCallAsync(fn: () => Promise<unknown>, calls = 1000, setup: () => void = noop): Promise<number> {
        this._window(noop, 200, noop);
        await this._windowAsync(fn, Math.min(calls, 50), setup);
        const results: number[] = [];
        for (let run = 0; run < 3; run++) {
            let window = calls;
            let result: number | null = null;
            for (let attempt = 0; attempt < 12 && result === null; attempt++) {
                const overhead = this._window(noop, window, noop);
                const total = await this._windowAsync(fn, window, setup);
                result = total !== null && overhead !== null ? (total - overhead) / window : null;
                window = Math.max(1, window >> 1);
            }
            if (result === null) {
                throw new Error("AllocationMeter: a GC ran inside every window, even of one call");
            }
            results.push(result);
        }
        return results.sort((a, b) => a - b)[1];
    }

    private _measure(fn: () => void, calls: number, setup: () => void): number {
        let window = calls;
        for (let attempt = 0; attempt < 12; attempt++) {
            const overhead = this._window(noop, window, noop);
            const total = this._window(fn, window, setup);
            if (total !== null && overhead !== null) {
                return (total - overhead) / window;
            }
            window = Math.max(1, window >> 1);
        }
        throw new Error("AllocationMeter: a GC ran inside every window, even of one call");
    }

    /** Summed heap growth over the spans of one window, or null if a GC ran inside it. */
    private _window(fn: () => void, calls: number, setup: () => void): number | null {
        this._gc();
        const profiler = new GCProfiler();
        profiler.start();
        let total = 0;
        for (let i = 0; i < calls; i++) {
            setup();
            const before = youngBytes();
            fn();
            total += youngBytes() - before;
        }
        return profiler.stop().statistics.length === 0 ? total : null;
    }

    private async _windowAsync(fn: () => Promise<unknown>, calls: number, setup: () => void): Promise<number | null> {
        this._gc();
        const profiler = new GCProfiler();
        profiler.start();
        let total = 0;
        for (let i = 0; i < calls; i++) {
            setup();
            const before = youngBytes();
            await fn();
            total += youngBytes() - before;
        }
        return profiler.stop().statistics.length === 0 ? total : null;
    }
}

/** `global.gc` when node runs with --expose-gc; otherwise the flag is set now and gc taken from a fresh context. */
function resolveGc(): () => void {
    const existing = (globalThis as { gc?: () => void }).gc;
    if (typeof existing === "function") {
        return existing;
    }
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
}

function median3(measure: () => number): number {
    const results = [measure(), measure(), measure()];
    return results.sort((a, b) => a - b)[1];
}

/** Used bytes of the young generation, where V8 allocates new objects. */
function youngBytes(): number {
    let used = 0;
    for (const space of getHeapSpaceStatistics()) {
        if (space.space_name === "new_space" || space.space_name === "new_large_object_space") {
            used += space.space_used_size;
        }
    }
    return used;
}

function noop(): void {
    // Calibration: the cost of the span itself.
}

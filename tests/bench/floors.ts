/**
 * The performance floors `npm run bench` checks, each printed PASS or FAIL beside the figure it
 * read. docs/performance.md ("Floors") gives the latest figures and the commands behind them.
 */
import { FRAME_FLOOR_MS, type IFrameRow } from "./frameBudget";
import type { IInferenceRow } from "./inference";
import type { ITickDetail } from "./tickBench";

/**
 * The plugin's own main-thread time per frame, the figure the frame floor holds: its CPU time,
 * the larger of the two ways it is measured (sampled, each sample capped near the profiler's
 * interval; traced, the render loop's CPU time on minus off). The wall figure also holds the time
 * the main thread waited for a core while other processes ran: on a machine whose GPU is
 * emulated on the same cores it is mostly that, and it moves by a factor of two with the load.
 */
export function frameCpuMs(row: Pick<IFrameRow, "pluginOnMainThreadSampledCpuMs" | "pluginOnMainThreadCpuMs">): number {
    return Math.max(row.pluginOnMainThreadSampledCpuMs, row.pluginOnMainThreadCpuMs);
}

/** The performance floors (tick, inference, frame), each with PASS or FAIL. */
export function floorLines(tick: readonly ITickDetail[], inference: readonly IInferenceRow[], frame: readonly IFrameRow[] = []): string[] {
    const lines: string[] = [];
    const check = (ok: boolean, text: string): void => {
        lines.push(`${ok ? "PASS" : "FAIL"}  ${text}`);
    };
    const at1000 = tick.find((r) => r.n === 1000);
    if (at1000) {
        check(at1000.p50Ms <= 0.05, `n=1,000: median tick ${at1000.p50Ms} ms <= 0.05 ms`);
        check(at1000.naiveP50Ms >= 50 * at1000.p50Ms, `n=1,000: ${ratio(at1000.naiveP50Ms, at1000.p50Ms)} x faster than naive >= 50 x`);
    }
    const at10000 = tick.find((r) => r.n === 10000);
    if (at10000) {
        check(at10000.p50Ms <= 1, `n=10,000: median tick ${at10000.p50Ms} ms <= 1 ms`);
        // The plugin's own worst ticks, in CPU time: wall-clock p99 also holds the machine's.
        check(at10000.cpuP99Ms <= 3 * at10000.cpuP50Ms, `n=10,000: CPU p99 ${at10000.cpuP99Ms} ms <= 3 x CPU p50 ${at10000.cpuP50Ms} ms (wall p99 ${at10000.p99Ms} ms)`);
    }
    if (tick.length > 0) {
        // Steady state: the focus holds still (a focus change is an event, reported in bytes/tick).
        const worst = Math.max(...tick.map((r) => r.steadyBytesPerTick));
        check(worst === 0, `0 bytes per tick in steady state, focus held (worst row: ${worst})`);
    }
    const k64 = inference.find((r) => r.runtime === "node" && r.backend === "wasm" && r.k === 64 && r.threads === 1);
    if (k64) {
        check(k64.p50Ms <= 0.3, `K=64, WASM 1 thread: median run ${k64.p50Ms} ms <= 0.3 ms`);
    }
    // The worker's best transport: shared memory, where the page is cross-origin isolated.
    const proxiedRows = inference.filter((r) => r.runtime === "chromium" && r.backend === "wasm" && r.proxy && r.k === 64 && r.threads === 1);
    const proxied = proxiedRows.find((r) => r.transport === "shared-memory") ?? proxiedRows[0];
    if (proxied?.mainThreadP50Ms !== undefined) {
        check(proxied.mainThreadP50Ms <= 0.05, `K=64, WASM 1 thread through the model worker (${proxied.transport}) in Chromium: median main-thread share ${proxied.mainThreadP50Ms} ms <= 0.05 ms per run`);
    }
    for (const row of frame) {
        // CPU time, as the tick's p99 floor: what the plugin itself costs, not what the machine took.
        check(
            frameCpuMs(row) <= FRAME_FLOOR_MS,
            `sample world, ${row.engine}, ${row.highlight}: plugin and effects ${frameCpuMs(row)} ms of main-thread CPU time per frame <= ${FRAME_FLOOR_MS} ms (sampled ${row.pluginOnMainThreadSampledCpuMs} ms, traced ${row.pluginOnMainThreadCpuMs} ms; wall ${row.pluginOnMainThreadMs} ms)`
        );
    }
    return lines;
}

/** How many times faster `ours` is than `naive`, one decimal ("-" without a time of ours). */
export function ratio(naive: number, ours: number): string {
    return ours > 0 ? (naive / ours).toFixed(1) : "-";
}

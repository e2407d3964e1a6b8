/**
 * Browser inference benchmark: p50/p99 of one OnnxScorer.score() in Chromium, onnxruntime-web's
 * WebGPU provider against its WASM provider (1 and 2 threads), at several candidate counts, and
 * WASM through the plugin's model worker (`wasmProxy`) against WASM on the main thread: through
 * shared memory, and by message. Every page is cross-origin isolated, so performance.now()
 * resolves 5 microseconds on each (100 on a page that is not): the message rows come from the
 * model page with Atomics.waitAsync hidden (`waitAsync=off`), where the plugin falls back to
 * messages as it does on a page that is not isolated.
 * Runs through the browser test harness (Xvfb when needed, Vite, headed Chromium) on the
 * model test page, which runs no render loop.
 *
 * Two figures per row: latency (p50Ms/p99Ms, from the start of a run until the page saw its
 * result) and the main thread's share of a run (mainThreadP50Ms). On the main thread the share
 * is the whole run. Through shared memory it is what the plugin's render loop does per run: the
 * scorer's launch() (inputs written, the worker woken) plus its collect() once the run has ended
 * (the copy out); between them the page looks for the result task after task (untimed), as the
 * render loop looks on its next tick. By message it is the time from the call to score() until
 * the buffer was posted, plus from the result's message until score() resolved (the plugin's
 * handler and the copy out), timestamped around the worker's postMessage and first in the
 * message's dispatch (tests/browser/pages/modelWorkerMeter.ts). The shared-memory page leaves
 * the page's `Atomics` unwrapped (`?meter=workers`), so the timed spans hold only the plugin's code.
 * Measured per run, not by an idle probe, because the proxied share is tens of microseconds: a
 * probe's own scheduling jitter would be larger than the figure.
 *
 * Here Chromium's WebGPU adapter is SwiftShader, a CPU implementation of Vulkan: WebGPU rows
 * measure that emulation, not a GPU. The adapter is reported with the rows; do not tune to it.
 *
 * Use: `await measureBrowserInferenceAsync()` -> rows `{ backend, threads, k, p50Ms, p99Ms, proxy, transport, mainThreadP50Ms, ... }`;
 * or run `npx tsx tests/bench/browserInference.ts [--no-webgpu] [--rounds N] [--threads T] [--gap-ms G] [--ks K,...]` to print them as JSON.
 */
import { fileURLToPath } from "node:url";
import { BrowserHarness } from "../browser/harness/index.js";
import type { IModelPageReport, IModelTestWindow, IRunTiming } from "../browser/pages/model.js";
import type { WorkerTransport } from "../../plugin/model/wasmProxy.js";

export interface IBrowserInferenceRow {
    backend: "webgpu" | "wasm";
    /** onnxruntime-web's WASM threads on the page (WebGPU rows: 1; the CPU-side parts use it). */
    threads: number;
    k: number;
    p50Ms: number;
    p99Ms: number;
    /** Always "chromium": tells these rows from the Node WASM rows beside them. */
    runtime: "chromium";
    /** Runs went through the plugin's model worker (`wasmProxy`). */
    proxy: boolean;
    /** How runs reached the worker: "shared-memory" (isolated page) or "message"; null on the main thread. */
    transport: WorkerTransport | null;
    /** Median main-thread milliseconds per run (see above). */
    mainThreadP50Ms: number;
    mainThreadP99Ms: number;
    /** Through the proxy: the median part until the run was handed to the worker, and after it ended. */
    sendP50Ms: number;
    receiveP50Ms: number;
}

export interface IBrowserInferenceReport {
    rows: IBrowserInferenceRow[];
    /** The WebGPU adapter as Chromium names it (vendor / architecture / description), or null. */
    adapter: string | null;
    /** True for SwiftShader and other CPU adapters: the WebGPU rows are not GPU figures. */
    isSoftwareAdapter: boolean;
    /** One sentence saying what the WebGPU rows measure. */
    note: string;
}

export interface IBrowserInferenceOptions {
    /** Candidate counts. @default [16, 64, 256] */
    ks: readonly number[];
    /** WASM thread counts, each on its own page (onnxruntime fixes it at its first session). @default [1, 2] */
    wasmThreads: readonly number[];
    /** Timed WASM runs per count. @default 300 */
    wasmRuns: number;
    /** Timed WebGPU runs per count (a SwiftShader run takes 0.1-0.3 s on a loaded 2-core machine). @default 40 */
    webgpuRuns: number;
    /** Untimed runs per count before timing. @default 5 */
    warmupRuns: number;
    /** Whether to measure WebGPU at all. @default true */
    webgpu: boolean;
    /** WASM thread counts measured again through the model worker, each on its own page. @default [1] */
    proxyThreads: readonly number[];
    /**
     * The worker's transports, one page each: "shared-memory", and "message" (Atomics.waitAsync
     * hidden from the page). @default ["shared-memory", "message"]
     */
    proxyTransports: readonly WorkerTransport[];
    /** Times the whole sequence of pages is measured, alternating, each round's rows after the last's. @default 1 */
    rounds: number;
    /**
     * Milliseconds between timed WASM runs (untimed), so the model worker is idle, as between a
     * game's ticks, when a run is handed to it; 0: back to back. @default 0
     */
    gapMs: number;
}

const DEFAULTS: IBrowserInferenceOptions = { ks: [16, 64, 256], wasmThreads: [1, 2], wasmRuns: 300, webgpuRuns: 40, warmupRuns: 5, webgpu: true, proxyThreads: [1], proxyTransports: ["shared-memory", "message"], rounds: 1, gapMs: 0 };
const PAGE = "tests/browser/pages/model.html";

/** Starts its own browser harness, measures, and stops it again (also on failure). */
export async function measureBrowserInferenceAsync(options: Partial<IBrowserInferenceOptions> = {}): Promise<IBrowserInferenceReport> {
    const opts = { ...DEFAULTS, ...options };
    const harness = await BrowserHarness.CreateAsync();
    try {
        const rows: IBrowserInferenceRow[] = [];
        let adapter: string | null = null;
        // Pages alternate main thread and proxy (each transport) at each thread count, so a
        // change in the machine's load hits every side of the comparison alike.
        const round = opts.wasmThreads.flatMap((threads) => [
            { threads, transport: null },
            ...(opts.proxyThreads.includes(threads) ? opts.proxyTransports.map((transport) => ({ threads, transport })) : []),
        ]);
        const pages = Array.from({ length: opts.rounds }, () => round).flat();
        for (const [index, { threads, transport }] of pages.entries()) {
            const proxy = transport !== null;
            // Through shared memory the page's Atomics stay unwrapped: the meter's wrappers would be timed with the run.
            const query = proxy ? { threads, proxy: "on", gpu: "off", ...(transport === "message" ? { waitAsync: "off" } : { meter: "workers" }) } : { threads };
            const page = await harness.openPageAsync(PAGE, query);
            const report = await page.waitReadyAsync<IModelPageReport>();
            adapter ??= report.adapter;
            if (!report.crossOriginIsolated) {
                throw new Error("the model page is not cross-origin isolated: WASM threads and shared memory would silently fall back, and timers resolve 100 us");
            }
            const measure = (backend: "webgpu" | "wasm", runs: number, gapMs = 0): Promise<IRunTiming[]> =>
                page.page.evaluate(([b, ks, r, w, g]) => (window as unknown as IModelTestWindow).__modelPage!.timeRunsAsync(b, [...ks], r, w, g), [backend, [...opts.ks], runs, opts.warmupRuns, gapMs] as const);
            // WASM first: the page's WASM runtime then starts with this thread count either way.
            for (const t of await measure("wasm", opts.wasmRuns, opts.gapMs)) {
                if (t.proxy !== proxy || t.transport !== transport) {
                    throw new Error(`the model page ran ${t.proxy ? `through the model worker by ${t.transport}` : "without the model worker"}, asked for ${transport ?? "the main thread"}`);
                }
                rows.push(row("wasm", threads, t));
            }
            if (opts.webgpu && index === 0 && report.hasWebGpu) {
                for (const t of await measure("webgpu", opts.webgpuRuns)) {
                    rows.push(row("webgpu", threads, t));
                }
            }
            const problems = page.problems;
            await page.closeAsync();
            if (problems) {
                throw new Error(`the model page reported problems:\n${problems}`);
            }
        }
        const isSoftwareAdapter = adapter !== null && /swiftshader|llvmpipe|software|cpu/i.test(adapter);
        const note =
            adapter === null
                ? "Chromium has no WebGPU adapter here: no WebGPU rows."
                : isSoftwareAdapter
                  ? `WebGPU adapter "${adapter}" is a software (CPU) implementation, not a GPU: the WebGPU rows measure its emulation and say nothing about WebGPU on real hardware.`
                  : `WebGPU adapter "${adapter}".`;
        return { rows, adapter, isSoftwareAdapter, note };
    } finally {
        await harness.disposeAsync();
    }
}

function row(backend: "webgpu" | "wasm", threads: number, t: IRunTiming): IBrowserInferenceRow {
    return { backend, threads, k: t.k, p50Ms: t.p50Ms, p99Ms: t.p99Ms, runtime: "chromium", proxy: t.proxy, transport: t.transport, mainThreadP50Ms: t.mainThreadP50Ms, mainThreadP99Ms: t.mainThreadP99Ms, sendP50Ms: t.sendP50Ms, receiveP50Ms: t.receiveP50Ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    // `--no-webgpu`: the WASM rows only (main thread and proxy), in a few minutes. `--rounds N`:
    // the pages N times over, alternating. `--threads 1`: WASM at 1 thread only. `--gap-ms G`:
    // G ms between timed WASM runs. `--ks 16,64`: those candidate counts only.
    const option = (name: string): string | undefined => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1] : undefined);
    const rounds = Number(option("--rounds") ?? DEFAULTS.rounds);
    const gapMs = Number(option("--gap-ms") ?? DEFAULTS.gapMs);
    const wasmThreads = option("--threads")?.split(",").map(Number) ?? DEFAULTS.wasmThreads;
    const ks = option("--ks")?.split(",").map(Number) ?? DEFAULTS.ks;
    measureBrowserInferenceAsync({ webgpu: !process.argv.includes("--no-webgpu"), rounds, gapMs, wasmThreads, ks }).then(
        (report) => {
            console.log(report.note);
            console.log(JSON.stringify({ browserInference: report.rows }, null, 2));
        },
        (e: unknown) => {
            console.error(e);
            process.exitCode = 1;
        },
    );
}

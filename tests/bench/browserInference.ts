/**
 * Browser inference benchmark: p50/p99 of one OnnxScorer.score() in Chromium, onnxruntime-web's
 * WebGPU provider against its WASM provider (1 and 2 threads), at several candidate counts, and
 * WASM through the plugin's model worker (`wasmProxy`) against WASM on the main thread.
 * Runs through the browser test harness (Xvfb when needed, Vite, headed Chromium) on the
 * model test page, which runs no render loop.
 *
 * Two figures per row: latency (p50Ms/p99Ms, from the call to score() until it resolved, as the
 * plugin waits for a result) and the main thread's share of a run (mainThreadP50Ms). On the main
 * thread the share is the whole run. Through the proxy it is the time from the call until the
 * inputs were posted to the worker, plus from the result's arrival on the main thread until
 * score() resolved (the plugin's message handler and the copy out): timestamps taken around the
 * worker's postMessage and first in its message dispatch (tests/browser/pages/modelWorkerMeter.ts).
 * Measured per run, not by an idle probe, because the proxied share is tens of microseconds: a
 * probe's own scheduling jitter would be larger than the figure.
 *
 * Here Chromium's WebGPU adapter is SwiftShader, a CPU implementation of Vulkan: WebGPU rows
 * measure that emulation, not a GPU. The adapter is reported with the rows; do not tune to it.
 *
 * Use: `await measureBrowserInferenceAsync()` -> rows `{ backend, threads, k, p50Ms, p99Ms, proxy, mainThreadP50Ms, ... }`;
 * or run `npx tsx tests/bench/browserInference.ts [--no-webgpu]` to print them as JSON.
 */
import { fileURLToPath } from "node:url";
import { BrowserHarness } from "../browser/harness/index.js";
import type { IModelPageReport, IModelTestWindow, IRunTiming } from "../browser/pages/model.js";

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
    /** Median main-thread milliseconds per run (see above). */
    mainThreadP50Ms: number;
    mainThreadP99Ms: number;
    /** Through the proxy: the median part until the inputs were posted, and after the result arrived. */
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
}

const DEFAULTS: IBrowserInferenceOptions = { ks: [16, 64, 256], wasmThreads: [1, 2], wasmRuns: 300, webgpuRuns: 40, warmupRuns: 5, webgpu: true, proxyThreads: [1] };
const PAGE = "tests/browser/pages/model.html";

/** Starts its own browser harness, measures, and stops it again (also on failure). */
export async function measureBrowserInferenceAsync(options: Partial<IBrowserInferenceOptions> = {}): Promise<IBrowserInferenceReport> {
    const opts = { ...DEFAULTS, ...options };
    const harness = await BrowserHarness.CreateAsync();
    try {
        const rows: IBrowserInferenceRow[] = [];
        let adapter: string | null = null;
        // Pages alternate main thread and proxy at each thread count, so a change in the
        // machine's load hits both sides of the comparison alike.
        const pages = opts.wasmThreads.flatMap((threads) => [{ threads, proxy: false }, ...(opts.proxyThreads.includes(threads) ? [{ threads, proxy: true }] : [])]);
        for (const [index, { threads, proxy }] of pages.entries()) {
            const page = await harness.openPageAsync(PAGE, proxy ? { threads, proxy: "on", gpu: "off" } : { threads });
            const report = await page.waitReadyAsync<IModelPageReport>();
            adapter ??= report.adapter;
            if (threads > 1 && !report.crossOriginIsolated) {
                throw new Error("the model page is not cross-origin isolated: WASM threads would silently fall back to 1");
            }
            const measure = (backend: "webgpu" | "wasm", runs: number): Promise<IRunTiming[]> =>
                page.page.evaluate(([b, ks, r, w]) => (window as unknown as IModelTestWindow).__modelPage!.timeRunsAsync(b, [...ks], r, w), [backend, [...opts.ks], runs, opts.warmupRuns] as const);
            // WASM first: the page's WASM runtime then starts with this thread count either way.
            for (const t of await measure("wasm", opts.wasmRuns)) {
                if (t.proxy !== proxy) {
                    throw new Error(`the model page ran ${t.proxy ? "through" : "without"} the model worker, asked ${proxy ? "with" : "without"} it`);
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
    return { backend, threads, k: t.k, p50Ms: t.p50Ms, p99Ms: t.p99Ms, runtime: "chromium", proxy: t.proxy, mainThreadP50Ms: t.mainThreadP50Ms, mainThreadP99Ms: t.mainThreadP99Ms, sendP50Ms: t.sendP50Ms, receiveP50Ms: t.receiveP50Ms };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    // `--no-webgpu`: the WASM rows only (main thread and proxy), in a few minutes.
    measureBrowserInferenceAsync({ webgpu: !process.argv.includes("--no-webgpu") }).then(
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

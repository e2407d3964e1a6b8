import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserHarness, type TestPage } from "./harness/index.js";
import type { IModelPageReport, IModelTestWindow, IPluginFocusResult, IRunTiming, IScorerOutputs, ISessionDiff } from "./pages/model.js";

// The ONNX ranker in Chromium: onnxruntime-web's WebGPU provider (on the SwiftShader adapter)
// against its WASM provider, and the plugin's backend choice with and without navigator.gpu.
// The page runs no render loop (creating a WebGPU session stalled one for seconds here).
const PAGE = "tests/browser/pages/model.html";
/** Candidate counts the worker's outputs are compared at: padded into the buckets of 8 and 64. */
const COUNTS = [5, 50];

describe("the attention model in Chromium", () => {
    let harness: BrowserHarness;

    beforeAll(async () => {
        harness = await BrowserHarness.CreateAsync();
        await warmUpAsync(harness, "tests/browser/pages/model.html?gpu=off");
    });

    afterAll(async () => {
        await harness?.disposeAsync();
    });

    async function openAsync(query: Record<string, string> = {}): Promise<{ page: TestPage; report: IModelPageReport }> {
        const page = await harness.openPageAsync(PAGE, query);
        return { page, report: await page.waitReadyAsync<IModelPageReport>() };
    }

    it("gives WebGPU outputs equal to WASM's within 1e-3, and the plugin ranks on WebGPU when asked", async () => {
        const { page, report } = await openAsync();
        expect(report.hasWebGpu).toBe(true);

        const diffs = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.compareSessionsAsync([1, 7, 64, 100], 0.3, 11));
        for (const diff of diffs) {
            for (const [output, value] of Object.entries(diff.maxDiff)) {
                expect(value, `${output} at N=${diff.n}`).toBeLessThan(1e-3);
            }
            expect(diff.maskedRowsZero, `masked rows at N=${diff.n}`).toBe(true);
        }
        // The random inputs really exercised the mask.
        expect(diffs.reduce((sum, d: ISessionDiff) => sum + d.maskedRows, 0)).toBeGreaterThan(30);
        logDiffs(diffs);

        const scorerDiffs = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.compareScorersAsync([5, 50]));
        for (const row of scorerDiffs) {
            expect(row.maxDiff, `OnnxScorer outputs for ${row.count} candidates`).toBeLessThan(1e-3);
        }

        const focus = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.pluginFocusAsync("webgpu"));
        expectFocusFollowed(focus, "webgpu");

        expect(page.problems).toBe("");
    });

    it('with backend "auto", times WebGPU against WASM at K and ranks on the faster', async () => {
        const { page } = await openAsync();
        const result = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.pluginFocusAsync("auto"));
        const choice = result.choice!;
        expect(choice.k).toBe(64);
        expect(choice.timings.map((t) => t.backend).sort()).toEqual(["wasm", "webgpu"]);
        // Real runs were timed (the order of the list is chooseFastest's, unit-tested in Node).
        expect(choice.timings.every((t) => t.medianMs > 0 && t.runs >= 1)).toBe(true);
        // WASM ranked first, while WebGPU was measured; the winner ranks now.
        expect(result.backendHistory.slice(0, 2)).toEqual(["heuristic", "wasm"]);
        expectFocusFollowed(result, choice.chosen);
        console.log(`auto on this adapter: ${choice.reason}`);
        expect(page.problems).toBe("");
    });

    it("falls back to WASM without navigator.gpu, and focus still follows the camera", async () => {
        const { page, report } = await openAsync({ gpu: "off" });
        expect(report.hasWebGpu).toBe(false);
        const focus = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.pluginFocusAsync("webgpu"));
        expectFocusFollowed(focus, "wasm");
        // The failed WebGPU attempt is a warning, not an error.
        expect(page.problems).toBe("");
    });

    /** A WASM scorer's outputs on the main thread of a page without the worker (made once, compared by two tests). */
    let onMainThread: Promise<IScorerOutputs> | undefined;
    function mainThreadOutputsAsync(): Promise<IScorerOutputs> {
        onMainThread ??= (async () => {
            const plain = await openAsync({ gpu: "off" });
            const outputs = await plain.page.page.evaluate((c) => (window as unknown as IModelTestWindow).__modelPage!.scorerOutputsAsync(c), COUNTS);
            expect(outputs.wasmProxy.enabled).toBe(false);
            expect(outputs.modelWorkers).toBe(0);
            expect(plain.page.problems).toBe("");
            return outputs;
        })();
        return onMainThread;
    }

    it("runs WASM in the plugin's model worker through shared memory on an isolated page, ranking as on the main thread, and the plugin ranks on it", async () => {
        const proxied = await openAsync({ gpu: "off", proxy: "on" });
        expect(proxied.report.crossOriginIsolated).toBe(true);
        const viaWorker = await proxied.page.page.evaluate((c) => (window as unknown as IModelTestWindow).__modelPage!.scorerOutputsAsync(c), COUNTS);
        expect(viaWorker.wasmProxy).toEqual({ requested: true, enabled: true, transport: "shared-memory", reason: "on: WASM runs in the plugin's model worker, off the main thread; runs pass through shared memory" });
        // Seen from outside the plugin: the model worker really started, and each run's result
        // came back through shared memory, not as a message.
        expect(viaWorker.modelWorkers).toBe(1);
        expect(viaWorker.resultsByMessage).toBe(0);
        expect(viaWorker.resultsBySharedMemory).toBeGreaterThanOrEqual(COUNTS.length);
        const focus = await proxied.page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.pluginFocusAsync("wasm"));
        expectFocusFollowed(focus, "wasm");
        expect(focus.wasmProxy?.enabled).toBe(true);
        // One worker per WASM scorer: the scorer's above, then the plugin's.
        expect(focus.modelWorkers).toBe(2);
        // The worker's failure comes back as the scorer's error, as on the main thread.
        const broken = await proxied.page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.brokenModelErrorAsync());
        expect(broken).toMatchObject({ name: "OnnxModelError", kind: "invalid-file", modelWorkers: 1 });
        expect(broken.message).toMatch(/^a 17-byte buffer is not a valid ONNX model: onnxruntime could not parse it/);
        expect(proxied.page.problems).toBe("");

        const inThread = await mainThreadOutputsAsync();
        expect(rankings(viaWorker)).toEqual(rankings(inThread));
        expect(maxDifference(viaWorker, inThread)).toBeLessThan(1e-3);
    });

    it("passes the model worker's runs by message on a page that is not cross-origin isolated, says why, and ranks as on the main thread", async () => {
        const proxied = await openAsync({ gpu: "off", proxy: "on", isolation: "off" });
        expect(proxied.report.crossOriginIsolated).toBe(false);
        const viaWorker = await proxied.page.page.evaluate((c) => (window as unknown as IModelTestWindow).__modelPage!.scorerOutputsAsync(c), COUNTS);
        expect(viaWorker.wasmProxy).toEqual({
            requested: true,
            enabled: true,
            transport: "message",
            reason:
                "on: WASM runs in the plugin's model worker, off the main thread; runs pass by message, not through shared memory: the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)",
        });
        expect(viaWorker.modelWorkers).toBe(1);
        expect(viaWorker.resultsBySharedMemory).toBe(0);
        expect(viaWorker.resultsByMessage).toBeGreaterThanOrEqual(COUNTS.length);
        const focus = await proxied.page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.pluginFocusAsync("wasm"));
        expectFocusFollowed(focus, "wasm");
        expect(focus.wasmProxy).toMatchObject({ enabled: true, transport: "message" });
        expect(proxied.page.problems).toBe("");

        const inThread = await mainThreadOutputsAsync();
        expect(rankings(viaWorker)).toEqual(rankings(inThread));
        expect(maxDifference(viaWorker, inThread)).toBeLessThan(1e-3);
    });

    it('ranks from its own render loop through the worker ("auto"), the model warm and more targets than candidateLimit', async () => {
        const { page } = await openAsync({ gpu: "off", proxy: "auto" });
        const result = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.renderLoopAsync(40, 8));
        expect(result.tracked).toBeGreaterThan(result.candidateLimit);
        expect(result.backendHistory).toEqual(["heuristic", "wasm"]);
        expect(result.backend).toBe("wasm");
        expect(result.wasmProxy).toMatchObject({ requested: "auto", enabled: true, transport: "shared-memory" });
        expect(result.modelWorkers).toBe(1);
        // Model results kept coming back from the worker, through shared memory, while scene.render()
        // ticked the plugin, each read on a later tick: nothing waited for one.
        expect(result.workerResults).toBeGreaterThan(5);
        expect(result.waitsOnDone).toBe(0);
        // Runs a tick apart reach a worker that is looking for them on its own: the render loop
        // wakes it only when it fell asleep between runs (the first, and after a long frame).
        expect(result.runsAnnounced).toBeGreaterThan(5);
        expect(result.seqNotifies).toBeLessThanOrEqual(2 + result.runsAnnounced / 10);
        // Each run launched in a tick reaches the worker at the end of its frame: not inside the
        // frame's rendering, and with no timer task of its own after it. Only the first may go in
        // a task of its own: it is launched before the plugin has seen any frame end.
        expect(result.announcedDuringRender).toBe(0);
        expect(result.announcedBetweenFrames).toBeLessThanOrEqual(1);
        expect(result.announcedAtFrameEnd).toBe(result.runsAnnounced - result.announcedBetweenFrames);
        expect(result.focusAfterTurns).toEqual(["Left", "Right", "Left"]);
        console.log(`render loop through the proxy: ${result.frames} frames, ${result.workerResults} results from the worker, ${result.runsAnnounced} runs announced (${result.announcedAtFrameEnd} at a frame's end), ${result.seqNotifies} notifies`);
        expect(page.problems).toBe("");
    });

    // OnnxScorer's `webgpuDevice` sets ort.env.webgpu.device, but onnxruntime-web 1.30's WebGPU
    // provider (JSEP) always requests its own device from the adapter and then makes that
    // property read-only. This pins that behaviour down: if a later onnxruntime honours the
    // shared device, this fails, and the webgpuDevice option's doc comment can say it is honoured.
    it("keeps its own GPUDevice even when given a WebGPUEngine's (timings reported, not asserted)", async () => {
        const { page, report } = await openAsync({ share: "engine" });
        expect(report.share).toBe("engine");
        const timings = await page.page.evaluate(() => (window as unknown as IModelTestWindow).__modelPage!.timeRunsAsync("webgpu", [64], 10, 2));
        expect(timings[0].runs).toBe(10);
        expect(timings[0].deviceShared).toBe(false);
        logTimings("the engine's device offered", timings);
        expect(page.problems).toBe("");
    });
});

function expectFocusFollowed(result: IPluginFocusResult, backend: string): void {
    expect(result.backend).toBe(backend);
    expect(result.backendHistory.at(-1)).toBe(backend);
    expect(result.focusAfterTurns).toEqual(["Left", "Right", "Left"]);
}

/** Per count and output, the candidates in descending order of that output: what ranking reads. */
function rankings(scored: IScorerOutputs): number[][] {
    const orders: number[][] = [];
    for (const { count, values } of scored.outputs) {
        for (let output = 0; output < values.length / count; output++) {
            const column = values.slice(output * count, (output + 1) * count);
            orders.push([...column.keys()].sort((a, b) => column[b] - column[a] || a - b));
        }
    }
    return orders;
}

/** Largest |a - b| over every output value of both pages (NaN counts as Infinity). */
function maxDifference(a: IScorerOutputs, b: IScorerOutputs): number {
    let max = 0;
    for (const [i, row] of a.outputs.entries()) {
        const other = b.outputs[i];
        expect(other.count).toBe(row.count);
        expect(other.values).toHaveLength(row.values.length);
        for (const [j, value] of row.values.entries()) {
            const d = Math.abs(value - other.values[j]);
            max = d === d ? Math.max(max, d) : Infinity;
        }
    }
    return max;
}

function logDiffs(diffs: ISessionDiff[]): void {
    const lines = diffs.map((d) => `N=${d.n} (${d.maskedRows} masked): ${Object.entries(d.maxDiff).map(([k, v]) => `${k} ${v.toExponential(1)}`).join(", ")}; |max| ${d.maxAbs.toFixed(2)}`);
    console.log(`WebGPU vs WASM, largest |difference|:\n  ${lines.join("\n  ")}`);
}

function logTimings(label: string, rows: IRunTiming[]): void {
    for (const row of rows) {
        console.log(`WebGPU (SwiftShader, not a GPU) with ${label}: K=${row.k} p50 ${row.p50Ms} ms, p99 ${row.p99Ms} ms over ${row.runs} runs; session + warm-up ${row.startMs} ms`);
    }
}

/**
 * Loads a page once with a long timeout and closes it: the first load makes Vite transform the
 * whole module graph, which on a loaded machine outlasts the harness's 30 s navigation timeout.
 */
async function warmUpAsync(harness: BrowserHarness, path: string): Promise<void> {
    const context = await harness.browser.newContext();
    try {
        await (await context.newPage()).goto(`${harness.server.origin}/${path}`, { waitUntil: "load", timeout: 120_000 });
    } finally {
        await context.close();
    }
}

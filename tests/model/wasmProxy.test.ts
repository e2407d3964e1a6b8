import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import { createScorerOutput } from "../../plugin/model/scorer";
import { createTestWorld } from "../helpers/testScene";
import { MODEL_PATH, ORT_WASM_PATH, randomInputs, setUpOrt } from "./modelFixtures";

setUpOrt();

afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
});

describe("wasmProxy in Node", () => {
    it("runs on this thread when the proxy is asked for, scoring as without it, and says why", async () => {
        const proxied = await OnnxScorer.CreateAsync(MODEL_PATH, { wasmPaths: ORT_WASM_PATH, numThreads: 1, wasmProxy: true });
        const plain = await OnnxScorer.CreateAsync(MODEL_PATH, { wasmPaths: ORT_WASM_PATH, numThreads: 1, wasmProxy: false });
        try {
            expect(proxied.wasmProxy).toEqual({ requested: true, enabled: false, transport: null, reason: "no document here (Node, or a worker): WASM runs on this thread" });
            expect(plain.wasmProxy).toMatchObject({ requested: false, enabled: false });
            const inputs = randomInputs(5, 12);
            const a = createScorerOutput(12);
            const b = createScorerOutput(12);
            // Two runs each: a scorer that lost its input buffers to a transfer would fail the second.
            for (let i = 0; i < 2; i++) {
                await proxied.score({ features: inputs.features, count: 12, context: inputs.context, weights: inputs.weights }, a);
                await plain.score({ features: inputs.features, count: 12, context: inputs.context, weights: inputs.weights }, b);
            }
            expect(Array.from(a.engagement)).toEqual(Array.from(b.engagement));
            expect(a.engagement.every(Number.isFinite)).toBe(true);
        } finally {
            proxied.dispose();
            plain.dispose();
        }
    });

    it("ranks on WASM with wasmProxy: true, with one warning saying the proxy cannot run here", async () => {
        const world = createTestWorld();
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const attention = await AttentionPlugin.CreateAsync(world.scene, { model: MODEL_PATH, backend: "wasm", wasmPaths: ORT_WASM_PATH, wasmProxy: true, autoTick: false, occlusion: "none", clock: world.clock.read });
        try {
            expect(await attention.whenModelReadyAsync()).toBe("wasm");
            expect(attention.wasmProxy?.enabled).toBe(false);
            expect(warn).toHaveBeenCalledTimes(1);
            expect(String(warn.mock.calls[0][0])).toBe("AttentionPlugin: wasmProxy is true, but no document here (Node, or a worker): WASM runs on this thread");
        } finally {
            attention.dispose();
            world.dispose();
        }
    }, 30_000);

    it('says why with the default "auto", without a warning', async () => {
        const world = createTestWorld();
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const attention = await AttentionPlugin.CreateAsync(world.scene, { model: MODEL_PATH, backend: "wasm", wasmPaths: ORT_WASM_PATH, autoTick: false, occlusion: "none", clock: world.clock.read });
        try {
            expect(await attention.whenModelReadyAsync()).toBe("wasm");
            expect(attention.wasmProxy).toMatchObject({ requested: "auto", enabled: false });
            expect(warn).not.toHaveBeenCalled();
        } finally {
            attention.dispose();
            world.dispose();
        }
    }, 30_000);

    it("refuses a wasmProxy that is not true, false or \"auto\"", async () => {
        const world = createTestWorld();
        await expect(AttentionPlugin.CreateAsync(world.scene, { wasmProxy: "yes" as unknown as boolean })).rejects.toThrow('AttentionPlugin: wasmProxy must be true, false or "auto"; got "yes"');
        world.dispose();
    });
});

/** A page as the model worker's start sees it: a document that reports CSP violations, and a Worker that loads or is blocked. */
function stubPage(worker: "loads" | "blocked" | "none"): { created: string[] } {
    const listeners = new Set<(e: { violatedDirective: string }) => void>();
    const created: string[] = [];
    vi.stubGlobal("document", {
        baseURI: "http://localhost/",
        addEventListener: (_type: string, listener: (e: { violatedDirective: string }) => void) => listeners.add(listener),
        removeEventListener: (_type: string, listener: (e: { violatedDirective: string }) => void) => listeners.delete(listener),
    });
    if (worker === "none") {
        vi.stubGlobal("Worker", undefined);
        return { created };
    }
    vi.stubGlobal(
        "Worker",
        class {
            public onmessage: ((e: { data: unknown }) => void) | null = null;
            public onerror: (() => void) | null = null;
            public constructor(url: URL) {
                created.push(url.pathname.split("/").pop()!);
                setTimeout(() => {
                    if (worker === "loads") {
                        this.onmessage?.({ data: { type: "loaded" } });
                    } else {
                        // As in Chromium: the page's violation event first, then the worker's error event.
                        listeners.forEach((l) => l({ violatedDirective: "worker-src" }));
                        this.onerror?.();
                    }
                }, 1);
            }
            public postMessage(): void {}
            public terminate(): void {}
        },
    );
    return { created };
}

/** Fresh modules: the page remembers a worker that failed to start. */
async function freshModules(): Promise<{ wasmProxy: typeof import("../../plugin/model/wasmProxy"); session: typeof import("../../plugin/model/workerSession") }> {
    vi.resetModules();
    return { wasmProxy: await import("../../plugin/model/wasmProxy"), session: await import("../../plugin/model/workerSession") };
}

describe("wasmProxy's decision on a page", () => {
    it("tries the model worker for WASM where a page has Worker, and starts it from its own module file", async () => {
        const page = stubPage("loads");
        const { wasmProxy, session } = await freshModules();
        expect(wasmProxy.wasmProxyWithoutWorker("auto", "wasm")).toBeNull();
        expect(wasmProxy.wasmProxyWithoutWorker(true, "wasm")).toBeNull();
        const started = await session.OnnxWorkerSession.StartAsync();
        expect(started).toBeInstanceOf(session.OnnxWorkerSession);
        expect(page.created).toEqual(["onnxWorker.worker.js"]);
        expect(wasmProxy.wasmProxyInWorker("auto", null)).toEqual({ requested: "auto", enabled: true, transport: "shared-memory", reason: "on: WASM runs in the plugin's model worker, off the main thread; runs pass through shared memory" });
        expect(wasmProxy.wasmProxyInWorker(true, "the page is not cross-origin isolated")).toEqual({
            requested: true,
            enabled: true,
            transport: "message",
            reason: "on: WASM runs in the plugin's model worker, off the main thread; runs pass by message, not through shared memory: the page is not cross-origin isolated",
        });
    });

    it("names the directive where the page's Content-Security-Policy blocks the worker, and does not try again on that page", async () => {
        const page = stubPage("blocked");
        const { wasmProxy, session } = await freshModules();
        const failure = await session.OnnxWorkerSession.StartAsync();
        expect(failure).toBe("the page's Content-Security-Policy forbids it: worker-src");
        const state = wasmProxy.wasmProxyWorkerFailed(true, failure as string);
        expect(state).toEqual({ requested: true, enabled: false, transport: null, reason: "a worker could not start here (the page's Content-Security-Policy forbids it: worker-src): WASM runs on the main thread" });
        expect(wasmProxy.wasmProxyWithoutWorker("auto", "wasm")).toEqual({ ...state, requested: "auto" });
        expect(page.created).toHaveLength(1);
    });

    it("keeps WASM on the main thread without a Worker or when asked for false, and WebGPU on the main thread always", async () => {
        stubPage("none");
        let { wasmProxy } = await freshModules();
        expect(wasmProxy.wasmProxyWithoutWorker("auto", "wasm")?.reason).toBe("no Worker here: WASM runs on the main thread");
        stubPage("loads");
        ({ wasmProxy } = await freshModules());
        expect(wasmProxy.wasmProxyWithoutWorker(false, "wasm")).toEqual({ requested: false, enabled: false, transport: null, reason: "off (wasmProxy: false): WASM runs on the main thread" });
        expect(wasmProxy.wasmProxyWithoutWorker(true, "webgpu")).toMatchObject({ enabled: false, reason: expect.stringMatching(/^WebGPU runs on the main thread/) });
    });
});

import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import type { Ort } from "../../plugin/model/onnxRuntime";
import { createScorerOutput } from "../../plugin/model/scorer";
import type { WasmProxyPreference } from "../../plugin/model/wasmProxy";
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
            expect(proxied.wasmProxy).toEqual({ requested: true, enabled: false, reason: expect.stringMatching(/^no document here \(Node, or a worker\)/) });
            // Node ruled the proxy out, so a later scorer's choice is not "fixed" by the first one.
            expect(plain.wasmProxy.reason).toMatch(/^no document here/);
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
            expect(String(warn.mock.calls[0][0])).toBe("AttentionPlugin: wasmProxy is true, but no document here (Node, or a worker): onnxruntime-web runs WASM on this thread");
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

/** A page as the probe sees it: a document that reports CSP violations, and a Worker that answers or is blocked. */
function stubPage(worker: "answers" | "blocked" | "none"): { created: string[] } {
    const listeners = new Set<(e: { violatedDirective: string }) => void>();
    const created: string[] = [];
    vi.stubGlobal("document", {
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
            public onmessage: (() => void) | null = null;
            public onerror: (() => void) | null = null;
            public constructor(url: URL) {
                created.push(url.pathname.split("/").pop()!);
                setTimeout(() => {
                    if (worker === "answers") {
                        this.onmessage?.();
                    } else {
                        // As in Chromium: the page's violation event first, then the worker's error event.
                        listeners.forEach((l) => l({ violatedDirective: "worker-src" }));
                        this.onerror?.();
                    }
                }, 1);
            }
            public terminate(): void {}
        },
    );
    return { created };
}

/** A fresh wasmProxy module (its decision is page-wide) and a fake onnxruntime env. */
async function freshSettle(): Promise<{ settle: (p: WasmProxyPreference) => ReturnType<typeof import("../../plugin/model/wasmProxy").settleWasmProxyAsync>; ort: Ort }> {
    vi.resetModules();
    const { settleWasmProxyAsync } = await import("../../plugin/model/wasmProxy");
    const ort = { env: { wasm: {} } } as unknown as Ort;
    return { settle: (p) => settleWasmProxyAsync(ort, p), ort };
}

describe("wasmProxy's page decision", () => {
    it("turns the proxy on once a probe worker answers, and keeps it for the page", async () => {
        const page = stubPage("answers");
        const { settle, ort } = await freshSettle();
        expect(await settle("auto")).toEqual({ requested: "auto", enabled: true, reason: "on: WASM runs in onnxruntime-web's worker, off the main thread" });
        expect(ort.env.wasm.proxy).toBe(true);
        expect(page.created).toEqual(["wasmProxyProbe.worker.js"]);
        const later = await settle(false);
        expect(later.enabled).toBe(true);
        expect(later.reason).toMatch(/^fixed on for this page by its first model session/);
        expect(page.created).toHaveLength(1);
    });

    it("leaves the proxy off, naming the directive, where the page's Content-Security-Policy blocks the worker", async () => {
        stubPage("blocked");
        const { settle, ort } = await freshSettle();
        const state = await settle(true);
        expect(state.enabled).toBe(false);
        expect(state.reason).toBe("a worker could not start here (the page's Content-Security-Policy forbids it: worker-src): WASM runs on the main thread");
        expect(ort.env.wasm.proxy).toBe(false);
    });

    it("leaves the proxy off without a Worker, and when asked for false, without starting a probe", async () => {
        stubPage("none");
        let { settle } = await freshSettle();
        expect((await settle("auto")).reason).toBe("no Worker here: WASM runs on the main thread");
        const page = stubPage("answers");
        ({ settle } = await freshSettle());
        expect(await settle(false)).toMatchObject({ enabled: false, reason: "off (wasmProxy: false): WASM runs on the main thread" });
        expect(page.created).toEqual([]);
    });

    it("keeps a flag the page set itself before the first session", async () => {
        stubPage("answers");
        const { settle, ort } = await freshSettle();
        ort.env.wasm.proxy = false;
        expect(await settle(true)).toMatchObject({ enabled: false, reason: expect.stringContaining("ort.env.wasm.proxy was already false") });
    });
});

import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { IBackendChoice } from "../../plugin/model/backendChoice";
import { backendChoiceSlot, isRememberedChoiceFresh, LocalStorageBackendChoiceMemory, parseRememberedChoice, REMEMBERED_CHOICE_MAX_AGE_MS, type IBackendChoiceMemory, type IRememberedChoice } from "../../plugin/model/backendChoiceMemory";
import type { ICreateScorerOptions, ICreateScorerResult } from "../../plugin/model/backendSelection";
import { ModelStage, type IModelStageEnvironment } from "../../plugin/model/modelStage";
import type { IAttentionScorer, IScorerInput, IScorerOutput, ScorerBackend } from "../../plugin/model/scorer";

// backend "auto" keeps what it measured between page loads: a later load where WASM won ranks on
// the WASM-only build and makes no WebGPU scorer, so it never fetches the full build.

const HOUR_MS = 3_600_000;

/** A scorer whose runs cost `ms` on a shared fake clock. */
class FixedCostScorer implements IAttentionScorer {
    public readonly isSynchronous = false;
    public disposed = false;

    public constructor(
        public readonly backend: ScorerBackend,
        private readonly _clock: { now: number },
        private readonly _ms: number
    ) {}

    public async score(_input: IScorerInput, _output: IScorerOutput): Promise<void> {
        this._clock.now += this._ms;
    }

    public dispose(): void {
        this.disposed = true;
    }
}

class MapMemory implements IBackendChoiceMemory {
    public readonly entries = new Map<string, IRememberedChoice>();

    public recall(key: string): IRememberedChoice | null {
        return this.entries.get(key) ?? null;
    }

    public remember(key: string, remembered: IRememberedChoice): void {
        // Through JSON, as localStorage keeps it.
        this.entries.set(key, JSON.parse(JSON.stringify(remembered)) as IRememberedChoice);
    }
}

interface ILoad {
    stage: ModelStage;
    /** The backends of the scorers this load made, in order. */
    created: ScorerBackend[];
    /** The onnxruntime-web build each scorer was asked for. */
    builds: (string | undefined)[];
    logs: string[];
}

/** One page load on a device with WebGPU where each backend costs `costs` ms per run. */
function load(memory: IBackendChoiceMemory | undefined, costs: { wasm: number; webgpu: number }, options: { dateNow?: number; candidateLimit?: number; rememberChoice?: boolean; adapter?: string; backend?: "auto" | "wasm" } = {}): ILoad {
    const clock = { now: 0 };
    const created: ScorerBackend[] = [];
    const builds: (string | undefined)[] = [];
    const logs: string[] = [];
    vi.spyOn(Logger, "Log").mockImplementation((message) => void logs.push(String(message)));
    const env: IModelStageEnvironment = {
        hasWebGpu: () => true,
        describeWebGpuAdapterAsync: async () => options.adapter ?? "google / swiftshader / SwiftShader",
        now: () => clock.now,
        dateNow: () => options.dateNow ?? 1_000 * HOUR_MS,
        browser: "test browser",
        backendMemory: memory,
        createScorerAsync: async (o: ICreateScorerOptions): Promise<ICreateScorerResult> => {
            const backend = o.backend as "webgpu" | "wasm";
            created.push(backend);
            builds.push(o.ortBuild);
            const scorer = new FixedCostScorer(backend, clock, costs[backend]);
            return { scorer, backend, failures: [] };
        },
    };
    const stage = new ModelStage({ backend: options.backend ?? "auto", model: "/models/attention.onnx", candidateLimit: options.candidateLimit ?? 64, scorerOptions: { sha256: "ab12" }, rememberChoice: options.rememberChoice, environment: env });
    return { stage, created, builds, logs };
}

afterEach(() => {
    vi.restoreAllMocks();
});

describe('backend "auto" remembers its choice between page loads', () => {
    it("keeps a measured WASM win, and a later load ranks on the WASM-only build without making a WebGPU scorer", async () => {
        const memory = new MapMemory();
        const first = load(memory, { wasm: 0.5, webgpu: 2 });
        expect((await first.stage.whenChoiceAsync())?.chosen).toBe("wasm");
        expect(first.created).toEqual(["wasm", "webgpu"]);
        expect(first.builds[0]).toBe("full");
        expect(memory.entries.size).toBe(1);
        first.stage.dispose();

        const later = load(memory, { wasm: 0.5, webgpu: 2 }, { dateNow: 1_003 * HOUR_MS });
        const choice = await later.stage.whenChoiceAsync();
        expect(later.stage.backend).toBe("wasm");
        // No WebGPU scorer, so no full build for it. (The WASM scorer's "full" is the page
        // thread's build, which a model worker ignores: it takes the WASM-only build.)
        expect(later.created).toEqual(["wasm"]);
        expect(later.builds).toEqual(["full"]);
        expect(choice?.chosen).toBe("wasm");
        expect(choice?.timings.map((t) => t.backend)).toEqual(["wasm", "webgpu"]);
        expect(choice?.reason).toBe("wasm ran fastest at K = 64: 0.50 ms per run against webgpu 2.00 ms (measured on this device 3 h ago; measured again after 7 days, or when K moves by a factor of 2)");
        expect(later.logs).toEqual([`AttentionPlugin: backend "auto": ${choice?.reason}`]);
        later.stage.dispose();
    });

    it("measures again where WebGPU won, where the choice is 7 days old, on another adapter, and where K moved by a factor of 2", async () => {
        const cases: { name: string; costs: { wasm: number; webgpu: number }; options: Parameters<typeof load>[2] }[] = [
            { name: "webgpu won", costs: { wasm: 2, webgpu: 0.5 }, options: {} },
            { name: "7 days old", costs: { wasm: 0.5, webgpu: 2 }, options: { dateNow: 1_000 * HOUR_MS + REMEMBERED_CHOICE_MAX_AGE_MS } },
            { name: "another adapter", costs: { wasm: 0.5, webgpu: 2 }, options: { adapter: "nvidia / ada / RTX" } },
            { name: "K doubled", costs: { wasm: 0.5, webgpu: 2 }, options: { candidateLimit: 128 } },
        ];
        for (const c of cases) {
            const memory = new MapMemory();
            const first = load(memory, c.costs);
            await first.stage.whenChoiceAsync();
            first.stage.dispose();
            const later = load(memory, c.costs, c.options);
            await later.stage.whenChoiceAsync();
            expect(later.created, c.name).toEqual(["wasm", "webgpu"]);
            later.stage.dispose();
        }
    });

    it("makes a WebGPU scorer and measures once K moves by a factor of 2 after a remembered choice", async () => {
        const memory = new MapMemory();
        const first = load(memory, { wasm: 0.5, webgpu: 2 });
        await first.stage.whenChoiceAsync();
        first.stage.dispose();

        const later = load(memory, { wasm: 0.5, webgpu: 2 });
        await later.stage.whenChoiceAsync();
        later.stage.candidateLimit = 48;
        expect(later.stage.choice?.k).toBe(64);
        // Halved: the kept choice goes, and a second change while WebGPU starts times nothing twice.
        later.stage.candidateLimit = 32;
        expect(later.stage.choice).toBeNull();
        later.stage.candidateLimit = 16;
        const remeasured = await later.stage.whenChoiceAsync();
        expect(later.created).toEqual(["wasm", "webgpu"]);
        expect(remeasured?.k).toBe(16);
        expect(remeasured?.timings.map((t) => t.backend)).toEqual(["wasm", "webgpu"]);
        expect(later.logs.filter((line) => line.includes("ran fastest"))).toHaveLength(2);
        expect(later.logs[1]).not.toContain("measured on this device");
        later.stage.dispose();
    });

    it("keeps what it measures after a switch to \"auto\"", async () => {
        const memory = new MapMemory();
        const first = load(memory, { wasm: 0.5, webgpu: 2 }, { backend: "wasm" });
        await first.stage.whenReadyAsync();
        await first.stage.switchAsync("auto");
        expect((await first.stage.whenChoiceAsync())?.chosen).toBe("wasm");
        expect(memory.entries.size).toBe(1);
        first.stage.dispose();
    });

    it("keeps nothing with rememberChoice false, and never recalls for it", async () => {
        const memory = new MapMemory();
        const first = load(memory, { wasm: 0.5, webgpu: 2 }, { rememberChoice: false });
        await first.stage.whenChoiceAsync();
        first.stage.dispose();
        expect(memory.entries.size).toBe(0);

        const measured = load(memory, { wasm: 0.5, webgpu: 2 });
        await measured.stage.whenChoiceAsync();
        measured.stage.dispose();
        const unrecalled = load(memory, { wasm: 0.5, webgpu: 2 }, { rememberChoice: false });
        await unrecalled.stage.whenChoiceAsync();
        expect(unrecalled.created).toEqual(["wasm", "webgpu"]);
        unrecalled.stage.dispose();
    });
});

describe("the kept choice", () => {
    const choice: IBackendChoice = {
        k: 64,
        timings: [
            { backend: "wasm", medianMs: 0.5, runs: 7, stoppedEarly: false },
            { backend: "webgpu", medianMs: 2, runs: 7, stoppedEarly: false },
        ],
        chosen: "wasm",
        reason: "wasm ran fastest",
    };

    it("reads back what was written, and nothing from text that is not a kept choice", () => {
        const kept = { choice, measuredAt: 5, device: "d" };
        expect(parseRememberedChoice(JSON.stringify(kept))).toEqual(kept);
        const [wasm, webgpu] = choice.timings;
        const notKept = [
            "",
            "{",
            "null",
            "[]",
            { ...kept, measuredAt: "5" },
            { choice, measuredAt: 5 },
            { ...kept, choice: { ...choice, chosen: "cpu" } },
            { ...kept, choice: { ...choice, k: 0 } },
            { ...kept, choice: { ...choice, timings: [{ backend: "wasm" }, webgpu] } },
            // One timing could never be re-checked; a stalled one is never kept; the fastest is the one chosen.
            { ...kept, choice: { ...choice, timings: [wasm] } },
            { ...kept, choice: { ...choice, timings: [wasm, { ...webgpu, stalled: true }] } },
            { ...kept, choice: { ...choice, chosen: "webgpu" } },
        ];
        for (const value of notKept) {
            const text = typeof value === "string" ? value : JSON.stringify(value);
            expect(parseRememberedChoice(text), text).toBeNull();
        }
    });

    it("stands for under 7 days, not from the future, at a K within a factor of 2", () => {
        const remembered = { choice, measuredAt: 1_000, device: "d" };
        expect(isRememberedChoiceFresh(remembered, 64, 1_000)).toBe(true);
        expect(isRememberedChoiceFresh(remembered, 64, 1_000 + REMEMBERED_CHOICE_MAX_AGE_MS - 1)).toBe(true);
        expect(isRememberedChoiceFresh(remembered, 64, 1_000 + REMEMBERED_CHOICE_MAX_AGE_MS)).toBe(false);
        expect(isRememberedChoiceFresh(remembered, 64, 999)).toBe(false);
        expect([127, 128, 33, 32].map((k) => isRememberedChoiceFresh(remembered, k, 1_000))).toEqual([true, false, true, false]);
    });

    it("is kept one per model, and stands only for the adapter, browser and WASM threads it was measured with", () => {
        const parts = { model: "ab12", adapter: "google / swiftshader / SwiftShader", browser: "test browser", wasmThreads: 1 };
        const slot = backendChoiceSlot(parts);
        expect(slot.key).toBe("babylon-attention.backendChoice:ab12");
        expect(backendChoiceSlot({ ...parts, model: "cd34" }).key).not.toBe(slot.key);
        for (const changed of [{ adapter: "nvidia / ada / RTX" }, { browser: "newer browser" }, { wasmThreads: 2 }]) {
            const other = backendChoiceSlot({ ...parts, ...changed });
            expect(other.key).toBe(slot.key);
            expect(other.device).not.toBe(slot.device);
        }
    });

    it("lives in localStorage where there is one, and a storage that throws keeps nothing and throws nothing", () => {
        const memory = new LocalStorageBackendChoiceMemory();
        const store = new Map<string, string>();
        vi.stubGlobal("localStorage", { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) });
        memory.remember("key", { choice, measuredAt: 5, device: "d" });
        expect(memory.recall("key")).toEqual({ choice, measuredAt: 5, device: "d" });
        vi.stubGlobal("localStorage", {
            getItem: () => {
                throw new Error("SecurityError");
            },
            setItem: () => {
                throw new Error("QuotaExceededError");
            },
        });
        expect(() => memory.remember("key", { choice, measuredAt: 5, device: "d" })).not.toThrow();
        expect(memory.recall("key")).toBeNull();
        vi.unstubAllGlobals();
        expect(memory.recall("key")).toBeNull();
    });
});

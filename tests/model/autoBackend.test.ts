import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { chooseFastest, needsRecheck, timeScorerAsync } from "../../plugin/model/backendChoice";
import type { ICreateScorerOptions, ICreateScorerResult } from "../../plugin/model/backendSelection";
import { HeuristicScorer } from "../../plugin/model/heuristicScorer";
import { TIMING_STALL_MS } from "../../plugin/model/autoBackendChooser";
import { ModelStage, type IModelStageEnvironment } from "../../plugin/model/modelStage";
import type { IAttentionScorer, IScorerInput, IScorerOutput, ScorerBackend } from "../../plugin/model/scorer";
import { twoEntityTick } from "./twoEntityTick";

// backend "auto" where WebGPU exists: WASM ranks first, then both are timed at the current K on
// a fake clock (each fake run advances it by its cost), and the faster ranks.

/** The fake clock, and the run in flight on the (one) runtime. */
interface IFakeRuntime {
    now: number;
    running: TimedScorer | null;
}

/** A model scorer whose run costs `msPerRun(count)` on the fake clock. */
class TimedScorer implements IAttentionScorer {
    public readonly isSynchronous = false;
    public disposed = false;
    public runs = 0;
    public failNextRun = false;
    /** While set, runs wait for it (to hold a measurement open). */
    public gate: Promise<void> | null = null;

    public constructor(
        public readonly backend: ScorerBackend,
        private readonly _clock: IFakeRuntime,
        private readonly _msPerRun: (count: number) => number
    ) {}

    public async score(input: IScorerInput, _output: IScorerOutput): Promise<void> {
        // onnxruntime-web runs one session at a time: another session's run fails meanwhile.
        if (this._clock.running !== null && this._clock.running !== this) {
            throw new Error("Session already started");
        }
        this._clock.running = this;
        try {
            await this._runAsync(input);
        } finally {
            this._clock.running = null;
        }
    }

    private async _runAsync(input: IScorerInput): Promise<void> {
        if (this.gate) {
            await this.gate;
        }
        if (this.failNextRun) {
            this.failNextRun = false;
            throw new Error("device lost");
        }
        this.runs++;
        this._clock.now += this._msPerRun(input.count);
    }

    public dispose(): void {
        this.disposed = true;
    }
}

interface IFakeGpuWorld {
    env: IModelStageEnvironment;
    created: TimedScorer[];
    warnings: string[];
    logs: string[];
}

/**
 * WebGPU that "fails" to start (reported as a failure), "throws" while starting (an error the
 * creation did not catch), or "hangs": it starts, but its runs never finish (a hung device).
 */
/** How long a "hangs" WebGPU run takes, real (fake-timer) milliseconds. */
const HUNG_RUN_MS = 3 * TIMING_STALL_MS;

function fakeWorld(costs: { wasm: (k: number) => number; webgpu: ((k: number) => number) | "fails" | "throws" | "hangs" }, webGpu = true): IFakeGpuWorld {
    const clock: IFakeRuntime = { now: 0, running: null };
    const created: TimedScorer[] = [];
    const warnings: string[] = [];
    const logs: string[] = [];
    vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
    vi.spyOn(Logger, "Log").mockImplementation((message) => void logs.push(String(message)));
    const env: IModelStageEnvironment = {
        hasWebGpu: () => webGpu,
        now: () => clock.now,
        createScorerAsync: async (options: ICreateScorerOptions): Promise<ICreateScorerResult> => {
            const backend = options.backend as "webgpu" | "wasm";
            const cost = costs[backend];
            if (cost === "throws") {
                throw new Error("GPUDevice lost during creation");
            }
            if (cost === "fails") {
                const error = new Error("no adapter");
                options.onWarning?.(`attention scorer: using heuristic after webgpu failed (${error.message})`);
                return { scorer: new HeuristicScorer(), backend: "heuristic", failures: [{ backend, error }] };
            }
            const scorer = new TimedScorer(backend, clock, cost === "hangs" ? () => 1 : cost);
            if (cost === "hangs") {
                // Far past the stall limit, as a first WebGPU run on a starved software adapter.
                scorer.gate = new Promise((resolve) => setTimeout(resolve, HUNG_RUN_MS));
            }
            created.push(scorer);
            return { scorer, backend, failures: [] };
        },
    };
    return { env, created, warnings, logs };
}

function createStage(world: IFakeGpuWorld, candidateLimit = 64): ModelStage {
    return new ModelStage({ backend: "auto", model: new Uint8Array(1), candidateLimit, scorerOptions: {}, environment: world.env });
}


afterEach(() => {
    vi.restoreAllMocks();
});

describe('the onnxruntime-web build "auto" asks for', () => {
    it("asks for the full build where WebGPU has an adapter, so WASM and WebGPU share one runtime", async () => {
        const world = fakeWorld({ wasm: () => 0.5, webgpu: () => 2 });
        const builds: (string | undefined)[] = [];
        const create = world.env.createScorerAsync;
        world.env.describeWebGpuAdapterAsync = async () => "fake / gpu / adapter";
        world.env.createScorerAsync = (options) => (builds.push(options.ortBuild), create(options));
        const stage = createStage(world);
        await stage.whenChoiceAsync();
        expect(builds[0]).toBe("full");
        expect(world.created.map((s) => s.backend)).toEqual(["wasm", "webgpu"]);
        stage.dispose();
    });

    it("asks for the WASM-only build and tries no WebGPU where navigator.gpu gives no adapter", async () => {
        const world = fakeWorld({ wasm: () => 0.5, webgpu: () => 2 });
        const builds: (string | undefined)[] = [];
        const create = world.env.createScorerAsync;
        world.env.describeWebGpuAdapterAsync = async () => null;
        world.env.createScorerAsync = (options) => (builds.push(options.ortBuild), create(options));
        const stage = createStage(world);
        await expect(stage.whenReadyAsync()).resolves.toBe("wasm");
        await expect(stage.whenChoiceAsync()).resolves.toBeNull();
        expect(builds).toEqual(["wasm"]);
        expect(world.created.map((s) => s.backend)).toEqual(["wasm"]);
        stage.dispose();
    });
});

describe('backend "auto" measures WebGPU against WASM', () => {
    it("ranks on WASM at once, times both at K and keeps WASM where it is faster, saying so", async () => {
        const world = fakeWorld({ wasm: () => 0.5, webgpu: () => 2 });
        const stage = createStage(world);
        const history: string[] = [];
        stage.backend$.subscribe((b) => history.push(b));
        await expect(stage.whenReadyAsync()).resolves.toBe("wasm");

        const choice = await stage.whenChoiceAsync();
        expect(choice?.k).toBe(64);
        expect(choice?.chosen).toBe("wasm");
        expect(choice?.timings.map((t) => [t.backend, t.medianMs])).toEqual([
            ["wasm", 0.5],
            ["webgpu", 2],
        ]);
        expect(stage.backend).toBe("wasm");
        expect(history).toEqual(["heuristic", "wasm"]);
        expect(world.logs).toEqual(['AttentionPlugin: backend "auto": wasm ran fastest at K = 64: 0.50 ms per run against webgpu 2.00 ms']);
        // The loser stays on standby (not disposed); no warning for a measured choice.
        const [wasm, webgpu] = world.created;
        expect([wasm.backend, webgpu.backend, webgpu.disposed]).toEqual(["wasm", "webgpu", false]);
        expect(world.warnings).toEqual([]);
        stage.dispose();
        expect(webgpu.disposed && wasm.disposed).toBe(true);
    });

    it("moves to WebGPU when it is faster, and falls back to the WASM kept on standby if WebGPU then fails", async () => {
        const world = fakeWorld({ wasm: () => 0.5, webgpu: () => 0.25 });
        const stage = createStage(world);
        const history: string[] = [];
        stage.backend$.subscribe((b) => history.push(b));
        expect((await stage.whenChoiceAsync())?.chosen).toBe("webgpu");
        expect(stage.backend).toBe("webgpu");
        expect(history).toEqual(["heuristic", "wasm", "webgpu"]);

        const [wasm, webgpu] = world.created;
        webgpu.failNextRun = true;
        const t = twoEntityTick();
        stage.launch(t.frame, t.store);
        await stage.whenRunEndsAsync();
        for (let i = 0; i < 20 && stage.backend !== "wasm"; i++) {
            await Promise.resolve();
        }
        expect(stage.backend).toBe("wasm");
        expect(webgpu.disposed).toBe(true);
        // The standby took over: no new WASM session was created, and one warning was given.
        expect(world.created).toHaveLength(2);
        expect(wasm.disposed).toBe(false);
        expect(world.warnings).toHaveLength(1);
        expect(world.warnings[0]).toContain("webgpu backend stopped ranking");
        stage.dispose();
    });

    it("measures again when K changes by a factor of 2, not for smaller changes, and emits each choice", async () => {
        // WASM grows with K, this GPU barely: WASM wins at 64, WebGPU at 256.
        const world = fakeWorld({ wasm: (k) => k / 64, webgpu: () => 1.5 });
        const stage = createStage(world);
        // choice$ replays the current choice and emits each measurement (what the Inspector shows).
        const measuredAt: Array<number | null> = [];
        stage.choice$.subscribe((c) => measuredAt.push(c ? c.k : null));
        expect((await stage.whenChoiceAsync())?.chosen).toBe("wasm");

        stage.candidateLimit = 100;
        expect((await stage.whenChoiceAsync())?.k).toBe(64);

        stage.candidateLimit = 256;
        const again = await stage.whenChoiceAsync();
        expect(again?.k).toBe(256);
        expect(again?.chosen).toBe("webgpu");
        expect(again?.timings.map((t) => [t.backend, t.medianMs])).toEqual([
            ["webgpu", 1.5],
            ["wasm", 4],
        ]);
        expect(stage.backend).toBe("webgpu");
        expect(measuredAt).toEqual([null, 64, 256]);
        stage.dispose();
    });

    it("launches no tick run while it measures (onnxruntime-web runs one session at a time), and times a K that moved meanwhile", async () => {
        const world = fakeWorld({ wasm: () => 0.6, webgpu: () => 2 });
        const stage = createStage(world);
        await stage.whenChoiceAsync();
        const [wasm] = world.created;
        let open!: () => void;
        wasm.gate = new Promise((resolve) => (open = resolve));

        stage.candidateLimit = 128; // a re-check starts and waits on the gate
        const t = twoEntityTick();
        expect(stage.launch(t.frame, t.store)).toBe(false);
        // K moves again mid-measurement (the timing at 128 has started: it waits on the gate);
        // once that timing ends, the new K is timed too.
        await new Promise((resolve) => setTimeout(resolve, 0));
        stage.candidateLimit = 512;
        wasm.gate = null;
        open();
        expect((await stage.whenChoiceAsync())?.k).toBe(512);
        expect(stage.launch(t.frame, t.store)).toBe(true);
        stage.dispose();
    });

    it("gives up on a WebGPU timing run that hangs: one warning, the choice reported, and WASM ranks once the hung run has ended", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        const unhandled: unknown[] = [];
        const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
        process.on("unhandledRejection", onUnhandled);
        try {
            const world = fakeWorld({ wasm: () => 0.5, webgpu: "hangs" });
            const stage = createStage(world);
            let choice: Awaited<ReturnType<ModelStage["whenChoiceAsync"]>> | undefined;
            void stage.whenChoiceAsync().then((c) => (choice = c));
            // Real time passes only on the fake timers: nothing gives up before the stall limit.
            await vi.advanceTimersByTimeAsync(TIMING_STALL_MS - 100);
            expect(choice).toBeUndefined();
            const t = twoEntityTick();
            expect(stage.launch(t.frame, t.store)).toBe(false);
            await vi.advanceTimersByTimeAsync(200);
            expect(choice?.chosen).toBe("wasm");
            expect(choice?.timings.map((x) => [x.backend, x.stalled ?? false])).toEqual([
                ["wasm", false],
                ["webgpu", true],
            ]);
            expect(choice?.reason).toContain(`webgpu (a run had not finished after ${TIMING_STALL_MS} ms)`);
            expect(world.warnings).toEqual([`AttentionPlugin: backend "auto": a webgpu run had not finished after ${TIMING_STALL_MS} ms; that backend is dropped and wasm ranks once that run has ended`]);
            const [wasm, webgpu] = world.created;
            expect(webgpu.disposed).toBe(true);
            expect(stage.backend).toBe("wasm");
            // The hung run still holds the runtime: a WASM run now would fail ("Session already
            // started") and drop the model for good, so none starts; the heuristic ranks meanwhile.
            expect(stage.launch(t.frame, t.store)).toBe(false);

            await vi.advanceTimersByTimeAsync(HUNG_RUN_MS);
            expect(stage.launch(t.frame, t.store)).toBe(true);
            await stage.whenRunEndsAsync();
            expect(stage.merge(t.frame, t.store, (id) => (id === 1 ? 0 : id === 2 ? 1 : -1))).toBe(true);
            expect(stage.backend).toBe("wasm");
            expect(wasm.disposed).toBe(false);
            expect(world.warnings).toHaveLength(1);
            expect(unhandled).toEqual([]);
            stage.dispose();
        } finally {
            process.off("unhandledRejection", onUnhandled);
            vi.useRealTimers();
        }
    });

    it("never rejects the measurement: an error while WebGPU starts is one warning, and WASM keeps ranking", async () => {
        const world = fakeWorld({ wasm: () => 0.5, webgpu: "throws" });
        const stage = createStage(world);
        await expect(stage.whenChoiceAsync()).resolves.toBeNull();
        expect(stage.backend).toBe("wasm");
        expect(world.warnings).toEqual(['AttentionPlugin: backend "auto" could not measure the backends (GPUDevice lost during creation); wasm ranks']);
        const t = twoEntityTick();
        expect(stage.launch(t.frame, t.store)).toBe(true);
        stage.dispose();
    });

    it("stays on WASM, logging why, when WebGPU cannot start, and measures nothing without WebGPU", async () => {
        const failing = fakeWorld({ wasm: () => 0.6, webgpu: "fails" });
        const stage = createStage(failing);
        const choice = await stage.whenChoiceAsync();
        expect(choice?.chosen).toBe("wasm");
        expect(choice?.timings).toEqual([]);
        expect(choice?.reason).toContain("webgpu could not start (no adapter)");
        expect(stage.backend).toBe("wasm");
        // WASM ranks, so no warning: the reason is logged, and nothing claims the heuristic ranks.
        expect(failing.warnings).toEqual([]);
        expect(failing.logs).toEqual(['AttentionPlugin: backend "auto": webgpu could not start (no adapter); wasm ranks']);
        // Nothing to re-check against.
        stage.candidateLimit = 256;
        expect((await stage.whenChoiceAsync())?.k).toBe(64);
        stage.dispose();
        vi.restoreAllMocks();

        const noGpu = fakeWorld({ wasm: () => 0.6, webgpu: () => 0.1 }, false);
        const plain = createStage(noGpu);
        await expect(plain.whenChoiceAsync()).resolves.toBeNull();
        expect(plain.backend).toBe("wasm");
        expect(noGpu.created.map((s) => s.backend)).toEqual(["wasm"]);
        plain.dispose();
    });
});

describe("backend choice helpers", () => {
    it("orders the timings fastest first and re-checks only at a factor of 2", () => {
        const choice = chooseFastest(
            [
                { backend: "webgpu", medianMs: 3.25, runs: 7, stoppedEarly: false },
                { backend: "wasm", medianMs: 0.5, runs: 7, stoppedEarly: false },
            ],
            64
        );
        expect(choice.chosen).toBe("wasm");
        expect(choice.reason).toBe("wasm ran fastest at K = 64: 0.50 ms per run against webgpu 3.25 ms");
        expect([needsRecheck(choice, 127), needsRecheck(choice, 128), needsRecheck(choice, 33), needsRecheck(choice, 32), needsRecheck(null, 256)]).toEqual([false, true, false, true, false]);
        expect(() => chooseFastest([], 64)).toThrow(/no backend was measured/);
    });

    it("stops timing a backend at its first run over the limit", async () => {
        const clock = { now: 0, running: null };
        const costs = [0.5, 0.5, 300, 0.5];
        let run = 0;
        const slow = new TimedScorer("webgpu", clock, () => costs[run++] ?? 0.5);
        const timing = await timeScorerAsync(slow, 64, () => clock.now, { limitMs: 250 });
        expect(timing).toEqual({ backend: "webgpu", medianMs: 300, runs: 1, stoppedEarly: true });
        expect(slow.runs).toBe(3);
        const reason = chooseFastest([timing, { backend: "wasm", medianMs: 0.5, runs: 7, stoppedEarly: false }], 64).reason;
        expect(reason).toBe("wasm ran fastest at K = 64: 0.50 ms per run against webgpu 300 ms (one run, too slow to time further)");
    });
});

import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { ICreateScorerOptions, ICreateScorerResult } from "../../plugin/model/backendSelection";
import type { RunHandOver } from "../../plugin/model/modelRunner";
import { ModelStage } from "../../plugin/model/modelStage";
import type { IAttentionScorer, ILaunchingScorer, IScorerInput, IScorerOutput } from "../../plugin/model/scorer";
import { MODEL_PATH, ORT_WASM_PATH, setUpOrt } from "./modelFixtures";
import { twoEntityTick } from "./twoEntityTick";

setUpOrt();

/** A WebGPU-like scorer whose first run hangs until `release()`, as a lost or starved device does. */
class StallingScorer implements IAttentionScorer {
    public readonly backend = "webgpu" as const;
    public readonly isSynchronous = false;
    public disposed = false;
    private _release: () => void = () => undefined;

    public score(_input: IScorerInput, _output: IScorerOutput): Promise<void> {
        return new Promise((resolve) => (this._release = resolve));
    }

    public release(): void {
        this._release();
    }

    public dispose(): void {
        this.disposed = true;
    }
}

/** A model scorer whose runs finish at once; `isOverBudget` is set by the test, as a slow device's run budget would. */
class JudgedScorer implements IAttentionScorer {
    public readonly isSynchronous = false;
    public isOverBudget = false;
    public runs = 0;
    public disposed = false;

    public constructor(public readonly backend: "webgpu" | "wasm") {}

    public async score(_input: IScorerInput, _output: IScorerOutput): Promise<void> {
        this.runs++;
    }

    public dispose(): void {
        this.disposed = true;
    }
}

/** A model scorer that launches runs and ends one when the test says so; its scores reverse the heuristic's order. */
class LaunchingScorer implements ILaunchingScorer {
    public readonly backend = "wasm" as const;
    public readonly isSynchronous = false;
    public launches = 0;
    public waits = 0;
    /** True once the launched run has reached the worker (the model worker's `handOver`). */
    public handedOver = false;
    public handOvers = 0;
    private _output: IScorerOutput | null = null;
    private _count = 0;
    private _ended = false;

    public score(): Promise<void> {
        return Promise.reject(new Error("the stage awaited a run it could have collected"));
    }

    public launch(input: IScorerInput, output: IScorerOutput, handOver: RunHandOver = "next-task"): boolean {
        this.launches++;
        this._output = output;
        this._count = input.count;
        this._ended = false;
        this.handedOver = handOver === "next-task";
        return true;
    }

    public handOver(): void {
        if (this._output && !this.handedOver) {
            this.handedOver = true;
            this.handOvers++;
        }
    }

    /** The worker's side: the run in flight ends. A run the worker never got cannot. */
    public end(): void {
        if (!this.handedOver) {
            throw new Error("the run was never handed over to the worker");
        }
        for (let r = 0; r < this._count; r++) {
            this._output!.engagement[r] = r;
        }
        this._ended = true;
    }

    public collect(): boolean {
        if (!this._output || !this._ended) {
            return false;
        }
        this._output = null;
        return true;
    }

    public whenRunEndsAsync(): Promise<void> {
        this.waits++;
        return Promise.resolve();
    }

    public dispose(): void {}
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
    vi.restoreAllMocks();
});

/** A model stage ranking with a `LaunchingScorer`, and a two-entity tick to launch runs from. */
async function launchingStageAsync(): Promise<{ stage: ModelStage; scorer: LaunchingScorer } & ReturnType<typeof twoEntityTick>> {
    const stage = new ModelStage({ backend: "heuristic", model: MODEL_PATH, candidateLimit: 4, scorerOptions: { wasmPaths: ORT_WASM_PATH, numThreads: 1 } });
    await stage.whenReadyAsync();
    const scorer = new LaunchingScorer();
    stage.use(scorer);
    return { stage, scorer, ...twoEntityTick() };
}

describe("ModelStage with a scorer that launches runs", () => {
    it("takes a run's result on the next tick and merges it there, without waiting for it", async () => {
        const { stage, scorer, store, frame } = await launchingStageAsync();
        const slotOfId = (id: number): number => (id === 1 ? 0 : id === 2 ? 1 : -1);

        stage.handOver(); // a frame ended: launches leave the hand-over to the next one
        expect(stage.launch(frame, store)).toBe(true);
        expect(stage.merge(frame, store, slotOfId)).toBe(false); // nothing has ended yet
        // The run waits on this thread until the frame's end hands it over.
        expect(scorer.handedOver).toBe(false);
        stage.handOver();
        expect(scorer.handedOver).toBe(true);
        frame.time.nowMs += 33;
        expect(stage.launch(frame, store)).toBe(false); // still in flight: this tick starts none
        scorer.end();

        // The next tick, in the same synchronous run of code: its result is taken, the next run
        // starts, and the merge ranks with the model's order (the reverse of the heuristic's).
        frame.time.nowMs += 33;
        expect(stage.launch(frame, store)).toBe(true);
        expect(stage.merge(frame, store, slotOfId)).toBe(true);
        expect(frame.scores.engagement[1]).toBeGreaterThan(frame.scores.engagement[0]);
        expect(scorer.launches).toBe(2);
        expect(scorer.waits).toBe(0);

        // A caller that waits for the run (tickAsync) gets it taken as well.
        stage.handOver();
        scorer.end();
        await stage.whenRunEndsAsync();
        expect(scorer.waits).toBe(1);
        frame.time.nowMs += 33;
        expect(stage.launch(frame, store)).toBe(true);
        stage.dispose();
    });

    it("hands runs over in a task of their own until a frame's end is seen, and a held run on the next tick", async () => {
        const { stage, scorer, store, frame } = await launchingStageAsync();

        // A scene rendered outside an engine's render loop: no frame's end ever hands a run over.
        expect(stage.launch(frame, store)).toBe(true);
        expect(scorer.handedOver).toBe(true); // launched "next-task": the scorer hands it over itself
        scorer.end();
        frame.time.nowMs += 1500; // a long pause between ticks is no stall
        expect(stage.launch(frame, store)).toBe(true);
        expect(scorer.handedOver).toBe(true);
        expect(stage.backend).toBe("wasm");
        scorer.end();

        // A frame ended, then the render loop stopped within the next frame: the run launched
        // for its end goes to the worker on the next tick, once, and is timed from then.
        stage.handOver();
        frame.time.nowMs += 33;
        expect(stage.launch(frame, store)).toBe(true);
        expect(scorer.handedOver).toBe(false);
        frame.time.nowMs += 1500;
        expect(stage.launch(frame, store)).toBe(false); // in flight, now with the worker, not stalled
        expect(stage.backend).toBe("wasm");
        expect(scorer.handedOver).toBe(true);
        expect(scorer.handOvers).toBe(1);
        stage.handOver(); // a frame's end after it changes nothing
        expect(scorer.handOvers).toBe(1);
        scorer.end();
        frame.time.nowMs += 33;
        expect(stage.launch(frame, store)).toBe(true);
        expect(scorer.launches).toBe(4);
        stage.dispose();
    });
});

describe("ModelStage and the run budget", () => {
    it("falls back to the next backend when most recent runs are over budget, with one warning, and not before", async () => {
        const warnings: string[] = [];
        vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
        const stage = new ModelStage({ backend: "heuristic", model: MODEL_PATH, candidateLimit: 4, scorerOptions: { wasmPaths: ORT_WASM_PATH, numThreads: 1 } });
        await stage.whenReadyAsync();
        const judged = new JudgedScorer("webgpu");
        stage.use(judged);
        const { store, frame } = twoEntityTick();
        for (let i = 0; i < 30; i++) {
            frame.time.nowMs += 33;
            stage.launch(frame, store);
            await stage.whenRunEndsAsync();
        }
        expect(judged.runs).toBe(30);
        expect(stage.backend).toBe("webgpu");
        expect(warnings).toHaveLength(0);

        judged.isOverBudget = true;
        frame.time.nowMs += 33;
        stage.launch(frame, store);
        await stage.whenRunEndsAsync();
        expect(judged.disposed).toBe(true);
        expect(warnings).toHaveLength(1);
        expect(warnings[0]).toMatch(/webgpu backend stopped ranking because most of its last 8 runs took longer than its budget; falling back to wasm/);
        for (let waited = 0; stage.backend !== "wasm" && waited < 20_000; waited += 50) {
            await sleep(50);
        }
        expect(stage.backend).toBe("wasm");
        expect(warnings).toHaveLength(1);
        stage.dispose();
    });
});

describe("ModelStage after the last model backend was too slow", () => {
    it("ranks with the heuristic, then tries WASM again after 30 s, then after 60 s, with one warning per fallback", async () => {
        vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
        try {
            const warnings: string[] = [];
            vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
            const created: JudgedScorer[] = [];
            const stage = new ModelStage({
                backend: "wasm",
                model: new Uint8Array(1),
                candidateLimit: 4,
                scorerOptions: {},
                environment: {
                    hasWebGpu: () => false,
                    now: () => 0,
                    createScorerAsync: async (options: ICreateScorerOptions): Promise<ICreateScorerResult> => {
                        expect(options.backend).toBe("wasm");
                        const scorer = new JudgedScorer("wasm");
                        created.push(scorer);
                        return { scorer, backend: "wasm", failures: [] };
                    },
                },
            });
            expect(await stage.whenReadyAsync()).toBe("wasm");
            const { store, frame } = twoEntityTick();
            const slowDown = async (): Promise<void> => {
                created[created.length - 1].isOverBudget = true;
                frame.time.nowMs += 33;
                stage.launch(frame, store);
                await stage.whenRunEndsAsync();
            };

            await slowDown();
            expect(stage.backend).toBe("heuristic");
            expect(warnings).toEqual([expect.stringMatching(/wasm backend stopped ranking because most of its last 8 runs took longer than its budget; falling back to heuristic; trying wasm again in 30 s$/)]);
            await vi.advanceTimersByTimeAsync(29_000);
            expect(stage.backend).toBe("heuristic");
            expect(created).toHaveLength(1);
            await vi.advanceTimersByTimeAsync(1_000);
            expect(stage.backend).toBe("wasm");
            expect(created).toHaveLength(2);
            expect(created[0].disposed).toBe(true);

            // Too slow again: the next try waits twice as long.
            await slowDown();
            expect(stage.backend).toBe("heuristic");
            expect(warnings).toHaveLength(2);
            expect(warnings[1]).toMatch(/trying wasm again in 60 s$/);
            await vi.advanceTimersByTimeAsync(59_000);
            expect(stage.backend).toBe("heuristic");
            await vi.advanceTimersByTimeAsync(1_000);
            expect(stage.backend).toBe("wasm");

            // Disposed while a retry waits: nothing is created after it.
            await slowDown();
            stage.dispose();
            await vi.advanceTimersByTimeAsync(10 * 60_000);
            expect(created).toHaveLength(3);
        } finally {
            vi.useRealTimers();
        }
    });
});

describe("ModelStage fallback after a stalled run", () => {
    it("ranks with the heuristic until the stalled run ends, then starts the next backend", async () => {
        const warnings: string[] = [];
        vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
        const stage = new ModelStage({ backend: "heuristic", model: MODEL_PATH, candidateLimit: 4, scorerOptions: { wasmPaths: ORT_WASM_PATH, numThreads: 1 } });
        await stage.whenReadyAsync();
        const stalling = new StallingScorer();
        // As if WebGPU had been chosen and warmed: the stage's own way in (private).
        stage.use(stalling);
        expect(stage.backend).toBe("webgpu");

        const { store, frame } = twoEntityTick();
        expect(stage.launch(frame, store)).toBe(true);
        frame.time.nowMs = 1500; // past the stall limit
        expect(stage.launch(frame, store)).toBe(false);
        expect(stalling.disposed).toBe(true);
        expect(stage.backend).toBe("heuristic");
        expect(warnings.filter((w) => w.includes("has not finished"))).toHaveLength(1);

        // onnxruntime-web cannot run another session while the stalled run is pending, so the
        // next backend waits for it: still the heuristic well after a WASM session takes to load.
        await sleep(1500);
        expect(stage.backend).toBe("heuristic");

        stalling.release();
        for (let waited = 0; stage.backend !== "wasm" && waited < 20_000; waited += 50) {
            await sleep(50);
        }
        expect(stage.backend).toBe("wasm");
        expect(warnings).toHaveLength(1);
        stage.dispose();
    });
});

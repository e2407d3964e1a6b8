import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { CONTEXT_COUNT } from "../../plugin/features/featureSchema";
import { ModelStage } from "../../plugin/model/modelStage";
import type { IAttentionScorer, IScorerInput, IScorerOutput } from "../../plugin/model/scorer";
import { TickFrame } from "../../plugin/tick/tickFrame";
import { MODEL_PATH, ORT_WASM_PATH, setUpOrt } from "./modelFixtures";

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

/** A WebGPU-like scorer whose runs finish at once; `isOverBudget` is set by the test, as a slow device's window would. */
class JudgedScorer implements IAttentionScorer {
    public readonly backend = "webgpu" as const;
    public readonly isSynchronous = false;
    public isOverBudget = false;
    public runs = 0;
    public disposed = false;

    public async score(_input: IScorerInput, _output: IScorerOutput): Promise<void> {
        this.runs++;
    }

    public dispose(): void {
        this.disposed = true;
    }
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
    vi.restoreAllMocks();
});

function twoEntityTick(): { store: EntityStore; frame: TickFrame } {
    const store = new EntityStore(4);
    store.add(0, 0.5, 0.5);
    store.add(1, 0.5, 0.5);
    const frame = new TickFrame(new Float32Array(CONTEXT_COUNT));
    frame.ensureCapacity(4);
    frame.features.fill(0.5);
    frame.heuristic.engagement.set([0.9, 0.4, 0, 0]);
    frame.weights.fill(1);
    return { store, frame };
}

describe("ModelStage and the run budget", () => {
    it("falls back to the next backend when most recent runs are over budget, with one warning, and not before", async () => {
        const warnings: string[] = [];
        vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
        const stage = new ModelStage({ backend: "heuristic", model: MODEL_PATH, candidateLimit: 4, scorerOptions: { wasmPaths: ORT_WASM_PATH, numThreads: 1 } });
        await stage.whenReadyAsync();
        const judged = new JudgedScorer();
        stage.use(judged);
        const { store, frame } = twoEntityTick();
        for (let i = 0; i < 30; i++) {
            frame.time.nowMs += 33;
            await stage.launch(frame, store);
        }
        expect(judged.runs).toBe(30);
        expect(stage.backend).toBe("webgpu");
        expect(warnings).toHaveLength(0);

        judged.isOverBudget = true;
        frame.time.nowMs += 33;
        await stage.launch(frame, store);
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

        const store = new EntityStore(4);
        store.add(0, 0.5, 0.5);
        store.add(1, 0.5, 0.5);
        const frame = new TickFrame(new Float32Array(CONTEXT_COUNT));
        frame.ensureCapacity(4);
        frame.features.fill(0.5);
        frame.heuristic.engagement.set([0.9, 0.4, 0, 0]);
        frame.weights.fill(1);
        expect(stage.launch(frame, store)).not.toBeNull();
        frame.time.nowMs = 1500; // past the stall limit
        expect(stage.launch(frame, store)).toBeNull();
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

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

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

afterEach(() => {
    vi.restoreAllMocks();
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

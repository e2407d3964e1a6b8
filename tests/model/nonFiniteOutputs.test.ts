import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, describe, expect, it, vi } from "vitest";
import { PARAM, initParameters } from "../../models/architecture";
import { writeAttentionModel } from "../../models/onnxWriter";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { EntityStore } from "../../plugin/features/entityStore";
import { CONTEXT_COUNT } from "../../plugin/features/featureSchema";
import { HeuristicScorer } from "../../plugin/model/heuristicScorer";
import { ModelStage } from "../../plugin/model/modelStage";
import type { IAttentionScorer, IScorerInput, IScorerOutput } from "../../plugin/model/scorer";
import { TickFrame } from "../../plugin/tick/tickFrame";
import { createTestWorld } from "../helpers/testScene";
import { ORT_WASM_PATH, setUpOrt } from "./modelFixtures";

setUpOrt();

afterEach(() => {
    vi.restoreAllMocks();
});

function captureWarnings(): string[] {
    const warnings: string[] = [];
    vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
    return warnings;
}

/** A model scorer whose outputs are NaN for real inputs, as a corrupted or badly trained file gives. */
class NaNScorer implements IAttentionScorer {
    public readonly backend = "wasm" as const;
    public readonly isSynchronous = false;
    public disposed = false;

    public async score(input: IScorerInput, output: IScorerOutput): Promise<void> {
        for (let i = 0; i < input.count; i++) {
            output.engagement[i] = NaN;
            output.guidance[i] = 0.5;
            output.dwell[i] = 1;
            output.attention[i] = 1 / input.count;
        }
    }

    public dispose(): void {
        this.disposed = true;
    }
}

describe("a model whose outputs are not finite", () => {
    it("is refused when loaded: its probe run's outputs must be finite, and the heuristic ranks with one warning", async () => {
        const params = initParameters();
        // Overflow the engagement head: every engagement is Infinity (or NaN where infinities meet).
        params[PARAM.finalLnBias].fill(3e38);
        params[PARAM.engagementWeight].fill(3e38);
        const bytes = writeAttentionModel(params);
        const warnings = captureWarnings();
        const world = createTestWorld();
        try {
            const attention = await AttentionPlugin.CreateAsync(world.scene, { backend: "wasm", model: bytes, wasmPaths: ORT_WASM_PATH, autoTick: false, clock: world.clock.read });
            expect(await attention.whenModelReadyAsync()).toBe("heuristic");
            expect(warnings).toHaveLength(1);
            expect(warnings[0]).toMatch(/model output "engagement" is (Infinity|NaN) for a candidate: expected a finite number/);
            attention.dispose();
        } finally {
            world.dispose();
        }
    });

    it("falls back with one warning when a run's outputs are NaN, and never merges them", async () => {
        const warnings = captureWarnings();
        const stage = new ModelStage({
            backend: "heuristic",
            model: undefined,
            candidateLimit: 4,
            scorerOptions: {},
            environment: { hasWebGpu: () => false, now: () => 0, createScorerAsync: async () => ({ scorer: new HeuristicScorer(), backend: "heuristic", failures: [] }) },
        });
        await stage.whenReadyAsync();
        const broken = new NaNScorer();
        stage.use(broken);
        const store = new EntityStore(4);
        store.add(0, 0.5, 0.5);
        store.add(0, 0.5, 0.5);
        const frame = new TickFrame(new Float32Array(CONTEXT_COUNT));
        frame.ensureCapacity(4);
        frame.heuristic.engagement.set([0.9, 0.4]);
        frame.scores.engagement.set([0.9, 0.4]);
        await stage.launch(frame, store);
        expect(stage.merge(frame, store, (id) => id - 1)).toBe(false);
        expect(Array.from(frame.scores.engagement.subarray(0, 2))).toEqual([expect.closeTo(0.9, 5), expect.closeTo(0.4, 5)]);
        expect(stage.backend).toBe("heuristic");
        expect(broken.disposed).toBe(true);
        expect(warnings).toEqual(["AttentionPlugin: the wasm backend stopped ranking because its outputs are not finite numbers (NaN or Infinity); falling back to heuristic"]);
        stage.dispose();
    });
});

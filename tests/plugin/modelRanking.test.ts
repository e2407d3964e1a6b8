import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin, type ScorerBackend } from "../../plugin/index";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
});

describe("AttentionPlugin with the ONNX model", () => {
    it("ranks through the packaged model on WASM by default, after the heuristic", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false });
        const backends: ScorerBackend[] = [];
        attention.backend$.subscribe((b) => backends.push(b));
        expect(attention.backend).toBe("heuristic");
        const far = world.sphere("far", -6, 1.6, 14);
        const near = world.sphere("near", 3, 1.6, 3);
        attention.track(far, { kind: "npc", label: "Far guide" });
        attention.track(near, { kind: "npc", label: "Near guide" });
        expect(await attention.whenModelReadyAsync()).toBe("wasm");
        expect(attention.backend).toBe("wasm");
        expect(backends).toEqual(["heuristic", "wasm"]);
        world.lookAt(-6, 1.6, 14);
        await runTicks(attention, world.clock, 20);
        expect(attention.focus?.label).toBe("Far guide");
        // The model's attention head explains the ranking: weights over candidates sum to 1.
        const attentionWeights = attention.ranking.npc.map((e) => e.why.attention);
        expect(attentionWeights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
        expect(attention.ranking.npc.every((e) => Number.isFinite(e.score))).toBe(true);
    });

    it("changes the model's ranking when the weights change, without reloading", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false });
        await attention.whenModelReadyAsync();
        const looked = world.sphere("looked", 0, 1.6, 12);
        const near = world.sphere("near", 2, 1.6, 1.5);
        attention.track(looked, { kind: "npc" });
        attention.track(near, { kind: "npc" });
        // Two thirds of a second looking at the far one: long enough for the model to put it first.
        await runTicks(attention, world.clock, 20);
        expect(attention.ranking.npc[0].node).toBe(looked);
        attention.weights = { gaze: 0, dwell: 0, proximity: 3 };
        await attention.tickAsync();
        expect(attention.ranking.npc[0].node).toBe(near);
        expect(attention.backend).toBe("wasm");
    });

    it("ranks only the top K candidates with the model and keeps the rest below them", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, candidateLimit: 4, rankingSize: 12 });
        await attention.whenModelReadyAsync();
        for (let i = 0; i < 10; i++) {
            attention.track(world.sphere(`npc${i}`, i * 2 - 9, 1.6, 10 + i), { kind: "npc" });
        }
        await runTicks(attention, world.clock, 3);
        const list = attention.ranking.npc;
        expect(list).toHaveLength(10);
        const modelled = list.filter((e) => e.why.attention > 0);
        expect(modelled).toHaveLength(4);
        // The model-ranked four come first, in score order.
        expect(list.slice(0, 4).every((e) => e.why.attention > 0)).toBe(true);
        for (let i = 1; i < list.length; i++) {
            expect(list[i - 1].score).toBeGreaterThanOrEqual(list[i].score);
        }
    });

    it("falls back to the heuristic with one warning when the model file is corrupt, and keeps ranking", async () => {
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const garbage = new Uint8Array(256).map((_, i) => (i * 73 + 11) & 255);
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, model: garbage });
        expect(await attention.whenModelReadyAsync()).toBe("heuristic");
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn.mock.calls[0][0]).toMatch(/wasm failed .*not a valid ONNX model/);
        const npc = world.sphere("npc", 0, 1.6, 8);
        attention.track(npc, { kind: "npc" });
        await runTicks(attention, world.clock, 12);
        expect(attention.focus?.node).toBe(npc);
    });

    it("applies render-loop results a tick late and drops those for entities untracked meanwhile", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, updateHz: 60 });
        await attention.whenModelReadyAsync();
        const a = world.sphere("a", 0, 1.6, 8);
        const b = world.sphere("b", 3, 1.6, 8);
        attention.track(a, { kind: "npc" });
        attention.track(b, { kind: "npc" });
        const frame = async () => {
            world.clock.advance(1000 / 60);
            world.scene.render();
            // Let the run started by this frame land before the next frame.
            await new Promise((resolve) => setTimeout(resolve, 30));
        };
        await frame(); // starts a run over {a, b}; the heuristic ranks this frame
        attention.untrack(a); // the landed result still holds a row for a
        world.clock.advance(1000 / 60);
        world.scene.render(); // applies that result: a's row is dropped, b keeps its share
        expect(attention.ranking.npc.map((e) => e.node.name)).toEqual(["b"]);
        const share = attention.ranking.npc[0].why.attention;
        expect(share).toBeGreaterThan(0);
        // The heuristic alone would give b all of it: a share below 1 is the model's, computed with a present.
        expect(share).toBeLessThan(1);
    });
});

describe("AttentionPlugin.setBackendAsync", () => {
    it("switches between the heuristic and the model at runtime and reports each switch", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic" });
        const seen: ScorerBackend[] = [];
        attention.backend$.subscribe((b) => seen.push(b));
        attention.track(world.sphere("npc", 0, 1.6, 8), { kind: "npc" });
        expect(await attention.setBackendAsync("wasm")).toBe("wasm");
        await runTicks(attention, world.clock, 2);
        expect(attention.ranking.npc[0].why.attention).toBeCloseTo(1, 5);
        expect(await attention.setBackendAsync("heuristic")).toBe("heuristic");
        expect(seen).toEqual(["heuristic", "wasm", "heuristic"]);
        await expect(attention.setBackendAsync("cuda" as never)).rejects.toThrow(/backend must be one of "auto", "webgpu", "wasm", "heuristic"; got "cuda"/);
    });
});

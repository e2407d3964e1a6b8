import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin, type IAttentionPluginOptions, type IRankingEntry } from "../../plugin/index";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

// The ranking and focus behaviour on every path a game can take: the learned model warm or the
// heuristic, ticking from the render loop (scene.render(), a model result a tick late) or
// through tickAsync (waits for this tick's result). Most games run the first row.

type Ranker = "model" | "heuristic";
type TickPath = "render loop" | "tickAsync";
const MATRIX: [Ranker, TickPath][] = [
    ["model", "render loop"],
    ["model", "tickAsync"],
    ["heuristic", "render loop"],
    ["heuristic", "tickAsync"],
];

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
});

async function createPluginAsync(target: ITestWorld, ranker: Ranker, path: TickPath, options: IAttentionPluginOptions = {}): Promise<AttentionPlugin> {
    const attention = await AttentionPlugin.CreateAsync(target.scene, {
        camera: target.camera,
        clock: target.clock.read,
        autoTick: path === "render loop",
        backend: ranker === "model" ? "auto" : "heuristic",
        // The run budget judges the machine's speed, which a test machine running browser
        // tests beside this one does not have: a budget no run misses keeps the model ranking,
        // so these tests see ranking behaviour only. The budget's own tests are in tests/model.
        modelRunBudgetMs: 1000,
        ...options,
    });
    // The model warm, as a game has it after its loading screen.
    expect(await attention.whenModelReadyAsync()).toBe(ranker === "model" ? "wasm" : "heuristic");
    return attention;
}

/** Advances time one 30 Hz frame and ticks the way `path` does; a render-loop frame leaves time for the model's run to land. */
async function frameAsync(target: ITestWorld, attention: AttentionPlugin, path: TickPath, frameMs = 1000 / 30): Promise<void> {
    target.clock.advance(frameMs);
    if (path === "render loop") {
        target.scene.render();
        // A frame's worth of real time for the run it started, however loaded the machine: the
        // result lands before the next frame, as on a player's machine at 30 Hz.
        await attention.pipeline.lastRun;
        await sleep(0);
    } else {
        await attention.tickAsync();
    }
}

/** Six NPCs: two close to the player on the left, three at middle distance, one far ahead to the right. */
function sixNpcs(target: ITestWorld): { near: Mesh[]; far: Mesh } {
    const near = [target.sphere("near-a", -1.5, 1.6, 2), target.sphere("near-b", -2.5, 1.6, 1.5)];
    target.sphere("mid-a", -6, 1.6, 8);
    target.sphere("mid-b", 7, 1.6, 7);
    target.sphere("mid-c", -9, 1.6, 10);
    const far = target.sphere("far", 6, 1.6, 18);
    return { near, far };
}

function trackAll(attention: AttentionPlugin, target: ITestWorld): void {
    for (const mesh of target.scene.meshes) {
        attention.track(mesh, { kind: "npc", label: mesh.name });
    }
}

describe.each(MATRIX)("with the %s ticking through the %s", (ranker, path) => {
    it("brings an entity outside the model's K candidates to the top when the player looks at it", async () => {
        const { near, far } = sixNpcs(world);
        const attention = await createPluginAsync(world, ranker, path, { candidateLimit: 2 });
        trackAll(attention, world);
        expect(attention.trackedCount).toBeGreaterThan(attention.candidateLimit);
        // First the player looks near, so the near NPCs hold the candidates...
        world.lookAt(near[0].position.x, 1.6, near[0].position.z);
        for (let i = 0; i < 20; i++) {
            await frameAsync(world, attention, path);
        }
        expect(attention.focus?.node).toBe(near[0]);
        // ...then straight at the far NPC, outside them.
        world.lookAt(far.position.x, far.position.y, far.position.z);
        for (let i = 0; i < 40; i++) {
            await frameAsync(world, attention, path);
        }
        expect(attention.ranking.npc[0].node).toBe(far);
        expect(attention.focus?.node).toBe(far);
        if (ranker === "model") {
            // The model scored it: only candidates get a share of the model's attention.
            expect(attention.ranking.npc[0].why.attention).toBeGreaterThan(0);
            expect(attention.backend).toBe("wasm");
        }
        attention.dispose();
    });

    it("keeps every score finite and never negative, with reasons that are all positive", async () => {
        sixNpcs(world);
        const attention = await createPluginAsync(world, ranker, path, { candidateLimit: 3 });
        trackAll(attention, world);
        world.lookAt(6, 1.6, 18);
        for (let i = 0; i < 15; i++) {
            await frameAsync(world, attention, path);
            for (const entry of attention.ranking.npc) {
                expect(Number.isFinite(entry.score)).toBe(true);
                expect(entry.score).toBeGreaterThanOrEqual(0);
            }
        }
        attention.dispose();
    });
});

describe("one score scale under every backend", () => {
    /** The same scene in two worlds, one ranked by the model and one by the heuristic, ticked alike. */
    async function twinWorldsAsync(path: TickPath, frameMs: (frame: number) => number, frames: number, onFrame: (model: readonly IRankingEntry[], heuristic: readonly IRankingEntry[]) => void): Promise<void> {
        const other = createTestWorld();
        try {
            sixNpcs(world);
            sixNpcs(other);
            const model = await createPluginAsync(world, "model", path, { candidateLimit: 4 });
            const heuristic = await createPluginAsync(other, "heuristic", path, { candidateLimit: 4 });
            trackAll(model, world);
            trackAll(heuristic, other);
            world.lookAt(-6, 1.6, 8);
            other.lookAt(-6, 1.6, 8);
            for (let i = 0; i < frames; i++) {
                await frameAsync(world, model, path, frameMs(i));
                await frameAsync(other, heuristic, path, frameMs(i));
                onFrame(model.ranking.npc, heuristic.ranking.npc);
            }
            model.dispose();
            heuristic.dispose();
        } finally {
            other.dispose();
        }
    }

    it("gives the model's best candidate the heuristic's best score, so focus thresholds mean the same", async () => {
        await twinWorldsAsync("tickAsync", () => 1000 / 30, 20, (model, heuristic) => {
            expect(model[0].score).toBeCloseTo(heuristic[0].score, 4);
            expect(model.at(-1)!.score).toBeGreaterThanOrEqual(0);
        });
    });

    it("does not jump between two scales as model results go fresh and stale at a low frame rate", async () => {
        // 4 frames a second, unevenly: a model result is merged a frame late, so after a 200 ms
        // frame it ranks, and after a 300 ms one it is older than a result may rank (250 ms) and
        // the heuristic's scores do: ticks alternate between the two.
        await twinWorldsAsync("render loop", (i) => (i % 2 === 0 ? 200 : 300), 12, (model, heuristic) => {
            expect(Math.abs(model[0].score - heuristic[0].score)).toBeLessThan(0.1 * heuristic[0].score + 0.05);
        });
    });
});

describe("live tuning", () => {
    it("rejects a NaN weight at the assignment and keeps ranking with the last good weights", async () => {
        sixNpcs(world);
        const attention = await createPluginAsync(world, "heuristic", "tickAsync");
        trackAll(attention, world);
        expect(() => (attention.weights.gaze = NaN)).toThrow(/AttentionPlugin: weights\.gaze must be a number in \[0, 4\]; got NaN/);
        expect(() => (attention.weights.proximity = 5)).toThrow(/weights\.proximity must be a number in \[0, 4\]; got 5/);
        expect(() => (attention.hysteresis.acquireScore = Number.NaN)).toThrow(/hysteresis\.acquireScore must be a number in \[0, 10\]; got NaN/);
        // The rule between fields holds live too, and a refused assignment changes nothing.
        expect(() => (attention.hysteresis.releaseScore = 0.9)).toThrow(/hysteresis: releaseScore \(0.9\) must not exceed acquireScore \(0.35\)/);
        expect(attention.hysteresis.releaseScore).toBe(0.25);
        expect(attention.weights.gaze).toBe(1);
        attention.weights.gaze = 2;
        expect(attention.weights.gaze).toBe(2);
        expect({ ...attention.weights }).toMatchObject({ gaze: 2, dwell: 0.6 });
        await frameAsync(world, attention, "tickAsync");
        expect(attention.ranking.npc.every((e) => Number.isFinite(e.score))).toBe(true);
        attention.dispose();
    });

    it("rejects an unknown backend name and a candidate limit outside [1, 4096], naming the valid values", async () => {
        await expect(AttentionPlugin.CreateAsync(world.scene, { backend: "cuda" as never })).rejects.toThrow(/backend must be one of "auto", "webgpu", "wasm", "heuristic"; got "cuda"/);
        await expect(AttentionPlugin.CreateAsync(world.scene, { candidateLimit: 0 })).rejects.toThrow(/candidateLimit must be an integer in \[1, 4096\]; got 0/);
        await expect(AttentionPlugin.CreateAsync(world.scene, { candidateLimit: NaN })).rejects.toThrow(/candidateLimit must be an integer in \[1, 4096\]; got NaN/);
        await expect(AttentionPlugin.CreateAsync(world.scene, { occlusionBudget: { maxTestsPerTick: -1 } })).rejects.toThrow(/occlusionBudget\.maxTestsPerTick must be an integer in \[0, 100000\]; got -1/);
        await expect(AttentionPlugin.CreateAsync(world.scene, { hysteresis: { acquireScore: 0.2, releaseScore: 0.3 } })).rejects.toThrow(/hysteresis: releaseScore \(0.3\) must not exceed acquireScore \(0.2\)/);
        const attention = await AttentionPlugin.CreateAsync(world.scene, { backend: "heuristic" });
        expect(() => (attention.candidateLimit = -1)).toThrow(/candidateLimit must be an integer in \[1, 4096\]; got -1/);
        expect(attention.candidateLimit).toBe(64);
        attention.dispose();
    });

    it("warns nothing when the model loads on WASM where no WebGPU exists", async () => {
        const warnings: string[] = [];
        vi.spyOn(Logger, "Warn").mockImplementation((message) => void warnings.push(String(message)));
        const attention = await createPluginAsync(world, "model", "tickAsync");
        expect(await attention.whenBackendChosenAsync()).toBeNull();
        expect(warnings).toEqual([]);
        attention.dispose();
    });
});

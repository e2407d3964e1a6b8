import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { runInNewContext } from "node:vm";
import { setFlagsFromString } from "node:v8";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin } from "../../plugin/index";
import { mulberry32 } from "../../models/mulberry32";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

// A long session the way a game runs it: the render loop ticking with the model warm, targets
// tracked and untracked all the time, events and a jittering gaze. What must not grow: the heap,
// the observers the plugin leaves on the scene and its nodes, and its row buffers.

const TICKS = 100_000;
const WARMUP_TICKS = 10_000;
const POOL = 48;
const TRACKED = 32;

function resolveGc(): () => void {
    setFlagsFromString("--expose-gc");
    return runInNewContext("gc") as () => void;
}

const macrotask = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    world.dispose();
});

describe("a long session", () => {
    it(`keeps heap, observers and buffers flat over ${TICKS.toLocaleString("en")} render-loop ticks with churn, events, gaze noise and the model on`, async () => {
        const gc = resolveGc();
        const random = mulberry32(7);
        const pool: Mesh[] = [];
        for (let i = 0; i < POOL; i++) {
            const angle = (i / POOL) * Math.PI * 2;
            pool.push(world.sphere(`target${i}`, Math.sin(angle) * (4 + (i % 7)), 1.6, Math.cos(angle) * (4 + (i % 7))));
        }
        // The time budget is not under test here (a loaded CI machine can run slow for a while).
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, occlusion: "none", candidateLimit: 8, modelRunBudgetMs: 1000 });
        expect(await attention.whenModelReadyAsync()).toBe("wasm");
        const kinds = ["npc", "task", "hint"] as const;
        for (let i = 0; i < TRACKED; i++) {
            attention.track(pool[i], { kind: kinds[i % 3] });
        }
        let next = TRACKED;

        const observerCounts = (): number[] => [
            world.scene.onBeforeRenderObservable.observers.length,
            world.scene.onDisposeObservable.observers.length,
            pool.reduce((sum, mesh) => sum + mesh.onDisposeObservable.observers.length, 0),
        ];
        let before: { heap: number; observers: number[]; rows: number } | null = null;
        let focusChanges = 0;
        attention.onFocusChangedObservable.add(() => focusChanges++);

        for (let tick = 0; tick < TICKS; tick++) {
            // Churn: one target leaves and another comes every tick.
            const leaving = pool[(next - TRACKED + POOL) % POOL];
            attention.untrack(leaving);
            attention.track(pool[next % POOL], { kind: kinds[next % 3], priority: random() });
            next++;
            if (tick % 7 === 0) {
                attention.emit({ target: pool[(next - 1 - Math.floor(random() * TRACKED) + POOL) % POOL], type: "speech", intensity: random() * 3 });
            }
            world.camera.rotation.y += (random() - 0.5) * 0.2;
            world.camera.rotation.x = (random() - 0.5) * 0.1;
            world.clock.advance(1000 / 30);
            world.scene.render();
            // The run this frame started lands before the next frame, as real frame time allows.
            await attention.pipeline.lastRun;
            if (tick % 200 === 0) {
                await macrotask(); // Babylon removes observers a macrotask later
            }
            if (tick % 1000 === 0) {
                for (const list of [attention.ranking.npc, attention.ranking.task, attention.ranking.hint]) {
                    for (const entry of list) {
                        expect(Number.isFinite(entry.score) && entry.score >= 0).toBe(true);
                    }
                }
            }
            if (tick === WARMUP_TICKS) {
                await macrotask();
                gc();
                before = { heap: process.memoryUsage().heapUsed, observers: observerCounts(), rows: attention.pipeline.frame.scores.engagement.length };
            }
        }
        await macrotask();
        gc();
        const heapGrowth = process.memoryUsage().heapUsed - before!.heap;
        expect(attention.backend).toBe("wasm");
        expect(attention.trackedCount).toBe(TRACKED);
        expect(observerCounts()).toEqual(before!.observers);
        expect(attention.pipeline.frame.scores.engagement.length).toBe(before!.rows);
        // Well under a byte per tick: nothing accumulates per tick or per tracked target.
        expect(heapGrowth).toBeLessThan(2 * 1024 * 1024);
        expect(focusChanges).toBeGreaterThan(0);
        attention.dispose();
    }, 180_000);
});

import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { Logger } from "@babylonjs/core/Misc/logger";
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin, DEFAULT_FOCUS_HYSTERESIS, WEIGHT_NAMES, type IRankingEntry, type TargetKind } from "../../plugin/index";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

// Properties over random scenes (fast-check): whatever positions, weights and event storms a
// game produces, scores stay finite, the ranking does not depend on the order targets were
// tracked in, and a jittering gaze cannot flip the focus faster than the hysteresis allows.

const KINDS: readonly TargetKind[] = ["npc", "task", "hint"];

/** Coordinates as games produce them, the broken ones included. */
const coordinate = fc.oneof(
    { weight: 8, arbitrary: fc.double({ min: -60, max: 60, noNaN: true }) },
    { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity, 1e30, -1e30) }
);
const target = fc.record({ x: coordinate, y: fc.double({ min: 0, max: 4, noNaN: true }), z: coordinate, kind: fc.constantFrom(...KINDS), priority: fc.double({ min: 0, max: 1, noNaN: true }) });
const weights = fc.record(Object.fromEntries(WEIGHT_NAMES.map((name) => [name, fc.double({ min: 0, max: 4, noNaN: true })])) as Record<(typeof WEIGHT_NAMES)[number], fc.Arbitrary<number>>);

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
    // A target at a non-finite position is warned about once: expected here, and noisy.
    vi.spyOn(Logger, "Warn").mockImplementation(() => undefined);
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
});

async function pluginAsync(): Promise<AttentionPlugin> {
    // Rankings long enough to list every target that can be ranked.
    return AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none", rankingSize: 100 });
}

function place(spec: { x: number; y: number; z: number }, name: string): Mesh {
    return world.sphere(name, spec.x, spec.y, spec.z);
}

function allEntries(attention: AttentionPlugin): IRankingEntry[] {
    return [...attention.ranking.npc, ...attention.ranking.task, ...attention.ranking.hint];
}

describe("ranking properties", () => {
    it("keeps every score finite and non-negative for any positions, weights and event storm", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(target, { minLength: 1, maxLength: 12 }), weights, fc.array(fc.record({ who: fc.nat(), intensity: fc.double({ min: 0, max: 10, noNaN: true }) }), { maxLength: 40 }), async (targets, w, events) => {
                const attention = await pluginAsync();
                try {
                    attention.weights = w;
                    const meshes = targets.map((t, i) => {
                        const mesh = place(t, `t${i}`);
                        attention.track(mesh, { kind: t.kind, priority: t.priority });
                        return mesh;
                    });
                    for (const event of events) {
                        attention.emit({ target: meshes[event.who % meshes.length], type: "storm", intensity: event.intensity });
                    }
                    await runTicks(attention, world.clock, 3);
                    for (const entry of allEntries(attention)) {
                        expect(Number.isFinite(entry.score) && entry.score >= 0).toBe(true);
                        expect(Number.isFinite(entry.guidance) && Number.isFinite(entry.expectedDwell)).toBe(true);
                    }
                    expect(Array.from(attention.features).every(Number.isFinite)).toBe(true);
                } finally {
                    attention.dispose();
                    for (const mesh of [...world.scene.meshes]) mesh.dispose();
                }
            }),
            { numRuns: 30 }
        );
    });

    it("scores each target the same whatever order the targets were tracked in", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(target, { minLength: 2, maxLength: 10 }), fc.func(fc.integer()), async (targets, shuffleKey) => {
                /** Each target's score by its index, absent when it is left out (a non-finite position). */
                const scoresFor = async (order: number[]): Promise<Map<number, number>> => {
                    const attention = await pluginAsync();
                    try {
                        const indexOf = new Map<Mesh, number>();
                        for (const i of order) {
                            const mesh = place(targets[i], `t${i}`);
                            indexOf.set(mesh, i);
                            attention.track(mesh, { kind: targets[i].kind, priority: targets[i].priority });
                        }
                        await runTicks(attention, world.clock, 3);
                        return new Map(allEntries(attention).map((entry) => [indexOf.get(entry.node as Mesh)!, entry.score]));
                    } finally {
                        attention.dispose();
                        for (const mesh of [...world.scene.meshes]) mesh.dispose();
                    }
                };
                const forward = targets.map((_, i) => i);
                const shuffled = [...forward].sort((a, b) => shuffleKey(a) - shuffleKey(b) || a - b);
                const a = await scoresFor(forward);
                world.clock.now = 0;
                const b = await scoresFor(shuffled);
                expect([...b.keys()].sort()).toEqual([...a.keys()].sort());
                for (const [i, score] of a) {
                    expect(b.get(i)).toBeCloseTo(score, 5);
                }
            }),
            { numRuns: 25 }
        );
    });
});

describe("focus properties", () => {
    it("switches the focus at most once per minDwellMs while the gaze jitters between two close targets", async () => {
        await fc.assert(
            fc.asyncProperty(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 60, maxLength: 120 }), fc.double({ min: 0.2, max: 1.2, noNaN: true }), async (jitter, spread) => {
                const attention = await pluginAsync();
                try {
                    attention.track(place({ x: -spread, y: 1.6, z: 8 }, "left"), { kind: "npc" });
                    attention.track(place({ x: spread, y: 1.6, z: 8 }, "right"), { kind: "npc" });
                    let switches = 0;
                    attention.onFocusChangedObservable.add(({ previous, current }) => {
                        if (previous && current) switches++;
                    });
                    for (const j of jitter) {
                        world.lookAt(j * spread * 1.5, 1.6, 8);
                        await runTicks(attention, world.clock, 1);
                    }
                    const seconds = (jitter.length * 1000) / 30 / 1000;
                    expect(switches).toBeLessThanOrEqual(Math.floor((seconds * 1000) / DEFAULT_FOCUS_HYSTERESIS.minDwellMs) + 1);
                } finally {
                    attention.dispose();
                    for (const mesh of [...world.scene.meshes]) mesh.dispose();
                }
            }),
            { numRuns: 20 }
        );
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin, AttentionTargetBehavior } from "../../plugin/index";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    world.dispose();
});

describe("AttentionPlugin lifecycle", () => {
    it("settles a pending tickAsync quietly when the plugin or the scene is disposed meanwhile", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic" });
        attention.track(world.sphere("npc", 0, 1.6, 5), { kind: "npc" });
        await runTicks(attention, world.clock, 3);
        const pending = attention.tickAsync();
        attention.dispose();
        await expect(pending).resolves.toBeDefined();

        const other = createTestWorld();
        const second = await AttentionPlugin.CreateAsync(other.scene, { camera: other.camera, clock: other.clock.read, autoTick: false, backend: "heuristic" });
        second.track(other.sphere("npc", 0, 1.6, 5), { kind: "npc" });
        const alsoPending = second.tickAsync();
        other.dispose();
        await expect(alsoPending).resolves.toBeDefined();
        expect(second.isDisposed).toBe(true);
    });

    it("refuses a disposed scene", async () => {
        const other = createTestWorld();
        other.dispose();
        await expect(AttentionPlugin.CreateAsync(other.scene)).rejects.toThrow(/the scene is disposed/);
        expect(AttentionPlugin.Get(other.scene)).toBeNull();
    });

    it("refuses a target behavior with an unknown kind when it is made, so the plugin's creation cannot fail on it later", async () => {
        expect(() => new AttentionTargetBehavior({ kind: "enemy" as never })).toThrow(/AttentionTargetBehavior: unknown kind "enemy"; expected one of "npc", "task", "hint"/);
        world.sphere("guide", 0, 1.6, 5).addBehavior(new AttentionTargetBehavior({ kind: "npc", label: "Guide" }));
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, autoTick: false, backend: "heuristic" });
        expect(attention.trackedCount).toBe(1);
        attention.dispose();
    });

    it("leaves no half-made plugin registered when creation fails, so a retry succeeds", async () => {
        const failOnce = AttentionPlugin.OnPluginCreatedObservable.addOnce(() => {
            throw new Error("a listener failed");
        });
        await expect(AttentionPlugin.CreateAsync(world.scene, { backend: "heuristic" })).rejects.toThrow(/a listener failed/);
        expect(AttentionPlugin.Get(world.scene)).toBeNull();
        AttentionPlugin.OnPluginCreatedObservable.remove(failOnce);
        const attention = await AttentionPlugin.CreateAsync(world.scene, { backend: "heuristic" });
        expect(AttentionPlugin.Get(world.scene)).toBe(attention);
        attention.dispose();
    });

    it("keeps the context's gaze wander finite after one frame with a NaN camera position", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic" });
        attention.track(world.sphere("npc", 0, 1.6, 5), { kind: "npc" });
        await runTicks(attention, world.clock, 5);
        world.camera.position.set(NaN, 1.6, 0);
        await runTicks(attention, world.clock, 1);
        world.camera.position.set(0, 1.6, 0);
        for (let i = 0; i < 30; i++) {
            world.lookAt(Math.sin(i) * 5, 1.6, 10);
            await runTicks(attention, world.clock, 1);
        }
        expect(Array.from(attention.context).every(Number.isFinite)).toBe(true);
        // The gaze swept: wander is measured again, not stuck at 0.
        expect(attention.context[4]).toBeGreaterThan(0);
        attention.dispose();
    });

    it("tells focus listeners acquired before removed when one disposes the node it was just given", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic" });
        const npc = world.sphere("npc", 0, 1.6, 5);
        attention.track(npc, { kind: "npc", label: "Guide" });
        const streamed: Array<string | null> = [];
        attention.focus$.subscribe((entry) => {
            streamed.push(entry?.label ?? null);
            if (entry) {
                entry.node.dispose(); // e.g. a "collect on look" pickup
            }
        });
        const told: string[] = [];
        attention.onFocusChangedObservable.add(({ current, reason }) => told.push(`${reason}:${current?.label ?? "none"}`));
        await runTicks(attention, world.clock, 20);
        expect(npc.isDisposed()).toBe(true);
        expect(told).toEqual(["acquired:Guide", "removed:none"]);
        expect(streamed).toEqual([null, "Guide", null]);
        expect(attention.focus).toBeNull();
        attention.dispose();
    });
});

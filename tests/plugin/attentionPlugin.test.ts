import { Logger } from "@babylonjs/core/Misc/logger";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { AttentionPlugin, AttentionTargetBehavior, type IRankingEntry } from "../../plugin/index";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

let world: ITestWorld;

beforeEach(() => {
    world = createTestWorld();
});

afterEach(() => {
    vi.restoreAllMocks();
    world.dispose();
});

function createPlugin(options: Parameters<typeof AttentionPlugin.CreateAsync>[1] = {}) {
    // These tests pin the heuristic's semantics; tests/plugin/modelRanking.test.ts covers the model.
    return AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic", ...options });
}

describe("AttentionPlugin ranking", () => {
    it("selects the fixated NPC over a nearer one", async () => {
        const attention = await createPlugin();
        const far = world.sphere("far", -6, 1.6, 14);
        const near = world.sphere("near", 3, 1.6, 3);
        attention.track(far, { kind: "npc", label: "Far guide" });
        attention.track(near, { kind: "npc", label: "Near guide" });
        world.lookAt(-6, 1.6, 14);
        await runTicks(attention, world.clock, 30);
        expect(attention.ranking.npc[0].label).toBe("Far guide");
        expect(attention.focus?.label).toBe("Far guide");
        // The near one wins on proximity, the far one on gaze and dwell: the breakdown says so.
        const [first, second] = attention.ranking.npc;
        expect(first.why.gaze).toBeGreaterThan(second.why.gaze);
        expect(second.why.proximity).toBeGreaterThan(first.why.proximity);
    });

    it("ranks each kind separately, best first", async () => {
        const attention = await createPlugin();
        attention.track(world.sphere("npc", 0, 1.6, 8), { kind: "npc" });
        attention.track(world.sphere("task-a", 8, 1.6, 8), { kind: "task", priority: 1 });
        attention.track(world.sphere("task-b", -8, 1.6, 8), { kind: "task", priority: 0 });
        attention.track(world.sphere("hint", 0, 5, 20), { kind: "hint" });
        await runTicks(attention, world.clock, 3);
        const { npc, task, hint } = attention.ranking;
        expect(npc.map((e) => e.node.name)).toEqual(["npc"]);
        expect(task.map((e) => e.node.name)).toEqual(["task-a", "task-b"]);
        expect(hint.map((e) => e.kind)).toEqual(["hint"]);
        expect(task[0].score).toBeGreaterThan(task[1].score);
    });

    it("lifts an event's target and decays it by its half-life", async () => {
        const attention = await createPlugin({ eventHalfLifeMs: 1000 });
        const quiet = world.sphere("quiet", -5, 1.6, 10);
        const speaker = world.sphere("speaker", 5, 1.6, 10);
        attention.track(quiet, { kind: "npc" });
        attention.track(speaker, { kind: "npc" });
        world.lookAt(0, 10, 10); // look at neither
        await runTicks(attention, world.clock, 2);
        expect(attention.ranking.npc[0].why.event).toBe(0);

        expect(attention.emit({ target: speaker, type: "speech", intensity: 1 })).toBe(true);
        await attention.tickAsync();
        const top = attention.ranking.npc[0];
        expect(top.node).toBe(speaker);
        const weight = attention.weights.event;
        // Event feature is e / (1 + e): intensity 1 right after emission gives 0.5.
        expect(top.why.event).toBeCloseTo(weight * 0.5, 3);

        world.clock.advance(1000); // one half-life: e = 0.5 -> 0.5 / 1.5
        await attention.tickAsync();
        expect(top.why.event).toBeCloseTo(weight * (0.5 / 1.5), 3);
        world.clock.advance(9000);
        await attention.tickAsync();
        expect(top.why.event).toBeLessThan(weight * 0.01);
    });

    it("ranks an occluded target below a visible one at the same angle", async () => {
        const wall = world.box("wall", -1.8, 1.6, 6, 2, 4, 0.5);
        const attention = await createPlugin({ occlusion: [wall] });
        const hidden = world.sphere("hidden", -3.05, 1.6, 10);
        const visible = world.sphere("visible", 3.05, 1.6, 10);
        attention.track(hidden, { kind: "npc" });
        attention.track(visible, { kind: "npc" });
        world.lookAt(0, 1.6, 10); // both at the same angle, one behind the wall
        await runTicks(attention, world.clock, 10);
        expect(attention.ranking.npc[0].node).toBe(visible);
        expect(attention.ranking.npc[1].why.visibility).toBe(0);
    });

    it("uses Babylon picking for occlusion by default", async () => {
        const attention = await createPlugin();
        world.box("wall", 0, 1.6, 5, 4, 4, 0.5);
        const behind = world.sphere("behind", 0, 1.6, 10);
        const beside = world.sphere("beside", 6, 1.6, 10);
        attention.track(behind, { kind: "npc" });
        attention.track(beside, { kind: "npc" });
        world.lookAt(0, 1.6, 10);
        await runTicks(attention, world.clock, 10);
        const behindEntry = attention.ranking.npc.find((e) => e.node === behind)!;
        expect(behindEntry.why.gaze).toBe(0);
        expect(attention.ranking.npc[0].node).toBe(beside);
    });

    it("does not flip focus faster than the hysteresis allows under jittered gaze", async () => {
        const attention = await createPlugin({ hysteresis: { minDwellMs: 300, switchMargin: 0.1 } });
        const a = world.sphere("a", -0.6, 1.6, 10, 0.5);
        const b = world.sphere("b", 0.6, 1.6, 10, 0.5);
        attention.track(a, { kind: "npc" });
        attention.track(b, { kind: "npc" });
        const changes: (IRankingEntry | null)[] = [];
        attention.focus$.subscribe((entry) => changes.push(entry));
        // Noisy gaze alternating between the two targets every 2 ticks for 6 seconds.
        const ticks = 180;
        for (let i = 0; i < ticks; i++) {
            const side = Math.floor(i / 2) % 2 === 0 ? -0.6 : 0.6;
            world.lookAt(side + Math.sin(i * 1.7) * 0.05, 1.6 + Math.cos(i * 2.3) * 0.05, 10);
            world.clock.advance(1000 / 30);
            await attention.tickAsync();
        }
        const switches = changes.length - 1; // the first emission is the initial null
        const maxAllowed = Math.floor((ticks * (1000 / 30)) / 300);
        expect(switches).toBeGreaterThanOrEqual(1);
        expect(switches).toBeLessThanOrEqual(maxAllowed);
        // In practice dwell keeps the holder: far fewer than the bound.
        expect(switches).toBeLessThan(4);
    });

    it("changes focus when the gaze settles on another target", async () => {
        const attention = await createPlugin();
        const left = world.sphere("left", -4, 1.6, 10);
        const right = world.sphere("right", 4, 1.6, 10);
        attention.track(left, { kind: "npc", label: "Left" });
        attention.track(right, { kind: "npc", label: "Right" });
        const reasons: string[] = [];
        attention.onFocusChangedObservable.add((change) => reasons.push(`${change.current?.label ?? "none"}:${change.reason}`));
        world.lookAt(-4, 1.6, 10);
        await runTicks(attention, world.clock, 30);
        world.lookAt(4, 1.6, 10);
        await runTicks(attention, world.clock, 45);
        expect(attention.focus?.label).toBe("Right");
        expect(reasons).toEqual(["Left:acquired", "Right:outscored"]);
    });

    it("reacts to weight changes on the next tick", async () => {
        const attention = await createPlugin();
        const looked = world.sphere("looked", 0, 1.6, 12);
        const near = world.sphere("near", 2, 1.6, 1.5);
        attention.track(looked, { kind: "npc" });
        attention.track(near, { kind: "npc" });
        await runTicks(attention, world.clock, 5);
        expect(attention.ranking.npc[0].node).toBe(looked);
        attention.weights = { gaze: 0, dwell: 0, proximity: 3 };
        await attention.tickAsync();
        expect(attention.ranking.npc[0].node).toBe(near);
    });
});

describe("AttentionPlugin lifecycle", () => {
    it("drops a disposed mesh from the ranking and the focus", async () => {
        const attention = await createPlugin();
        const npc = world.sphere("npc", 0, 1.6, 8);
        const other = world.sphere("other", 6, 1.6, 8);
        attention.track(npc, { kind: "npc" });
        attention.track(other, { kind: "npc" });
        await runTicks(attention, world.clock, 20);
        expect(attention.focus?.node).toBe(npc);
        npc.dispose();
        expect(attention.isTracked(npc)).toBe(false);
        expect(attention.focus).toBeNull();
        expect(attention.ranking.npc.map((e) => e.node.name)).toEqual(["other"]);
        await runTicks(attention, world.clock, 3);
        expect(attention.trackedCount).toBe(1);
        expect(attention.ranking.npc.every((e) => e.node !== npc)).toBe(true);
    });

    it("leaves the scene's observer counts as they were before CreateAsync", async () => {
        const npc = world.sphere("npc", 0, 1.6, 8);
        const before = {
            beforeRender: world.scene.onBeforeRenderObservable.observers.length,
            dispose: world.scene.onDisposeObservable.observers.length,
            nodeDispose: npc.onDisposeObservable.observers.length,
            pointer: world.scene.onPointerObservable.observers.length,
            endFrame: world.scene.getEngine().onEndFrameObservable.observers.length,
        };
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, backend: "heuristic" });
        attention.track(npc, { kind: "npc" });
        attention.bridgeEvents(world.scene.onPointerObservable, () => null);
        expect(world.scene.onBeforeRenderObservable.observers.length).toBe(before.beforeRender + 1);
        expect(world.scene.getEngine().onEndFrameObservable.observers.length).toBe(before.endFrame + 1);
        attention.dispose();
        attention.dispose(); // idempotent
        // Babylon defers observer removal to the next macrotask (safe while notifying).
        await new Promise((resolve) => setTimeout(resolve, 0));
        expect(world.scene.onBeforeRenderObservable.observers.length).toBe(before.beforeRender);
        expect(world.scene.onDisposeObservable.observers.length).toBe(before.dispose);
        expect(npc.onDisposeObservable.observers.length).toBe(before.nodeDispose);
        expect(world.scene.onPointerObservable.observers.length).toBe(before.pointer);
        expect(world.scene.getEngine().onEndFrameObservable.observers.length).toBe(before.endFrame);
        expect(AttentionPlugin.Get(world.scene)).toBeNull();
    });

    it("disposes with its scene and allows one plugin per scene", async () => {
        const attention = await createPlugin();
        await expect(createPlugin()).rejects.toThrow(/already has an attention plugin/);
        world.scene.dispose();
        expect(attention.isDisposed).toBe(true);
    });

    it("ticks from the render loop at updateHz", async () => {
        const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, updateHz: 10, backend: "heuristic" });
        attention.track(world.sphere("npc", 0, 1.6, 8), { kind: "npc" });
        let ticks = 0;
        attention.onRankingUpdatedObservable.add(() => ticks++);
        for (let frame = 0; frame < 60; frame++) {
            world.clock.advance(1000 / 60);
            world.scene.render();
        }
        // One second of 60 Hz frames at 10 Hz: ten ticks, give or take the first.
        expect(ticks).toBeGreaterThanOrEqual(9);
        expect(ticks).toBeLessThanOrEqual(11);
    });

    it("tracks nodes through AttentionTargetBehavior, even when attached before the plugin exists", async () => {
        const early = world.sphere("early", 0, 1.6, 8);
        early.addBehavior(new AttentionTargetBehavior({ kind: "npc", label: "Early" }));
        const attention = await createPlugin();
        expect(attention.isTracked(early)).toBe(true);
        const late = world.sphere("late", 2, 1.6, 8);
        late.addBehavior(new AttentionTargetBehavior({ kind: "task", label: "Late" }));
        expect(attention.isTracked(late)).toBe(true);
        late.removeBehavior(late.getBehaviorByName("AttentionTarget")!);
        expect(attention.isTracked(late)).toBe(false);
    });
});

describe("AttentionPlugin input validation", () => {
    it("rejects an unknown kind, a bad priority and double tracking with clear errors", async () => {
        const attention = await createPlugin();
        const npc = world.sphere("npc", 0, 1.6, 8);
        expect(() => attention.track(npc, { kind: "enemy" as never })).toThrow(/unknown kind "enemy".*expected one of "npc", "task", "hint"/);
        expect(() => attention.track(npc, { kind: "npc", priority: 2 })).toThrow(/priority of "npc" must be a number in \[0, 1\]; got 2/);
        attention.track(npc, { kind: "npc" });
        expect(() => attention.track(npc, { kind: "npc" })).toThrow(/already tracked/);
        expect(() => attention.track({} as never, { kind: "npc" })).toThrow(/expected a TransformNode/);
    });

    it("treats an event on an untracked node as a documented no-op with a warning", async () => {
        const attention = await createPlugin();
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const stranger = world.sphere("stranger", 0, 1.6, 8);
        expect(attention.emit({ target: stranger, type: "speech" })).toBe(false);
        expect(warn).toHaveBeenCalledWith(expect.stringContaining('"speech" event ignored: target "stranger" is not tracked'));
        attention.track(stranger, { kind: "npc" });
        expect(() => attention.emit({ target: stranger, type: "speech", intensity: NaN })).toThrow(/intensity of "speech" must be a number in \[0, 10\]; got NaN/);
        expect(() => attention.emit({ target: stranger, type: "" })).toThrow(/event.type must be a non-empty string/);
    });

    it("keeps NaN positions out of the ranking instead of producing NaN scores", async () => {
        const attention = await createPlugin();
        const warn = vi.spyOn(Logger, "Warn").mockImplementation(() => {});
        const broken = world.sphere("broken", 0, 1.6, 8);
        const fine = world.sphere("fine", 2, 1.6, 8);
        attention.track(broken, { kind: "npc" });
        attention.track(fine, { kind: "npc" });
        broken.position.x = NaN;
        await runTicks(attention, world.clock, 5);
        expect(attention.ranking.npc.map((e) => e.node.name)).toEqual(["fine"]);
        expect(Number.isNaN(attention.ranking.npc[0].score)).toBe(false);
        expect(Array.from(attention.features).every(Number.isFinite)).toBe(true);
        expect(warn).toHaveBeenCalledTimes(1);
        expect(warn.mock.calls[0][0]).toMatch(/"broken" has a non-finite position/);
        broken.position.x = 0;
        await runTicks(attention, world.clock, 2);
        expect(attention.ranking.npc.map((e) => e.node.name).sort()).toEqual(["broken", "fine"]);
    });

    it("rejects invalid weights without applying any of them", async () => {
        const attention = await createPlugin();
        const before = attention.exportWeights();
        expect(() => (attention.weights = { gaze: 2, dwell: -1 })).toThrow(/weight "dwell" must be a number in \[0, 4\]; got -1/);
        expect(() => (attention.weights = { gazee: 1 } as never)).toThrow(/unknown weight "gazee"/);
        expect(() => (attention.weights = "{not json")).toThrow(/weights JSON does not parse/);
        expect(attention.exportWeights()).toBe(before);
        attention.weights = '{"gaze": 2}';
        expect(attention.weights.gaze).toBe(2);
        expect(JSON.parse(attention.exportWeights()).gaze).toBe(2);
    });

    it("rejects a bad updateHz", async () => {
        await expect(createPlugin({ updateHz: 0 })).rejects.toThrow(/updateHz must be a number in \[1, 240\]; got 0/);
    });

    it("rejects a feature time constant that is not positive and a misspelt feature option, naming each", async () => {
        await expect(createPlugin({ features: { gazeShareSeconds: 0 } })).rejects.toThrow(/features\.gazeShareSeconds must be a positive number; got 0/);
        await expect(createPlugin({ features: { approachSmoothingSeconds: NaN } })).rejects.toThrow(/features\.approachSmoothingSeconds must be a positive number; got NaN/);
        await expect(createPlugin({ features: { gazeShareSecs: 5 } as never })).rejects.toThrow(/features\.gazeShareSecs is not an option; expected one of .*gazeShareSeconds/);
    });
});

describe("AttentionPlugin navigation hook", () => {
    it("navigates to the focused entity through the assigned navigator, and explains a missing one", async () => {
        const attention = await createPlugin();
        const npc = world.sphere("npc", 0, 1.6, 8);
        attention.track(npc, { kind: "npc" });
        await expect(attention.navigateToAsync(npc)).rejects.toThrow(/no navigator; create one with AttentionNavigator.CreateAsync/);
        const targets: string[] = [];
        attention.navigator = { navigateToAsync: async (target) => (targets.push(target.name), { state: "arrived" }) };
        await expect(attention.navigateToAsync()).rejects.toThrow(/nothing is focused/);
        await runTicks(attention, world.clock, 15);
        await expect(attention.navigateToAsync()).resolves.toEqual({ state: "arrived" });
        expect(targets).toEqual(["npc"]);
    });
});

describe("AttentionPlugin hooks for recorders", () => {
    it("maps nodes to stable ids and feature rows, and reports engagements and task changes", async () => {
        const attention = await createPlugin();
        const a = world.sphere("a", 0, 1.6, 8);
        const task = world.sphere("task", 2, 1.6, 8);
        attention.track(a, { kind: "npc" });
        attention.track(task, { kind: "task" });
        const idA = attention.idOf(a);
        const idTask = attention.idOf(task);
        expect(idA).toBeGreaterThan(0);
        expect(idTask).not.toBe(idA);
        expect(attention.nodeAt(attention.slotOf(task))).toBe(task);
        const engaged: string[] = [];
        const tasks: string[] = [];
        attention.onEngagedObservable.add((node) => engaged.push(node.name));
        attention.onTaskStateChangedObservable.add(({ node, active }) => tasks.push(`${node.name}:${active}`));
        attention.engage(task);
        attention.setTaskActive(task, false);
        attention.setTaskActive(task, false); // no change, no notification
        expect(engaged).toEqual(["task"]);
        expect(tasks).toEqual(["task:false"]);
        attention.untrack(a);
        expect(attention.idOf(a)).toBe(0);
        expect(attention.slotOf(task)).toBe(0);
        expect(attention.idOf(task)).toBe(idTask); // ids survive slot moves
        await attention.tickAsync();
        expect(attention.latestGaze.direction.z).toBeGreaterThan(0.9);
    });
});

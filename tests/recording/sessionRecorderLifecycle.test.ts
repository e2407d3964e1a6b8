import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { SessionRecorder } from "../../plugin/recording/sessionRecorder";
import { readSessionAsync } from "../../plugin/recording/sessionReader";
import { MemorySessionSink } from "../../plugin/recording/sessionSink";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

/** Babylon's `remove` takes an observer out a macrotask later. */
const nextMacrotaskAsync = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

describe("SessionRecorder lifecycle", () => {
    let world: ITestWorld;
    let attention: AttentionPlugin;

    beforeEach(async () => {
        world = createTestWorld();
        attention = await AttentionPlugin.CreateAsync(world.scene, { clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none" });
    });

    afterEach(() => {
        attention.dispose();
        world.dispose();
    });

    it("keeps an engagement reported right after a chunk filled up and before stop", async () => {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 2 });
        const guide = world.sphere("guide", 0, 1.6, 6);
        attention.track(guide, { kind: "npc" });
        recorder.start();
        await runTicks(attention, world.clock, 4);
        attention.engage(guide);
        recorder.stop();

        const { session, problems } = await readSessionAsync(sink.toText(), "boundary.jsonl");
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(4);
        expect(session!.ticks.flatMap((t) => t.events.map((e) => `${e.tick}:${e.type}:${e.id}`))).toEqual(["3:engage:1"]);
    });

    it("still writes a full chunk once the next tick comes, so a crash loses at most chunkTicks ticks", async () => {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 2 });
        attention.track(world.sphere("guide", 0, 1.6, 6), { kind: "npc" });
        recorder.start();
        await runTicks(attention, world.clock, 2);
        expect(sink.lines).toHaveLength(1);
        await runTicks(attention, world.clock, 1);
        expect(sink.lines).toHaveLength(2);
        recorder.dispose();
    });

    it("leaves no observer on the plugin after twenty start and stop cycles, or after dispose", async () => {
        const observables = [
            attention.onRankingUpdatedObservable,
            attention.onEngagedObservable,
            attention.onTaskStateChangedObservable,
            attention.onTargetTrackedObservable,
            attention.onTargetUntrackedObservable,
            attention.onDisposeObservable,
        ];
        const count = (): number => observables.reduce((sum, observable) => sum + observable.observers.length, 0);
        const before = count();
        const recorder = new SessionRecorder(attention, {});
        recorder.start();
        recorder.stop();
        await nextMacrotaskAsync();
        const afterOne = count();
        for (let i = 0; i < 20; i++) {
            recorder.start();
            recorder.stop();
        }
        await nextMacrotaskAsync();
        expect(count()).toBe(afterOne);
        recorder.dispose();
        await nextMacrotaskAsync();
        expect(count()).toBe(before);
    });

    it("records each tick once when restarted before Babylon has removed the old observers", async () => {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink });
        attention.track(world.sphere("guide", 0, 1.6, 6), { kind: "npc" });
        recorder.start();
        recorder.stop();
        recorder.start();
        await runTicks(attention, world.clock, 3);
        expect(recorder.tickCount).toBe(3);
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { SessionRecorder, type ISessionRecorderFault } from "../../plugin/recording/sessionRecorder";
import { readSessionAsync } from "../../plugin/recording/sessionReader";
import { MemorySessionSink, type ISessionSink } from "../../plugin/recording/sessionSink";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

/** A sink that throws while `full` is set, as a full disk or a spent storage quota would. */
class FlakySink implements ISessionSink {
    public full = false;
    public readonly memory = new MemorySessionSink();

    public write(line: string): void {
        if (this.full) {
            throw new Error("disk full");
        }
        this.memory.write(line);
    }
}

describe("SessionRecorder faults", () => {
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

    it("keeps ticking and ranking when the sink throws, reports what was lost, and resumes when it recovers", async () => {
        const sink = new FlakySink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 2 });
        const faults: ISessionRecorderFault[] = [];
        recorder.onErrorObservable.add((fault) => faults.push(fault));
        const guide = world.sphere("guide", 0, 1.6, 6);
        attention.track(guide, { kind: "npc" });
        recorder.start();
        await runTicks(attention, world.clock, 2);
        sink.full = true;
        attention.engage(guide);
        // Tick 3 writes chunk 0 (fails); tick 5 writes chunk 1 (fails).
        await expect(runTicks(attention, world.clock, 4)).resolves.toBeUndefined();
        expect(attention.ranking.npc[0]?.node).toBe(guide);
        expect(faults.map((f) => [f.stage, f.chunk, f.lostTicks, f.lostEngagements])).toEqual([
            ["chunk", 0, 2, 0],
            ["chunk", 1, 2, 1],
        ]);
        expect(String(faults[0].error)).toMatch(/disk full/);
        expect([recorder.lostTicks, recorder.lostChunks]).toEqual([4, 2]);

        sink.full = false;
        await runTicks(attention, world.clock, 1);
        recorder.stop();
        const { session, problems } = await readSessionAsync(sink.memory.toText(), "full.jsonl");
        expect(session!.ticks.map((t) => t.index)).toEqual([4, 5, 6]);
        // The reader names the gap the lost chunks left.
        expect(problems.map((p) => p.message)).toEqual([expect.stringMatching(/2 chunk\(s\) missing/)]);
    });

    it("retries a header the sink refused before the first chunk, so the file stays readable", async () => {
        const sink = new FlakySink();
        sink.full = true;
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 2 });
        const faults: ISessionRecorderFault[] = [];
        recorder.onErrorObservable.add((fault) => faults.push(fault));
        attention.track(world.sphere("guide", 0, 1.6, 6), { kind: "npc" });
        recorder.start();
        expect(faults.map((f) => [f.stage, f.chunk, f.lostTicks])).toEqual([["header", -1, 0]]);
        sink.full = false;
        await runTicks(attention, world.clock, 3);
        recorder.stop();
        const { session, problems } = await readSessionAsync(sink.memory.toText(), "late-header.jsonl");
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(3);
    });

    it("drops the chunk being filled when reading a tick throws, and records the ticks after it", async () => {
        const sink = new MemorySessionSink();
        let broken = false;
        const camera = world.scene.activeCamera!;
        // A player node that fails the way a half-disposed rig might.
        const player = {
            isDisposed: () => false,
            getAbsolutePosition: () => {
                if (broken) {
                    throw new Error("no position");
                }
                return camera.globalPosition;
            },
        } as unknown as TransformNode;
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 4, player });
        const faults: ISessionRecorderFault[] = [];
        recorder.onErrorObservable.add((fault) => faults.push(fault));
        attention.track(world.sphere("guide", 0, 1.6, 6), { kind: "npc" });
        recorder.start();
        await runTicks(attention, world.clock, 2);
        broken = true;
        await expect(runTicks(attention, world.clock, 1)).resolves.toBeUndefined();
        broken = false;
        await runTicks(attention, world.clock, 2);
        recorder.stop();
        expect(faults.map((f) => [f.stage, f.chunk, f.lostTicks])).toEqual([["tick", 0, 3]]);
        const { session } = await readSessionAsync(sink.toText(), "tick.jsonl");
        expect(session!.ticks.map((t) => t.index)).toEqual([3, 4]);
    });

    it("does not break the tick when a fault handler itself throws", async () => {
        const sink = new FlakySink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 1 });
        recorder.onErrorObservable.add(() => {
            throw new Error("handler bug");
        });
        attention.track(world.sphere("guide", 0, 1.6, 6), { kind: "npc" });
        recorder.start();
        sink.full = true;
        await expect(runTicks(attention, world.clock, 3)).resolves.toBeUndefined();
        expect(recorder.lostChunks).toBe(2);
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { SessionRecorder } from "../../plugin/recording/sessionRecorder";
import { readSessionAsync, formatSessionProblem } from "../../plugin/recording/sessionReader";
import { decodeFloat32, encodeFloat32, sealLine, unsealLine } from "../../plugin/recording/sessionFormat";
import { MemorySessionSink } from "../../plugin/recording/sessionSink";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

describe("SessionRecorder", () => {
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

    async function recordSmallSession(chunkTicks = 4): Promise<{ recorder: SessionRecorder; sink: MemorySessionSink }> {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks, sessionId: "s1", layoutId: "room" });
        const guide = world.sphere("guide", 0, 1.6, 6);
        const mosaic = world.sphere("mosaic", 3, 1, 8);
        const sign = world.sphere("sign", -2, 2, 4);
        attention.track(guide, { kind: "npc", label: "Guide" });
        attention.track(mosaic, { kind: "task", label: "Find the mosaic" });
        attention.track(sign, { kind: "hint", label: "Upstairs" });
        recorder.start();
        await runTicks(attention, world.clock, 5, 10);
        attention.emit({ target: guide, type: "speech", intensity: 1 });
        attention.engage(guide);
        attention.untrack(guide);
        await runTicks(attention, world.clock, 3, 10);
        attention.setTaskActive(mosaic, false);
        await runTicks(attention, world.clock, 2, 10);
        recorder.stop();
        return { recorder, sink };
    }

    it("is off until started: no lines and no ticks", async () => {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink });
        attention.track(world.sphere("a", 0, 1.6, 5), { kind: "npc" });
        await runTicks(attention, world.clock, 3);
        expect(sink.lines).toHaveLength(0);
        expect(recorder.tickCount).toBe(0);
    });

    it("round-trips ticks, ids, features, geometry and events through the file format", async () => {
        const { sink } = await recordSmallSession();
        // header + chunks of 4, 4 and 2 ticks
        expect(sink.lines).toHaveLength(4);
        const { session, problems } = await readSessionAsync(sink.toText(), "room.jsonl");
        expect(problems).toEqual([]);
        expect(session).not.toBeNull();
        const s = session!;
        expect(s.header.sessionId).toBe("s1");
        expect(s.header.layoutId).toBe("room");
        expect(s.ticks).toHaveLength(10);
        expect(s.ticks.map((t) => t.timeMs)).toEqual([0, 100, 200, 300, 400, 500, 600, 700, 800, 900]);
        expect(Array.from(s.ticks[0].ids)).toEqual([1, 2, 3]);
        // untracking the guide (slot 0) moves the last entity (the sign) into its slot
        expect(Array.from(s.ticks[5].ids)).toEqual([3, 2]);
        expect(s.entities.get(1)).toEqual({ id: 1, kind: "npc", label: "Guide" });
        // the sign sits in row 0 after the swap, and its kind column says hint
        expect(s.ticks[5].features[Feature.KindHint]).toBe(1);
        expect(s.ticks[5].features.length).toBe(2 * FEATURE_COUNT);
        // the guide straight ahead at 6 m: the surface distance the plugin measures (its
        // Distance column is metres / 40), and gaze angle 0
        expect(s.ticks[0].distance[0]).toBeGreaterThan(4.5);
        expect(s.ticks[0].distance[0]).toBeCloseTo(s.ticks[0].features[Feature.Distance] * 40, 4);
        expect(s.ticks[0].gazeAngle[0]).toBeCloseTo(0, 4);
        expect(s.ticks[0].player[8]).toBeCloseTo(1, 5);
        const events = s.ticks.flatMap((t) => t.events.map((e) => `${e.tick}:${e.type}:${e.id}`));
        // tracking before start() is setup, not an event; active tasks are stated at the start
        expect(events).toEqual(["0:taskActive:2", "5:emit:1", "5:engage:1", "5:untrack:1", "8:taskDone:2"]);
    });

    it("writes the same bytes for the same run", async () => {
        const first = (await recordSmallSession()).sink.toText();
        attention.dispose();
        world.dispose();
        world = createTestWorld();
        attention = await AttentionPlugin.CreateAsync(world.scene, { clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none" });
        const second = (await recordSmallSession()).sink.toText();
        expect(second).toBe(first);
    });

    it("numbers targets tracked before it existed in tracking order, and records them", async () => {
        const first = world.sphere("first", 0, 1.6, 5);
        const second = world.sphere("second", 1, 1.6, 5);
        const third = world.sphere("third", 2, 1.6, 5);
        attention.track(first, { kind: "npc" });
        attention.track(second, { kind: "task", active: false });
        attention.track(third, { kind: "task" });
        // Untracking the first moves the third into row 0: rows no longer follow tracking order.
        attention.untrack(first);
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 4 });
        const late = world.sphere("late", 3, 1.6, 5);
        attention.track(late, { kind: "hint", label: "Late sign" });
        recorder.start();
        await runTicks(attention, world.clock, 2);
        recorder.stop();

        expect([second, third, late].map((node) => recorder.idOf(node))).toEqual([1, 2, 3]);
        expect(recorder.idOf(first)).toBe(-1);
        const { session, problems } = await readSessionAsync(sink.toText(), "early.jsonl");
        expect(problems).toEqual([]);
        expect(Array.from(session!.ticks[0].ids)).toEqual([2, 1, 3]);
        expect(session!.ticks[0].features[Feature.KindTask]).toBe(1);
        expect(session!.entities.get(3)).toEqual({ id: 3, kind: "hint", label: "Late sign" });
        // Only the task still to do is stated at the start (the other was tracked inactive).
        expect(session!.ticks[0].events.map((e) => `${e.type}:${e.id}`)).toEqual(["taskActive:2"]);
    });

    it("keeps recording the right ids when a tracked node is disposed mid-session", async () => {
        const sink = new MemorySessionSink();
        const recorder = new SessionRecorder(attention, { sink, chunkTicks: 10 });
        const a = world.sphere("a", 0, 1.6, 5);
        const b = world.sphere("b", 1, 1.6, 5);
        const c = world.sphere("c", 2, 1.6, 5);
        for (const node of [a, b, c]) {
            attention.track(node, { kind: "npc" });
        }
        recorder.start();
        await runTicks(attention, world.clock, 1);
        a.dispose();
        await runTicks(attention, world.clock, 1);
        recorder.stop();
        const { session } = await readSessionAsync(sink.toText(), "dispose.jsonl");
        expect(session!.ticks.map((t) => Array.from(t.ids))).toEqual([
            [1, 2, 3],
            [3, 2],
        ]);
        expect(session!.ticks[1].events.map((e) => `${e.type}:${e.id}`)).toEqual(["untrack:1"]);
    });

    describe("reading damaged files", () => {
        it("rejects a file recorded with another feature schema version, naming file and line", async () => {
            const { sink } = await recordSmallSession();
            const header = unsealLine(sink.lines[0]);
            if (!header.ok) throw new Error(header.error);
            const lines = [sealLine({ ...header.value, check: undefined, featureSchemaVersion: 99 }), ...sink.lines.slice(1)];
            const { session, problems } = await readSessionAsync(lines, "old.jsonl");
            expect(session).toBeNull();
            expect(problems).toHaveLength(1);
            expect(formatSessionProblem(problems[0])).toMatch(/^old\.jsonl:1: rejected: feature schema version 99/);
        });

        it("skips a truncated last chunk (a crash) and keeps the chunks before it", async () => {
            const { sink } = await recordSmallSession();
            const lines = [...sink.lines];
            lines[3] = lines[3].slice(0, Math.floor(lines[3].length / 2));
            const { session, problems } = await readSessionAsync(lines.join("\n"), "crash.jsonl");
            expect(session!.ticks).toHaveLength(8);
            expect(problems).toHaveLength(1);
            expect(problems[0]).toMatchObject({ file: "crash.jsonl", line: 4, chunk: 2, action: "skipped" });
            expect(problems[0].message).toMatch(/cut short/);
        });

        it("skips a chunk holding a NaN feature row, and rejects the file when strict", async () => {
            const { sink } = await recordSmallSession();
            const chunk = unsealLine(sink.lines[2]);
            if (!chunk.ok) throw new Error(chunk.error);
            const features = decodeFloat32(chunk.value.features as string)!;
            features[FEATURE_COUNT + Feature.Dwell] = NaN;
            const { check: _check, ...body } = chunk.value;
            const lines = [...sink.lines];
            lines[2] = sealLine({ ...body, features: encodeFloat32(features) });
            const lenient = await readSessionAsync(lines, "nan.jsonl");
            expect(lenient.session!.ticks.map((t) => t.index)).toEqual([0, 1, 2, 3, 8, 9]);
            expect(formatSessionProblem(lenient.problems[0])).toMatch(/^nan\.jsonl:3 \(chunk 1\): skipped: features holds a non-finite value \(NaN\) in row 1/);
            const strict = await readSessionAsync(lines, "nan.jsonl", { strict: true });
            expect(strict.session).toBeNull();
            expect(strict.problems[0]).toMatchObject({ line: 3, chunk: 1, action: "rejected" });
        });

        it("detects a flipped byte by checksum", async () => {
            const { sink } = await recordSmallSession();
            const lines = [...sink.lines];
            const at = lines[1].indexOf('"time":[') + 8;
            lines[1] = lines[1].slice(0, at) + "7" + lines[1].slice(at + 1);
            const { problems } = await readSessionAsync(lines, "bitrot.jsonl");
            expect(problems[0]).toMatchObject({ line: 2, chunk: 0, action: "skipped" });
            expect(problems[0].message).toMatch(/checksum/);
        });
    });
});

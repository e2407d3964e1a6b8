import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadSessionFilesAsync } from "../../models/labels/loadSessions";
import { loadSessionFilesAsync as loadTrainingSessionsAsync } from "../../models/train/datasetSource";
import { generateLayout } from "../../models/sim/layout";
import { simulateSessionAsync } from "../../models/sim/simulateSession";
import { CONTEXT_COUNT } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import { encodeFloat32, fnv1a, PLAYER_STRIDE, sealLine } from "../../plugin/recording/sessionFormat";
import { DEFAULT_SESSION_LIMITS } from "../../plugin/recording/sessionLimits";
import { readSessionAsync } from "../../plugin/recording/sessionReader";

type Json = Record<string, unknown>;

/** Seals hand-written JSON text the way sealLine seals an object (for values JSON.stringify cannot write). */
function sealText(body: string): string {
    return `${body.slice(0, -1)},"check":"${body.length}:${fnv1a(body)}"}`;
}

function parse(line: string): Json {
    const value = JSON.parse(line) as Json;
    delete value.check;
    return value;
}

/** Text nested `depth` arrays deep around `inner`. */
function nested(depth: number, inner = "0"): string {
    return `${"[".repeat(depth)}${inner}${"]".repeat(depth)}`;
}

describe("session files from untrusted players", () => {
    const dir = mkdtempSync(join(tmpdir(), "untrusted-sessions-"));
    /** A real recorded session: header and 3 chunks of 20 ticks, each with entities and events. */
    let lines: string[];
    let header: Json;
    let chunks: Json[];

    beforeAll(async () => {
        const simulated = await simulateSessionAsync({ layout: generateLayout(7, 0), seed: 3, intent: "curious", seconds: 3, hz: 20, chunkTicks: 20 });
        lines = simulated.lines;
        header = parse(lines[0]);
        chunks = lines.slice(1).map(parse);
        // Every chunk gets one emit event to tamper with.
        for (const chunk of chunks) {
            const entities = chunk.entities as Json[];
            (chunk.events as Json[]).push({ tick: chunk.firstTick, timeMs: (chunk.time as number[])[0], id: entities[0].id, type: "emit", detail: "speech", intensity: 1 });
        }
        lines = [sealLine(header), ...chunks.map((c) => sealLine(c))];
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    /** The session's lines with chunk 1 replaced by `edit` of a copy of it. */
    function withChunk1(edit: (chunk: Json) => void): string[] {
        const copy = structuredClone(chunks[1]);
        edit(copy);
        return [lines[0], lines[1], sealLine(copy), lines[3]];
    }

    function writeFile(name: string, text: string): string {
        const path = join(dir, name);
        writeFileSync(path, text);
        return path;
    }

    it("reads the untouched session whole (the fixture is sound)", async () => {
        const { session, problems } = await readSessionAsync(lines, "ok.jsonl");
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(60);
    });

    it("reads bytes split anywhere, from a stream read through its reader", async () => {
        const bytes = new TextEncoder().encode(`${lines.join("\r\n")}\r\n`);
        const stream = new ReadableStream<Uint8Array>({
            start(controller) {
                // 7-byte pieces: lines and even the CRLF pairs straddle reads.
                for (let at = 0; at < bytes.length; at += 7) controller.enqueue(bytes.slice(at, at + 7));
                controller.close();
            },
        });
        // As in a browser whose ReadableStream is not async-iterable.
        const readerOnly = { getReader: () => stream.getReader() } as unknown as ReadableStream<Uint8Array>;
        const { session, problems } = await readSessionAsync(readerOnly, "pieces.jsonl");
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(60);
    });

    describe("lines over the cap", () => {
        it("skips a line with no newline over the default 16 MiB cap, naming file, line and limit, and reads the next file", async () => {
            const longLine = `{"chunk":3,"firstTick":60,${"x".repeat(DEFAULT_SESSION_LIMITS.maxLineBytes + 1024)}`;
            const huge = writeFile("huge-line.jsonl", `${lines.join("\n")}\n${longLine}`);
            const good = writeFile("good.jsonl", `${lines.join("\n")}\n`);
            const { sessions, problems } = await loadSessionFilesAsync([huge, good], { quiet: true });
            expect(sessions.map((s) => [s.name, s.ticks.length])).toEqual([
                [huge, 60],
                [good, 60],
            ]);
            expect(problems).toHaveLength(1);
            expect(problems[0]).toMatchObject({ file: huge, line: 5, chunk: 3, action: "skipped" });
            expect(problems[0].message).toContain(`over maxLineBytes (${DEFAULT_SESSION_LIMITS.maxLineBytes})`);
            expect(problems[0].message.length).toBeLessThan(200);
        });

        it("lets npm run train --sessions go on past such a line, naming the file in its warning", async () => {
            const longLine = `{"chunk":3,${"x".repeat(DEFAULT_SESSION_LIMITS.maxLineBytes + 1)}`;
            const huge = writeFile("train-huge-line.jsonl", `${lines.join("\n")}\n${longLine}\n`);
            const log: string[] = [];
            const { description } = await loadTrainingSessionsAsync([huge], { k: 8 }, (line) => log.push(line));
            expect(description).toContain("1 recorded session(s)");
            expect(log).toEqual([`warning: ${huge}:5 (chunk 3): skipped: line is ${longLine.length} bytes, over maxLineBytes (${DEFAULT_SESSION_LIMITS.maxLineBytes}); it was not read`]);
        });

        it("applies a smaller cap to streamed bytes and to lines given as strings alike", async () => {
            const long = `{"chunk":9,${"y".repeat(300_000)}}`;
            const path = writeFile("long.jsonl", [lines[0], lines[1], long, lines[2]].join("\n"));
            const streamed = await loadSessionFilesAsync([path], { quiet: true, maxLineBytes: 65_536 });
            const fromLines = await readSessionAsync([lines[0], lines[1], long, lines[2]], "long.jsonl", { maxLineBytes: 65_536 });
            for (const { sessions, problems } of [streamed, { sessions: [fromLines.session!], problems: fromLines.problems }]) {
                expect(sessions[0].ticks).toHaveLength(40);
                expect(problems).toHaveLength(1);
                expect(problems[0]).toMatchObject({ line: 3, chunk: 9, action: "skipped" });
                expect(problems[0].message).toMatch(/line is 3000\d\d bytes, over maxLineBytes \(65536\)/);
            }
        });

        it("rejects a file whose header line is over the cap", async () => {
            const { session, problems } = await readSessionAsync([`{"format":"${"z".repeat(5000)}"}`, lines[1]], "h.jsonl", { maxLineBytes: 1024 });
            expect(session).toBeNull();
            expect(problems[0]).toMatchObject({ line: 1, action: "rejected" });
            expect(problems[0].message).toContain("header line is 5");
        });

        it("reports a file that cannot be opened and goes on with the others", async () => {
            const good = writeFile("good2.jsonl", lines.join("\n"));
            const { sessions, problems } = await loadSessionFilesAsync([join(dir, "missing.jsonl"), dir, good], { quiet: true });
            expect(sessions.map((s) => s.name)).toEqual([good]);
            expect(problems.map((p) => [p.file, p.action])).toEqual([
                [join(dir, "missing.jsonl"), "rejected"],
                [dir, "rejected"],
            ]);
            expect(problems[0].message).toContain("ENOENT");
        });
    });

    describe("a chunk declaring a huge number of ticks", () => {
        function bigChunk(ticks: number): string {
            const chunk = {
                chunk: 3,
                firstTick: 60,
                ticks,
                entities: [],
                time: Array.from({ length: ticks }, (_, t) => 3000 + t),
                count: new Array<number>(ticks).fill(0),
                ids: [],
                features: "",
                context: encodeFloat32(new Float32Array(ticks * CONTEXT_COUNT)),
                weights: encodeFloat32(new Float32Array(ticks * WEIGHT_COUNT)),
                player: encodeFloat32(new Float32Array(ticks * PLAYER_STRIDE)),
                distance: "",
                gazeAngle: "",
                events: [],
            };
            return sealLine(chunk);
        }

        it("skips it by maxChunkTicks, keeping the file's other chunks and the other files", async () => {
            const big = bigChunk(DEFAULT_SESSION_LIMITS.maxChunkTicks + 1);
            const path = writeFile("big-chunk.jsonl", `${[...lines, big].join("\n")}\n`);
            const good = writeFile("good3.jsonl", `${lines.join("\n")}\n`);
            const { sessions, problems } = await loadSessionFilesAsync([good, path, good], { quiet: true });
            expect(sessions.map((s) => s.ticks.length)).toEqual([60, 60, 60]);
            expect(problems).toEqual([expect.objectContaining({ file: path, line: 5, chunk: 3, action: "skipped" })]);
            expect(problems[0].message).toContain(`ticks must be an integer in [1, ${DEFAULT_SESSION_LIMITS.maxChunkTicks}] (maxChunkTicks); got 10001`);
        });

        it("reads a 200,000-tick chunk when the limits allow it, without overflowing the stack", async () => {
            const big = bigChunk(200_000);
            const { session, problems } = await readSessionAsync([...lines, big], "big.jsonl", { maxChunkTicks: 200_000, maxLineBytes: 64 * 1024 * 1024 });
            expect(problems).toEqual([]);
            expect(session!.ticks).toHaveLength(200_060);
            expect(session!.ticks[200_059].index).toBe(200_059);
        });
    });

    describe("deep nesting and huge values", () => {
        it("skips an entity nested 10,000 deep with a short message, and reads the rest", async () => {
            const body = JSON.stringify(chunks[1]).replace('"entities":[', `"entities":[${nested(10_000)},`);
            const { session, problems } = await readSessionAsync([lines[0], lines[1], sealText(body), lines[3]], "deep.jsonl");
            expect(session!.ticks).toHaveLength(40);
            expect(problems).toHaveLength(1);
            expect(problems[0]).toMatchObject({ line: 3, chunk: 1, action: "skipped" });
            expect(problems[0].message).toContain("entities[0] must be an object { id, kind, label }; got [[[[...]]]]");
        });

        it("skips an event nested 10,000 deep", async () => {
            const body = JSON.stringify(chunks[1]).replace('"events":[', `"events":[${nested(10_000, "{}")},`);
            const { problems } = await readSessionAsync([lines[0], lines[1], sealText(body)], "deep-event.jsonl");
            expect(problems).toEqual([expect.objectContaining({ line: 3, chunk: 1, action: "skipped" })]);
            expect(problems[0].message).toContain("events[0] must be an object");
        });

        it("rejects a header whose meta nests deeper than its flat values", async () => {
            const body = JSON.stringify({ ...header, meta: {} }).replace('"meta":{}', `"meta":{"intent":${nested(2000)}}`);
            const { session, problems } = await readSessionAsync([sealText(body), lines[1]], "deep-meta.jsonl");
            expect(session).toBeNull();
            expect(problems[0].message).toContain("header meta.\"intent\" must be a string, a finite number or a boolean; got [[[[...]]]]");
        });

        it("skips an event whose detail is an object nested deep", async () => {
            const body = JSON.stringify(chunks[1]).replace('"detail":"speech"', `"detail":${nested(3000, '{"a":1}')}`);
            const { session, problems } = await readSessionAsync([lines[0], lines[1], sealText(body)], "deep-detail.jsonl");
            expect(session!.ticks).toHaveLength(20);
            expect(problems[0].message).toMatch(/^events\[\d+\] detail must be a string; got \[\[\[\[\.\.\.\]\]\]\]$/);
        });

        it("quotes at most a few hundred characters of a 2 MB value", async () => {
            const huge = "k".repeat(2_000_000);
            const { problems } = await readSessionAsync(withChunk1((c) => ((c.entities as Json[])[0].kind = huge)), "huge-value.jsonl");
            expect(problems).toHaveLength(1);
            expect(problems[0].message).toContain("kind must be one of npc, task, hint");
            expect(problems[0].message).toContain("(2000000 characters)");
            expect(problems[0].message.length).toBeLessThan(400);
        });

        it("rejects a label longer than maxTextLength", async () => {
            const { problems } = await readSessionAsync(withChunk1((c) => ((c.entities as Json[])[0].label = "L".repeat(5000))), "label.jsonl");
            expect(problems[0].message).toContain("label is 5000 characters, over maxTextLength (1024)");
        });
    });

    describe("budgets", () => {
        it("rejects a file over maxFileTicks and stops reading it", async () => {
            const { session, problems } = await readSessionAsync(lines, "long.jsonl", { maxFileTicks: 50 });
            expect(session).toBeNull();
            expect(problems).toEqual([expect.objectContaining({ line: 4, chunk: 2, action: "rejected" })]);
            expect(problems[0].message).toContain("more than maxFileTicks (50)");
        });

        it("rejects a file over maxFileBytes", async () => {
            const { session, problems } = await readSessionAsync(lines, "big.jsonl", { maxFileBytes: 4096 });
            expect(session).toBeNull();
            expect(problems[0].message).toContain("larger than maxFileBytes (4096 bytes)");
        });

        it("keeps the sessions read before the load's tick budget ran out and lists each file not read", async () => {
            const paths = ["a", "b", "c", "d"].map((n) => writeFile(`${n}.jsonl`, `${lines.join("\n")}\n`));
            const midFile = await loadSessionFilesAsync(paths.slice(0, 3), { quiet: true, maxLoadTicks: 130 });
            expect(midFile.sessions.map((s) => s.name)).toEqual(paths.slice(0, 2));
            expect(midFile.problems).toEqual([expect.objectContaining({ file: paths[2], line: 2, chunk: 0, action: "rejected" })]);
            expect(midFile.problems[0].message).toContain("the load's tick budget (130 ticks, 120 already used by earlier files) is spent");

            const spent = await loadSessionFilesAsync(paths, { quiet: true, maxLoadTicks: 120 });
            expect(spent.sessions.map((s) => s.name)).toEqual(paths.slice(0, 2));
            expect(spent.problems.map((p) => [p.file, p.action, p.message])).toEqual([
                [paths[2], "rejected", "not read: the load's budget (120 ticks, 4294967296 bytes) is spent"],
                [paths[3], "rejected", "not read: the load's budget (120 ticks, 4294967296 bytes) is spent"],
            ]);
        });

        it("checks each limit's range once, naming it", async () => {
            await expect(readSessionAsync(lines, "x", { maxLineBytes: 0.5 })).rejects.toThrow("readSessionAsync: maxLineBytes must be an integer in [1024, 536870912]; got 0.5");
            await expect(loadSessionFilesAsync([], { maxChunkTicks: -1 })).rejects.toThrow("maxChunkTicks must be an integer");
        });
    });

    describe("every field checked against the format", () => {
        const cases: [string, (chunk: Json) => void, string][] = [
            ["an event time of \"NaN\"", (c) => ((c.events as Json[]).at(-1)!.timeMs = "NaN"), 'timeMs must be a finite number of ms, >= 0; got "NaN"'],
            ["an unknown event type", (c) => ((c.events as Json[]).at(-1)!.type = "explode"), 'type must be one of engage, taskDone, taskActive, emit, track, untrack; got "explode"'],
            ["an object detail", (c) => ((c.events as Json[]).at(-1)!.detail = { say: "hi" }), 'detail must be a string; got {"say":"hi"}'],
            ["a string intensity", (c) => ((c.events as Json[]).at(-1)!.intensity = "1"), 'intensity must be a finite number; got "1"'],
            ["a count of 0.5", (c) => { const n = c.count as number[]; n[0] -= 0.5; n[1] += 0.5; }, "count[0] must be an integer in [0, 65536] (maxTickEntities)"],
            ["a count of -1", (c) => { const n = c.count as number[]; n[1] += n[0] + 1; n[0] = -1; }, "count[0] must be an integer in [0, 65536] (maxTickEntities); got -1"],
            ["a negative tick time", (c) => ((c.time as number[])[3] = -5), "time[3] must be a finite number of ms, >= 0 and not below time[2]; got -5"],
            [
                "an entity id of 2^32 + 1",
                (c) => {
                    const entity = (c.entities as Json[])[0];
                    const old = entity.id;
                    entity.id = 2 ** 32 + 1;
                    c.ids = (c.ids as number[]).map((id) => (id === old ? 2 ** 32 + 1 : id));
                },
                "entities[0] id must be an integer in [0, 2147483647]; got 4294967297",
            ],
            ["an id used as two kinds", (c) => { const e = (c.entities as Json[])[0]; e.kind = e.kind === "npc" ? "task" : "npc"; }, "(ids are never reused)"],
        ];
        for (const [what, edit, message] of cases) {
            it(`skips a chunk with ${what} whole, saying why`, async () => {
                const { session, problems } = await readSessionAsync(withChunk1(edit), "tampered.jsonl");
                expect(problems).toHaveLength(1);
                expect(problems[0]).toMatchObject({ file: "tampered.jsonl", line: 3, action: "skipped" });
                expect(problems[0].message).toContain(message);
                expect(session!.ticks.map((t) => t.index)).toEqual([...Array(20).keys(), ...Array.from({ length: 20 }, (_, i) => 40 + i)]);
            });
        }
    });

    it("skips a chunk sent twice, so its ticks never count double", async () => {
        const { session, problems } = await readSessionAsync([lines[0], lines[1], lines[2], lines[2], lines[3]], "twice.jsonl");
        expect(problems).toEqual([expect.objectContaining({ line: 4, chunk: 1, action: "skipped", message: "chunk 1 (ticks from 20) repeats or goes back: expected chunk 2 or later, ticks from 40" })]);
        expect(session!.ticks.map((t) => t.index)).toEqual([...Array(60).keys()]);
    });

    describe("plain objects built field by field", () => {
        it("drops unknown keys and __proto__ from the header and events", async () => {
            const headerBody = JSON.stringify(header).replace('{"format"', '{"__proto__":{"polluted":true},"extra":1,"format"');
            const chunkBody = JSON.stringify(chunks[0]).replace('"type":"emit"', '"type":"emit","__proto__":{"polluted":true},"extra":"x"');
            const { session, problems } = await readSessionAsync([sealText(headerBody), sealText(chunkBody)], "proto.jsonl");
            expect(problems).toEqual([]);
            const s = session!;
            expect(Object.getPrototypeOf(s.header)).toBe(Object.prototype);
            expect(Object.keys(s.header).sort()).toEqual(["chunkTicks", "contextNames", "featureNames", "featureSchemaVersion", "format", "formatVersion", "layoutId", "meta", "sessionId", "weightNames"]);
            const emit = s.ticks[0].events.find((e) => e.type === "emit")!;
            expect(Object.getPrototypeOf(emit)).toBe(Object.prototype);
            expect(Object.keys(emit)).toEqual(["tick", "timeMs", "id", "type", "detail", "intensity"]);
            expect((emit as unknown as Json).polluted).toBeUndefined();
        });

        it("rejects a header whose meta has a __proto__ key", async () => {
            const body = JSON.stringify({ ...header, meta: {} }).replace('"meta":{}', '"meta":{"__proto__":{"polluted":true}}');
            const { session, problems } = await readSessionAsync([sealText(body), lines[1]], "proto-meta.jsonl");
            expect(session).toBeNull();
            expect(problems[0].message).toContain('header meta key "__proto__" is not allowed');
        });
    });
});

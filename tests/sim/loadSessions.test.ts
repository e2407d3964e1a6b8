import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { FEATURE_SCHEMA_VERSION } from "../../plugin/features/featureSchema";
import { loadSessionFilesAsync } from "../../models/labels/loadSessions";
import { FileSessionSink } from "../../models/sim/fileSessionSink";
import { generateLayout } from "../../models/sim/layout";
import { simulateSessionAsync } from "../../models/sim/simulateSession";

describe("session files on disk", () => {
    const dir = mkdtempSync(join(tmpdir(), "sessions-"));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    it("streams good files, skips a crashed file's last chunk and rejects a mismatched schema, naming each", async () => {
        const good = join(dir, "good.jsonl");
        const sink = new FileSessionSink(good);
        await simulateSessionAsync({ layout: generateLayout(1, 0), seed: 1, intent: "task", seconds: 6, hz: 20, chunkTicks: 20, sink });
        sink.close();
        const text = readFileSync(good, "utf8");
        const lines = text.trimEnd().split("\n");
        expect(lines).toHaveLength(1 + 6);

        const crashed = join(dir, "crashed.jsonl");
        writeFileSync(crashed, `${lines.slice(0, -1).join("\n")}\n${lines[lines.length - 1].slice(0, 300)}`);
        const old = join(dir, "old.jsonl");
        writeFileSync(old, text.replace(`"featureSchemaVersion":${FEATURE_SCHEMA_VERSION}`, '"featureSchemaVersion":0'));

        const { sessions, problems } = await loadSessionFilesAsync([good, crashed, old], { quiet: true });
        expect(sessions.map((s) => s.ticks.length)).toEqual([120, 100]);
        expect(problems).toHaveLength(2);
        expect(problems[0]).toMatchObject({ file: crashed, line: 7, chunk: 5, action: "skipped" });
        // editing the header breaks its checksum first: still rejected, on line 1
        expect(problems[1]).toMatchObject({ file: old, line: 1, chunk: -1, action: "rejected" });
    });
});

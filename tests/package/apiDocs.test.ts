import { execFile } from "node:child_process";
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { expect, it } from "vitest";
import { repoRoot } from "./packedApp.js";

const run = promisify(execFile);

// `npm run docs` as CI sees it: typedoc.json turns a missing doc comment on an export (and a
// broken {@link}) into an error, so this fails when an export is added without one.
it("builds the API reference with a doc comment on every export", async () => {
    const out = await mkdtemp(join(tmpdir(), "babylon-attention-api-"));
    try {
        const typedoc = join(repoRoot, "node_modules", "typedoc", "bin", "typedoc");
        let output = "";
        try {
            const result = await run(process.execPath, [typedoc, "--out", out], { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 });
            output = result.stdout + result.stderr;
        } catch (error) {
            const e = error as { stdout?: string; stderr?: string };
            expect.fail(`typedoc failed:\n${(e.stdout ?? "") + (e.stderr ?? "")}`.replace(/\u001b\[[0-9;]*m/g, ""));
        }
        expect(output).not.toMatch(/does not have any documentation/);
        expect(await readdir(out)).toContain("index.html");
    } finally {
        await rm(out, { recursive: true, force: true });
    }
});

import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import type { IAllocationSite } from "./allocationSites";

const run = promisify(execFile);
const root = fileURLToPath(new URL("../..", import.meta.url));

describe("the render-loop tick's allocation", () => {
    it("is 0 bytes per tick with the focus held at 1,000 entities, even where V8 inlines little", async () => {
        // A child process: the inlining budget is a V8 flag, fixed when the process starts.
        const { stdout } = await run(process.execPath, ["--max-inlined-bytecode-size-cumulative=100", "--import", "tsx", "tests/bench/tickAllocationCheck.ts", "1000"], {
            cwd: root,
            maxBuffer: 16 * 1024 * 1024,
        });
        const line = stdout.trim().split("\n").pop() ?? "";
        const result = JSON.parse(line) as { steadyBytesPerTick: number; sites: IAllocationSite[] };
        // On failure the sites say where: `function (file:line) < callers`.
        expect(result.sites.map((s) => `${s.bytes} ${s.site} < ${s.callers.join(" < ")}`)).toEqual([]);
        expect(result.steadyBytesPerTick).toBe(0);
    }, 120_000);
});

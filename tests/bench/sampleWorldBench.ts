/**
 * The sample-world rows of `npm run bench`: the world's own Vite server, the browser tests'
 * server (for the drop-in page), one headed Chromium, then the frame rows
 * (tests/bench/frameBudget.ts) and the start-up rows (tests/bench/startup.ts). Run alone, it
 * prints them as JSON:
 *
 *   npx tsx tests/bench/sampleWorldBench.ts [--frame | --startup] [--engines webgpu,webgl2] [--highlights glow,overlay] [--warmup-frames 600]
 *
 * (both kinds of rows without --frame or --startup; the last three options narrow or change the
 * frame rows, for an A/B of one page).
 */
import { fileURLToPath } from "node:url";
import { parseArgs } from "../../models/train/cliArgs";
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startTestServerAsync } from "../browser/harness/server";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { measureFrameBudgetAsync, type IFrameBudgetOptions, type IFrameRow } from "./frameBudget";
import { measureStartupAsync, startupPages, type IStartupRow } from "./startup";

export interface ISampleWorldBench {
    frame: IFrameRow[];
    startup: IStartupRow[];
}

export async function measureSampleWorldAsync(parts: { frame: boolean; startup: boolean } = { frame: true, startup: true }, frameOptions: Partial<IFrameBudgetOptions> = {}): Promise<ISampleWorldBench> {
    const [display, world, harness] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync(), startTestServerAsync()]);
    try {
        const browser = await launchChromiumAsync(display.display);
        try {
            const frame = parts.frame ? await measureFrameBudgetAsync(browser, world.origin, { engines: ["webgpu", "webgl2"], ...frameOptions }) : [];
            const startup = parts.startup ? await measureStartupAsync(browser, startupPages(world.origin, harness.origin)) : [];
            return { frame, startup };
        } finally {
            await browser.close();
        }
    } finally {
        await Promise.allSettled([world.closeAsync(), harness.closeAsync()]);
        await display.releaseAsync();
    }
}

// Run as a script: the sample-world rows alone, without the tick and inference rows before them.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const args = parseArgs(process.argv.slice(2), { flags: ["frame", "startup"], values: ["engines", "highlights", "warmup-frames"] });
    const frameOptions: Partial<IFrameBudgetOptions> = {};
    const engines = args.values.get("engines");
    if (engines) {
        frameOptions.engines = listOf(engines, ["webgpu", "webgl2"] as const, "--engines");
    }
    const highlights = args.values.get("highlights");
    if (highlights) {
        frameOptions.highlights = listOf(highlights, ["glow", "overlay"] as const, "--highlights");
    }
    const warmup = args.values.get("warmup-frames");
    if (warmup) {
        frameOptions.warmupFrames = Number(warmup[0]);
        if (warmup.length !== 1 || !Number.isInteger(frameOptions.warmupFrames) || frameOptions.warmupFrames < 0) {
            throw new Error(`sampleWorldBench: --warmup-frames takes a whole number of frames, 0 or more; got ${JSON.stringify(warmup.join(" "))}`);
        }
    }
    const onlyFrame = args.flags.has("frame");
    const onlyStartup = args.flags.has("startup");
    const rows = await measureSampleWorldAsync({ frame: !onlyStartup || onlyFrame, startup: !onlyFrame || onlyStartup }, frameOptions);
    console.log(JSON.stringify(rows, null, 2));
}

/** `--name a,b` (or `--name a b`): each item must be one of `allowed`. */
function listOf<T extends string>(values: readonly string[], allowed: readonly T[], name: string): T[] {
    const items = values.flatMap((v) => v.split(","));
    const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (wrong.length > 0) {
        throw new Error(`sampleWorldBench: ${name} takes a comma-separated list of ${allowed.join(", ")}; got ${JSON.stringify(values.join(" "))}`);
    }
    return items as T[];
}

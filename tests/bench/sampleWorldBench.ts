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
    const args = process.argv.slice(2);
    const only = args.find((a) => a === "--frame" || a === "--startup");
    const frameOptions: { engines?: ("webgpu" | "webgl2")[]; highlights?: ("glow" | "overlay")[]; warmupFrames?: number } = {};
    for (let i = 0; i < args.length; i++) {
        const value = args[i + 1];
        switch (args[i]) {
            case "--frame":
            case "--startup":
                continue;
            case "--engines":
                frameOptions.engines = listOf(value, ["webgpu", "webgl2"] as const, "--engines");
                break;
            case "--highlights":
                frameOptions.highlights = listOf(value, ["glow", "overlay"] as const, "--highlights");
                break;
            case "--warmup-frames":
                frameOptions.warmupFrames = Number(value);
                if (!Number.isInteger(frameOptions.warmupFrames) || frameOptions.warmupFrames < 0) {
                    throw new Error(`sampleWorldBench: --warmup-frames takes a whole number of frames, 0 or more; got ${JSON.stringify(value)}`);
                }
                break;
            default:
                throw new Error(`sampleWorldBench: unknown argument ${JSON.stringify(args[i])}; expected --frame, --startup, --engines, --highlights or --warmup-frames`);
        }
        i++;
    }
    const rows = await measureSampleWorldAsync({ frame: only !== "--startup", startup: only !== "--frame" }, frameOptions);
    console.log(JSON.stringify(rows, null, 2));
}

function listOf<T extends string>(value: string | undefined, allowed: readonly T[], name: string): T[] {
    const items = (value ?? "").split(",");
    const wrong = items.filter((item) => !(allowed as readonly string[]).includes(item));
    if (wrong.length > 0 || items.length === 0) {
        throw new Error(`sampleWorldBench: ${name} takes a comma-separated list of ${allowed.join(", ")}; got ${JSON.stringify(value)}`);
    }
    return items as T[];
}

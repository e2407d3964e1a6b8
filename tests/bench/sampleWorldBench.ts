/**
 * The sample-world rows of `npm run bench`: the world's own Vite server, the browser tests'
 * server (for the drop-in page), one headed Chromium, then the frame rows
 * (tests/bench/frameBudget.ts) and the start-up rows (tests/bench/startup.ts). Run alone, it
 * prints them as JSON: `npx tsx tests/bench/sampleWorldBench.ts [--frame | --startup]` (both
 * without a flag).
 */
import { fileURLToPath } from "node:url";
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startTestServerAsync } from "../browser/harness/server";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { measureFrameBudgetAsync, type IFrameRow } from "./frameBudget";
import { measureStartupAsync, startupPages, type IStartupRow } from "./startup";

export interface ISampleWorldBench {
    frame: IFrameRow[];
    startup: IStartupRow[];
}

export async function measureSampleWorldAsync(parts: { frame: boolean; startup: boolean } = { frame: true, startup: true }): Promise<ISampleWorldBench> {
    const [display, world, harness] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync(), startTestServerAsync()]);
    try {
        const browser = await launchChromiumAsync(display.display);
        try {
            const frame = parts.frame ? await measureFrameBudgetAsync(browser, world.origin, { engines: ["webgpu", "webgl2"] }) : [];
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
    const only = process.argv[2];
    if (only !== undefined && only !== "--frame" && only !== "--startup") {
        throw new Error(`sampleWorldBench: unknown argument ${JSON.stringify(only)}; expected --frame, --startup or nothing`);
    }
    const rows = await measureSampleWorldAsync({ frame: only !== "--startup", startup: only !== "--frame" });
    console.log(JSON.stringify(rows, null, 2));
}

/**
 * The sample-world rows of `npm run bench`: the world's own Vite server, the browser tests'
 * server (for the drop-in page), one headed Chromium, then the frame rows
 * (tests/bench/frameBudget.ts) and the start-up rows (tests/bench/startup.ts).
 */
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

/**
 * The sample-world rows of `npm run bench`: one Vite server (the world's own config), one headed
 * Chromium, then the frame rows (tests/bench/frameBudget.ts) and the start-up rows
 * (tests/bench/startup.ts).
 */
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { measureFrameBudgetAsync, type IFrameRow } from "./frameBudget";

export interface ISampleWorldBench {
    frame: IFrameRow[];
}

export async function measureSampleWorldAsync(): Promise<ISampleWorldBench> {
    const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
    try {
        const browser = await launchChromiumAsync(display.display);
        try {
            const frame = await measureFrameBudgetAsync(browser, server.origin, { engines: ["webgpu", "webgl2"] });
            return { frame };
        } finally {
            await browser.close();
        }
    } finally {
        await server.closeAsync();
        await display.releaseAsync();
    }
}

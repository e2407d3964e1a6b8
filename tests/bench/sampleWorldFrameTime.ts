/**
 * Frame time of the sample tour world with the plugin ticking and switched off, in the same page
 * (docs/performance.md, "Sample world frame time"). Starts the world's own Vite server, opens it
 * in headed Chromium (the browser tests' launch flags, Xvfb when there is no display), stands the
 * player still, and alternates blocks of frames with `__tour.pluginTicking` on and off, so slow
 * drift of a shared machine lands on both sides. Prints a table; asserts nothing.
 *
 *   npx tsx tests/bench/sampleWorldFrameTime.ts [--frames 40] [--rounds 3] [--engines webgpu,webgl2] [--query "scale=2&shadows=0&dof=0"]
 */
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { benchArgs } from "./benchArgs";

const args = benchArgs(process.argv.slice(2), { flags: [], values: ["frames", "rounds", "engines", "query"] });

interface IBlock {
    on: boolean;
    /** ms between consecutive ends of frame. */
    intervals: number[];
    /** ms of main-thread work per frame (engine begin frame to end frame). */
    mainThread: number[];
}

/** Runs in the page: alternating on/off blocks of `frames` frames each, `rounds` times. */
function measureInPage(input: { frames: number; rounds: number }): Promise<{ blocks: IBlock[]; tickMs: number; fallback: string | null }> {
    interface IEngineLike {
        onBeginFrameObservable: { add(cb: () => void): unknown; remove(o: unknown): boolean };
        onEndFrameObservable: { add(cb: () => void): unknown; remove(o: unknown): boolean };
    }
    const tour = (window as unknown as { __tour: { engine: IEngineLike; pluginTicking: boolean; tickMs: { average: number }; engineFallbackReason: string | null } }).__tour;
    const engine = tour.engine;
    const framesAsync = (count: number, keep: boolean): Promise<{ intervals: number[]; mainThread: number[] }> =>
        new Promise((resolve) => {
            const intervals: number[] = [];
            const mainThread: number[] = [];
            let begin = 0;
            let last = -1;
            let seen = 0;
            const b = engine.onBeginFrameObservable.add(() => (begin = performance.now()));
            const e = engine.onEndFrameObservable.add(() => {
                const now = performance.now();
                if (keep) {
                    mainThread.push(now - begin);
                    if (last >= 0) {
                        intervals.push(now - last);
                    }
                }
                last = now;
                if (++seen >= count + 1) {
                    engine.onBeginFrameObservable.remove(b);
                    engine.onEndFrameObservable.remove(e);
                    resolve({ intervals, mainThread });
                }
            });
        });
    return (async () => {
        const blocks: IBlock[] = [];
        await framesAsync(10, false); // shaders compiled, model warm
        for (let round = 0; round < input.rounds; round++) {
            for (const on of [true, false]) {
                tour.pluginTicking = on;
                await framesAsync(3, false); // the first tick after a pause catches up
                blocks.push({ on, ...(await framesAsync(input.frames, true)) });
            }
        }
        tour.pluginTicking = true;
        return { blocks, tickMs: tour.tickMs.average, fallback: tour.engineFallbackReason };
    })();
}

function stats(values: number[]): { mean: number; median: number } {
    const sorted = [...values].sort((a, b) => a - b);
    return { mean: values.reduce((s, v) => s + v, 0) / values.length, median: sorted[Math.floor(sorted.length / 2)] };
}

async function mainAsync(): Promise<void> {
    const frames = args.number("frames", 40);
    const rounds = args.number("rounds", 3);
    const engines = args.value("engines", "webgpu,webgl2").split(",");
    const query = args.value("query", "scale=2&shadows=0&dof=0");
    const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
    const browser = await launchChromiumAsync(display.display);
    try {
        for (const engine of engines) {
            const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, deviceScaleFactor: 1 });
            // tsx (esbuild, keepNames) wraps the nested functions of measureInPage in __name(): give the page one.
            await context.addInitScript("globalThis.__name = (fn) => fn;");
            const page = await context.newPage();
            await page.goto(`${server.origin}/?${query}&hud=0&engine=${engine}`, { waitUntil: "load", timeout: 180_000 });
            await page.waitForFunction(() => (window as unknown as { __tour?: unknown }).__tour !== undefined, undefined, { timeout: 60_000 });
            await page.evaluate(() => (window as unknown as { __tour: { ready: Promise<void> } }).__tour.ready);
            const backend = await page.evaluate(() => (window as unknown as { __tour: { modelReady: Promise<string> } }).__tour.modelReady);
            const result = await page.evaluate(measureInPage, { frames, rounds });
            await context.close();
            const pick = (on: boolean, key: "intervals" | "mainThread"): number[] => result.blocks.filter((b) => b.on === on).flatMap((b) => b[key]);
            const row = (key: "intervals" | "mainThread"): string => {
                const on = stats(pick(true, key));
                const off = stats(pick(false, key));
                return `${key === "intervals" ? "frame interval" : "main thread/frame"} | ${on.median.toFixed(1)} / ${on.mean.toFixed(1)} | ${off.median.toFixed(1)} / ${off.mean.toFixed(1)} | ${(on.mean - off.mean).toFixed(1)}`;
            };
            console.log(`\n${engine}${result.fallback ? ` (fell back: ${result.fallback})` : ""}, model backend ${backend}, ?${query}: ${rounds} rounds x ${frames} frames per side; HUD tick average ${result.tickMs.toFixed(2)} ms`);
            console.log("ms | plugin on (median / mean) | plugin off (median / mean) | mean on - off");
            console.log(row("intervals"));
            console.log(row("mainThread"));
            console.log(`per block (mean interval): ${result.blocks.map((b) => `${b.on ? "on" : "off"} ${stats(b.intervals).mean.toFixed(0)}`).join(", ")}`);
        }
    } finally {
        await browser.close();
        await server.closeAsync();
        await display.releaseAsync();
    }
}

await mainAsync();

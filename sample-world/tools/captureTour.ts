/**
 * Opens the sample world in headed Chromium (Xvfb when there is no display; the browser test
 * harness's launch flags), runs the autopilot, and saves screenshots plus a JSON report of
 * window.__tour (start-up times, backend, focus history, quest) and every console problem.
 *
 *   npm start &   # or: npx vite preview --config sample-world/vite.config.ts
 *   npx tsx sample-world/tools/captureTour.ts --url http://localhost:5173/ --out /tmp/tour-shots \
 *       [--engine webgpu|webgl2] [--at 4,14,30] [--query "&hud=0"]
 */
import { mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { launchChromiumAsync } from "../../tests/browser/harness/browser";
import { ensureDisplayAsync } from "../../tests/browser/harness/display";

function arg(name: string, fallback: string): string {
    const i = process.argv.indexOf(`--${name}`);
    return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1] : fallback;
}

async function mainAsync(): Promise<void> {
    const base = arg("url", "http://localhost:5173/");
    const out = arg("out", "/tmp/tour-shots");
    const engine = arg("engine", "webgpu");
    const times = arg("at", "4,14,30").split(",").map(Number);
    const extra = arg("query", "");
    await mkdir(out, { recursive: true });
    const display = await ensureDisplayAsync();
    const browser = await launchChromiumAsync(display.display);
    const problems: string[] = [];
    try {
        const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        page.on("console", (m) => (m.type() === "error" || m.type() === "warning") && problems.push(`${m.type()}: ${m.text()}`));
        page.on("pageerror", (e) => problems.push(`pageerror: ${e.message}`));
        page.on("response", (r) => r.status() >= 400 && problems.push(`http ${r.status()} ${r.url()}`));
        const url = `${base}?autopilot${engine === "webgl2" ? "&engine=webgl2" : ""}${extra}`;
        const opened = Date.now();
        await page.goto(url, { waitUntil: "load" });
        await page.waitForFunction(() => (window as unknown as { __tour?: unknown }).__tour !== undefined, undefined, { timeout: 60_000 });
        await page.evaluate(() => (window as unknown as { __tour: { ready: Promise<void> } }).__tour.ready);
        const readyWallMs = Date.now() - opened;
        // The model loads beside the first frames; give it up to 60 s before the clock starts.
        await page.evaluate(() => Promise.race([(window as unknown as { __tour: { modelReady: Promise<string> } }).__tour.modelReady, new Promise((r) => setTimeout(r, 60_000))]));
        const modelWallMs = Date.now() - opened;
        const readyAt = Date.now();
        for (const t of times) {
            const wait = readyAt + t * 1000 - Date.now();
            if (wait > 0) {
                await page.waitForTimeout(wait);
            }
            await page.screenshot({ path: join(out, `${engine}-${t}s.png`) });
        }
        const state = await page.evaluate(() => {
            const tour = (window as unknown as { __tour: Record<string, unknown> }).__tour;
            return {
                engineKind: tour.engineKind,
                fallback: tour.engineFallbackReason,
                backend: tour.backend,
                backendHistory: tour.backendHistory,
                focusLabel: tour.focusLabel,
                focusHistory: tour.focusHistory,
                quest: tour.quest,
                autopilot: tour.autopilot,
                startup: tour.startup,
                tickMs: tour.tickMs,
                events: tour.events,
                navigator: (tour.navigator as { navMeshError?: string } | null) ? { navMeshError: (tour.navigator as { navMeshError?: string }).navMeshError } : null,
                fps: (tour.engine as { getFps(): number }).getFps(),
                crossOriginIsolated: self.crossOriginIsolated,
            };
        });
        const report = { url, readyWallMs, modelWallMs, state, problems };
        await writeFile(join(out, `${engine}-report.json`), JSON.stringify(report, null, 2));
        console.log(JSON.stringify(report, null, 2));
    } finally {
        await browser.close();
        await display.releaseAsync();
    }
}

await mainAsync();

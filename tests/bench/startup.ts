/**
 * The start-up rows of `npm run bench`: from navigation start to the first ranking with the
 * model's scores in it, in the sample world and in a minimal drop-in app
 * (tests/browser/pages/dropIn.html), with the bytes the page and its workers fetched until then
 * (Playwright's request sizes: bytes on the wire, headers included) and which onnxruntime-web
 * files were among them. Each page is loaded once
 * untimed (Vite transforms modules on first request), then measured in fresh browser contexts
 * (empty HTTP cache).
 */
import type { Browser } from "playwright-core";

export interface IStartupRow {
    page: string;
    /** Navigation start to the first ranking published with the model's scores, ms. */
    firstModelRankingMs: number;
    /** Navigation start to the model backend being ready (loaded and warm), ms. */
    modelReadyMs: number;
    /** Bytes on the wire until the first model ranking (every request of the page and its workers). */
    bytesFetched: number;
    /** onnxruntime-web's files the page requested (file names). */
    ortFiles: string[];
    /** The backend that ranked first with the model. */
    backend: string;
    runs: number;
}

export interface IStartupPage {
    name: string;
    /** Full URL. */
    url: string;
    /** Reads `{ firstModelRankingMs?, modelReadyMs?, backend }` in the page, or null before the page has them. */
    probe: string;
    /**
     * A later visit: the timed load follows an untimed one in the same browser profile (its HTTP
     * cache and localStorage), which runs until this expression is true ("auto" has chosen and
     * kept its choice).
     */
    afterVisitUntil?: string;
}

const SAMPLE_WORLD_PROBE = `(() => { const t = window.__tour; if (!t || !t.startup || !t.attention) return null; return { first: t.startup.firstModelRankingMs, ready: t.startup.modelMs, backend: t.attention.backend }; })()`;
const DROP_IN_PROBE = `(() => { const d = window.__dropIn; if (!d) return null; return { first: d.startup.firstModelRankingMs, ready: d.startup.modelReadyMs, backend: d.backend }; })()`;

/**
 * The pages measured: the sample world, the drop-in app, the drop-in app without WebGPU, and the
 * drop-in app visited again (where "auto" kept its choice).
 */
export function startupPages(sampleWorldOrigin: string, harnessOrigin: string): IStartupPage[] {
    return [
        { name: "sample-world", url: `${sampleWorldOrigin}/?scale=2&shadows=0&dof=0`, probe: SAMPLE_WORLD_PROBE },
        { name: "drop-in", url: `${harnessOrigin}/tests/browser/pages/dropIn.html`, probe: DROP_IN_PROBE },
        { name: "drop-in, no WebGPU", url: `${harnessOrigin}/tests/browser/pages/dropIn.html?gpu=off&engine=webgl2`, probe: DROP_IN_PROBE },
        { name: "drop-in, later visit", url: `${harnessOrigin}/tests/browser/pages/dropIn.html`, probe: DROP_IN_PROBE, afterVisitUntil: "window.__dropIn?.chosenBackend != null" },
    ];
}

interface IOneLoad {
    first: number;
    ready: number;
    bytes: number;
    ortFiles: string[];
    backend: string;
}

async function loadOnceAsync(browser: Browser, page: IStartupPage): Promise<IOneLoad> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, deviceScaleFactor: 1 });
    try {
        if (page.afterVisitUntil) {
            const first = await context.newPage();
            await first.goto(page.url, { waitUntil: "commit", timeout: 180_000 });
            await first.waitForFunction(page.afterVisitUntil, undefined, { timeout: 180_000 });
            await first.close();
        }
        const tab = await context.newPage();
        // Playwright's request events include the model worker's requests (its onnxruntime-web
        // files), which a CDP Network session on the page does not see.
        const urls: string[] = [];
        const sizes: Promise<number>[] = [];
        let counting = true;
        tab.on("requestfinished", (request) => {
            if (counting) {
                urls.push(request.url());
                sizes.push(
                    request.sizes().then(
                        (size) => size.responseBodySize + size.responseHeadersSize,
                        () => 0
                    )
                );
            }
        });
        await tab.goto(page.url, { waitUntil: "commit", timeout: 180_000 });
        const deadline = Date.now() + 180_000;
        interface IProbe {
            first?: number;
            ready?: number;
            backend: string;
        }
        let seen = null as IProbe | null;
        while (Date.now() < deadline) {
            seen = (await tab.evaluate(page.probe).catch(() => null)) as IProbe | null;
            if (seen && seen.first !== undefined) {
                break;
            }
            await new Promise((resolve) => setTimeout(resolve, 100));
        }
        counting = false;
        if (!seen || seen.first === undefined) {
            throw new Error(`startup bench: ${page.name} published no model ranking within 180 s (backend ${seen?.backend ?? "unknown"})`);
        }
        const ortFiles = [...new Set(urls.map((u) => new URL(u).pathname.split("/").pop() ?? "").filter((name) => /^ort[.-]/.test(name)))].sort();
        const bytes = (await Promise.all(sizes)).reduce((sum, size) => sum + size, 0);
        return { first: seen.first, ready: seen.ready ?? NaN, bytes, ortFiles, backend: seen.backend };
    } finally {
        await context.close();
    }
}

export async function measureStartupAsync(browser: Browser, pages: readonly IStartupPage[], runs = 2): Promise<IStartupRow[]> {
    const rows: IStartupRow[] = [];
    for (const page of pages) {
        await loadOnceAsync(browser, page); // untimed: Vite's first transforms
        const loads: IOneLoad[] = [];
        for (let i = 0; i < runs; i++) {
            loads.push(await loadOnceAsync(browser, page));
        }
        const mean = (pick: (l: IOneLoad) => number): number => Math.round(loads.reduce((s, l) => s + pick(l), 0) / loads.length);
        rows.push({
            page: page.name,
            firstModelRankingMs: mean((l) => l.first),
            modelReadyMs: mean((l) => l.ready),
            bytesFetched: mean((l) => l.bytes),
            ortFiles: [...new Set(loads.flatMap((l) => l.ortFiles))].sort(),
            backend: loads[loads.length - 1].backend,
            runs,
        });
    }
    return rows;
}

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserHarness, TestPage } from "./harness/index.js";
import type { IDropInWindow } from "./pages/dropIn.js";

// Which onnxruntime-web build the plugin loads, read from the URLs the drop-in page requests:
// the WASM-only build (ort-wasm-simd-threaded.{mjs,wasm}) where WebGPU cannot run, where WASM
// is asked for, and for the model worker's first ranking; the full build (its JSEP files, for
// both providers) once a WebGPU scorer is created.
const PAGE = "tests/browser/pages/dropIn.html";

describe("the onnxruntime-web build the plugin loads", () => {
    let harness: BrowserHarness;
    const pages: TestPage[] = [];

    beforeAll(async () => {
        harness = await BrowserHarness.CreateAsync();
    });

    afterAll(async () => {
        await Promise.allSettled(pages.map((p) => p.closeAsync()));
        await harness?.disposeAsync();
    });

    /**
     * Opens the drop-in page, waits for a ranking with the model's scores, returns the
     * onnxruntime-web file names requested until then (the model worker's requests included), and
     * a way to read them again later.
     */
    async function openAsync(query: string): Promise<{ page: TestPage; ortFiles: string[]; ortFilesNow: () => string[]; backend: string }> {
        // One page at a time: an open page keeps its render loop and model worker busy.
        await Promise.allSettled(pages.splice(0).map((p) => p.closeAsync()));
        const page = await TestPage.OpenAsync(harness.browser, "data:text/html,", "");
        pages.push(page);
        const requested: string[] = [];
        page.page.on("request", (request) => requested.push(new URL(request.url()).pathname.split("/").pop() ?? ""));
        await page.page.goto(`${harness.server.origin}/${PAGE}?${query}`, { waitUntil: "load" });
        await page.waitReadyAsync();
        await page.page.waitForFunction(() => (window as IDropInWindow).__dropIn?.startup.firstModelRankingMs !== undefined, undefined, { timeout: 90_000 });
        const backend = await page.page.evaluate(() => (window as IDropInWindow).__dropIn!.backend);
        const ortFilesNow = (): string[] => [...new Set(requested.filter((name) => /ort/.test(name) && /\.(wasm|mjs)$|onnxruntime/.test(name)))];
        return { page, ortFiles: ortFilesNow(), ortFilesNow, backend };
    }

    it("fetches only the WASM-only build where the page has no WebGPU, and ranks with the model", async () => {
        const { page, ortFiles, backend } = await openAsync("gpu=off&engine=webgl2");
        expect(backend).toBe("wasm");
        expect(ortFiles).toContain("ort-wasm-simd-threaded.wasm");
        expect(ortFiles.filter((name) => /jsep|webgpu|asyncify|jspi/.test(name)), `requested: ${ortFiles.join(", ")}`).toEqual([]);
        const npcs = await page.page.evaluate(() => (window as IDropInWindow).__dropIn!.rankedNpcs);
        expect(npcs.length).toBeGreaterThan(0);
        expect(page.problems).toBe("");
    });

    it('fetches only the WASM-only build with backend "wasm", WebGPU or not', async () => {
        const { page, ortFiles, backend } = await openAsync("backend=wasm");
        expect(backend).toBe("wasm");
        expect(ortFiles).toContain("ort-wasm-simd-threaded.wasm");
        expect(ortFiles.filter((name) => /jsep/.test(name)), `requested: ${ortFiles.join(", ")}`).toEqual([]);
        expect(page.problems).toBe("");
    });

    it('ranks first on the WASM-only build in the model worker with backend "auto" where WebGPU has an adapter, and fetches the full build for WebGPU', async () => {
        const { page, ortFilesNow, backend } = await openAsync("backend=auto");
        expect(backend).toBe("wasm");
        // The chooser creates the WebGPU scorer (the full build, on the page's thread) once WASM ranks.
        await page.page.waitForFunction(() => (window as IDropInWindow).__dropIn?.chosenBackend !== null, undefined, { timeout: 120_000 });
        const requested = ortFilesNow();
        expect(requested, `requested: ${requested.join(", ")}`).toContain("ort-wasm-simd-threaded.wasm");
        expect(requested, `requested: ${requested.join(", ")}`).toContain("ort-wasm-simd-threaded.jsep.wasm");
        expect(page.problems).toBe("");
    });
    it('fetches only the WASM-only build on a later load where "auto" found WASM faster, and says the choice was remembered', async () => {
        const { page } = await openAsync("backend=auto");
        await page.page.waitForFunction(() => (window as IDropInWindow).__dropIn?.chosenBackend !== null, undefined, { timeout: 120_000 });
        const chosen = await page.page.evaluate(() => (window as IDropInWindow).__dropIn!.chosenBackend);
        // On this machine's software WebGPU adapter WASM wins; where WebGPU won, a later load measures again.
        expect(chosen, "WASM should beat SwiftShader's WebGPU at K = 64").toBe("wasm");

        expect(page.problems).toBe("");

        // A later load in the same browser profile (the same localStorage), the first one closed.
        const context = page.page.context();
        await page.page.close();
        const later = await context.newPage();
        const requested: string[] = [];
        const problems: string[] = [];
        later.on("request", (request) => requested.push(new URL(request.url()).pathname.split("/").pop() ?? ""));
        later.on("pageerror", (error) => problems.push(error.message));
        later.on("console", (message) => void (message.type() === "error" && problems.push(message.text())));
        later.on("requestfailed", (request) => problems.push(`http: ${request.url()}`));
        await later.goto(`${harness.server.origin}/${PAGE}?backend=auto`, { waitUntil: "load" });
        await later.waitForFunction(() => (window as IDropInWindow).__dropIn?.startup.firstModelRankingMs !== undefined && (window as IDropInWindow).__dropIn?.chosenBackend !== null, undefined, { timeout: 90_000 });
        const reason = await later.evaluate(() => (window as IDropInWindow).__dropIn!.choiceReason);
        expect(reason).toContain("measured on this device");
        expect(requested).toContain("ort-wasm-simd-threaded.wasm");
        expect(requested.filter((name) => /jsep/.test(name)), `requested: ${requested.join(", ")}`).toEqual([]);
        expect(problems).toEqual([]);
    });
});

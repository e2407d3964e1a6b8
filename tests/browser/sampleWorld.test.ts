import { readFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { Browser } from "playwright-core";
import type { IBackendChoice } from "../../plugin/index.js";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { launchChromiumAsync } from "./harness/browser.js";
import { ensureDisplayAsync, type ITestDisplay } from "./harness/display.js";
import { TestPage, type PageQuery } from "./harness/page.js";
import { startSampleWorldServerAsync, type ISampleWorldServer } from "./sampleWorld/sampleWorldServer.js";

// The sample tour world as `npm start` serves it (its own Vite config), in headed Chromium on
// SwiftShader. Frames come at a few per second here, so pages render at half resolution without
// shadows or depth of field, and the autopilot steps a fixed amount of tour time per frame.
const FAST: PageQuery = { scale: 2, shadows: 0, dof: 0 };
const artifacts = (name: string): string => fileURLToPath(new URL(`.artifacts/${name}`, import.meta.url));

/** What the tests read from `window.__tour` (see sample-world/src/tourApi.ts). */
interface ITourWindow {
    __tour?: {
        ready: Promise<void>;
        modelReady: Promise<string>;
        engineKind: string;
        backend: string;
        backendHistory: string[];
        focusLabel: string | null;
        focusHistory: string[];
        autopilot: { leg: number; lap: number } | null;
        attention: { focus: { node: { getAbsolutePosition(): { x: number; z: number } } } | null; whenBackendChosenAsync(): Promise<IBackendChoice | null>; candidateLimit: number; trackedCount: number };
        camera: { position: { x: number; z: number } };
        navigateToFocusAsync(): Promise<string>;
        inspectorVisible: boolean;
        recording: { active: boolean; ticks: number; savedFiles: string[] };
    };
}

describe("the sample tour world in Chromium", () => {
    let display: ITestDisplay | undefined;
    let server: ISampleWorldServer | undefined;
    let browser: Browser | undefined;
    const pages: TestPage[] = [];

    beforeAll(async () => {
        [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
        browser = await launchChromiumAsync(display.display);
    });

    // A world left open keeps rendering and would slow the next test's on two cores.
    afterEach(async () => {
        await Promise.allSettled(pages.splice(0).map((p) => p.closeAsync()));
    });

    afterAll(async () => {
        await browser?.close().catch(() => undefined);
        await server?.closeAsync().catch(() => undefined);
        await display?.releaseAsync().catch(() => undefined);
    });

    /** Opens the world (optionally with a script run before the page's own) and waits for its first frames. */
    async function openTourAsync(query: PageQuery, initScript?: () => void): Promise<TestPage> {
        // An init script must be in place before the world's page loads: open an empty page first
        // (the problem log starts there), then the world.
        const page = await TestPage.OpenAsync(browser!, "data:text/html,", "");
        pages.push(page);
        if (initScript) {
            await page.page.addInitScript(initScript);
        }
        const search = new URLSearchParams(Object.entries(query).map(([k, v]) => [k, String(v)]));
        // Vite pre-bundles the world's dependencies on the first load after a lock-file change.
        await page.page.goto(`${server!.origin}/?${search}`, { waitUntil: "load", timeout: 120_000 });
        await page.page.waitForFunction(() => (window as ITourWindow).__tour !== undefined, undefined, { timeout: 60_000 });
        try {
            await page.page.evaluate(() => (window as ITourWindow).__tour!.ready);
        } catch (error) {
            throw new Error(`${(error as Error).message}\n${page.problems}`);
        }
        return page;
    }

    it("loads cleanly on WebGPU (SwiftShader) with the WASM model, and the autopilot's focus visits Guide Ada and the Sun Mosaic with fewer model candidates than targets", async () => {
        // K = 4 of the world's targets: whatever the player turns to must still reach the model.
        const page = await openTourAsync({ ...FAST, autopilot: "", pace: "fast", k: 4 });
        const p = page.page;
        await expect(p.evaluate(() => (window as ITourWindow).__tour!.modelReady)).resolves.toBe("wasm");
        const sizes = await p.evaluate(() => ({ k: (window as ITourWindow).__tour!.attention.candidateLimit, n: (window as ITourWindow).__tour!.attention.trackedCount }));
        expect(sizes.k).toBe(4);
        expect(sizes.n).toBeGreaterThan(sizes.k);
        const state = await p.evaluate(async () => {
            const adapter = await (navigator as unknown as { gpu: { requestAdapter(): Promise<{ info: Record<string, string> } | null> } }).gpu.requestAdapter();
            const info = adapter?.info;
            const tour = (window as ITourWindow).__tour!;
            return { engine: tour.engineKind, backends: tour.backendHistory, adapter: info ? `${info.vendor} ${info.architecture} ${info.description}` : "none" };
        });
        expect(state.engine).toBe("webgpu");
        expect(state.adapter.toLowerCase()).toContain("swiftshader");
        // The heuristic ranks while the model loads, then WASM; auto then times WebGPU against it
        // and keeps the faster (WASM on this software adapter, while the world renders).
        const choice = await p.evaluate(() => (window as ITourWindow).__tour!.attention.whenBackendChosenAsync());
        expect(choice!.k).toBe(4);
        expect(choice!.timings.map((t) => t.backend).sort()).toEqual(["wasm", "webgpu"]);
        expect(choice!.timings.every((t) => t.medianMs > 0 && t.runs >= 1)).toBe(true);
        console.log(`sample world, auto: ${choice!.reason}`);
        await expect(p.evaluate(() => (window as ITourWindow).__tour!.backendHistory.at(-1))).resolves.toBe(choice!.chosen);
        expect(state.backends.slice(0, 2)).toEqual(["heuristic", "wasm"]);

        // The script's first legs: look at Guide Ada, then round the screen's north end to the mosaic.
        await p.waitForFunction(() => (window as ITourWindow).__tour!.focusHistory.includes("Guide Ada"), undefined, { timeout: 40_000 });
        await p.waitForFunction(() => (window as ITourWindow).__tour!.focusHistory.includes("The Sun Mosaic"), undefined, { timeout: 60_000 });
        const visited = await p.evaluate(() => (window as ITourWindow).__tour!.focusHistory);
        // Ada comes first: she is the first leg's target, and the mosaic starts hidden behind the screen.
        expect(visited.indexOf("Guide Ada")).toBeLessThan(visited.indexOf("The Sun Mosaic"));
        await p.screenshot({ path: artifacts("sample-world-autopilot.png") });
        expect(page.problems).toBe("");
    });

    it("runs on WebGL2 and WASM when the browser has no WebGPU", async () => {
        const page = await openTourAsync({ ...FAST, hud: 0 }, () => {
            // As in a browser without WebGPU: nothing on the page (Babylon, onnxruntime-web) sees it.
            delete (Navigator.prototype as unknown as { gpu?: unknown }).gpu;
        });
        const p = page.page;
        await expect(p.evaluate(() => "gpu" in navigator)).resolves.toBe(false);
        await expect(p.evaluate(() => (window as ITourWindow).__tour!.modelReady)).resolves.toBe("wasm");
        await expect(p.evaluate(() => (window as ITourWindow).__tour!.engineKind)).resolves.toBe("webgl2");
        expect(page.problems).toBe("");
    });

    it("N walks the player to the focus; I opens the Inspector's Attention pane; R records and saves a session", async () => {
        const page = await openTourAsync(FAST);
        const p = page.page;
        // The start view faces Guide Ada, the dancer and the passage: one takes the focus within a few ticks.
        await p.waitForFunction(() => (window as ITourWindow).__tour!.focusLabel !== null, undefined, { timeout: 40_000 });
        const distanceToFocus = (): Promise<{ label: string | null; distance: number }> =>
            p.evaluate(() => {
                const tour = (window as ITourWindow).__tour!;
                const target = tour.attention.focus!.node.getAbsolutePosition();
                return { label: tour.focusLabel, distance: Math.hypot(target.x - tour.camera.position.x, target.z - tour.camera.position.z) };
            });
        const before = await distanceToFocus();

        // R starts recording before the walk, so the session holds it.
        await p.keyboard.press("KeyR");
        await expect.poll(() => p.evaluate(() => (window as ITourWindow).__tour!.recording.active)).toBe(true);
        await expect.poll(() => p.locator("#hud").textContent()).toContain("REC");

        await p.keyboard.press("KeyN");
        await p.waitForFunction(() => (window as ITourWindow).__tour!.recording.ticks > 0, undefined, { timeout: 20_000 });
        await expect.poll(() => p.evaluate(() => (window as unknown as { __tour: { navigator: { state: { state: string } } } }).__tour.navigator.state.state), { timeout: 60_000, interval: 500 }).toBe("arrived");
        const after = await p.evaluate((label) => {
            const tour = (window as ITourWindow).__tour!;
            const ranking = (tour.attention as unknown as { ranking: Record<string, { label: string; node: { getAbsolutePosition(): { x: number; z: number } } }[]> }).ranking;
            const target = [...ranking.npc, ...ranking.task, ...ranking.hint].find((e) => e.label === label)!.node.getAbsolutePosition();
            return Math.hypot(target.x - tour.camera.position.x, target.z - tour.camera.position.z);
        }, before.label);
        expect(before.distance).toBeGreaterThan(2.5);
        // The world's arrive distance is 2.2 m: a conversational distance, near enough to talk
        // and far enough that a guide is seen whole instead of filling the screen.
        expect(after).toBeLessThan(2.5);
        expect(after).toBeGreaterThan(1.8);

        // R again: stops and saves a JSON Lines download whose header names the tour's layout.
        const downloadPromise = p.waitForEvent("download", { timeout: 20_000 });
        await p.keyboard.press("KeyR");
        const download = await downloadPromise;
        expect(download.suggestedFilename()).toMatch(/^tour-session-.*\.jsonl$/);
        const text = await readFile((await download.path())!, "utf8");
        const lines = text.trim().split("\n");
        const header = JSON.parse(lines[0]) as { format: string; layoutId: string };
        expect(header.layoutId).toBe("sample-tour");
        expect(lines.length).toBeGreaterThan(1); // at least one chunk of ticks
        await expect.poll(() => p.locator("#hud").textContent()).toContain("saved 1 file");

        // I: the real Inspector, imported on the first press, with the Attention pane selected.
        await p.setViewportSize({ width: 1280, height: 800 });
        await p.keyboard.press("KeyI");
        await p.locator("[data-attention-pane]").waitFor({ state: "visible", timeout: 90_000 });
        await expect(p.locator("[data-attention-pane]").getByText("Proximity", { exact: true }).first().isVisible()).resolves.toBe(true);
        await expect(p.evaluate(() => (window as ITourWindow).__tour!.inspectorVisible)).resolves.toBe(true);
        await p.screenshot({ path: artifacts("sample-world-inspector.png") });
        expect(page.problems).toBe("");
    });
});

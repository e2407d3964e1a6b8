import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserHarness, colourDistance, pixelAt } from "./harness/index.js";
import type { IEngineReport } from "./pages/createEngine.js";

// Proves the harness itself: a plain Babylon scene renders in headed Chromium on both engines,
// and pixels read back from a screenshot carry the colours the page set.
const clearColour = [51, 102, 204];
const planeColour = [255, 0, 0];
const tolerance = 6;

describe("browser harness smoke", () => {
    let harness: BrowserHarness;

    beforeAll(async () => {
        harness = await BrowserHarness.CreateAsync();
    });

    afterAll(async () => {
        await harness?.disposeAsync();
    });

    it("renders a scene with WebGPUEngine on a real adapter", async () => {
        const page = await harness.openPageAsync("tests/browser/pages/smoke.html", { engine: "webgpu" });
        const report = await page.waitReadyAsync<IEngineReport>();
        expect(report.isWebGPU).toBe(true);
        expect(report.adapter).not.toBeNull();
        const image = await page.screenshotCanvasAsync();
        expect(colourDistance(pixelAt(image, 5, 5), clearColour)).toBeLessThanOrEqual(tolerance);
        expect(colourDistance(pixelAt(image, image.width / 2, image.height / 2), planeColour)).toBeLessThanOrEqual(tolerance);
        expect(page.problems).toBe("");
    });

    it("renders the same scene with the WebGL2 Engine", async () => {
        const page = await harness.openPageAsync("tests/browser/pages/smoke.html", { engine: "webgl2" });
        const report = await page.waitReadyAsync<IEngineReport>();
        expect(report.isWebGPU).toBe(false);
        expect(report.webGLVersion).toBe(2);
        const image = await page.screenshotCanvasAsync();
        expect(colourDistance(pixelAt(image, 5, 5), clearColour)).toBeLessThanOrEqual(tolerance);
        expect(colourDistance(pixelAt(image, image.width / 2, image.height / 2), planeColour)).toBeLessThanOrEqual(tolerance);
        expect(page.problems).toBe("");
    });
});

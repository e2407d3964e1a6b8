import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserHarness, colourDistance, pixelAt, type IRgbaImage, type TestPage } from "./harness/index.js";
import type { IEffectsPageReport, IEffectsTestWindow, IHighlightResult, IHintResult, IOffScreenHintResult, IRect } from "./pages/effects.js";

// Scene focus effects in a real browser, on both of Babylon's web engines: the focus highlight
// glows around the focused NPC, and when the player is "lost" (an active task, minutes without
// progress, a wandering gaze) the guidance hint's label is drawn over the signpost, by the core
// layer view (and once by the Babylon GUI view), and its arrow at the screen edge once the
// signpost is off screen.
// Screenshots go to tests/browser/.artifacts; with UPDATE_DOC_IMAGES=1 also to docs/images.
const updateDocImages = process.env.UPDATE_DOC_IMAGES === "1";

describe("focus effects in Chromium", () => {
    let harness: BrowserHarness;

    beforeAll(async () => {
        harness = await BrowserHarness.CreateAsync();
        await warmUpAsync(harness, "tests/browser/pages/effects.html?engine=webgl2");
        mkdirSync(fileURLToPath(new URL(".artifacts/", import.meta.url)), { recursive: true });
    });

    afterAll(async () => {
        await harness?.disposeAsync();
    });

    for (const engine of ["webgpu", "webgl2"] as const) {
        it(`glows the focused NPC and draws the hint label with the ${engine} engine`, async () => {
            const page = await harness.openPageAsync("tests/browser/pages/effects.html", { engine });
            const report = await page.waitReadyAsync<IEffectsPageReport>();
            expect(report.isWebGPU).toBe(engine === "webgpu");
            expect(report.focusLabel).toBe("Mira");
            let passed = false;
            try {
                const before = await page.screenshotCanvasAsync();
                const highlight = await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.enableHighlightAsync());
                expectHighlight(highlight);
                const glowing = await screenshotAsync(page, `effects-highlight-${engine}.png`, updateDocImages);
                expectGlowAround(before, glowing, report.npcRect);

                const hint = await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.becomeLostAsync());
                expectHint(hint);
                const hinted = await screenshotAsync(page, `effects-hint-${engine}.png`, updateDocImages && engine === "webgpu");
                expectLabelDrawn(glowing, hinted, hint.labelRect);

                const away = await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.lookAwayAsync());
                const pointing = await screenshotAsync(page, `effects-hint-arrow-${engine}.png`, false);
                expectArrowDrawn(away, pointing);
                expect(page.problems).toBe("");
                passed = true;
            } finally {
                if (!passed) {
                    await page.screenshotCanvasAsync(artifactPath(`effects-${engine}-failed.png`)).catch(() => undefined);
                }
                // Each open page keeps rendering on the two software-GPU cores: later pages would starve.
                await page.closeAsync();
            }
        });
    }

    it("draws the hint label with the Babylon GUI view", async () => {
        const page = await harness.openPageAsync("tests/browser/pages/effects.html", { engine: "webgl2", hintView: "gui" });
        let passed = false;
        try {
            await page.waitReadyAsync<IEffectsPageReport>();
            await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.enableHighlightAsync());
            const before = await page.screenshotCanvasAsync();
            const hint = await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.becomeLostAsync());
            expectHint(hint);
            const hinted = await screenshotAsync(page, "effects-hint-gui-webgl2.png", false);
            expectLabelDrawn(before, hinted, hint.labelRect);
            expect(page.problems).toBe("");
            passed = true;
        } finally {
            if (!passed) {
                await page.screenshotCanvasAsync(artifactPath("effects-gui-failed.png")).catch(() => undefined);
            }
            await page.closeAsync();
        }
    });

    for (const engine of ["webgpu", "webgl2"] as const) {
        it(`tints the focused NPC with the overlay style with the ${engine} engine`, async () => {
            const page = await harness.openPageAsync("tests/browser/pages/effects.html", { engine, highlight: "overlay" });
            let passed = false;
            try {
                const report = await page.waitReadyAsync<IEffectsPageReport>();
                const before = await page.screenshotCanvasAsync();
                const highlight = await page.page.evaluate(() => (window as unknown as IEffectsTestWindow).__effectsPage!.enableHighlightAsync());
                expectHighlight(highlight);
                const tinted = await screenshotAsync(page, `effects-overlay-${engine}.png`, false);
                expectGlowAround(before, tinted, report.npcRect);
                expect(page.problems).toBe("");
                passed = true;
            } finally {
                if (!passed) {
                    await page.screenshotCanvasAsync(artifactPath(`effects-overlay-${engine}-failed.png`)).catch(() => undefined);
                }
                await page.closeAsync();
            }
        });
    }
});

function expectHighlight(result: IHighlightResult): void {
    expect(result.focusLabel).toBe("Mira");
    expect(result.npcIntensity).toBe(1);
    // The signpost is the top hint: it glows too, dimmer (hintIntensity 0.45).
    expect(result.hintIntensity).toBeGreaterThan(0.3);
    expect(result.hintIntensity).toBeLessThan(0.6);
    // A fade, not a pop (350 ms by default).
    expect(result.fadeMs).toBeGreaterThan(200);
}

function expectHint(result: IHintResult): void {
    expect(result.visible).toBe(true);
    expect(result.label).toBe("Signpost: the lever is west");
    expect(result.guidance).toBeGreaterThanOrEqual(0.35);
    expect(result.npcIntensity).toBe(1);
    expect(result.labelRect.width).toBeGreaterThan(50);
    expect(result.labelRect.height).toBeGreaterThan(20);
}

/** Pixels around the NPC (its bounds plus a margin) changed, toward the warm focus colour; a far corner did not. */
function expectGlowAround(before: IRgbaImage, after: IRgbaImage, rect: IRect): void {
    const margin = 16;
    const around = { left: rect.left - margin, top: rect.top - margin, width: rect.width + 2 * margin, height: rect.height + 2 * margin };
    const glow = compare(before, after, around, 20);
    expect(glow.changed, `changed pixels around the NPC (${JSON.stringify(around)})`).toBeGreaterThan(300);
    // The focus colour (1, 0.8, 0.3) adds far more red than blue.
    expect(glow.redGain).toBeGreaterThan(2 * Math.max(0, glow.blueGain));
    const corner = compare(before, after, { left: 0, top: 0, width: 120, height: 120 }, 20);
    expect(corner.changed, "changed pixels in the top-left corner").toBeLessThan(20);
}

/** The label area changed once the hint showed: a dark rounded box with light text. */
function expectLabelDrawn(before: IRgbaImage, after: IRgbaImage, rect: IRect): void {
    const inner = { left: rect.left + 4, top: rect.top + 4, width: rect.width - 8, height: rect.height - 8 };
    const change = compare(before, after, inner, 30);
    expect(change.changed / change.total, "share of the label area that changed").toBeGreaterThan(0.5);
    let dark = 0;
    let light = 0;
    forEachPixel(after, inner, (r, g, b) => {
        const max = Math.max(r, g, b);
        dark += max < 90 ? 1 : 0;
        light += Math.min(r, g, b) > 200 ? 1 : 0;
    });
    expect(dark / change.total, "dark label background").toBeGreaterThan(0.4);
    expect(light, "light text pixels").toBeGreaterThan(20);
}

/** Off screen, the arrow sits on the screen edge in the arrow colour (#ffd34d), with the label beside it. */
function expectArrowDrawn(result: IOffScreenHintResult, image: IRgbaImage): void {
    expect(result.visible).toBe(true);
    expect(result.onScreen).toBe(false);
    expect(result.arrowRect, "the arrow's rectangle").not.toBeNull();
    expect(result.labelRect, "the label's rectangle").not.toBeNull();
    // One label, drawn once: following the target across the screen and to the edge moved it
    // without redrawing it.
    expect(result.labelDrawCount).toBe(1);
    expect(result.labelCanvasesInMemory, "label canvases keep their 2D context in memory (willReadFrequently)").toBe(true);
    const arrow = result.arrowRect!;
    const nearEdge = Math.min(arrow.left, arrow.top, image.width - (arrow.left + arrow.width), image.height - (arrow.top + arrow.height));
    expect(nearEdge, "arrow's distance from the screen edge").toBeLessThan(80);
    let yellow = 0;
    forEachPixel(image, arrow, (r, g, b) => {
        yellow += r > 200 && g > 150 && b < 140 ? 1 : 0;
    });
    expect(yellow, "arrow-coloured pixels").toBeGreaterThan(30);
    // The label is whole on screen, beside the arrow rather than over it.
    const label = result.labelRect!;
    expect(label.left).toBeGreaterThanOrEqual(0);
    expect(label.top).toBeGreaterThanOrEqual(0);
    expect(label.left + label.width).toBeLessThanOrEqual(image.width);
    expect(label.top + label.height).toBeLessThanOrEqual(image.height);
    const overlapX = Math.min(label.left + label.width, arrow.left + arrow.width) - Math.max(label.left, arrow.left);
    const overlapY = Math.min(label.top + label.height, arrow.top + arrow.height) - Math.max(label.top, arrow.top);
    expect(overlapX > 0 && overlapY > 0, `label ${JSON.stringify(label)} over arrow ${JSON.stringify(arrow)}`).toBe(false);
}

function compare(a: IRgbaImage, b: IRgbaImage, rect: IRect, threshold: number): { changed: number; total: number; redGain: number; blueGain: number } {
    let changed = 0;
    let total = 0;
    let redGain = 0;
    let blueGain = 0;
    forEachPixel(a, rect, (_r, _g, _b, x, y) => {
        total++;
        const pa = pixelAt(a, x, y);
        const pb = pixelAt(b, x, y);
        if (colourDistance(pa, pb) > threshold) {
            changed++;
            redGain += pb[0] - pa[0];
            blueGain += pb[2] - pa[2];
        }
    });
    return { changed, total, redGain, blueGain };
}

function forEachPixel(image: IRgbaImage, rect: IRect, visit: (r: number, g: number, b: number, x: number, y: number) => void): void {
    const x0 = Math.max(0, Math.floor(rect.left));
    const y0 = Math.max(0, Math.floor(rect.top));
    const x1 = Math.min(image.width, Math.ceil(rect.left + rect.width));
    const y1 = Math.min(image.height, Math.ceil(rect.top + rect.height));
    for (let y = y0; y < y1; y++) {
        for (let x = x0; x < x1; x++) {
            const i = (y * image.width + x) * 4;
            visit(image.data[i], image.data[i + 1], image.data[i + 2], x, y);
        }
    }
}

/** Keeps the screenshot in .artifacts, and in docs/images when asked to refresh the docs' pictures. */
async function screenshotAsync(page: TestPage, name: string, toDocs: boolean): Promise<IRgbaImage> {
    const image = await page.screenshotCanvasAsync(artifactPath(name));
    if (toDocs) {
        await page.screenshotCanvasAsync(fileURLToPath(new URL(`../../docs/images/${name}`, import.meta.url)));
    }
    return image;
}

function artifactPath(name: string): string {
    return fileURLToPath(new URL(`.artifacts/${name}`, import.meta.url));
}

/**
 * Loads a page once with a long timeout and closes it: the first load makes Vite transform the
 * whole module graph, which on a loaded machine outlasts the harness's 30 s navigation timeout.
 */
async function warmUpAsync(harness: BrowserHarness, path: string): Promise<void> {
    const context = await harness.browser.newContext();
    try {
        await (await context.newPage()).goto(`${harness.server.origin}/${path}`, { waitUntil: "load", timeout: 120_000 });
    } finally {
        await context.close();
    }
}

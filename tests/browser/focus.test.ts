import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BrowserHarness, pixelAt } from "./harness/index.js";
import type { IEngineReport } from "./pages/createEngine.js";
import type { IFocusTestWindow, ITurnResult } from "./pages/focus.js";

// The plugin in a real browser: focus$ follows a scripted camera turn, Left then Right, on both
// of Babylon's web engines. Ticks come from the render loop, as in a game.
const turnMs = 300;
const holdMs = 1_000;

describe("attention focus in Chromium", () => {
    let harness: BrowserHarness;

    beforeAll(async () => {
        harness = await BrowserHarness.CreateAsync();
    });

    afterAll(async () => {
        await harness?.disposeAsync();
    });

    for (const engine of ["webgpu", "webgl2"] as const) {
        it(`focus follows the camera to Left, then Right, then Left again with the ${engine} engine`, async () => {
            const page = await harness.openPageAsync("tests/browser/pages/focus.html", { engine });
            const report = await page.waitReadyAsync<IEngineReport>();
            expect(report.isWebGPU).toBe(engine === "webgpu");
            // The packaged ONNX model ranks, on WASM (the default backend), in the browser too.
            const backend = await page.page.evaluate(() => (window as unknown as { __attention: { backend: string } }).__attention.backend);
            expect(backend).toBe("wasm");

            const turnAsync = (label: "Left" | "Right"): Promise<ITurnResult> =>
                page.page.evaluate(
                    ([target, turn, hold]) => (window as unknown as IFocusTestWindow).__focusPage!.turnTowardAsync(target, turn, hold),
                    [label, turnMs, holdMs] as const,
                );

            let passed = false;
            try {
                // The start is a tie (both spheres equally off-axis), so focus may already be Left
                // here; the turns after it must each produce a focus$ change.
                const first = await turnAsync("Left");
                expect(first.label).toBe("Left");
                expect(first.nodeName).toBe("leftSphere");

                const right = await turnAsync("Right");
                expect(right.label).toBe("Right");
                expect(right.nodeName).toBe("rightSphere");
                expectSettledOn(right, "Right");

                const back = await turnAsync("Left");
                expect(back.label).toBe("Left");
                expectSettledOn(back, "Left");

                // The turn really moved the rendered view: the red Left sphere fills the centre.
                const image = await page.screenshotCanvasAsync(artifactPath(`focus-${engine}.png`));
                const [r, g, b] = pixelAt(image, image.width / 2, image.height / 2);
                expect(r).toBeGreaterThan(2 * Math.max(g, b));
                expect(page.problems).toBe("");
                passed = true;
            } finally {
                if (!passed) {
                    // Kept for a human to look at; the directory is git-ignored.
                    await page.screenshotCanvasAsync(artifactPath(`focus-${engine}-failed.png`)).catch(() => undefined);
                }
            }
        });
    }
});

function artifactPath(name: string): string {
    return fileURLToPath(new URL(`.artifacts/${name}`, import.meta.url));
}

/** focus$ changed to `label` during the turn and, once there, stayed: no flicker while holding. */
function expectSettledOn(turn: ITurnResult, label: string): void {
    const labels = turn.emissions.map((e) => e.label);
    expect(labels).toContain(label);
    expect(labels.slice(labels.indexOf(label))).toEqual([label]);
}

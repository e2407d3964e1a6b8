import { existsSync } from "node:fs";
import { rm } from "node:fs/promises";
import { dirname, join } from "node:path";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromiumAsync } from "../browser/harness/browser.js";
import { ensureDisplayAsync, type ITestDisplay } from "../browser/harness/display.js";
import { TestPage } from "../browser/harness/page.js";
import {
    babylonVersionsAsync,
    createPackedAppAsync,
    packAsync,
    runNodeCheckAsync,
    serveStaticAsync,
    typeCheckAsync,
    viteBuildAsync,
    type IFocusReport,
    type IPackedApp,
} from "./packedApp.js";

// The package as a user gets it: `npm pack` (prepack builds dist/), the tarball installed into a
// fresh Vite + TypeScript app (tests/package/app), once per Babylon version: the lowest the peer
// range allows and the newest 9.x on the registry. Run alone with `npm run test:package`.

const tarball = await packAsync();
const versions = await babylonVersionsAsync();
const EXPECTED_TURNS = ["Left", "Right", "Left"];

let display: ITestDisplay | undefined;
let browser: Browser | undefined;

beforeAll(async () => {
    display = await ensureDisplayAsync();
    browser = await launchChromiumAsync(display.display);
});

afterAll(async () => {
    await browser?.close();
    await display?.releaseAsync();
    await rm(dirname(tarball), { recursive: true, force: true });
});

describe.each(versions)("the packed tarball with @babylonjs/core %s", (babylonVersion) => {
    let app: IPackedApp;

    beforeAll(async () => {
        app = await createPackedAppAsync(tarball, babylonVersion);
    });

    afterAll(async () => {
        await app?.disposeAsync();
    });

    it("installs with the requested Babylon", () => {
        expect(app.installed["@babylonjs/core"]).toBe(babylonVersion);
        expect(app.installed["babylon-attention"]).toMatch(/^\d+\.\d+\.\d+/);
    });

    it("type-checks in a strict app with skipLibCheck false", async () => {
        const result = await typeCheckAsync(app);
        // Babylon's own declarations name WebGPU types (GPUDevice, ...) that no @webgpu/types
        // release matches exactly; those errors are Babylon's and are kept apart. Anything in
        // the app or in babylon-attention's declarations fails the test.
        expect(result.ours).toEqual([]);
        expect(result.babylon.every((line) => /error TS\d+: .*GPU/.test(line))).toBe(true);
    });

    it("installs the model worker's module beside the scorer", () => {
        expect(existsSync(join(app.dir, "node_modules", "babylon-attention", "dist", "plugin", "model", "onnxWorker.worker.js"))).toBe(true);
    });

    it("builds with vite, which emits the model, the onnxruntime wasm and the model worker by itself", async () => {
        const assets = await viteBuildAsync(app);
        expect(assets.some((name) => /^attention-ranker-.*\.onnx$/.test(name))).toBe(true);
        expect(assets.some((name) => name.endsWith(".wasm"))).toBe(true);
        expect(assets.some((name) => /^onnxWorker\.worker-.*\.js$/.test(name)), `assets: ${assets.join(", ")}`).toBe(true);
    });

    it("loads the model from the emitted assets in Chromium and the focus follows the camera", async () => {
        const server = await serveStaticAsync(`${app.dir}/dist`);
        const page = await TestPage.OpenAsync(browser!, server.origin, "index.html");
        try {
            const report = await page.waitReadyAsync<IFocusReport>(120_000);
            expect(report.backend).toBe("wasm");
            expect(report.modelUrl).toMatch(new RegExp(`^${server.origin}/assets/attention-ranker-.*\\.onnx$`));
            const fetched = await page.page.evaluate(() => performance.getEntriesByType("resource").map((entry) => entry.name));
            expect(fetched).toContain(report.modelUrl);
            // The runtime's .wasm is fetched by the plugin's model worker, so the page's own
            // resource list does not show it; the server saw it, and the worker's chunk.
            expect(report.modelInWorker).toBe(true);
            expect(server.requested.some((path) => path.startsWith("/assets/") && path.endsWith(".wasm"))).toBe(true);
            expect(server.requested.some((path) => /^\/assets\/onnxWorker\.worker-.*\.js$/.test(path))).toBe(true);
            expect(report.focusAfterTurns).toEqual(EXPECTED_TURNS);
            expect(page.problems).toBe("");
        } finally {
            await page.closeAsync();
            await server.closeAsync();
        }
    });

    it("runs from a plain node script with a NullEngine, the model on WASM", async () => {
        const report = await runNodeCheckAsync(app);
        expect(report.backend).toBe("wasm");
        expect(report.modelUrl).toMatch(/^file:.*\/node_modules\/babylon-attention\/dist\/models\/attention-ranker\.onnx$/);
        expect(report.focusAfterTurns).toEqual(EXPECTED_TURNS);
        expect(report.subpaths).toEqual({ effects: "function", recording: "function" });
    });
});

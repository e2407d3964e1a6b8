/**
 * The picture in docs/navigation.md: the sample world seen from above (roofs hidden), the
 * navigator walking from the start to the Sun Mosaic round the free-standing screen, with its
 * planned path (yellow, `?path`) and the way walked (cyan).
 *
 *   npx tsx sample-world/tools/navigationPathPicture.ts [--out docs/images/navigation-path.png]
 */
import { statSync } from "node:fs";
import { launchChromiumAsync } from "../../tests/browser/harness/browser";
import { ensureDisplayAsync } from "../../tests/browser/harness/display";
import { startSampleWorldServerAsync } from "../../tests/browser/sampleWorld/sampleWorldServer";

const outIndex = process.argv.indexOf("--out");
const out = outIndex >= 0 ? process.argv[outIndex + 1] : "docs/images/navigation-path.png";

async function mainAsync(): Promise<void> {
    const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
    const browser = await launchChromiumAsync(display.display);
    try {
        const context = await browser.newContext({ viewport: { width: 760, height: 620 }, deviceScaleFactor: 1 });
        // tsx (esbuild, keepNames) wraps nested functions in __name(): give the page one.
        await context.addInitScript("globalThis.__name = (fn) => fn;");
        const page = await context.newPage();
        page.on("pageerror", (e) => console.error("pageerror:", e.message));
        await page.goto(`${server.origin}/?path&hud=0&dof=0&engine=webgl2&backend=heuristic`, { waitUntil: "load", timeout: 180_000 });
        await page.waitForFunction(() => (window as unknown as { __tour?: unknown }).__tour !== undefined, undefined, { timeout: 60_000 });
        const end = await page.evaluate(async () => {
            // Loosely typed: this runs in the page, against the live Babylon objects.
            // eslint-disable-next-line @typescript-eslint/no-explicit-any
            const tour = (window as any).__tour;
            await tour.ready;
            const scene = tour.scene;
            // In front of the mosaic, behind the screen as seen from the start (clear of its plinth).
            const result = await tour.navigator.navigateToAsync({ x: -5.5, y: 0, z: 0.5 });
            // Camera assist would turn the top view toward the focus: stop the plugin first.
            tour.pluginTicking = false;
            (document.getElementById("toast") as HTMLElement).style.display = "none";
            // Roofs, beams and lamps: everything whose bottom is above head height.
            for (const mesh of scene.meshes) {
                if (mesh.getBoundingInfo().boundingBox.minimumWorld.y > 2.5 && !mesh.name.startsWith("navPath")) {
                    mesh.setEnabled(false);
                }
            }
            // A top-down orthographic view of the gallery, made from the player camera's own class.
            const top = new tour.camera.constructor("top", tour.camera.position.clone(), scene);
            top.position.set(-2, 40, 0);
            top.rotation.set(Math.PI / 2, 0, 0);
            top.mode = 1; // orthographic
            const halfWidth = 11;
            const halfHeight = (halfWidth * 620) / 760;
            top.orthoLeft = -halfWidth;
            top.orthoRight = halfWidth;
            top.orthoTop = halfHeight;
            top.orthoBottom = -halfHeight;
            top.maxZ = 100;
            scene.activeCamera = top;
            await new Promise((r) => setTimeout(r, 3000));
            return `${result.state}${result.reason ? ` (${result.reason}${result.detail ? `: ${result.detail}` : ""})` : ""}`;
        });
        console.log(`navigation ended: ${end}`);
        await page.screenshot({ path: out });
        console.log(`${out}: ${statSync(out).size} bytes`);
    } finally {
        await browser.close();
        await server.closeAsync();
        await display.releaseAsync();
    }
}

await mainAsync();

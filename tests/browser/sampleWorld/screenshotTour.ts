// Screenshots of the sample world as `npm start` serves it, for the README and docs/images.
//   npx tsx tests/browser/sampleWorld/screenshotTour.ts <outDir> [query ...]
// Each query (e.g. "engine=webgl2") gives one picture, <outDir>/tour-<n>.png, 1280 x 720,
// taken once the model ranks and the focus has settled. Poses can be tried without editing the
// layout: "pose=x,z,yaw" moves the camera after start-up.
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { launchChromiumAsync } from "../harness/browser.js";
import { ensureDisplayAsync } from "../harness/display.js";
import { startSampleWorldServerAsync } from "./sampleWorldServer.js";

interface ITourWindow {
    __tour: { ready: Promise<void>; modelReady: Promise<string>; camera: { position: { set(x: number, y: number, z: number): void }; rotation: { y: number } } };
}

const [outDir = "/tmp/tour-shots", ...queries] = process.argv.slice(2);
mkdirSync(outDir, { recursive: true });
const display = await ensureDisplayAsync();
const server = await startSampleWorldServerAsync();
const browser = await launchChromiumAsync(display.display);
try {
    for (const [i, query] of (queries.length > 0 ? queries : [""]).entries()) {
        const params = new URLSearchParams(query);
        const pose = params.get("pose");
        params.delete("pose");
        const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, deviceScaleFactor: 1 });
        const page = await context.newPage();
        page.on("pageerror", (e) => console.error("pageerror:", e.message));
        await page.goto(`${server.origin}/?${params}`, { waitUntil: "load" });
        await page.evaluate(() => (window as unknown as ITourWindow).__tour.ready);
        if (pose) {
            const [x, z, yaw] = pose.split(",").map(Number);
            await page.evaluate(([px, pz, py]) => {
                const cam = (window as unknown as ITourWindow).__tour.camera;
                cam.position.set(px!, 1.7, pz!);
                cam.rotation.y = py!;
            }, [x, z, yaw]);
        }
        await page.evaluate(() => (window as unknown as ITourWindow).__tour.modelReady);
        await page.waitForTimeout(6000);
        const file = join(outDir, `tour-${i}.png`);
        await page.screenshot({ path: file });
        console.log(file, query);
        await context.close();
    }
} finally {
    await browser.close();
    await server.closeAsync();
    await display.releaseAsync();
}

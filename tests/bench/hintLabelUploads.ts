/**
 * What uploading the guidance hint's label textures costs in the sample world: opens the world,
 * times each canvas-to-texture upload the engine makes (`updateDynamicTexture`, the label and
 * the edge arrow of `LayerGuidanceHintView`) over three blocks of 150 frames, and prints them.
 * A label is uploaded once per new text, so the figure is a worst frame, not a per-frame cost.
 *
 *   npx tsx tests/bench/hintLabelUploads.ts ["scale=2&shadows=0&dof=0&engine=webgpu"]
 *
 * Run under `xvfb-run -a` (headed Chromium renders; headless does not).
 */
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { openSampleWorldAsync } from "./sampleWorldProfile";

interface IUploadEngine {
    updateDynamicTexture(texture: unknown, source: { width: number; height: number }, ...rest: unknown[]): unknown;
    onEndFrameObservable: { add(callback: () => void): unknown; remove(observer: unknown): boolean };
}

const query = process.argv[2] ?? "scale=2&shadows=0&dof=0&engine=webgpu";
const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
const browser = await launchChromiumAsync(display.display);
try {
    const world = await openSampleWorldAsync(browser, server.origin, query);
    for (let block = 1; block <= 3; block++) {
        const uploads = await world.page.evaluate(
            (frames) =>
                new Promise<string[]>((resolve) => {
                    const engine = (window as unknown as { __tour: { engine: IUploadEngine } }).__tour.engine;
                    const upload = engine.updateDynamicTexture;
                    const seen: string[] = [];
                    engine.updateDynamicTexture = function (texture, source, ...rest) {
                        const startMs = performance.now();
                        const result = upload.call(this, texture, source, ...rest);
                        seen.push(`${(performance.now() - startMs).toFixed(2)} ms (${source.width} x ${source.height})`);
                        return result;
                    };
                    let count = 0;
                    const observer = engine.onEndFrameObservable.add(() => {
                        if (++count < frames) return;
                        engine.onEndFrameObservable.remove(observer);
                        engine.updateDynamicTexture = upload;
                        resolve(seen);
                    });
                }),
            150
        );
        console.log(`block ${block}: ${uploads.length} uploads in 150 frames${uploads.length > 0 ? `: ${uploads.join(", ")}` : ""}`);
    }
    await world.closeAsync();
} finally {
    await browser.close();
    await server.closeAsync();
    await display.releaseAsync();
}

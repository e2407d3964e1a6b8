/**
 * How often the sample world's focus glow redraws (its HighlightLayer's main texture renders)
 * and how often the camera's view changes, over a block of frames with the plugin on, after the
 * same warm-up as the frame bench. Says whether the highlight layer's share of a frame is its
 * passes (redraws) or only its composite.
 *
 *   npx tsx tests/bench/glowRedraws.ts [--engine webgpu] [--frames 200] [--warm-frames 300] [--query "scale=2&shadows=0&dof=0"]
 */
import type { Scene } from "@babylonjs/core/scene";
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { benchArgs } from "./benchArgs";
import { openSampleWorldAsync, warmPageAsync, whenBackendChosenAsync } from "./sampleWorldProfile";

interface IGlowCounts {
    frames: number;
    glowRedraws: number;
    viewChanges: number;
    layers: number;
}

async function mainAsync(): Promise<void> {
    const parsed = benchArgs(process.argv.slice(2), { flags: [], values: ["engine", "frames", "warm-frames", "query"] });
    const args = { engine: parsed.value("engine", "webgpu"), frames: parsed.number("frames", 200), "warm-frames": parsed.number("warm-frames", 300), query: parsed.value("query", "scale=2&shadows=0&dof=0") };
    const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
    const browser = await launchChromiumAsync(display.display);
    try {
        const world = await openSampleWorldAsync(browser, server.origin, `${args.query}&engine=${args.engine}`);
        await whenBackendChosenAsync(world.page);
        await warmPageAsync(world.page, args["warm-frames"]);
        const counts = await world.page.evaluate(
            (frames) =>
                new Promise<IGlowCounts>((resolve) => {
                    const scene = (window as unknown as { __tour: { scene: Scene } }).__tour.scene;
                    const result = { frames: 0, glowRedraws: 0, viewChanges: 0, layers: scene.effectLayers.length };
                    const textures = scene.effectLayers.map((layer) => (layer as unknown as { _mainTexture: { onBeforeRenderObservable: { add(f: () => void): unknown } } })._mainTexture);
                    for (const texture of textures) {
                        texture.onBeforeRenderObservable.add(() => result.glowRedraws++);
                    }
                    let last = "";
                    const observer = scene.onAfterRenderObservable.add(() => {
                        const view = Array.from(scene.activeCamera!.getViewMatrix().m).map((v) => v.toFixed(5)).join(",");
                        if (view !== last) {
                            result.viewChanges++;
                            last = view;
                        }
                        if (++result.frames === frames) {
                            scene.onAfterRenderObservable.remove(observer);
                            resolve(result);
                        }
                    });
                }),
            args.frames
        );
        console.log(JSON.stringify(counts));
        await world.closeAsync();
    } finally {
        await browser.close();
        await server.closeAsync();
        await display.releaseAsync();
    }
}

void mainAsync().catch((e) => {
    console.error(e);
    process.exitCode = 1;
});

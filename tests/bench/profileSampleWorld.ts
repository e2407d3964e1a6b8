/**
 * Where the sample world's main-thread frame goes, by Chromium's own sampling profiler (CDP
 * `Profiler`): opens the world, records `--frames` frames with the plugin ticking and as many
 * with it switched off, and prints the heaviest functions by self time and by source (plugin,
 * sample world, Babylon, onnxruntime-web), plus what the frame-budget bench counts as the
 * plugin's. A tool for finding costs; `npm run bench` carries the figures.
 *
 *   npx tsx tests/bench/profileSampleWorld.ts [--engine webgpu] [--frames 120] [--warm-frames 0] [--query "scale=2&shadows=0&dof=0"] [--top 30] [--callers name1,name2] [--calls] [--alloc [--alloc-source plugin]]
 *
 * `--warm-frames` runs that many frames with the plugin on before the profiled ones (see
 * `warmPageAsync`: the page's code in its steady state, as `npm run bench` measures it).
 *
 * `--calls` adds, from a separate block of frames with the plugin on, how many times per frame
 * each of the plugin's functions runs (V8 precise coverage) and how many `performance.now()`
 * calls a frame makes; `--alloc` the bytes allocated per frame, plugin on and off, by source
 * and by allocating stack (V8's sampling heap profiler, garbage included). Both slow the page,
 * so they run after the timed blocks.
 */
import { launchChromiumAsync } from "../browser/harness/browser";
import { ensureDisplayAsync } from "../browser/harness/display";
import { startSampleWorldServerAsync } from "../browser/sampleWorld/sampleWorldServer";
import { benchArgs } from "./benchArgs";
import { countCallsAsync, openSampleWorldAsync, profileAllocationsAsync, profileFramesAsync, setPluginTickingAsync, warmPageAsync, whenBackendChosenAsync, type IAllocationProfile, type IFrameProfile } from "./sampleWorldProfile";

const args = benchArgs(process.argv.slice(2), { flags: ["calls", "alloc"], values: ["engine", "frames", "warm-frames", "query", "top", "callers", "alloc-source"] });

function print(label: string, profile: IFrameProfile, top: number): void {
    console.log(`\n${label}: ${profile.frames} frames, main thread ${profile.frameMainThreadMs.toFixed(2)} ms per frame; plugin's share ${profile.pluginMsPerFrame.toFixed(3)} ms per frame (sampled CPU ${profile.pluginCpuMsPerFrame.toFixed(3)}); median sample interval ${profile.medianSampleIntervalUs} us, ${(100 * profile.offCoreShare).toFixed(0)} % of the sampled time beyond twice it; view turned ${profile.viewTurnedDeg.toFixed(2)} deg`);
    console.log(`plugin's share by part: ${Object.entries(profile.pluginPartsMsPerFrame).map(([p, ms]) => `${p} ${ms.toFixed(3)}`).join(", ")}`);
    console.log("by source, ms per frame (self time):");
    for (const [source, ms] of Object.entries(profile.bySourceMsPerFrame).sort((a, b) => b[1] - a[1])) {
        console.log(`  ${source.padEnd(20)} ${ms.toFixed(3)}`);
    }
    console.log(`top ${top} functions, ms per frame (self | total under it):`);
    for (const f of profile.functions.slice(0, top)) {
        console.log(`  ${f.selfMsPerFrame.toFixed(3).padStart(7)} | ${f.totalMsPerFrame.toFixed(3).padStart(7)}  ${f.name}  ${f.where}`);
    }
    if (profile.deopts.length > 0) {
        console.log("V8 deopt reasons on the plugin's parts' frames:");
        for (const d of profile.deopts) {
            console.log(`  ${d}`);
        }
    }
    for (const name of args.value("callers", "").split(",").filter((n) => n !== "")) {
        console.log(`heaviest stacks of ${name}:`);
        for (const s of profile.stacksOf(name)) {
            console.log(`  ${s.msPerFrame.toFixed(3)}  ${s.stack}`);
        }
    }
}

function printAllocations(label: string, profile: IAllocationProfile, top: number, source: string | undefined): void {
    console.log(`\n${label}: ${(profile.totalBytesPerFrame / 1024).toFixed(1)} KiB per frame over ${profile.frames} frames; by source (KiB per frame): ${Object.entries(profile.bySource).sort((a, b) => b[1] - a[1]).map(([s, b]) => `${s} ${(b / 1024).toFixed(2)}`).join(", ")}`);
    const sites = source === undefined ? profile.sites : profile.sites.filter((site) => site.source === source);
    for (const site of sites.slice(0, top)) {
        console.log(`  ${(site.bytesPerFrame / 1024).toFixed(2).padStart(8)} KiB  [${site.source}] ${site.stack}`);
    }
}

async function mainAsync(): Promise<void> {
    const engine = args.value("engine", "webgpu");
    if (engine !== "webgpu" && engine !== "webgl2") {
        throw new Error(`--engine must be webgpu or webgl2, got "${engine}"`);
    }
    const frames = args.number("frames", 120);
    const query = args.value("query", "scale=2&shadows=0&dof=0");
    const top = args.number("top", 30);
    // Lists only the allocation sites of one source ("plugin", "highlight layer", ...).
    const allocSource = args.flag("alloc") ? args.value("alloc-source", "") || undefined : undefined;
    const [display, server] = await Promise.all([ensureDisplayAsync(), startSampleWorldServerAsync()]);
    const browser = await launchChromiumAsync(display.display);
    try {
        const world = await openSampleWorldAsync(browser, server.origin, `${query}&engine=${engine}`);
        await whenBackendChosenAsync(world.page);
        await warmPageAsync(world.page, args.number("warm-frames", 0));
        const on = await profileFramesAsync(world.page, frames, true);
        const off = await profileFramesAsync(world.page, frames, false);
        print("plugin on", on, top);
        print("plugin off", off, top);
        // What the plugin adds, wherever it runs: the largest growth of a function's total time.
        const offTotal = new Map(off.functions.map((f) => [`${f.name} ${f.where}`, f.totalMsPerFrame]));
        const growth = on.functions.map((f) => ({ key: `${f.name} ${f.where}`, ms: f.totalMsPerFrame - (offTotal.get(`${f.name} ${f.where}`) ?? 0) })).sort((a, b) => b.ms - a.ms);
        console.log(`\non - off, total time under each function, ms per frame (frame main thread ${(on.frameMainThreadMs - off.frameMainThreadMs).toFixed(2)} ms):`);
        for (const g of growth.slice(0, top)) {
            console.log(`  ${g.ms.toFixed(3).padStart(7)}  ${g.key}`);
        }
        if (args.flag("alloc")) {
            await setPluginTickingAsync(world.page, true);
            printAllocations("allocations, plugin on", await profileAllocationsAsync(world.page, frames), top, allocSource);
            await setPluginTickingAsync(world.page, false);
            printAllocations("allocations, plugin off", await profileAllocationsAsync(world.page, frames), top, allocSource);
            await setPluginTickingAsync(world.page, true);
        }
        // Coverage drops optimised code: count calls last, so the allocations above are of warm code.
        if (args.flag("calls")) {
            const counts = await countCallsAsync(world.page, frames);
            console.log(`\ncalls per frame, plugin on (${counts.frames} frames): performance.now() ${counts.performanceNowPerFrame.toFixed(1)}; the plugin's functions:`);
            for (const f of counts.plugin.slice(0, top)) {
                console.log(`  ${f.callsPerFrame.toFixed(2).padStart(8)}  ${f.name}  ${f.where}`);
            }
        }
        await world.closeAsync();
    } finally {
        await browser.close();
        await server.closeAsync();
        await display.releaseAsync();
    }
}

await mainAsync();

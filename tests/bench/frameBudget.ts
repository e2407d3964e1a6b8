/**
 * The frame rows of `npm run bench`: the plugin's and its effects' main-thread time per frame in
 * the sample world, plugin on against plugin off, by Chromium's sampling profiler
 * (tests/bench/sampleWorldProfile.ts says what counts as the plugin's). Alternating blocks of
 * frames, on then off, so a shared machine's drift lands on both sides. The blocks come after a
 * warm-up with the plugin on (`warmPageAsync`): the figures are the page's steady state, and
 * `coldPluginOnMainThreadCpuMs` is the same CPU figure taken before the warm-up.
 */
import type { Browser } from "playwright-core";
import { openSampleWorldAsync, PLUGIN_PART_NAMES, profileFramesAsync, warmPageAsync, whenBackendChosenAsync, type IFrameProfile } from "./sampleWorldProfile";
import { traceFramesAsync, type IFrameTrace } from "./sampleWorldTrace";

export interface IFrameRow {
    engine: "webgpu" | "webgl2";
    /** The focus highlight's style in that page (`?highlight=`). */
    highlight: "glow" | "overlay";
    /** Plugin and effects, main-thread ms per frame, plugin ticking. */
    pluginOnMainThreadMs: number;
    /**
     * `pluginOnMainThreadMs` with each sample's time capped near the profiler's interval
     * (`ON_CORE_SAMPLE_CAP`): the sampled CPU time. The wall figure charges a sample with the
     * whole gap to the next one, and on a machine with no idle core the main thread loses its
     * core for milliseconds at a time; this figure caps those gaps.
     */
    pluginOnMainThreadSampledCpuMs: number;
    /**
     * Most the camera's view turned within a profiled block, degrees. 0: every block shows one
     * view, the player standing; more, and the blocks hold a moving view (the glow redraws).
     */
    viewTurnedDeg: number;
    /** The same count with the plugin switched off (`__tour.pluginTicking = false`): should be about 0. */
    pluginOffMainThreadMs: number;
    /** The whole frame's main thread (engine begin-frame to end-frame), plugin on, ms (profiler running). */
    frameOnMainThreadMs: number;
    frameOffMainThreadMs: number;
    /**
     * The main thread's CPU time for the plugin and effects per frame, from Chromium's trace
     * (sampleWorldTrace.ts): the render loop's CPU time with the plugin on minus off, plus the
     * CPU time of the plugin's own tasks between frames. Wall time the thread spent waiting for
     * a core is not in it, so on a machine with no idle core it is what the plugin costs the
     * main thread itself; `pluginOnMainThreadMs` is what the frame waited.
     */
    pluginOnMainThreadCpuMs: number;
    /**
     * `pluginOnMainThreadCpuMs` from one on/off pair of traced blocks taken as soon as the model
     * ranks, before the warm-up: the page's first seconds, with the plugin's per-frame code not yet
     * optimised by V8.
     */
    coldPluginOnMainThreadCpuMs: number;
    /** Frames run with the plugin on between the cold figure and the measured blocks. */
    warmupFrames: number;
    /** The render loop's CPU time per frame, plugin on and off (trace). */
    frameOnCpuMs: number;
    frameOffCpuMs: number;
    /** The plugin's own tasks between frames (the model worker's hand-over), wall and CPU ms per frame (trace). */
    pluginTasksWallMs: number;
    pluginTasksCpuMs: number;
    /**
     * The garbage collector's pauses on the main thread per frame, plugin on and off, wall ms
     * (trace): the difference is what the garbage of the plugin's code, and of the Babylon passes
     * its effects add, costs in pauses. A pause inside a frame is also in that frame's CPU time,
     * so these overlap `pluginOnMainThreadCpuMs` and are not to be added to it.
     */
    gcOnWallMs: number;
    gcOffWallMs: number;
    /** The same pauses' CPU time, plugin on and off. */
    gcOnCpuMs: number;
    gcOffCpuMs: number;
    /** `pluginOnMainThreadMs` by part: plugin code, onnxruntime, highlight layer, outline renderer, hint layers, GUI label. */
    pluginOnParts: Record<string, number>;
    /** Frames measured per side. */
    frames: number;
    /** The model backend ranking while measured. */
    backend: string;
}

/** A frame row as the bench JSON holds it: the documented fields, without the by-part breakdown. */
export type FrameRowJson = Omit<IFrameRow, "pluginOnParts" | "frames" | "frameOnCpuMs" | "frameOffCpuMs">;

/** The documented fields of a frame row, so runs written at different times compare field by field. */
export function frameRowJson(r: IFrameRow): FrameRowJson {
    return {
        engine: r.engine,
        highlight: r.highlight,
        pluginOnMainThreadMs: r.pluginOnMainThreadMs,
        pluginOnMainThreadSampledCpuMs: r.pluginOnMainThreadSampledCpuMs,
        viewTurnedDeg: r.viewTurnedDeg,
        pluginOffMainThreadMs: r.pluginOffMainThreadMs,
        frameOnMainThreadMs: r.frameOnMainThreadMs,
        frameOffMainThreadMs: r.frameOffMainThreadMs,
        pluginOnMainThreadCpuMs: r.pluginOnMainThreadCpuMs,
        coldPluginOnMainThreadCpuMs: r.coldPluginOnMainThreadCpuMs,
        warmupFrames: r.warmupFrames,
        pluginTasksWallMs: r.pluginTasksWallMs,
        pluginTasksCpuMs: r.pluginTasksCpuMs,
        gcOnWallMs: r.gcOnWallMs,
        gcOffWallMs: r.gcOffWallMs,
        gcOnCpuMs: r.gcOnCpuMs,
        gcOffCpuMs: r.gcOffCpuMs,
        backend: r.backend,
    };
}

export interface IFrameBudgetOptions {
    engines: readonly ("webgpu" | "webgl2")[];
    /** Focus highlight styles to measure, each with every engine. @default ["glow", "overlay"] */
    highlights?: readonly ("glow" | "overlay")[];
    /** Frames per block. @default 60 */
    frames?: number;
    /** On/off block pairs. @default 2 */
    rounds?: number;
    /** The world's query: half resolution, no shadows, no depth of field, as in the browser tests. */
    query?: string;
    /**
     * Frames run with the plugin on before the measured blocks (`warmPageAsync`); 600 frames is
     * 10 s at 60 frames a second, and one to two minutes at this machine's 5 to 10. @default 600
     */
    warmupFrames?: number;
}

/** Floor: plugin and effects, main thread per frame, in the sample world. */
export const FRAME_FLOOR_MS = 0.5;

export async function measureFrameBudgetAsync(browser: Browser, origin: string, options: IFrameBudgetOptions): Promise<IFrameRow[]> {
    const { frames = 60, rounds = 2, query = "scale=2&shadows=0&dof=0", warmupFrames = 600 } = options;
    const rows: IFrameRow[] = [];
    const pages = options.engines.flatMap((engine) => (options.highlights ?? ["glow", "overlay"]).map((highlight) => ({ engine, highlight })));
    for (const { engine, highlight } of pages) {
        const world = await openSampleWorldAsync(browser, origin, `${query}&engine=${engine}&highlight=${highlight}`);
        try {
            await whenBackendChosenAsync(world.page);
            const coldOn = await traceFramesAsync(world.page, frames, true);
            const coldOff = await traceFramesAsync(world.page, frames, false);
            await warmPageAsync(world.page, warmupFrames);
            const on: IFrameProfile[] = [];
            const off: IFrameProfile[] = [];
            const tracedOn: IFrameTrace[] = [];
            const tracedOff: IFrameTrace[] = [];
            for (let round = 0; round < rounds; round++) {
                on.push(await profileFramesAsync(world.page, frames, true));
                off.push(await profileFramesAsync(world.page, frames, false));
            }
            // Traced apart from the profiled blocks: each instrument slows the page.
            for (let round = 0; round < rounds; round++) {
                tracedOn.push(await traceFramesAsync(world.page, frames, true));
                tracedOff.push(await traceFramesAsync(world.page, frames, false));
            }
            const backend = await world.page.evaluate(() => (window as unknown as { __tour: { backend: string } }).__tour.backend);
            const mean = <T>(list: T[], pick: (p: T) => number): number => round3(list.reduce((s, p) => s + pick(p), 0) / list.length);
            const frameOnCpuMs = mean(tracedOn, (t) => t.renderCpuMs);
            const frameOffCpuMs = mean(tracedOff, (t) => t.renderCpuMs);
            const pluginTasksCpuMs = mean(tracedOn, (t) => t.pluginTaskCpuMs);
            rows.push({
                engine,
                highlight,
                pluginOnMainThreadMs: mean(on, (p) => p.pluginMsPerFrame),
                pluginOnMainThreadSampledCpuMs: mean(on, (p) => p.pluginCpuMsPerFrame),
                viewTurnedDeg: round3(Math.max(...on.map((p) => p.viewTurnedDeg), ...off.map((p) => p.viewTurnedDeg))),
                pluginOffMainThreadMs: mean(off, (p) => p.pluginMsPerFrame),
                frameOnMainThreadMs: mean(on, (p) => p.frameMainThreadMs),
                frameOffMainThreadMs: mean(off, (p) => p.frameMainThreadMs),
                pluginOnMainThreadCpuMs: round3(frameOnCpuMs - frameOffCpuMs + pluginTasksCpuMs),
                coldPluginOnMainThreadCpuMs: round3(coldOn.renderCpuMs - coldOff.renderCpuMs + coldOn.pluginTaskCpuMs),
                warmupFrames,
                frameOnCpuMs,
                frameOffCpuMs,
                pluginTasksWallMs: mean(tracedOn, (t) => t.pluginTaskWallMs),
                pluginTasksCpuMs,
                gcOnWallMs: mean(tracedOn, (t) => t.gcWallMs),
                gcOffWallMs: mean(tracedOff, (t) => t.gcWallMs),
                gcOnCpuMs: mean(tracedOn, (t) => t.gcCpuMs),
                gcOffCpuMs: mean(tracedOff, (t) => t.gcCpuMs),
                pluginOnParts: Object.fromEntries(PLUGIN_PART_NAMES.map((part) => [part, mean(on, (p) => p.pluginPartsMsPerFrame[part] ?? 0)])),
                frames: frames * rounds,
                backend,
            });
        } finally {
            await world.closeAsync();
        }
    }
    return rows;
}

function round3(value: number): number {
    return Math.round(value * 1000) / 1000;
}

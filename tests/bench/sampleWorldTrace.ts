/**
 * The main thread's CPU time per frame in the sample world, beside its wall time, from Chromium's
 * own trace (CDP `Tracing`, the `devtools.timeline` category). A trace event's `dur` is wall time
 * and its `tdur` the thread's CPU time over the same span: where they differ, the thread was
 * waiting for a core, not working. That is what the sampling profiler (sampleWorldProfile.ts)
 * cannot tell: a sample lands in whatever function was on the stack while the thread sat
 * descheduled. On a machine with no idle core, waking the model worker hands the woken worker the
 * main thread's core, and the profiler charges the whole wait to the call that woke it.
 */
import type { Page } from "playwright-core";
import { setPluginTickingAsync, waitFramesAsync } from "./sampleWorldProfile";

/** One block of traced frames: ms per frame. */
export interface IFrameTrace {
    frames: number;
    /** The render loop's animation-frame callbacks (the plugin's tick and effects run inside them). */
    renderWallMs: number;
    renderCpuMs: number;
    /** Tasks that run plugin code outside the render loop (the model worker's hand-over). */
    pluginTaskWallMs: number;
    pluginTaskCpuMs: number;
    /**
     * The garbage collector's pauses on the main thread, inside frames or between them: young
     * generation scavenges, full collections and incremental marking steps.
     */
    gcWallMs: number;
    gcCpuMs: number;
}

/** The fields of a Chromium trace event read here. */
export interface ITraceEvent {
    ph: string;
    name: string;
    tid: number;
    /** Start, microseconds. */
    ts: number;
    dur?: number;
    tdur?: number;
    args?: { data?: { url?: string; functionName?: string } };
}

/**
 * The main thread's garbage-collection pauses as Chromium's trace names them (its Performance
 * panel shows the same): a scavenge of the young generation, a full mark-compact, and the steps
 * of incremental marking that run between them. V8's own finer events nest inside these.
 */
const GC_EVENTS = new Set(["MinorGC", "MajorGC", "V8.GC_MC_INCREMENTAL"]);

/** Where a script lives in the dev-served sample world: the plugin's own sources. */
const PLUGIN_URL = /\/plugin\//;

/**
 * Sums a trace's frames on the main thread (the thread of the animation-frame events):
 * `FireAnimationFrame` for the render loop, and `FunctionCall` events of plugin scripts that
 * are not inside one (tasks of their own) for the plugin's work between frames.
 */
export function summariseFrameTrace(events: readonly ITraceEvent[]): IFrameTrace {
    const complete = events.filter((e) => e.ph === "X");
    const frames = complete.filter((e) => e.name === "FireAnimationFrame");
    if (frames.length === 0) {
        throw new Error("summariseFrameTrace: the trace holds no FireAnimationFrame event; was the render loop running, and the devtools.timeline category on?");
    }
    const mainThread = frames[0]!.tid;
    const us = (list: readonly ITraceEvent[], key: "dur" | "tdur"): number => list.reduce((sum, e) => sum + (e[key] ?? 0), 0);
    const onMain = frames.filter((e) => e.tid === mainThread);
    // A call into a plugin script outside every animation frame is a task of the plugin's own;
    // one inside a frame (a microtask run at its end) is already in that frame's figures.
    const inFrame = (e: ITraceEvent): boolean => onMain.some((f) => e.ts >= f.ts && e.ts < f.ts + (f.dur ?? 0));
    const pluginTasks = complete.filter((e) => e.tid === mainThread && e.name === "FunctionCall" && PLUGIN_URL.test(e.args?.data?.url ?? "") && !inFrame(e));
    const perFrame = (microseconds: number): number => microseconds / 1000 / onMain.length;
    // Counted once: a marking step inside a full collection is already in the collection.
    const gcEvents = complete.filter((e) => e.tid === mainThread && GC_EVENTS.has(e.name)).sort((a, b) => a.ts - b.ts || (b.dur ?? 0) - (a.dur ?? 0));
    const gcPauses: ITraceEvent[] = [];
    let coveredUntil = -Infinity;
    for (const e of gcEvents) {
        if (e.ts >= coveredUntil) {
            gcPauses.push(e);
            coveredUntil = e.ts + (e.dur ?? 0);
        }
    }
    return {
        frames: onMain.length,
        renderWallMs: perFrame(us(onMain, "dur")),
        renderCpuMs: perFrame(us(onMain, "tdur")),
        pluginTaskWallMs: perFrame(us(pluginTasks, "dur")),
        pluginTaskCpuMs: perFrame(us(pluginTasks, "tdur")),
        gcWallMs: perFrame(us(gcPauses, "dur")),
        gcCpuMs: perFrame(us(gcPauses, "tdur")),
    };
}

/** Sets the plugin's ticking, lets a few frames pass, then traces `frames` frames. */
export async function traceFramesAsync(page: Page, frames: number, pluginOn: boolean): Promise<IFrameTrace> {
    await setPluginTickingAsync(page, pluginOn);
    const cdp = await page.context().newCDPSession(page);
    const events: ITraceEvent[] = [];
    cdp.on("Tracing.dataCollected", (message) => {
        for (const event of message.value) {
            events.push(event as unknown as ITraceEvent);
        }
    });
    const complete = new Promise<void>((resolve) => cdp.once("Tracing.tracingComplete", () => resolve()));
    await cdp.send("Tracing.start", { categories: "devtools.timeline", transferMode: "ReportEvents" } as never);
    await waitFramesAsync(page, frames);
    await cdp.send("Tracing.end");
    await complete;
    await cdp.detach();
    await setPluginTickingAsync(page, true);
    return summariseFrameTrace(events);
}

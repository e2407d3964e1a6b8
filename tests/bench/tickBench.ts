import { AllocationMeter } from "./allocationMeter";
import { sampleAllocationSitesAsync, type IAllocationSite } from "./allocationSites";
import { BenchWorld, holdFocus } from "./benchWorld";
import { NaiveTicker } from "./naiveTicker";
import { summarize, type ISummary } from "./stats";

/** One row of the tick table; the JSON `tick` rows have exactly these fields. */
export interface ITickRow {
    n: number;
    p50Ms: number;
    p99Ms: number;
    /**
     * CPU time of the render-loop ticks that read it, every other timed tick (process CPU time,
     * at most that tick's wall time): the plugin's own work. p99 far above p50 here is the
     * plugin's spike (GC, a burst); in p99Ms alone it may be the machine taking the core away.
     * These ticks are timed straight after a system call, which slows them a little, so the CPU
     * figures can read a few % above the wall ones, which come from the other ticks.
     */
    cpuP50Ms: number;
    cpuP99Ms: number;
    /** Render-loop ticks with the bench world's focus changes (events) included. */
    bytesPerTick: number;
    /** The same ticks while the focus holds still: the steady state the floor is about. */
    steadyBytesPerTick: number;
    naiveP50Ms: number;
}

/**
 * Before the render-loop tick is timed, and before its allocation is measured, it runs at least
 * this many times and for at least this long. V8 optimises a function after a budget of work,
 * not of calls, so the glue
 * that runs once per tick is optimised after ~1,500 ticks at 10,000 entities but only after
 * ~20,000 at 10 (measured: 12 bytes per tick at 10 entities after 5,000 ticks, 0 after 20,000).
 */
const STEADY_WARMUP_TICKS = 1500;
const STEADY_WARMUP_MS = 2000;
/** Ticks of a 10-entity world run once per process first (both focus regimes), about 1 s. */
const GLUE_WARMUP_TICKS = 20000;
let glueWarmed = false;

/**
 * V8 optimises a function after a budget of its own work, so the glue that runs once per tick
 * (the render-loop observer, the model launch check, focus selection) needs tens of thousands
 * of calls at any world size, which a 2 s warm-up at 10,000 entities (under 1,000 ticks) does
 * not give. A small world runs them through cheaply; the code is the same at every size.
 */
export async function warmTickGlueOnceAsync(): Promise<void> {
    if (glueWarmed) {
        return;
    }
    glueWarmed = true;
    const world = new BenchWorld(10);
    const attention = await world.createPluginAsync();
    const run = (): void => {
        for (let i = 0; i < GLUE_WARMUP_TICKS; i++) {
            world.frame();
        }
    };
    run();
    const releaseFocus = holdFocus(attention);
    run();
    releaseFocus();
    attention.dispose();
    world.dispose();
}

export interface ITickPlan {
    n: number;
    /**
     * Untimed tickAsync ticks before those are timed (JIT warm-up, dwell and caches settle); the
     * render-loop tick is warmed for STEADY_WARMUP_TICKS and STEADY_WARMUP_MS before it is.
     */
    warmup: number;
    /** Timed tickAsync ticks; twice as many render-loop ticks are timed, half for wall time, half for CPU time. */
    ticks: number;
    /** Untimed and timed naive ticks (fewer at large n: one naive tick at 10,000 takes ~0.5 s). */
    naiveWarmup: number;
    naiveTicks: number;
    /** Ticks per allocation window (each window holds its garbage until it ends, so not too many at large n). */
    allocationTicks: number;
}

export interface ITickDetail extends ITickRow {
    /** The same tick when the frame has already updated the moved meshes' transforms. */
    ownP50Ms: number;
    ownP99Ms: number;
    /** Bytes per render-loop tick when the frame has already updated the transforms. */
    ownBytesPerTick: number;
    /** Bytes per tick through tickAsync (its promises included). */
    bytesPerTickAsync: number;
    /** Bytes per render-loop tick while the focus holds still: the steady state of the floor. */
    steadyBytesPerTick: number;
    /** Where the steady-state bytes were allocated, most first (empty when there were none). */
    steadyAllocationSites: IAllocationSite[];
    /** Mean occlusion ray tests per plugin tick (bounded by the budget). */
    occlusionTestsPerTick: number;
    /** Mean entities re-evaluated, and read from the scene, per plugin tick (level of detail above 256). */
    evaluatedPerTick: number;
    readPerTick: number;
    naiveP99Ms: number;
    naiveTicks: number;
    ticks: number;
}

/**
 * Measures the plugin's side of one row: the real AttentionPlugin (box occluders, injected
 * clock) in a fresh world, each tick after moving every entity, with the movement outside the
 * timed span.
 */
export async function measurePluginRowAsync(plan: ITickPlan, meter: AllocationMeter): Promise<IPluginFigures> {
    const world = new BenchWorld(plan.n);
    try {
        return await measurePluginAsync(world, plan, meter);
    } finally {
        world.dispose();
    }
}

/**
 * Measures the naive baseline in a fresh world of the same size, scene and motion. Run every
 * plugin row before the first naive row: after the naive code's Babylon calls (picking, fresh
 * vectors) have run in a process, V8 compiles Babylon's own world-matrix and bounding-box
 * updates differently and they allocate 48 bytes per moving mesh, which would be charged to
 * the plugin's tick (see docs/performance.md).
 */
export function measureNaiveRow(plan: ITickPlan): ISummary {
    const world = new BenchWorld(plan.n);
    try {
        return measureNaive(world, plan);
    } finally {
        world.dispose();
    }
}

/** Joins the two halves of a row. */
export function tickDetail(plan: ITickPlan, plugin: IPluginFigures, naive: ISummary): ITickDetail {
    // The headline figures are the render-loop tick: the frame has already updated the moved
    // meshes' transforms (Babylon does that for culling whether or not the plugin runs), so
    // what is timed is the plugin's work: signals, features, scoring, ranking and focus. The
    // tickAsync figures (transforms recomputed inside the tick) stay beside them.
    return {
        n: plan.n,
        p50Ms: plugin.ownP50Ms,
        p99Ms: plugin.ownP99Ms,
        cpuP50Ms: plugin.cpuP50Ms,
        cpuP99Ms: plugin.cpuP99Ms,
        bytesPerTick: plugin.ownBytesPerTick,
        naiveP50Ms: naive.p50Ms,
        occlusionTestsPerTick: plugin.occlusionTestsPerTick,
        evaluatedPerTick: plugin.evaluatedPerTick,
        readPerTick: plugin.readPerTick,
        ownP50Ms: plugin.p50Ms,
        ownP99Ms: plugin.p99Ms,
        ownBytesPerTick: plugin.bytesPerTick,
        steadyBytesPerTick: plugin.steadyBytesPerTick,
        steadyAllocationSites: plugin.steadyAllocationSites,
        bytesPerTickAsync: plugin.bytesPerTickAsync,
        naiveP99Ms: naive.p99Ms,
        naiveTicks: plan.naiveTicks,
        ticks: plan.ticks,
    };
}

async function measurePluginAsync(world: BenchWorld, plan: ITickPlan, meter: AllocationMeter): Promise<IPluginFigures> {
    const scene = world.scene;
    // backend "heuristic": model inference is excluded (its rows come from inference.ts).
    // autoTick stays on so the render-loop path can be driven below; nothing renders, so
    // nothing ticks unless this benchmark notifies onBeforeRenderObservable itself.
    const attention = await world.createPluginAsync();
    if ((await attention.whenModelReadyAsync()) !== "heuristic") {
        throw new Error(`bench: expected the heuristic backend, got ${attention.backend}`);
    }
    for (let i = 0; i < plan.warmup; i++) {
        world.step();
        await attention.tickAsync();
    }
    const times = new Float64Array(plan.ticks);
    let tests = 0;
    let evaluated = 0;
    let read = 0;
    for (let i = 0; i < plan.ticks; i++) {
        world.step();
        const start = performance.now();
        await attention.tickAsync();
        times[i] = performance.now() - start;
        // Only microtasks run inside the await (no model run is in flight with the heuristic):
        // the ranking must carry this tick's time, or the timed span missed work.
        if (attention.ranking.time !== world.now) {
            throw new Error(`bench: tick at ${world.now} ms was not finished when tickAsync resolved`);
        }
        tests += attention.occlusionTestsLastTick;
        evaluated += attention.entitiesRefreshedLastTick;
        read += attention.entitiesReadLastTick;
    }

    // Steady state means optimised code: until V8 optimises the code that runs once per tick
    // (the tick's own glue, Babylon's camera update), it boxes every fractional number it
    // computes, which the meter would count.
    const warmUp = (): void => {
        const start = performance.now();
        for (let i = 0; i < STEADY_WARMUP_TICKS || performance.now() - start < STEADY_WARMUP_MS; i++) {
            world.frame();
        }
    };
    // The render-loop tick after the frame has updated the transforms (the plugin's own share),
    // as a game runs it: onBeforeRender, no promise. Every other tick also reads the process's
    // CPU time around it (outside the wall span): wall minus CPU is time the core was taken
    // away, CPU alone is the plugin's own work, spikes included (GC, bursts). Only the other
    // ticks give the wall figures: reading the CPU time is a system call, and a tick timed
    // straight after it runs a few % slower at 1,000 entities (tickWarmup.ts --cpu-usage and
    // --alternate, docs/performance.md).
    // Warmed on this path first (which also serves the allocation windows below): V8 is still
    // optimising the render-loop path for the first 1,200 to 1,800 ticks at 1,000 entities
    // (tickAsync took another path), and process CPU time also counts its compiler threads.
    await warmTickGlueOnceAsync();
    warmUp();
    const ownTimes = new Float64Array(plan.ticks);
    const cpuTimes = new Float64Array(plan.ticks);
    for (let i = 0; i < 2 * plan.ticks; i++) {
        world.step();
        world.updateTransforms();
        if ((i & 1) === 0) {
            const start = performance.now();
            scene.onBeforeRenderObservable.notifyObservers(scene);
            ownTimes[i >> 1] = performance.now() - start;
            continue;
        }
        const cpuStart = process.cpuUsage();
        const start = performance.now();
        scene.onBeforeRenderObservable.notifyObservers(scene);
        const wall = performance.now() - start;
        // Process CPU time also counts V8's helper threads (a concurrent compile or marking
        // step can add milliseconds to a 0.1 ms tick); the main thread's share cannot exceed
        // the wall time, so the smaller of the two bounds it.
        cpuTimes[i >> 1] = Math.min(wall, cpuMs(process.cpuUsage(cpuStart)));
    }
    if (attention.ranking.time !== world.now) {
        throw new Error(`bench: onBeforeRender at ${world.now} ms did not tick`);
    }

    // Allocation on the render-loop path, which a game runs every frame: render id, then
    // onBeforeRender. tickAsync adds its own promises; measured apart.
    const notify = (): void => {
        scene.onBeforeRenderObservable.notifyObservers(scene);
    };
    // No warm-up of its own: the timed ticks just above ran after warmUp(), on this path.
    const bytesPerTick = meter.bytesPerCall(notify, plan.allocationTicks, () => {
        world.step();
        scene.incrementRenderId();
    });
    // The frame's untimed part when it has already updated the transforms (the headline figures').
    const moveWorld = (): void => {
        world.step();
        world.updateTransforms();
    };
    const ownBytesPerTick = meter.bytesPerCall(notify, plan.allocationTicks, moveWorld);
    if (attention.ranking.time !== world.now) {
        throw new Error(`bench: onBeforeRender at ${world.now} ms did not tick`);
    }
    // Steady state proper: the same ticks while the focus holds still. A focus change is an event
    // that emits on focus$ and onFocusChangedObservable (an event object, rxjs' and Babylon's
    // notification), about 1.5 per 100 ticks in this world with its sweeping camera.
    const releaseFocus = holdFocus(attention);
    // Warmed again: focus selection now always takes its "hold" branch, which V8 optimises anew.
    warmUp();
    const steadyBytesPerTick = meter.bytesPerCall(notify, plan.allocationTicks, moveWorld);
    // The meter says how much; when it is not nothing, V8's sampling profiler says where, so a
    // run that allocates names the code (the plugin's or Babylon's under it) in its own output.
    // Sampled in the meter's own windows (each after a full GC), three times over.
    const steadyAllocationSites = roundBytes(steadyBytesPerTick) > 0 ? await sampleAllocationSitesAsync(notify, plan.allocationTicks, moveWorld, { windows: 3, beforeWindow: () => meter.collectGarbage() }) : [];
    releaseFocus();
    const bytesPerTickAsync = await meter.bytesPerCallAsync(() => attention.tickAsync(), plan.allocationTicks, () => world.step());
    attention.dispose();
    const own = summarize(ownTimes);
    const cpu = summarize(cpuTimes);
    return {
        ...summarize(times),
        ownP50Ms: own.p50Ms,
        ownP99Ms: own.p99Ms,
        cpuP50Ms: cpu.p50Ms,
        cpuP99Ms: cpu.p99Ms,
        bytesPerTick: roundBytes(bytesPerTick),
        ownBytesPerTick: roundBytes(ownBytesPerTick),
        steadyBytesPerTick: roundBytes(steadyBytesPerTick),
        steadyAllocationSites,
        bytesPerTickAsync: roundBytes(bytesPerTickAsync),
        occlusionTestsPerTick: tests / plan.ticks,
        evaluatedPerTick: evaluated / plan.ticks,
        readPerTick: read / plan.ticks,
    };
}

export interface IPluginFigures extends ISummary {
    ownP50Ms: number;
    ownP99Ms: number;
    /** CPU time of the render-loop tick: process CPU time, at most the tick's wall time. */
    cpuP50Ms: number;
    cpuP99Ms: number;
    ownBytesPerTick: number;
    bytesPerTick: number;
    /** Bytes per render-loop tick while the focus holds still (no focus-change events). */
    steadyBytesPerTick: number;
    /** Where those bytes were allocated, most first (sampled; empty when there were none). */
    steadyAllocationSites: IAllocationSite[];
    bytesPerTickAsync: number;
    occlusionTestsPerTick: number;
    evaluatedPerTick: number;
    readPerTick: number;
}

/** Whole bytes; below 1 byte per tick is measurement noise (a stray heap word over 1,000 ticks), reported as 0. */
function roundBytes(bytes: number): number {
    return bytes < 1 ? 0 : Math.round(bytes);
}

/** A `process.cpuUsage` difference (user + system microseconds) in milliseconds. */
function cpuMs(usage: NodeJS.CpuUsage): number {
    return (usage.user + usage.system) / 1000;
}

function measureNaive(world: BenchWorld, plan: ITickPlan): ISummary {
    const naive = new NaiveTicker(world);
    for (let i = 0; i < plan.naiveWarmup; i++) {
        world.step();
        naive.tick();
    }
    const times = new Float64Array(plan.naiveTicks);
    for (let i = 0; i < plan.naiveTicks; i++) {
        world.step();
        const start = performance.now();
        naive.tick();
        times[i] = performance.now() - start;
    }
    return summarize(times);
}

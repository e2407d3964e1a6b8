import type { Browser, Page } from "playwright-core";
import { percentile } from "./stats";

/**
 * The sample world's frame under Chromium's sampling profiler (CDP `Profiler`), for the
 * frame-budget bench (`npm run bench`, the `frame` rows) and tests/bench/profileSampleWorld.ts.
 *
 * The plugin's share of a sample: a sample counts when any frame of its stack is the plugin's
 * code (a URL under /plugin/, the effects included), onnxruntime-web's (only the plugin calls
 * it; its WASM runs under its glue), or Babylon's code for the objects the effects drive: the
 * highlight layer (its glow passes run from the scene's render, not from a plugin call), the
 * outline renderer (the focus overlay's extra draws run inside the scene's mesh rendering, and
 * once registered it checks every mesh it is handed), the screen layers of the hint label and
 * arrow (`LayerGuidanceHintView`; the sample world draws no other layer) and the GUI texture of
 * a GUI hint label.
 * Only those modules use them in the sample world while the Inspector is closed. The frame's main-thread time, on against off, is measured beside it.
 */

export interface IProfiledFunction {
    name: string;
    /** Source file (the path part of the URL) and line. */
    where: string;
    selfMsPerFrame: number;
    totalMsPerFrame: number;
}

export interface IFrameProfile {
    frames: number;
    /** Mean main-thread time from the engine's begin-frame to its end-frame, ms (profiler running). */
    frameMainThreadMs: number;
    /** Main-thread ms per frame of samples with the plugin's code on their stack (see above). */
    pluginMsPerFrame: number;
    /**
     * `pluginMsPerFrame` with each sample's time capped at `ON_CORE_SAMPLE_CAP` times the
     * profile's median sampling interval: the sampled estimate of the main thread's CPU time in
     * the plugin's code. A longer gap before the next sample is time the thread was off its core
     * (preempted on a machine with fewer cores than busy threads), which the wall figure charges
     * to whatever code ran just before it.
     */
    pluginCpuMsPerFrame: number;
    /** The profile's median sampling interval, microseconds: the cap above is twice it. */
    medianSampleIntervalUs: number;
    /** Share of the sampled time (idle left out) that lay beyond the cap: the thread, or the profiler's, off its core. */
    offCoreShare: number;
    /** Most the active camera's view direction turned from the block's first frame, degrees: 0 for the player standing. */
    viewTurnedDeg: number;
    /** `pluginMsPerFrame` split by the part nearest the stack's root: plugin, onnxruntime, highlight layer, outline renderer, hint layers, GUI label. */
    pluginPartsMsPerFrame: Record<string, number>;
    /** Self time per frame by where the sampled function lives. */
    bySourceMsPerFrame: Record<string, number>;
    /** Heaviest first, by self time. */
    functions: IProfiledFunction[];
    /** Functions of the plugin's parts whose profile nodes carry a V8 deopt reason: `name where: reason`. */
    deopts: string[];
    /** For each function name, its heaviest call stacks (leaf first, ` < ` between callers), ms per frame. */
    stacksOf(name: string, count?: number): { stack: string; msPerFrame: number }[];
}

export interface ICallFrame {
    functionName: string;
    url: string;
    lineNumber: number;
}

export interface IProfileNode {
    id: number;
    callFrame: ICallFrame;
    children?: number[];
    /** Why V8 did not optimise (or deoptimised) this function, when it says. */
    deoptReason?: string;
}

export interface ICpuProfile {
    nodes: IProfileNode[];
    samples: number[];
    timeDeltas: number[];
}

export interface IOpenedWorld {
    page: Page;
    closeAsync(): Promise<void>;
}

interface ITourWindow {
    __tour?: { ready: Promise<void>; modelReady: Promise<string>; pluginTicking: boolean; engine: unknown };
}

/** Opens the world in a fresh context and waits until its model ranks (or it settled on a fallback). */
export async function openSampleWorldAsync(browser: Browser, origin: string, query: string): Promise<IOpenedWorld> {
    const context = await browser.newContext({ viewport: { width: 1024, height: 640 }, deviceScaleFactor: 1 });
    // tsx (esbuild, keepNames) wraps nested functions of in-page callbacks in __name(): give the page one.
    await context.addInitScript("globalThis.__name = (fn) => fn;");
    const page = await context.newPage();
    await page.goto(`${origin}/?${query}`, { waitUntil: "load", timeout: 180_000 });
    await page.waitForFunction(() => (window as ITourWindow).__tour !== undefined, undefined, { timeout: 60_000 });
    await page.evaluate(() => (window as ITourWindow).__tour!.ready);
    await page.evaluate(() => (window as ITourWindow).__tour!.modelReady);
    return { page, closeAsync: () => context.close() };
}

/**
 * Switches the plugin's ticking (`__tour.pluginTicking`) and lets five frames pass: the first
 * tick after a switch catches up, so no measurement should start on it.
 */
export async function setPluginTickingAsync(page: Page, on: boolean): Promise<void> {
    await page.evaluate(
        ([ticking]) => ((window as unknown as { __tour: { pluginTicking: boolean } }).__tour.pluginTicking = ticking),
        [on] as const
    );
    await waitFramesAsync(page, 5);
}

/** Sets the plugin's ticking, lets a few frames pass, then profiles `frames` frames. */
export async function profileFramesAsync(page: Page, frames: number, pluginOn: boolean, samplingIntervalUs = 100): Promise<IFrameProfile> {
    await setPluginTickingAsync(page, pluginOn);
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    await cdp.send("Profiler.start");
    const { mainThread, viewTurnedDeg } = await page.evaluate(
        ([count]) =>
            new Promise<{ mainThread: number[]; viewTurnedDeg: number }>((resolve) => {
                interface IObs {
                    add(cb: () => void): unknown;
                    remove(o: unknown): boolean;
                }
                interface ICam {
                    getViewMatrix(): { m: ArrayLike<number> };
                }
                const engine = (window as unknown as { __tour: { engine: { onBeginFrameObservable: IObs; onEndFrameObservable: IObs; scenes: { activeCamera: ICam | null }[] } } }).__tour.engine;
                const times: number[] = [];
                // The view direction (the view matrix's third column) at the first frame, and the widest angle from it since.
                let first: number[] | null = null;
                let widestCos = 1;
                let begin = -1;
                const b = engine.onBeginFrameObservable.add(() => (begin = performance.now()));
                const e = engine.onEndFrameObservable.add(() => {
                    if (begin >= 0) {
                        times.push(performance.now() - begin);
                    }
                    const camera = engine.scenes[0]?.activeCamera;
                    if (camera) {
                        const m = camera.getViewMatrix().m;
                        const forward = [m[2], m[6], m[10]];
                        first ??= forward;
                        widestCos = Math.min(widestCos, first[0] * forward[0] + first[1] * forward[1] + first[2] * forward[2]);
                    }
                    if (times.length >= count) {
                        engine.onBeginFrameObservable.remove(b);
                        engine.onEndFrameObservable.remove(e);
                        resolve({ mainThread: times, viewTurnedDeg: (Math.acos(Math.max(-1, Math.min(1, widestCos))) * 180) / Math.PI });
                    }
                });
            }),
        [frames] as const
    );
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: ICpuProfile };
    await cdp.send("Profiler.disable");
    await cdp.detach();
    await setPluginTickingAsync(page, true);
    return analyseFrameProfile(profile, mainThread, viewTurnedDeg);
}

/**
 * A sample's time counts as running time up to this many median sampling intervals. The
 * profiler samples at a steady wall-clock rate while the thread runs, so the intervals bunch
 * near their median; twice it keeps their jitter and drops the milliseconds-long gaps of a
 * thread that lost its core.
 */
export const ON_CORE_SAMPLE_CAP = 2;

/** The sources whose time is the plugin's, in the order the bench lists them. */
export const PLUGIN_PART_NAMES = ["plugin", "onnxruntime", "highlight layer", "outline renderer", "hint layers", "gui"] as const;
const PLUGIN_PARTS = new Set<string>(PLUGIN_PART_NAMES);

/** Where a function's code lives. */
export function sourceOf(frame: ICallFrame): string {
    const url = frame.url;
    if (url === "") {
        return frame.functionName === "(garbage collector)" ? "gc" : frame.functionName.startsWith("(") ? frame.functionName : "native";
    }
    if (url.startsWith("wasm://")) {
        return "wasm";
    }
    // V8 shares its JS-to-WebAssembly call wrappers between modules with the same signature, and
    // the profile names a wrapper by whichever module it was made for: a Havok call can show up
    // as onnxruntime-web's. The frames around it say whose call it is.
    if (/^(js-to-wasm|wasm-to-js)/.test(frame.functionName)) {
        return "wasm call wrapper";
    }
    if (/onnxruntime-web|\/ort\/|ort-wasm/.test(url)) {
        return "onnxruntime";
    }
    if (/\/plugin\//.test(url)) {
        return "plugin";
    }
    if (/\/sample-world\/src\//.test(url)) {
        return "sample-world";
    }
    if (/\/deps\/(effectLayer|highlightLayer|thinEffectLayer|thinHighlightLayer)[-.]|Layers_highlightLayer/.test(url)) {
        return "highlight layer";
    }
    if (/\/deps\/outlineRenderer[-.]|Rendering_outlineRenderer/.test(url)) {
        return "outline renderer";
    }
    if (/\/deps\/(layer|layerSceneComponent|dynamicTexture)[-.]|Layers_layer/.test(url)) {
        return "hint layers";
    }
    if (/\/deps\/(advancedDynamicTexture|control\.pure|textBlock|rectangle|container)[-.]|@babylonjs_gui/.test(url)) {
        return "gui";
    }
    if (/\/deps\/|@babylonjs/.test(url)) {
        return "babylon";
    }
    return "other libraries";
}

/** Sums a CPU profile's samples by source and function, per frame of `mainThread` (each frame's main-thread ms). */
export function analyseFrameProfile(profile: ICpuProfile, mainThread: readonly number[], viewTurnedDeg = 0): IFrameProfile {
    const frames = mainThread.length;
    // timeDeltas[0] is the time before the first sample, charged to none.
    const medianIntervalUs = percentile([...profile.timeDeltas.slice(1)].sort((a, b) => a - b), 0.5) || 0;
    const onCoreCapUs = ON_CORE_SAMPLE_CAP * medianIntervalUs;
    let sampledUs = 0;
    let offCoreUs = 0;
    const byId = new Map<number, IProfileNode>();
    const parent = new Map<number, number>();
    for (const node of profile.nodes) {
        byId.set(node.id, node);
        for (const child of node.children ?? []) {
            parent.set(child, node.id);
        }
    }
    const key = (f: ICallFrame): string => `${f.functionName || "(anonymous)"}\u0000${pathOf(f.url)}:${f.lineNumber + 1}`;
    const self = new Map<string, number>();
    const total = new Map<string, number>();
    const bySource: Record<string, number> = {};
    const stacks = new Map<string, Map<string, number>>();
    let pluginUs = 0;
    let pluginOnCoreUs = 0;
    const parts: Record<string, number> = {};
    const deopts = new Set<string>();
    for (const node of profile.nodes) {
        if (node.deoptReason && PLUGIN_PARTS.has(sourceOf(node.callFrame))) {
            deopts.add(`${node.callFrame.functionName || "(anonymous)"} ${pathOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}: ${node.deoptReason}`);
        }
    }
    for (let i = 0; i < profile.samples.length; i++) {
        // timeDeltas[i] is the time before sample i: it belongs to the previous sample.
        const us = profile.timeDeltas[i + 1] ?? 0;
        const leaf = byId.get(profile.samples[i])!;
        if (leaf.callFrame.functionName === "(idle)" || leaf.callFrame.functionName === "(program)") {
            continue;
        }
        sampledUs += us;
        offCoreUs += Math.max(0, us - onCoreCapUs);
        const leafKey = key(leaf.callFrame);
        self.set(leafKey, (self.get(leafKey) ?? 0) + us);
        const leafSource = sourceOf(leaf.callFrame);
        bySource[leafSource] = (bySource[leafSource] ?? 0) + us;
        const seen = new Set<string>();
        const names: string[] = [];
        let part: string | null = null;
        for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) {
            const frame = byId.get(id)!.callFrame;
            const source = sourceOf(frame);
            if (PLUGIN_PARTS.has(source)) {
                part = source; // the last one seen is the nearest the root
            }
            const k = key(frame);
            if (names.length < 14) {
                names.push(`${frame.functionName || "(anonymous)"} ${pathOf(frame.url).split("/").pop()}:${frame.lineNumber + 1}`);
            }
            if (!seen.has(k)) {
                seen.add(k);
                total.set(k, (total.get(k) ?? 0) + us);
            }
        }
        if (part !== null) {
            pluginUs += us;
            pluginOnCoreUs += Math.min(us, onCoreCapUs);
            parts[part] = (parts[part] ?? 0) + us;
        }
        const leafName = leaf.callFrame.functionName || "(anonymous)";
        const byStack = stacks.get(leafName) ?? new Map<string, number>();
        stacks.set(leafName, byStack);
        const stack = names.join(" < ");
        byStack.set(stack, (byStack.get(stack) ?? 0) + us);
    }
    const perFrame = (us: number): number => us / 1000 / Math.max(frames, 1);
    const functions = [...self.entries()]
        .sort((a, b) => b[1] - a[1])
        .map(([k, us]) => {
            const [name, where] = k.split("\u0000");
            return { name, where, selfMsPerFrame: perFrame(us), totalMsPerFrame: perFrame(total.get(k) ?? us) };
        });
    return {
        frames,
        frameMainThreadMs: mainThread.reduce((s, v) => s + v, 0) / Math.max(frames, 1),
        pluginMsPerFrame: perFrame(pluginUs),
        pluginCpuMsPerFrame: perFrame(pluginOnCoreUs),
        medianSampleIntervalUs: medianIntervalUs,
        offCoreShare: sampledUs > 0 ? offCoreUs / sampledUs : 0,
        viewTurnedDeg,
        pluginPartsMsPerFrame: Object.fromEntries(Object.entries(parts).map(([s, us]) => [s, perFrame(us)])),
        bySourceMsPerFrame: Object.fromEntries(Object.entries(bySource).map(([s, us]) => [s, perFrame(us)])),
        functions,
        deopts: [...deopts],
        stacksOf: (name, count = 5) =>
            [...(stacks.get(name) ?? new Map<string, number>()).entries()]
                .sort((a, b) => b[1] - a[1])
                .slice(0, count)
                .map(([stack, us]) => ({ stack, msPerFrame: perFrame(us) })),
    };
}

function pathOf(url: string): string {
    try {
        return new URL(url).pathname.replace(/^.*\/node_modules\/\.vite[^/]*\/deps\//, "deps/").replace(/^\/@fs\/.*?\/(plugin|node_modules)\//, "$1/");
    } catch {
        return url;
    }
}

/** Calls per frame of each function, over `frames` frames with the plugin on (V8 precise coverage; it slows the page, so no times). */
export interface ICallCounts {
    frames: number;
    /** `performance.now()` calls per frame, by anyone. */
    performanceNowPerFrame: number;
    /** The plugin's functions (URL under /plugin/), calls per frame, most called first. */
    plugin: { name: string; where: string; callsPerFrame: number }[];
}

/** Counts calls per frame: V8's precise call counts for the plugin's code, and a wrapper round performance.now. */
export async function countCallsAsync(page: Page, frames: number): Promise<ICallCounts> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.startPreciseCoverage", { callCount: true, detailed: false });
    // Warm-up frames after switching coverage on (it drops optimised code), then reset the counters.
    await waitFramesAsync(page, 5);
    await cdp.send("Profiler.takePreciseCoverage");
    await page.evaluate(() => {
        const w = window as unknown as { __nowCalls: number; __realNow?: () => number };
        w.__nowCalls = 0;
        if (!w.__realNow) {
            const real = performance.now.bind(performance);
            w.__realNow = real;
            performance.now = () => (w.__nowCalls++, real());
        }
    });
    await waitFramesAsync(page, frames);
    const nowCalls = await page.evaluate(() => (window as unknown as { __nowCalls: number }).__nowCalls);
    const { result } = (await cdp.send("Profiler.takePreciseCoverage")) as unknown as {
        result: { url: string; functions: { functionName: string; ranges: { startOffset: number; count: number }[] }[] }[];
    };
    await cdp.send("Profiler.stopPreciseCoverage");
    await cdp.send("Profiler.disable");
    await cdp.detach();
    const plugin: ICallCounts["plugin"] = [];
    for (const script of result) {
        if (sourceOf({ functionName: "", url: script.url, lineNumber: 0 }) !== "plugin") {
            continue;
        }
        for (const fn of script.functions) {
            const count = fn.ranges[0]?.count ?? 0;
            if (count > 0) {
                plugin.push({ name: fn.functionName || "(anonymous)", where: `${pathOf(script.url)}@${fn.ranges[0].startOffset}`, callsPerFrame: count / frames });
            }
        }
    }
    plugin.sort((a, b) => b.callsPerFrame - a.callsPerFrame);
    return { frames, performanceNowPerFrame: nowCalls / frames, plugin };
}

/** Bytes allocated per frame, by the allocating function, over `frames` frames (V8's sampling heap profiler, collected objects included). */
export interface IAllocationProfile {
    frames: number;
    totalBytesPerFrame: number;
    /** By source (plugin, babylon, highlight layer, gui, ...), bytes per frame. */
    bySource: Record<string, number>;
    /** Heaviest allocating functions first: bytes per frame, with the stack (leaf first). */
    sites: { name: string; where: string; source: string; bytesPerFrame: number; stack: string }[];
}

interface ISamplingHeapNode {
    callFrame: ICallFrame;
    selfSize: number;
    children: ISamplingHeapNode[];
}

export async function profileAllocationsAsync(page: Page, frames: number, samplingInterval = 256): Promise<IAllocationProfile> {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("HeapProfiler.enable");
    await cdp.send("HeapProfiler.startSampling", { samplingInterval, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
    await waitFramesAsync(page, frames);
    const { profile } = (await cdp.send("HeapProfiler.stopSampling")) as unknown as { profile: { head: ISamplingHeapNode } };
    await cdp.send("HeapProfiler.disable");
    await cdp.detach();
    const bySource: Record<string, number> = {};
    const sites = new Map<string, { name: string; where: string; source: string; bytes: number; stack: string }>();
    let total = 0;
    const walk = (node: ISamplingHeapNode, path: ICallFrame[]): void => {
        const here = [...path, node.callFrame];
        if (node.selfSize > 0) {
            total += node.selfSize;
            // The allocation is the plugin's part's when any frame of its stack is (as for time).
            let part = sourceOf(node.callFrame);
            for (const f of here) {
                const s = sourceOf(f);
                if (PLUGIN_PARTS.has(s)) {
                    part = s;
                    break;
                }
            }
            bySource[part] = (bySource[part] ?? 0) + node.selfSize;
            const stack = here.slice(-8).reverse().map((f) => `${f.functionName || "(anonymous)"} ${pathOf(f.url).split("/").pop()}:${f.lineNumber + 1}`).join(" < ");
            const key = stack;
            const site = sites.get(key) ?? { name: node.callFrame.functionName || "(anonymous)", where: `${pathOf(node.callFrame.url)}:${node.callFrame.lineNumber + 1}`, source: part, bytes: 0, stack };
            site.bytes += node.selfSize;
            sites.set(key, site);
        }
        for (const child of node.children) {
            walk(child, here);
        }
    };
    walk(profile.head, []);
    return {
        frames,
        totalBytesPerFrame: total / frames,
        bySource: Object.fromEntries(Object.entries(bySource).map(([s, b]) => [s, b / frames])),
        sites: [...sites.values()].sort((a, b) => b.bytes - a.bytes).map((s) => ({ name: s.name, where: s.where, source: s.source, bytesPerFrame: s.bytes / frames, stack: s.stack })),
    };
}

/**
 * Resolves once the page's plugin has chosen its model backend: "auto" times WebGPU against WASM
 * after the model is ready, and what ranks after that is what a player's page runs.
 */
export async function whenBackendChosenAsync(page: Page): Promise<void> {
    await page.evaluate(() => (window as unknown as { __tour: { attention: { whenBackendChosenAsync(): Promise<unknown> } } }).__tour.attention.whenBackendChosenAsync());
}

/**
 * Runs `frames` frames with the plugin ticking before anything is measured. A player's page has
 * run for a while: V8 compiles a function to optimised code only after it has run many times,
 * and the plugin's per-frame code runs once a frame, so in a page's first few hundred frames it
 * still runs in V8's slower tiers (and boxes its numbers). At this machine's 5 to 10 frames a
 * second that is the first minute or two.
 */
export async function warmPageAsync(page: Page, frames: number): Promise<void> {
    if (frames <= 0) {
        return;
    }
    await setPluginTickingAsync(page, true);
    await waitFramesAsync(page, frames);
}

/** Resolves after the engine has ended `frames` more frames. */
export async function waitFramesAsync(page: Page, frames: number): Promise<void> {
    await page.evaluate(
        ([count]) =>
            new Promise<void>((resolve) => {
                const engine = (window as unknown as { __tour: { engine: { onEndFrameObservable: { add(cb: () => void): unknown; remove(o: unknown): boolean } } } }).__tour.engine;
                let seen = 0;
                const o = engine.onEndFrameObservable.add(() => ++seen >= count && (engine.onEndFrameObservable.remove(o), resolve()));
            }),
        [frames] as const
    );
}

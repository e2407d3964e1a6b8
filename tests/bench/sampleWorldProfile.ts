import type { Browser, Page } from "playwright-core";

/**
 * The sample world's frame under Chromium's sampling profiler (CDP `Profiler`), for the
 * frame-budget bench (`npm run bench`, the `frame` rows) and tests/bench/profileSampleWorld.ts.
 *
 * The plugin's share of a sample: a sample counts when any frame of its stack is the plugin's
 * code (a URL under /plugin/, the effects included), onnxruntime-web's (only the plugin calls
 * it; its WASM runs under its glue), or Babylon's code for the objects the effects drive: the
 * highlight layer (its glow passes run from the scene's render, not from a plugin call) and the
 * GUI texture of the hint label. Only those modules use them in the sample world while the
 * Inspector is closed. The frame's main-thread time, on against off, is measured beside it.
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
    /** `pluginMsPerFrame` split by the part nearest the stack's root: plugin, onnxruntime, highlight layer, GUI label. */
    pluginPartsMsPerFrame: Record<string, number>;
    /** Self time per frame by where the sampled function lives. */
    bySourceMsPerFrame: Record<string, number>;
    /** Heaviest first, by self time. */
    functions: IProfiledFunction[];
    /** For each function name, its heaviest call stacks (leaf first, ` < ` between callers), ms per frame. */
    stacksOf(name: string, count?: number): { stack: string; msPerFrame: number }[];
}

interface ICallFrame {
    functionName: string;
    url: string;
    lineNumber: number;
}

interface IProfileNode {
    id: number;
    callFrame: ICallFrame;
    children?: number[];
}

interface ICpuProfile {
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

/** Sets the plugin's ticking, lets a few frames pass, then profiles `frames` frames. */
export async function profileFramesAsync(page: Page, frames: number, pluginOn: boolean, samplingIntervalUs = 100): Promise<IFrameProfile> {
    await page.evaluate(
        ([on]) =>
            new Promise<void>((resolve) => {
                const tour = (window as unknown as { __tour: { pluginTicking: boolean; engine: { onEndFrameObservable: { add(cb: () => void): unknown; remove(o: unknown): boolean } } } }).__tour;
                tour.pluginTicking = on;
                let seen = 0;
                // The first tick after a switch catches up: skipped.
                const o = tour.engine.onEndFrameObservable.add(() => ++seen >= 5 && (tour.engine.onEndFrameObservable.remove(o), resolve()));
            }),
        [pluginOn] as const
    );
    const cdp = await page.context().newCDPSession(page);
    await cdp.send("Profiler.enable");
    await cdp.send("Profiler.setSamplingInterval", { interval: samplingIntervalUs });
    await cdp.send("Profiler.start");
    const mainThread = await page.evaluate(
        ([count]) =>
            new Promise<number[]>((resolve) => {
                interface IObs {
                    add(cb: () => void): unknown;
                    remove(o: unknown): boolean;
                }
                const engine = (window as unknown as { __tour: { engine: { onBeginFrameObservable: IObs; onEndFrameObservable: IObs } } }).__tour.engine;
                const times: number[] = [];
                let begin = -1;
                const b = engine.onBeginFrameObservable.add(() => (begin = performance.now()));
                const e = engine.onEndFrameObservable.add(() => {
                    if (begin >= 0) {
                        times.push(performance.now() - begin);
                    }
                    if (times.length >= count) {
                        engine.onBeginFrameObservable.remove(b);
                        engine.onEndFrameObservable.remove(e);
                        resolve(times);
                    }
                });
            }),
        [frames] as const
    );
    const { profile } = (await cdp.send("Profiler.stop")) as unknown as { profile: ICpuProfile };
    await cdp.send("Profiler.disable");
    await cdp.detach();
    await page.evaluate(() => ((window as ITourWindow).__tour!.pluginTicking = true));
    return analyse(profile, mainThread);
}

/** The sources whose time is the plugin's. */
const PLUGIN_PARTS = new Set(["plugin", "onnxruntime", "highlight layer", "gui"]);

/** Where a function's code lives. */
export function sourceOf(frame: ICallFrame): string {
    const url = frame.url;
    if (url === "") {
        return frame.functionName === "(garbage collector)" ? "gc" : frame.functionName.startsWith("(") ? frame.functionName : "native";
    }
    if (url.startsWith("wasm://")) {
        return "wasm";
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
    if (/\/deps\/(advancedDynamicTexture|control\.pure|textBlock|rectangle|container)[-.]|@babylonjs_gui/.test(url)) {
        return "gui";
    }
    if (/\/deps\/|@babylonjs/.test(url)) {
        return "babylon";
    }
    return "other libraries";
}

function analyse(profile: ICpuProfile, mainThread: readonly number[]): IFrameProfile {
    const frames = mainThread.length;
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
    const parts: Record<string, number> = {};
    for (let i = 0; i < profile.samples.length; i++) {
        // timeDeltas[i] is the time before sample i: it belongs to the previous sample.
        const us = profile.timeDeltas[i + 1] ?? 0;
        const leaf = byId.get(profile.samples[i])!;
        if (leaf.callFrame.functionName === "(idle)" || leaf.callFrame.functionName === "(program)") {
            continue;
        }
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
        pluginPartsMsPerFrame: Object.fromEntries(Object.entries(parts).map(([s, us]) => [s, perFrame(us)])),
        bySourceMsPerFrame: Object.fromEntries(Object.entries(bySource).map(([s, us]) => [s, perFrame(us)])),
        functions,
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

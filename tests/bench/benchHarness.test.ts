import { describe, expect, it } from "vitest";
import { AllocationMeter } from "./allocationMeter";
import { benchArgs } from "./benchArgs";
import { sampleAllocationSitesAsync, type IAllocationSite } from "./allocationSites";
import { floorLines, frameCpuMs } from "./floors";
import { frameRowJson, type IFrameRow } from "./frameBudget";
import { percentile, summarize } from "./stats";
import { analyseFrameProfile, ON_CORE_SAMPLE_CAP, sourceOf, type ICpuProfile } from "./sampleWorldProfile";
import { summariseFrameTrace, type ITraceEvent } from "./sampleWorldTrace";
import { formatTable } from "./table";

describe("bench percentile", () => {
    it("returns the nearest-rank sample, never an interpolated time", () => {
        const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
        expect(percentile(sorted, 0.5)).toBe(5);
        expect(percentile(sorted, 0.99)).toBe(10);
        expect(percentile(sorted, 0.1)).toBe(1);
        expect(percentile(sorted, 0)).toBe(1);
        expect(percentile(sorted, 1)).toBe(10);
    });

    it("is NaN for no samples and rejects a quantile outside [0, 1]", () => {
        expect(percentile([], 0.5)).toBeNaN();
        expect(() => percentile([1], 1.5)).toThrow(/q must lie in \[0, 1\]/);
    });

    it("sorts samples numerically before taking p50 and p99", () => {
        // 100 samples: a lexicographic sort would put 10 before 2 and report the wrong median.
        const samples = new Float64Array(100);
        for (let i = 0; i < 100; i++) {
            samples[i] = ((i * 37) % 100) + 1; // 1..100, shuffled
        }
        expect(summarize(samples)).toEqual({ p50Ms: 50, p99Ms: 99 });
    });
});

describe("bench allocation meter", () => {
    const meter = new AllocationMeter();
    let sink: unknown = null;

    it("reports nothing for a function that only does small-integer arithmetic", () => {
        // Small integers are never boxed, even before V8 optimises the loop (fractional ones are).
        const values = new Int32Array(64);
        const step = (): void => {
            for (let i = 0; i < values.length; i++) {
                values[i] = (values[i] + i) & 0xffff;
            }
        };
        // Steady state: V8 allocates feedback and compiled code during the first calls.
        for (let i = 0; i < 2000; i++) {
            step();
        }
        // V8 can still be compiling in the background and charge a young-generation page to a
        // window (seen once in CI with the node and browser layers running side by side): three
        // independent readings, of which the meter must report zero at least once.
        const readings = [0, 1, 2].map(() => Math.abs(meter.bytesPerCall(step, 500)));
        expect(Math.min(...readings)).toBeLessThan(1);
    });

    it("counts the bytes of a fresh typed array per call", () => {
        const bytes = meter.bytesPerCall(() => {
            sink = new Float64Array(1024); // 8 KiB of elements, held off-heap or on-heap by V8
        }, 200);
        expect(sink).toBeInstanceOf(Float64Array);
        // At least the object header; the 8 KiB backing store may live outside the JS heap.
        expect(bytes).toBeGreaterThan(32);
    });

    it("counts ordinary objects at their heap size", () => {
        const bytes = meter.bytesPerCall(() => {
            const list: { a: number; b: number }[] = [];
            for (let i = 0; i < 100; i++) {
                list.push({ a: i, b: i + 1 });
            }
            sink = list;
        }, 200);
        // 100 small objects of at least 16 bytes each, plus the growing array.
        expect(bytes).toBeGreaterThan(1600);
        expect(bytes).toBeLessThan(20000);
    });

    it("leaves what setup allocates out of the count", () => {
        const bytes = meter.bytesPerCall(
            () => undefined,
            200,
            () => {
                sink = new Array(1000).fill(1);
            }
        );
        expect(Math.abs(bytes)).toBeLessThan(1);
    });
});

describe("bench allocation sites", () => {
    let kept: unknown = null;

    it("names the function that allocated, and leaves setup's allocations out", async () => {
        function makeRecords(): void {
            const records = [];
            for (let i = 0; i < 50; i++) {
                records.push({ index: i, half: i / 2 });
            }
            kept = records;
        }
        function makeSetupGarbage(): void {
            kept = new Array(200).fill(0).map((_, i) => ({ i }));
        }
        const tick = (): void => makeRecords();
        const sites = await sampleAllocationSitesAsync(tick, 200, makeSetupGarbage);
        expect(kept).not.toBeNull();
        const inCall = sites.filter((s) => s.inCall);
        expect(inCall.length).toBeGreaterThan(0);
        expect(inCall[0].site).toMatch(/^makeRecords \(.*benchHarness\.test\.ts:\d+\)$/);
        expect(inCall[0].bytes).toBeGreaterThan(0);
        const fromSetup = (s: IAllocationSite): boolean => s.site.startsWith("makeSetupGarbage") || s.callers.some((c) => c.startsWith("makeSetupGarbage"));
        expect(inCall.some(fromSetup)).toBe(false);
        expect(sites.some((s) => !s.inCall && fromSetup(s))).toBe(true);
    });
});

describe("bench table", () => {
    it("aligns columns as a Markdown table", () => {
        const text = formatTable(["n", "p50 ms"], [[10, 0.02], [10000, 1.5]]);
        expect(text.split("\n")).toEqual(["| n     | p50 ms |", "|-------|-------:|", "| 10    |   0.02 |", "| 10000 |    1.5 |"]);
    });
});

describe("bench frame trace", () => {
    const frame = (ts: number, dur: number, tdur: number): ITraceEvent => ({ ph: "X", name: "FireAnimationFrame", tid: 1, ts, dur, tdur });
    const call = (ts: number, dur: number, tdur: number, url: string, tid = 1): ITraceEvent => ({ ph: "X", name: "FunctionCall", tid, ts, dur, tdur, args: { data: { url } } });

    it("splits wall from CPU time per frame, counting plugin tasks only between frames on the main thread", () => {
        const events: ITraceEvent[] = [
            frame(0, 8000, 3000),
            frame(16000, 10000, 4000),
            // The hand-over task between frames: 1 ms waited for a core, 0.1 ms worked.
            call(9000, 1000, 100, "http://localhost:5173/plugin/model/workerSession.ts"),
            call(27000, 1200, 140, "http://localhost:5173/plugin/model/workerSession.ts"),
            // Inside a frame (a microtask at its end): already in the frame's figures.
            call(7000, 500, 500, "http://localhost:5173/plugin/attentionPlugin.ts"),
            // Not the plugin's, or not the main thread's.
            call(12000, 300, 300, "http://localhost:5173/src/ui/hud.ts"),
            call(12000, 300, 300, "http://localhost:5173/plugin/model/onnxWorker.worker.ts", 2),
            { ph: "B", name: "FireAnimationFrame", tid: 1, ts: 40000 },
        ];
        expect(summariseFrameTrace(events)).toEqual({ frames: 2, renderWallMs: 9, renderCpuMs: 3.5, pluginTaskWallMs: 1.1, pluginTaskCpuMs: 0.12, gcWallMs: 0, gcCpuMs: 0 });
    });

    it("counts the main thread's collector pauses once each, inside frames and between them", () => {
        const gc = (name: string, ts: number, dur: number, tdur: number, tid = 1): ITraceEvent => ({ ph: "X", name, tid, ts, dur, tdur });
        const events: ITraceEvent[] = [
            frame(0, 8000, 3000),
            frame(16000, 10000, 4000),
            // A scavenge inside a frame, with V8's own finer event nested in it.
            gc("MinorGC", 2000, 1500, 500),
            gc("V8.GC_SCAVENGER", 2100, 1200, 400),
            // A full collection between frames, with a marking step inside it (counted with it).
            gc("MajorGC", 9000, 3000, 1000),
            gc("V8.GC_MC_INCREMENTAL", 9500, 400, 300),
            // A marking step on its own, in the second frame.
            gc("V8.GC_MC_INCREMENTAL", 20000, 500, 100),
            // Another thread's collection is not the main thread's pause.
            gc("MinorGC", 20000, 5000, 5000, 2),
        ];
        const summary = summariseFrameTrace(events);
        expect(summary.gcWallMs).toBeCloseTo((1500 + 3000 + 500) / 1000 / 2, 9);
        expect(summary.gcCpuMs).toBeCloseTo((500 + 1000 + 100) / 1000 / 2, 9);
    });

    it("names what is missing when the trace has no frames", () => {
        expect(() => summariseFrameTrace([call(0, 10, 10, "/plugin/x.ts")])).toThrow(/no FireAnimationFrame event/);
    });
});

describe("bench profile sources", () => {
    it("does not take a shared wasm call wrapper's module for the caller's", () => {
        // A Havok call through the wrapper V8 made for onnxruntime-web's module: not the model's time.
        expect(sourceOf({ functionName: "js-to-wasm::i", url: "http://localhost:5173/ort/ort-wasm-simd-threaded.jsep.wasm", lineNumber: 0 })).toBe("wasm call wrapper");
        expect(sourceOf({ functionName: "wasm-function[12]", url: "http://localhost:5173/ort/ort-wasm-simd-threaded.jsep.wasm", lineNumber: 0 })).toBe("onnxruntime");
        expect(sourceOf({ functionName: "_readOutputs", url: "http://localhost:5173/@fs/work/main/plugin/model/onnxScorer.ts", lineNumber: 336 })).toBe("plugin");
    });
});

describe("bench frame profile", () => {
    // Root -> the scene's render (Babylon) -> the plugin's tick, and an idle node.
    const nodes: ICpuProfile["nodes"] = [
        { id: 1, callFrame: { functionName: "(root)", url: "", lineNumber: 0 }, children: [2, 4] },
        { id: 2, callFrame: { functionName: "render", url: "http://localhost:5173/node_modules/.vite/deps/scene.pure-x.js", lineNumber: 9 }, children: [3] },
        { id: 3, callFrame: { functionName: "tick", url: "http://localhost:5173/@fs/work/main/plugin/tick/tickPipeline.ts", lineNumber: 40 } },
        { id: 4, callFrame: { functionName: "(idle)", url: "", lineNumber: 0 } },
    ];

    it("charges the plugin its samples' wall time, and as CPU time only up to the cap on each", () => {
        // Samples every 200 us, but the thread loses its core for 5 ms after the third sample,
        // which is in the plugin's tick.
        const samples = [2, 3, 3, 3, 2, 2, 4, 4];
        const timeDeltas = [0, 200, 200, 200, 5000, 200, 200, 200];
        const profile = analyseFrameProfile({ nodes, samples, timeDeltas }, [1, 1]);
        // Sample i is charged the time to the next one: the tick's three samples hold 200 + 200 + 5000 us.
        expect(profile.pluginMsPerFrame).toBeCloseTo((200 + 200 + 5000) / 1000 / 2, 9);
        expect(profile.pluginCpuMsPerFrame).toBeCloseTo((200 + 200 + ON_CORE_SAMPLE_CAP * 200) / 1000 / 2, 9);
        expect(profile.pluginPartsMsPerFrame.plugin).toBeCloseTo(profile.pluginMsPerFrame, 9);
        // Of the 6,000 us sampled outside idle, 4,600 lay beyond the 400 us cap.
        expect(profile.medianSampleIntervalUs).toBe(200);
        expect(profile.offCoreShare).toBeCloseTo(4600 / 6000, 9);
    });

    it("leaves a steady profile's CPU figure equal to its wall figure", () => {
        const samples = [2, 3, 3, 2, 3, 4];
        const timeDeltas = [0, 190, 210, 200, 205, 195];
        const profile = analyseFrameProfile({ nodes, samples, timeDeltas }, [1]);
        expect(profile.pluginCpuMsPerFrame).toBeCloseTo(profile.pluginMsPerFrame, 9);
        expect(profile.pluginMsPerFrame).toBeCloseTo((210 + 200 + 195) / 1000, 9);
    });
});

describe("bench floors", () => {
    const frameRow = (figures: Pick<IFrameRow, "pluginOnMainThreadMs" | "pluginOnMainThreadSampledCpuMs" | "pluginOnMainThreadCpuMs">): IFrameRow => ({
        engine: "webgl2",
        highlight: "glow",
        viewTurnedDeg: 0,
        pluginOffMainThreadMs: 0.01,
        frameOnMainThreadMs: 3,
        frameOffMainThreadMs: 2,
        coldPluginOnMainThreadCpuMs: 0.7,
        warmupFrames: 600,
        frameOnCpuMs: 2.2,
        frameOffCpuMs: 1.9,
        pluginTasksWallMs: 0,
        pluginTasksCpuMs: 0,
        gcOnWallMs: 0.1,
        gcOffWallMs: 0.1,
        gcOnCpuMs: 0.05,
        gcOffCpuMs: 0.05,
        pluginOnParts: { plugin: 0.3 },
        frames: 120,
        backend: "wasm",
        ...figures,
    });

    it("holds the frame to the plugin's CPU time, the larger of its two figures, and prints the wall time beside it", () => {
        const waited = frameRow({ pluginOnMainThreadMs: 0.9, pluginOnMainThreadSampledCpuMs: 0.2, pluginOnMainThreadCpuMs: 0.3 });
        const sampledOver = frameRow({ pluginOnMainThreadMs: 0.4, pluginOnMainThreadSampledCpuMs: 0.6, pluginOnMainThreadCpuMs: 0.2 });
        const tracedOver = frameRow({ pluginOnMainThreadMs: 0.4, pluginOnMainThreadSampledCpuMs: 0.2, pluginOnMainThreadCpuMs: 0.55 });
        expect(frameCpuMs(waited)).toBe(0.3);
        const lines = floorLines([], [], [waited, sampledOver, tracedOver]);
        expect(lines.map((line) => line.slice(0, 4))).toEqual(["PASS", "FAIL", "FAIL"]);
        expect(lines[0]).toContain("0.3 ms of main-thread CPU time per frame <= 0.5 ms");
        expect(lines[0]).toContain("wall 0.9 ms");
    });

    it("writes a frame row's documented fields to the JSON, and not its by-part breakdown", () => {
        const json = frameRowJson(frameRow({ pluginOnMainThreadMs: 0.4, pluginOnMainThreadSampledCpuMs: 0.2, pluginOnMainThreadCpuMs: 0.3 }));
        expect(Object.keys(json)).toEqual([
            "engine",
            "highlight",
            "pluginOnMainThreadMs",
            "pluginOnMainThreadSampledCpuMs",
            "viewTurnedDeg",
            "pluginOffMainThreadMs",
            "frameOnMainThreadMs",
            "frameOffMainThreadMs",
            "pluginOnMainThreadCpuMs",
            "coldPluginOnMainThreadCpuMs",
            "warmupFrames",
            "pluginTasksWallMs",
            "pluginTasksCpuMs",
            "gcOnWallMs",
            "gcOffWallMs",
            "gcOnCpuMs",
            "gcOffCpuMs",
            "backend",
        ]);
        expect(json.pluginOnMainThreadCpuMs).toBe(0.3);
    });
});

describe("bench script options", () => {
    const known = { flags: ["calls"], values: ["frames", "engine"] };

    it("reads flags, values and numbers, with the fallback for what was not given", () => {
        const args = benchArgs(["--calls", "--frames", "200"], known);
        expect([args.flag("calls"), args.number("frames", 120), args.value("engine", "webgpu")]).toEqual([true, 200, "webgpu"]);
    });

    it("names an unknown option, a missing value and a value that is not a number", () => {
        expect(() => benchArgs(["--frame", "200"], known)).toThrow('unknown argument "--frame"; expected --calls, --frames, --engine');
        expect(() => benchArgs(["--frames"], known)).toThrow("--frames needs a value");
        expect(() => benchArgs(["--frames", "many"], known).number("frames", 120)).toThrow('--frames needs a number, got "many"');
    });
});

/**
 * `npm run bench [-- --json <file>] [-- --sizes 10,100] [-- --no-inference] [-- --no-browser]`
 *
 * Tick rows: the main-thread cost of one AttentionPlugin tick (signals, features, occlusion,
 * heuristic scoring, ranking, focus; model inference excluded) at 10 to 10,000 moving
 * entities, beside a naive baseline in the same scene. Inference rows: the ONNX model on WASM
 * in Node (tests/bench/inference.ts), then WebGPU against WASM in Chromium
 * (tests/bench/browserInference.ts, with WASM through the plugin's model worker against WASM on
 * the main thread). Frame rows: the plugin's and its effects' main-thread time per frame in the
 * sample world, on against off (tests/bench/frameBudget.ts). Start-up rows: navigation start to
 * the first model ranking and the bytes fetched, in the sample world and a drop-in app
 * (tests/bench/startup.ts). `--no-browser` skips every Chromium row. Prints tables and the
 * floors, and with `--json` writes `{ tick: [...], inference: [...], frame: [...], startup: [...],
 * referenceLoopMs: { start, end } }` (the machine's speed at both ends: tests/bench/referenceLoop.ts).
 */
import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { AllocationMeter } from "./allocationMeter";
import { measureInferenceAsync, type IInferenceRow } from "./inference";
import { frameRowJson, type IFrameRow } from "./frameBudget";
import { floorLines, ratio } from "./floors";
import type { IStartupRow } from "./startup";
import { timeReferenceLoopMs } from "./referenceLoop";
import { formatTable } from "./table";
import { measureNaiveRow, measurePluginRowAsync, tickDetail, type IPluginFigures, type ITickDetail, type ITickRow } from "./tickBench";
import { TICK_PLANS } from "./tickPlans";


interface IArgs {
    json: string | null;
    sizes: number[] | null;
    inference: boolean;
    /** The Chromium rows (WebGPU against WASM on the model test page). */
    browser: boolean;
}

function parseArgs(argv: readonly string[]): IArgs {
    const args: IArgs = { json: null, sizes: null, inference: true, browser: true };
    for (let i = 0; i < argv.length; i++) {
        const arg = argv[i];
        if (arg === "--json") {
            const file = argv[++i];
            if (!file) {
                throw new Error("bench: --json needs a file name");
            }
            args.json = file;
        } else if (arg === "--sizes") {
            args.sizes = (argv[++i] ?? "").split(",").map(Number);
            if (args.sizes.some((n) => !TICK_PLANS.some((p) => p.n === n))) {
                throw new Error(`bench: --sizes takes some of ${TICK_PLANS.map((p) => p.n).join(",")}`);
            }
        } else if (arg === "--no-inference") {
            args.inference = false;
        } else if (arg === "--no-browser") {
            args.browser = false;
        } else {
            throw new Error(`bench: unknown argument ${JSON.stringify(arg)}; expected --json <file>, --sizes <list>, --no-inference, --no-browser`);
        }
    }
    return args;
}

async function mainAsync(): Promise<void> {
    const args = parseArgs(process.argv.slice(2));
    const started = performance.now();
    const referenceAtStartMs = timeReferenceLoopMs();
    console.log(`babylon-attention bench: node ${process.version}, ${cpus().length} x ${cpus()[0]?.model ?? "cpu"}, load average ${loadavg().map((l) => l.toFixed(1)).join(" ")}, reference loop ${referenceAtStartMs} ms`);

    const meter = new AllocationMeter();
    const plans = TICK_PLANS.filter((plan) => !args.sizes || args.sizes.includes(plan.n));
    const elapsed = (): string => `${((performance.now() - started) / 1000).toFixed(0)} s`;
    // Every plugin row first, then every naive row (why: see measureNaiveRow).
    const plugin: IPluginFigures[] = [];
    for (const plan of plans) {
        plugin.push(await measurePluginRowAsync(plan, meter));
        console.log(`  plugin n=${plan.n} (${elapsed()})`);
    }
    const details: ITickDetail[] = [];
    for (const [i, plan] of plans.entries()) {
        details.push(tickDetail(plan, plugin[i], measureNaiveRow(plan)));
        console.log(`  naive n=${plan.n} (${elapsed()})`);
    }
    console.log("\nTick (heuristic scorer, box occluders, every entity moves every tick; ms of main thread).");
    console.log("p50/p99/bytes: the render-loop tick, after the frame updated the moved meshes' transforms (the plugin's own work).");
    console.log("cpu: the same ticks' process CPU time; wall above cpu is the core taken away by the machine, not the plugin.");
    console.log("tickAsync: the same tick through tickAsync(), which also recomputes every moved node's world matrix.");
    console.log(
        formatTable(
            ["n", "p50 ms", "p99 ms", "cpu p50 ms", "cpu p99 ms", "bytes/tick", "bytes/tick, focus held", "naive p50 ms", "naive/ours", "tickAsync p50 ms", "tickAsync p99 ms", "tickAsync bytes (sync part)", "tickAsync bytes (with promises)", "ray tests/tick", "evaluated/tick", "read/tick"],
            details.map((d) => [d.n, d.p50Ms, d.p99Ms, d.cpuP50Ms, d.cpuP99Ms, d.bytesPerTick, d.steadyBytesPerTick, d.naiveP50Ms, ratio(d.naiveP50Ms, d.p50Ms), d.ownP50Ms, d.ownP99Ms, d.ownBytesPerTick, d.bytesPerTickAsync, d.occlusionTestsPerTick.toFixed(1), d.evaluatedPerTick.toFixed(0), d.readPerTick.toFixed(0)])
        )
    );

    for (const d of details) {
        if (d.steadyAllocationSites.length > 0) {
            console.log(`\nWhere n=${d.n} allocated with the focus held (V8's sampling heap profiler over three more of the meter's windows; bytes are estimates):`);
            const inTick = d.steadyAllocationSites.filter((s) => s.inCall);
            // Nothing under the tick's frame: show what else allocated (V8 itself, the setup).
            const shown = inTick.length > 0 ? inTick : d.steadyAllocationSites;
            if (inTick.length === 0) {
                console.log("  (no site under the tick's own frame; everything sampled:)");
            }
            for (const site of shown.slice(0, 8)) {
                console.log(`  ${String(site.bytes).padStart(8)}  ${site.site}${site.callers.length > 0 ? ` < ${site.callers.join(" < ")}` : ""}`);
            }
        }
    }

    let inference: IInferenceRow[] = [];
    if (args.inference) {
        inference = await measureInferenceAsync();
        console.log("\nInference (one model run, onnxruntime-web WASM in Node)");
        console.log(formatTable(["backend", "threads", "k", "p50 ms", "p99 ms"], inference.map((r) => [r.backend, r.threads, r.k, r.p50Ms, r.p99Ms])));
        if (args.browser) {
            // Loaded only now, after the tick rows, so the tick is measured in a process holding
            // what a game would, not a browser driver (loading playwright-core once made the gaze
            // read allocate: docs/performance.md, "Allocation").
            const { measureBrowserInferenceAsync } = await import("./browserInference");
            const browser = await measureBrowserInferenceAsync();
            const rows: IInferenceRow[] = browser.rows.map((r) => ({ backend: r.backend, runtime: "chromium", proxy: r.proxy, transport: r.transport, threads: r.threads, k: r.k, p50Ms: r.p50Ms, p99Ms: r.p99Ms, mainThreadP50Ms: r.mainThreadP50Ms }));
            inference.push(...rows);
            console.log(`\nInference in Chromium (OnnxScorer.score() on the model test page, no render loop; ${elapsed()}). ${browser.note}`);
            console.log("p50/p99: launch to result. main thread: the main thread's share of a run (all of it without the proxy).");
            console.log(
                formatTable(
                    ["backend", "proxy", "threads", "k", "p50 ms", "p99 ms", "main thread p50 ms", "main thread p99 ms"],
                    browser.rows.map((r) => [r.backend, r.proxy ? `worker (${r.transport})` : "-", r.threads, r.k, r.p50Ms, r.p99Ms, r.mainThreadP50Ms, r.mainThreadP99Ms])
                )
            );
        }
    }

    let frame: IFrameRow[] = [];
    let startup: IStartupRow[] = [];
    if (args.browser) {
        // Loaded here for the same reason as the browser inference rows: after the tick rows.
        const { measureSampleWorldAsync } = await import("./sampleWorldBench");
        const world = await measureSampleWorldAsync();
        frame = world.frame;
        startup = world.startup;
        console.log(`\nFrame in the sample world (?scale=2&shadows=0&dof=0, player standing; Chromium's profiler, after ${frame[0]?.warmupFrames ?? 0} frames of warm-up; ${elapsed()}).`);
        console.log("plugin: main-thread ms per frame in the plugin's code, onnxruntime-web and Babylon's highlight layer, hint layers and GUI label (wall; sampled cpu: each sample's time capped near the profiler's interval, so a thread off its core is not charged); frame: the engine's begin-to-end frame.");
        console.log("cpu (Chromium's trace): the main thread's CPU time, render loop on - off plus the plugin's own tasks between frames (cold: the same before the warm-up); tasks: those tasks, wall / cpu; gc: the collector's pauses on the main thread, wall, plugin on / off.");
        console.log(
            formatTable(
                ["engine", "highlight", "backend", "frames per side", "plugin on ms", "plugin on sampled cpu ms", "view turned deg", "plugin off ms", "plugin on cpu ms", "cold cpu ms", "tasks wall / cpu ms", "frame on ms", "frame off ms", "frame cpu on / off ms", "gc on / off ms", "plugin on, by part (ms)"],
                frame.map((r) => [r.engine, r.highlight, r.backend, r.frames, r.pluginOnMainThreadMs, r.pluginOnMainThreadSampledCpuMs, r.viewTurnedDeg, r.pluginOffMainThreadMs, r.pluginOnMainThreadCpuMs, r.coldPluginOnMainThreadCpuMs, `${r.pluginTasksWallMs} / ${r.pluginTasksCpuMs}`, r.frameOnMainThreadMs, r.frameOffMainThreadMs, `${r.frameOnCpuMs} / ${r.frameOffCpuMs}`, `${r.gcOnWallMs} / ${r.gcOffWallMs}`, Object.entries(r.pluginOnParts).map(([p, ms]) => `${p} ${ms.toFixed(3)}`).join(", ")])
            )
        );
        console.log(`\nStart-up (navigation start to the first ranking with the model's scores; fresh browser context each load; ${elapsed()}).`);
        console.log(
            formatTable(
                ["page", "loads", "first model ranking ms", "model ready ms", "bytes fetched", "backend", "onnxruntime-web files"],
                startup.map((r) => [r.page, r.runs, r.firstModelRankingMs, r.modelReadyMs, r.bytesFetched, r.backend, r.ortFiles.join(" ")])
            )
        );
    }

    console.log("\nFloors");
    for (const line of floorLines(details, inference, frame)) {
        console.log(`  ${line}`);
    }
    const referenceAtEndMs = timeReferenceLoopMs();
    console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(0)} s; reference loop ${referenceAtStartMs} ms at the start, ${referenceAtEndMs} ms at the end (the core's speed: see docs/performance.md)`);

    if (args.json) {
        // Exactly the documented shape (the issue's, plus the steady-state bytes and the reference loop), so runs can be compared field by field.
        const tick: ITickRow[] = details.map((d) => ({ n: d.n, p50Ms: d.p50Ms, p99Ms: d.p99Ms, cpuP50Ms: d.cpuP50Ms, cpuP99Ms: d.cpuP99Ms, bytesPerTick: d.bytesPerTick, steadyBytesPerTick: d.steadyBytesPerTick, naiveP50Ms: d.naiveP50Ms }));
        const frameRows = frame.map(frameRowJson);
        const startupRows = startup.map((r) => ({ page: r.page, firstModelRankingMs: r.firstModelRankingMs, modelReadyMs: r.modelReadyMs, bytesFetched: r.bytesFetched, backend: r.backend, ortFiles: r.ortFiles }));
        writeFileSync(args.json, JSON.stringify({ tick, inference, frame: frameRows, startup: startupRows, referenceLoopMs: { start: referenceAtStartMs, end: referenceAtEndMs } }, null, 2) + "\n");
        console.log(`wrote ${args.json}`);
    }
}

mainAsync().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
});

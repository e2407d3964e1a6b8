// The render-loop tick's median in consecutive blocks, from the first tick of the render-loop
// path on, after the same steps as the bench's first row in a process (the measured world's
// tickAsync ticks, then the small world that warms the per-tick glue), to see how long V8
// takes to settle the path:
//   npx tsx tests/bench/tickWarmup.ts [entities = 1000] [ticks = 6000] [block = 600] [--cpu-usage | --alternate]
// --cpu-usage: every other block reads process.cpuUsage() just before and after each tick.
// --alternate: every other block does what the bench's timed loop does, the CPU read around
// every other tick, and its median is over the ticks without it.
// Pin it to one core (`taskset -c N`) to see that core's speed (docs/performance.md).
import { BenchWorld } from "./benchWorld";
import { warmTickGlueOnceAsync } from "./tickBench";
import { TICK_PLANS } from "./tickPlans";

const args = process.argv.slice(2);
const mode = args.includes("--cpu-usage") ? "cpu-usage" : args.includes("--alternate") ? "alternate" : "none";
const [n, ticks, block] = args.filter((a) => !a.startsWith("--")).map(Number);
const entities = n || 1000;
const total = ticks || 6000;
const size = block || 600;

const world = new BenchWorld(entities);
const attention = await world.createPluginAsync();
await attention.whenModelReadyAsync();
// The bench's tickAsync warm-up and timed ticks, from its plan for this size (or the nearest smaller).
const plan = [...TICK_PLANS].reverse().find((p) => p.n <= entities) ?? TICK_PLANS[0];
for (let i = 0; i < plan.warmup + plan.ticks; i++) {
    world.step();
    await attention.tickAsync();
}
await warmTickGlueOnceAsync();

const times: number[][] = [];
let cpuMicros = 0;
for (let i = 0; i < total; i++) {
    const b = Math.floor(i / size);
    const marked = mode !== "none" && b % 2 === 1;
    // In "alternate" blocks, odd ticks read the CPU time around them and are not counted.
    const readCpu = marked && (mode === "cpu-usage" || (i & 1) === 1);
    world.step();
    world.updateTransforms();
    const cpuStart = readCpu ? process.cpuUsage() : undefined;
    const start = performance.now();
    world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
    const wall = performance.now() - start;
    if (cpuStart) {
        const used = process.cpuUsage(cpuStart);
        cpuMicros += used.user + used.system;
    }
    if (!(marked && mode === "alternate" && readCpu)) {
        (times[b] ??= []).push(wall);
    }
}
const median = (xs: number[]): number => [...xs].sort((x, y) => x - y)[xs.length >> 1];
const label = mode === "cpu-usage" ? " (CPU time read around each tick)" : " (CPU time read around every other tick; these are the others)";
for (let b = 0; b < times.length; b++) {
    const marked = mode !== "none" && b % 2 === 1;
    console.log(`ticks ${b * size}-${(b + 1) * size}: p50 ${median(times[b]).toFixed(4)} ms${marked ? label : ""}`);
}
if (mode !== "none") console.log(`(${(cpuMicros / 1000).toFixed(1)} ms of CPU time read in all)`);
attention.dispose();
world.dispose();

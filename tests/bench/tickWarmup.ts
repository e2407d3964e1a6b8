// The render-loop tick's median in consecutive blocks, from the first tick of the render-loop
// path on, in the order the bench runs things (a small world warms the per-tick glue, then the
// measured world's tickAsync ticks), to see how long V8 takes to settle the path:
//   npx tsx tests/bench/tickWarmup.ts [entities = 1000] [ticks = 6000] [block = 600] [--cpu-usage]
// With --cpu-usage every other block reads process.cpuUsage() around each tick, as the bench
// once did for every tick, so the two kinds of block can be compared in one process.
// Pin it to one core (`taskset -c N`) to see that core's speed (docs/performance.md).
import { BenchWorld } from "./benchWorld";

const args = process.argv.slice(2);
const withCpuUsage = args.includes("--cpu-usage");
const [n, ticks, block] = args.filter((a) => !a.startsWith("--")).map(Number);
const entities = n || 1000;
const total = ticks || 6000;
const size = block || 600;

const glue = new BenchWorld(10);
const gluePlugin = await glue.createPluginAsync();
for (let i = 0; i < 20000; i++) glue.frame();
gluePlugin.dispose();
glue.dispose();

const world = new BenchWorld(entities);
const attention = await world.createPluginAsync();
await attention.whenModelReadyAsync();
for (let i = 0; i < (entities >= 10000 ? 170 : 700); i++) {
    world.step();
    await attention.tickAsync();
}
const times = new Float64Array(total);
let cpuSum = 0;
for (let i = 0; i < total; i++) {
    world.step();
    world.updateTransforms();
    const readCpu = withCpuUsage && Math.floor(i / size) % 2 === 1;
    const cpuStart = readCpu ? process.cpuUsage() : undefined;
    const start = performance.now();
    world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
    times[i] = performance.now() - start;
    if (cpuStart) cpuSum += process.cpuUsage(cpuStart).user;
}
const median = (xs: Float64Array): number => Float64Array.from(xs).sort()[xs.length >> 1];
for (let b = 0; b + size <= total; b += size) {
    const kind = withCpuUsage ? ((b / size) % 2 === 1 ? " (cpuUsage read)" : " (not read)") : "";
    console.log(`ticks ${b}-${b + size}: p50 ${median(times.subarray(b, b + size)).toFixed(4)} ms${kind}`);
}
if (withCpuUsage) console.log(`(cpu time read: ${(cpuSum / 1000).toFixed(1)} ms in all)`);
attention.dispose();
world.dispose();

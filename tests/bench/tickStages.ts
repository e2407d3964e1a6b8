// Times each stage of the render-loop tick separately, right after a simulated frame, for the
// "Where the time goes" table in docs/performance.md:
//   npx tsx tests/bench/tickStages.ts 10000 [ticks = 400]
// It runs the plugin's own pipeline stage by stage (`attention.pipeline.stages`, the same list
// the render loop runs), so the table follows the pipeline when it changes.
import { BenchWorld } from "./benchWorld";
import { percentile } from "./stats";

const n = Number(process.argv[2] ?? 10000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync({ autoTick: false });
const pipeline = attention.pipeline;
const stages = pipeline.stages;
const ticks = Number(process.argv[3] ?? 400);
// Small worlds need many ticks before V8 has optimised every stage.
const warmup = Math.max(100, Math.floor(ticks / 4));
const totals = new Float64Array(stages.length);
// Per-stage samples too: on a loaded machine the median says what a stage costs, the mean
// also says how often the core was taken away during it.
const samples = stages.map(() => new Float64Array(ticks));
let evaluated = 0;
for (let k = 0; k < ticks; k++) {
    world.step();
    world.updateTransforms();
    pipeline.frame.time.nowMs = world.clock();
    pipeline.begin(false);
    for (let i = 0; i < stages.length; i++) {
        const start = performance.now();
        stages[i].run(pipeline.frame);
        if (k >= warmup) {
            const ms = performance.now() - start;
            totals[i] += ms;
            samples[i][k - warmup] = ms;
        }
    }
    if (k >= warmup) {
        evaluated += attention.entitiesRefreshedLastTick;
    }
}
const measured = ticks - warmup;
let sum = 0;
let medianSum = 0;
console.log(`${"stage".padEnd(10)} mean ms  median ms`);
for (let i = 0; i < stages.length; i++) {
    sum += totals[i] / measured;
    const median = percentile(samples[i].subarray(0, measured).sort(), 0.5);
    medianSum += median;
    console.log(`${stages[i].name.padEnd(10)} ${(totals[i] / measured).toFixed(4)}   ${median.toFixed(4)}`);
}
console.log(`total      ${sum.toFixed(4)}   ${medianSum.toFixed(4)} (${measured} ticks, n = ${n}, ${(evaluated / measured).toFixed(0)} entities evaluated per tick)`);
attention.dispose();
world.dispose();

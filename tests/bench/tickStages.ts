// Times each stage of the render-loop tick separately, right after a simulated frame, for the
// "Where the time goes" table in docs/performance.md:
//   npx tsx tests/bench/tickStages.ts 10000
// It runs the plugin's own pipeline stage by stage (`attention.pipeline.stages`, the same list
// the render loop runs), so the table follows the pipeline when it changes.
import { BenchWorld } from "./benchWorld";

const n = Number(process.argv[2] ?? 10000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync({ autoTick: false });
const pipeline = attention.pipeline;
const stages = pipeline.stages;
const totals = new Float64Array(stages.length);
const ticks = 400;
const warmup = 100;
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
            totals[i] += performance.now() - start;
        }
    }
    if (k >= warmup) {
        evaluated += attention.entitiesRefreshedLastTick;
    }
}
const measured = ticks - warmup;
let sum = 0;
for (let i = 0; i < stages.length; i++) {
    sum += totals[i] / measured;
    console.log(`${stages[i].name.padEnd(10)} ${(totals[i] / measured).toFixed(3)} ms`);
}
console.log(`total      ${sum.toFixed(3)} ms (mean of ${measured} ticks, n = ${n}, ${(evaluated / measured).toFixed(0)} entities evaluated per tick)`);
attention.dispose();
world.dispose();

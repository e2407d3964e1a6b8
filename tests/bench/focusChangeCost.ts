// What a focus change costs the tick it happens in, against the ticks without one, for the
// "Figures on this machine" section of docs/performance.md:
//   npx tsx tests/bench/focusChangeCost.ts [entities = 1000] [ticks = 20000]
// The bench world's sweeping camera changes the focus about 1.5 times per 100 ticks.
import { BenchWorld } from "./benchWorld";
import { percentile } from "./stats";

const n = Number(process.argv[2] ?? 1000);
const ticks = Number(process.argv[3] ?? 20000);
const world = new BenchWorld(n);
const attention = await world.createPluginAsync();
// Warm-up as long as the measurement: the render-loop glue is optimised only after many calls.
for (let i = 0; i < ticks; i++) {
    world.frame();
}
const withChange: number[] = [];
const without: number[] = [];
let focus = attention.focus;
for (let i = 0; i < ticks; i++) {
    world.step();
    world.updateTransforms();
    const start = performance.now();
    world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
    const ms = performance.now() - start;
    (attention.focus !== focus ? withChange : without).push(ms);
    focus = attention.focus;
}
const median = (samples: number[]): string => percentile(Float64Array.from(samples).sort(), 0.5).toFixed(3);
console.log(`n = ${n}: ${withChange.length} ticks with a focus change, median ${median(withChange)} ms; ${without.length} without, median ${median(without)} ms`);
attention.dispose();
world.dispose();

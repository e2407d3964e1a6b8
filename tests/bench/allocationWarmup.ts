/**
 * How long the render-loop tick takes to reach zero bytes per tick in a fresh process: meters
 * the tick with the focus held after 1,500, 5,000 and 20,000 ticks of one world, with no other
 * warm-up. It shows why the benchmark warms the once-per-tick glue first (docs/performance.md,
 * "Allocation"): V8 optimises that glue only after tens of thousands of calls.
 *
 *   npx tsx tests/bench/allocationWarmup.ts [entities = 10]
 */
import { AllocationMeter } from "./allocationMeter";
import { BenchWorld, holdFocus } from "./benchWorld";

const CHECKPOINTS = [1500, 5000, 20000];

async function mainAsync(): Promise<void> {
    const n = Number(process.argv[2] ?? 10);
    const world = new BenchWorld(n);
    const attention = await world.createPluginAsync();
    const notify = (): void => {
        world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
    };
    // The frame's untimed part: the plugin's tick (notify) is what the meter measures.
    const moveWorld = (): void => {
        world.step();
        world.updateTransforms();
    };
    const meter = new AllocationMeter();
    let ticks = 0;
    for (const checkpoint of CHECKPOINTS) {
        for (; ticks < checkpoint; ticks++) {
            world.frame();
        }
        // Focus held, as in the benchmark's steady-state column.
        const releaseFocus = holdFocus(attention);
        const bytes = meter.bytesPerCall(notify, 2000, moveWorld);
        releaseFocus();
        console.log(`n = ${n}, after ${checkpoint} ticks: ${bytes.toFixed(1)} bytes per tick, focus held`);
    }
    attention.dispose();
    world.dispose();
}

void mainAsync();

/**
 * How long the render-loop tick takes to reach zero bytes per tick in a fresh process: meters
 * the tick with the focus held after 1,500, 5,000 and 20,000 ticks of one world, with no other
 * warm-up. It shows why the benchmark warms the once-per-tick glue first (docs/performance.md,
 * "Allocation"): V8 optimises that glue only after tens of thousands of calls.
 *
 *   npx tsx tests/bench/allocationWarmup.ts [entities = 10]
 */
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { AllocationMeter } from "./allocationMeter";
import { BenchWorld } from "./benchWorld";

const CHECKPOINTS = [1500, 5000, 20000];

async function mainAsync(): Promise<void> {
    const n = Number(process.argv[2] ?? 10);
    const world = new BenchWorld(n);
    const attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock, occlusion: world.walls, backend: "heuristic" });
    for (const entity of world.entities) {
        attention.track(entity.mesh, { kind: entity.kind, priority: entity.priority, label: entity.label });
    }
    const notify = (): void => {
        world.scene.onBeforeRenderObservable.notifyObservers(world.scene);
    };
    const frame = (): void => {
        world.step();
        world.updateTransforms();
    };
    const meter = new AllocationMeter();
    let ticks = 0;
    for (const checkpoint of CHECKPOINTS) {
        for (; ticks < checkpoint; ticks++) {
            frame();
            notify();
        }
        // Focus held, as in the benchmark's steady-state column.
        const saved = { ...attention.hysteresis };
        Object.assign(attention.hysteresis, { acquireScore: Infinity, releaseScore: -Infinity, switchMargin: Infinity });
        const bytes = meter.bytesPerCall(notify, 2000, frame);
        Object.assign(attention.hysteresis, saved);
        console.log(`n = ${n}, after ${checkpoint} ticks: ${bytes.toFixed(1)} bytes per tick, focus held`);
    }
    attention.dispose();
    world.dispose();
}

void mainAsync();

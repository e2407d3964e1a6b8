// What waking a blocked worker costs the thread that wakes it, on this machine:
//   npx tsx tests/bench/wakeCost.ts [--work-us 80,400] [--wakes 400]
// A worker_threads worker blocks in Atomics.wait, as the plugin's model worker does between
// runs; the main thread bumps a counter and calls Atomics.notify, as the render loop's launch
// does, timed with performance.now(). Each wake runs a busy loop of about `work-us` in the
// worker, standing in for a model run. When the kernel runs the woken worker on the waking
// thread's core, the waker is held off that core until the worker blocks again, so the slow
// wakes take about one worker run: that is the machine's scheduling, not the waker's work.
import { Worker } from "node:worker_threads";
import { benchArgs } from "./benchArgs";
import { percentile } from "./stats";

const args = benchArgs(process.argv.slice(2), { flags: [], values: ["work-us", "wakes"] });

const WORKER_SOURCE = `
const { workerData } = require("node:worker_threads");
const control = new Int32Array(workerData.control);
const workMs = workerData.workUs / 1000;
let seen = 0;
for (;;) {
    Atomics.wait(control, 0, seen);
    seen = Atomics.load(control, 0);
    const start = performance.now();
    let x = 0;
    while (performance.now() - start < workMs) x += Math.sqrt(x + 1);
    Atomics.add(control, 1, 1);
    Atomics.notify(control, 1);
}`;

async function measureAsync(workUs: number, wakes: number): Promise<void> {
    const control = new Int32Array(new SharedArrayBuffer(8));
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { control: control.buffer, workUs } });
    const times = new Float64Array(wakes);
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (let i = 0; i < wakes; i++) {
        // Idle between wakes, as between frames: the worker has finished and blocked again.
        await new Promise((resolve) => setTimeout(resolve, 3 + workUs / 1000));
        const start = performance.now();
        Atomics.add(control, 0, 1);
        Atomics.notify(control, 0);
        times[i] = performance.now() - start;
    }
    await worker.terminate();
    times.sort();
    const slow = times.filter((t) => t > 0.02);
    const slowMedian = slow.length > 0 ? percentile(slow, 0.5) : NaN;
    console.log(
        `worker run ${workUs} us: notify p50 ${percentile(times, 0.5).toFixed(4)} ms, p90 ${percentile(times, 0.9).toFixed(4)} ms; ` +
            `${slow.length} of ${wakes} over 0.02 ms, their median ${slowMedian.toFixed(4)} ms`
    );
}

const works = args.value("work-us", "80,400").split(",").map(Number);
const wakes = args.number("wakes", 400);
for (const workUs of works) {
    await measureAsync(workUs, wakes);
}

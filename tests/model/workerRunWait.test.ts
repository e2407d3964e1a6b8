import { Worker } from "node:worker_threads";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SHARED_CONTROL } from "../../plugin/model/onnxWorkerProtocol";
import { SharedRunChannel } from "../../plugin/model/sharedRunChannel";
import type { IWorkerPoll } from "../../plugin/model/workerRunWait";
import { RUN_WAIT_REPORT } from "./workers/runWaitReport";

// The model worker's wait between runs (`waitForRun`) on a real second thread, against the
// main thread's side (`SharedRunChannel`): the worker looks for runs itself for a while after
// each run, then sleeps until notified, and no run announced around that moment is lost.

const BUCKET = 8;
const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Looks at `condition` every `everyMs` until it holds (true) or `withinMs` has passed (false). */
async function waitUntilAsync(condition: () => boolean, withinMs: number, everyMs = 1): Promise<boolean> {
    const until = performance.now() + withinMs;
    while (!condition()) {
        if (performance.now() > until) {
            return false;
        }
        await sleep(everyMs);
    }
    return true;
}

interface IRunWaitThread {
    readonly channel: SharedRunChannel;
    readonly control: Int32Array;
    readonly report: Int32Array;
    stopAsync(): Promise<void>;
}

let running: IRunWaitThread | null = null;

afterEach(async () => {
    vi.restoreAllMocks();
    await running?.stopAsync();
    running = null;
});

/** Starts the worker thread with `poll` and waits until its loop runs. */
async function startAsync(poll: IWorkerPoll): Promise<IRunWaitThread> {
    const channel = new SharedRunChannel(() => undefined);
    channel.bufferFor(BUCKET);
    const control = new Int32Array(channel.control);
    const report = new Int32Array(new SharedArrayBuffer(RUN_WAIT_REPORT.length * Int32Array.BYTES_PER_ELEMENT));
    const worker = new Worker(new URL("./workers/tsWorkerEntry.mjs", import.meta.url), {
        workerData: { script: new URL("./workers/runWaitWorker.ts", import.meta.url).href, control: channel.control, report: report.buffer, poll },
    });
    const errors: Error[] = [];
    worker.on("error", (e) => errors.push(e));
    if (!(await waitUntilAsync(() => errors.length > 0 || Atomics.load(report, RUN_WAIT_REPORT.started) !== 0, 20_000, 10)) || errors.length > 0) {
        await worker.terminate();
        throw errors[0] ?? new Error("the run-wait worker did not start in 20 s");
    }
    running = {
        channel,
        control,
        report,
        async stopAsync() {
            Atomics.store(report, RUN_WAIT_REPORT.stop, 1);
            Atomics.add(control, SHARED_CONTROL.seq, 1);
            Atomics.notify(control, SHARED_CONTROL.seq);
            await worker.terminate();
        },
    };
    return running;
}

/** Announces a run as the render loop does (`start`, no waiting) and looks for its end every ms; false if it has not ended by `deadlineMs`. */
function runEndsAsync(channel: SharedRunChannel, deadlineMs = 2000): Promise<boolean> {
    channel.start(BUCKET);
    return waitUntilAsync(() => channel.poll(), deadlineMs);
}

/** Counts this thread's notifies of the control block's `seq`. */
function countSeqNotifies(control: Int32Array): { readonly count: number } {
    const counter = { count: 0 };
    const notify = Atomics.notify.bind(Atomics);
    vi.spyOn(Atomics, "notify").mockImplementation((array, index, count) => {
        if (array.buffer === control.buffer && index === SHARED_CONTROL.seq) {
            counter.count++;
        }
        return notify(array as unknown as Int32Array, index, count);
    });
    return counter;
}

describe("the model worker's wait between runs, on a second thread", () => {
    it("finds a run announced while it lingers after the last one, with no notify", async () => {
        // A linger far longer than the gaps between these runs, however loaded the machine.
        const { channel, control } = await startAsync({ intervalMs: 2, lingerMs: 20_000 });
        const notifies = countSeqNotifies(control);
        // The first run finds it asleep (it has run nothing yet): that one is notified.
        expect(await runEndsAsync(channel)).toBe(true);
        expect(notifies.count).toBe(1);
        for (let i = 0; i < 10; i++) {
            expect(Atomics.load(control, SHARED_CONTROL.asleep)).toBe(0);
            expect(await runEndsAsync(channel)).toBe(true);
        }
        expect(notifies.count).toBe(1);
    });

    it("falls asleep once it has lingered, stops waking, and then only a notify starts a run", async () => {
        const { channel, control, report } = await startAsync({ intervalMs: 2, lingerMs: 30 });
        expect(await runEndsAsync(channel)).toBe(true);
        expect(await waitUntilAsync(() => Atomics.load(control, SHARED_CONTROL.asleep) !== 0, 2000, 5)).toBe(true);
        const waits = Atomics.load(report, RUN_WAIT_REPORT.waits);
        await sleep(100);
        expect(Atomics.load(report, RUN_WAIT_REPORT.waits)).toBe(waits); // blocked: no timer wake-ups

        // A run announced without the notify that `start` sends a sleeping worker is not found...
        const done = Atomics.load(control, SHARED_CONTROL.done);
        Atomics.add(control, SHARED_CONTROL.seq, 1);
        await sleep(100);
        expect(Atomics.load(control, SHARED_CONTROL.done)).toBe(done);
        // ...until it is notified.
        Atomics.notify(control, SHARED_CONTROL.seq);
        expect(await waitUntilAsync(() => Atomics.load(control, SHARED_CONTROL.done) !== done, 2000, 5)).toBe(true);
        expect(Atomics.load(control, SHARED_CONTROL.asleep)).toBe(0);
    });

    it("loses no run announced around the moment it falls asleep", async () => {
        const lingerMs = 4;
        const { channel, control } = await startAsync({ intervalMs: 1, lingerMs });
        const notifies = countSeqNotifies(control);
        // The first run always wakes it: it has not run anything yet.
        expect(await runEndsAsync(channel)).toBe(true);
        const firstNotifies = notifies.count;
        let ended = 0;
        for (let i = 0; i < 300; i++) {
            // Announce the next run from at once to twice the linger after this thread saw the
            // last one end, spinning for the fraction: at once it finds the worker looking, late
            // it finds it asleep, and in between around the moment it falls asleep.
            const at = performance.now() + ((i * 7) % 21) * (lingerMs / 10);
            while (performance.now() < at) {
                // spin
            }
            if (!(await runEndsAsync(channel))) {
                break;
            }
            ended++;
        }
        expect(ended).toBe(300);
        // Both ways were taken: some runs woke it, the others it found by looking.
        expect(notifies.count - firstNotifies).toBeGreaterThan(0);
        expect(notifies.count - firstNotifies).toBeLessThan(300);
    });
});

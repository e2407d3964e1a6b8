import { SHARED_CONTROL, WORKER_POLL } from "./onnxWorkerProtocol.js";

/** How the model worker waits between runs: `WORKER_POLL`'s shape, so tests can shorten it. */
export interface IWorkerPoll {
    readonly intervalMs: number;
    readonly lingerMs: number;
}

/**
 * The model worker's wait for the next run through shared memory. Returns once `seq` may have
 * moved past `seen` (the caller checks). Within `poll.lingerMs` of the last run (`lastEndedMs`,
 * on this thread's `performance.now()` clock) it waits one `intervalMs` at most, so the next
 * run, which comes a tick later, needs no notify. After that it marks itself `asleep` and waits
 * for one. The main thread bumps `seq` before it reads `asleep` (`SharedRunChannel.start`), and
 * this thread stores `asleep` before `Atomics.wait` compares `seq`: whichever comes first, a run
 * announced meanwhile is seen by the comparison or notified.
 */
export function waitForRun(control: Int32Array, seen: number, lastEndedMs: number, poll: IWorkerPoll = WORKER_POLL): void {
    if (performance.now() - lastEndedMs < poll.lingerMs) {
        Atomics.wait(control, SHARED_CONTROL.seq, seen, poll.intervalMs);
        return;
    }
    Atomics.store(control, SHARED_CONTROL.asleep, 1);
    Atomics.wait(control, SHARED_CONTROL.seq, seen);
    Atomics.store(control, SHARED_CONTROL.asleep, 0);
}

/** Slots of the Int32Array the run-wait worker (runWaitWorker.ts) and its test share. */
export const RUN_WAIT_REPORT = Object.freeze({
    /** Set once the worker's loop starts. */
    started: 0,
    /** Set by the test: the worker leaves its loop after its next wake-up. */
    stop: 1,
    /** Calls to `waitForRun`: how often the worker woke. */
    waits: 2,
    length: 3,
});

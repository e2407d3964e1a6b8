/**
 * When a started run goes to where it runs: "next-task" in a task of its own after the
 * caller's; "caller" when the caller calls `handOver()` (the plugin's render loop does, at the
 * end of the frame), so no task is scheduled for it. Awaiting the run hands it over at once
 * either way.
 */
export type RunHandOver = "next-task" | "caller";

/**
 * What `OnnxScorer` runs a model through: an onnxruntime session on this thread
 * (`InThreadRunner`) or the plugin's model worker (`OnnxWorkerSession`). Both hold one
 * Float32Array per bucket laid out by `bucketLayout`: the scorer writes the inputs into it, runs,
 * and reads the outputs from it, so stats, budgets, buckets and copies are the scorer's alone.
 */
export interface IModelRunner {
    /** True when runs happen off the calling thread. */
    readonly offThread: boolean;
    /**
     * The bucket's buffer (made on first use). A worker on the message transport hands a new one
     * back after each run, so ask again after `runAsync` instead of keeping it.
     */
    bufferFor(size: number): Float32Array;
    /**
     * Runs the bucket's inputs; on success its buffer holds the outputs. One run at a time. Rejects
     * with `OnnxModelError("probe-failed")` when an output's shape does not fit the bucket.
     */
    runAsync(size: number): Promise<void>;
    /**
     * Starts a run of the bucket's inputs and returns at once; `poll` says when it has ended. For
     * a caller that looks again later (the render loop, a tick later) instead of awaiting the run.
     * One run at a time: throws while one is in flight. `handOver` says when an off-thread
     * runner passes it on (see `RunHandOver`); a runner on this thread starts it at once.
     */
    start(size: number, handOver?: RunHandOver): void;
    /** Passes the run `start` took on to where it runs, now; nothing when it has been already (or none was started). */
    handOver(): void;
    /**
     * True once the run `start` began has ended with its outputs in the bucket's buffer (it is
     * then over), false while it runs or when none was started. Throws why it failed, if it did
     * (`OnnxModelError("probe-failed")` for outputs that do not fit the bucket).
     */
    poll(): boolean;
    /** Resolves once the run `start` began has ended (at once when none is in flight); never rejects. */
    whenRunEndsAsync(): Promise<void>;
    /** When the last run `poll` reported ended, on this thread's `performance.now()` clock. */
    readonly endedAtMs: number;
    /**
     * How long the last run `start` began waited on this thread before it was handed to where it
     * runs, ms: the model worker gets a run in a task after the caller's, or at `handOver()`
     * (the rest of the caller's frame). 0 for a runner that starts them at once.
     */
    readonly handOverDelayMs: number;
    /** Frees the session (and the worker); idempotent. */
    release(): void;
}

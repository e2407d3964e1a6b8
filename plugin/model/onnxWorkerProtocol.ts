/**
 * The messages between the main thread (workerSession.ts) and the model worker
 * (onnxWorker.worker.ts). Plain data only: each side type-checks against these, and nothing
 * here runs, so the worker pulls in no main-thread code by importing it.
 */
import type { ISessionIo } from "./modelManifest.js";
import type { OrtBuild } from "./onnxRuntime.js";

/** Main thread to worker, once: create the session. */
export interface IWorkerInitMessage {
    readonly type: "init";
    /** The model file (a copy: the caller's bytes stay usable). */
    readonly model: Uint8Array;
    /** Which onnxruntime-web build to import in the worker. */
    readonly build: OrtBuild;
    /** Absolute URL prefix of onnxruntime-web's files, or undefined for the runtime's own default. */
    readonly wasmPaths: string | undefined;
    readonly numThreads: number | undefined;
    /** Input names in bucket-layout order: features, mask, context, weights. */
    readonly inputNames: readonly string[];
    /**
     * The control block (`SHARED_CONTROL` slots, Int32) when runs pass through shared memory,
     * on a cross-origin-isolated page; undefined when each run's buffer is posted instead.
     */
    readonly control: SharedArrayBuffer | undefined;
}

/**
 * Main thread to worker, shared memory only: a bucket's buffer, sent once when the bucket is
 * made (its length says the bucket). Shared, so it stays on both threads: runs are announced
 * through the control block, not by message.
 */
export interface IWorkerSharedBucketMessage {
    readonly type: "bucket";
    readonly buffer: SharedArrayBuffer;
}

/**
 * Main thread to worker, per run: the bucket's buffer itself (transferred) with its inputs filled
 * in; its length says the bucket (`bucketSizeOf`). A bare ArrayBuffer, not an object around it:
 * nothing else to serialise, and nothing else for the receiving side to allocate.
 */
export type WorkerRunMessage = ArrayBuffer;

/** Worker to main thread, once its module has loaded: the page may run it. */
export interface IWorkerLoadedMessage {
    readonly type: "loaded";
}

/** Worker to main thread: the session exists; its inputs and outputs, for the I/O check. */
export interface IWorkerReadyMessage {
    readonly type: "ready";
    readonly io: ISessionIo;
}

/** Worker to main thread, per run: the same buffer (transferred back, bare as it came), outputs filled in. */
export type WorkerResultMessage = ArrayBuffer;

/**
 * Worker to main thread: something failed. `stage` says what: "init" (import or session
 * creation) or "run" (then, on the message transport, `buffer` comes back too, so the bucket
 * survives a failed run; on shared memory a failed run is announced by this message alone).
 */
export interface IWorkerErrorMessage {
    readonly type: "error";
    readonly stage: "init" | "run";
    readonly message: string;
    /** A run's outputs that do not fit the bucket, one sentence each (then the model, not the worker, is at fault). */
    readonly outputProblems?: readonly string[];
    /** A failed run's buffer (message transport). */
    readonly buffer?: ArrayBuffer;
}

export type WorkerToMainMessage = IWorkerLoadedMessage | IWorkerReadyMessage | WorkerResultMessage | IWorkerErrorMessage;
export type MainToWorkerMessage = IWorkerInitMessage | IWorkerSharedBucketMessage | WorkerRunMessage;

/**
 * Slots of the shared control block (an Int32Array over `IWorkerInitMessage.control`). A run:
 * the main thread writes the inputs into the bucket's shared buffer, stores `size` and bumps
 * `seq`, and notifies `seq` if the worker is `asleep` (or a caller awaits the run); the worker
 * runs the bucket in place, stamps `endedAtUs`, bumps `done` and notifies it; the main thread
 * reads `done` on a later tick (or waits on it with `Atomics.waitAsync` when a caller awaits the
 * run), then the outputs. A failed run is an "error" message instead, and the main thread bumps
 * `done` itself.
 */
export const SHARED_CONTROL = Object.freeze({
    /** Runs announced by the main thread. */
    seq: 0,
    /** Runs ended. */
    done: 1,
    /** Bucket size (rows) of the run `seq` announced last. */
    size: 2,
    /** When the last run ended: `performance.timeOrigin + performance.now()` in microseconds, modulo `STAMP_WRAP_US`. */
    endedAtUs: 3,
    /**
     * 1 while the worker waits on `seq` with no time limit: only a notify wakes it. 0 while it
     * runs, or checks `seq` on a short timer in the while after a run (`WORKER_POLL`): then a
     * run it finds there needs no notify. Waking a blocked thread is a system call, and where no
     * core is idle the woken worker takes the notifying thread's core at once.
     */
    asleep: 4,
    /** Slots in all. */
    length: 5,
});

/**
 * How the worker waits for the next run once one has ended: it checks `seq` every `intervalMs`
 * for `lingerMs`, then waits for a notify. Runs come a tick apart (33 ms at the plugin's default
 * 30 Hz, or a frame apart where frames are slower), so while they come less than `lingerMs`
 * apart the worker never falls asleep and the main thread never wakes it; a run starts about
 * `intervalMs` after it was announced (plus the system's timer slack), and the render loop reads
 * its result a tick later anyway. The price is the worker's timer wake-ups while it lingers,
 * 500 a second at most.
 */
export const WORKER_POLL = Object.freeze({ intervalMs: 2, lingerMs: 250 });

/** `SHARED_CONTROL.endedAtUs` wraps at 2^31 microseconds (36 minutes), so it fits an Int32 slot. */
export const STAMP_WRAP_US = 2 ** 31;

/** The worker's name, as `new Worker` gets it: what devtools and test meters see. */
export const ONNX_WORKER_NAME = "babylon-attention-onnx";

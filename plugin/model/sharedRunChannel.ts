import { bucketLayout } from "./bucketLayout.js";
import { SHARED_CONTROL, STAMP_WRAP_US, type IWorkerSharedBucketMessage } from "./onnxWorkerProtocol.js";

/** `Atomics.waitAsync`'s result. Declared here: the ES2022 lib this package compiles against lacks it. */
interface IWaitAsyncResult {
    readonly async: boolean;
    readonly value: Promise<"ok" | "timed-out"> | "not-equal" | "timed-out";
}

interface IAtomicsWithWaitAsync {
    waitAsync?(array: Int32Array, index: number, value: number): IWaitAsyncResult;
}

/**
 * Why model runs cannot pass through shared memory here, or null when they can: it takes
 * `SharedArrayBuffer`, which a browser offers only to a cross-origin-isolated page, and
 * `Atomics.waitAsync`, so a caller on the main thread can await a run without blocking.
 */
export function sharedMemoryUnavailableReason(): string | null {
    if ((globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== true) {
        return "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)";
    }
    if (typeof SharedArrayBuffer !== "function") {
        return "this browser has no SharedArrayBuffer";
    }
    if (typeof (Atomics as IAtomicsWithWaitAsync).waitAsync !== "function") {
        return "this browser has no Atomics.waitAsync";
    }
    return null;
}

/**
 * The main thread's side of model runs through shared memory (the protocol is beside
 * `SHARED_CONTROL`). Each bucket's buffer is a SharedArrayBuffer the worker reads and writes in
 * place, and a run is two counters: this thread bumps `seq`, and notifies it only if the worker
 * is asleep on it (while runs keep coming the worker checks `seq` on a timer instead); the worker
 * bumps `done`. `start` then `poll` (the plugin's render loop: the next
 * tick reads `done`) post no message, make no promise and allocate nothing. Only a caller that
 * awaits a run (`whenRunEndsAsync`, `runAsync`) has `Atomics.waitAsync` wait on `done`: a
 * waiter registered with the engine, a promise, and a task on this thread to resolve it, per run.
 */
export class SharedRunChannel {
    /** The control block, sent to the worker with its session's init message. */
    public readonly control = new SharedArrayBuffer(SHARED_CONTROL.length * Int32Array.BYTES_PER_ELEMENT);
    private readonly _control = new Int32Array(this.control);
    private readonly _buffers = new Map<number, Float32Array>();
    private _inFlight = false;
    /** `done` before the run in flight was announced: it has ended once `done` moved past it. */
    private _doneBefore = 0;
    /** Why the run in flight failed; set before `done` is bumped for it on this thread. */
    private _runError: Error | null = null;
    private _endedAtMs = 0;
    /** Made once: a closure per run would allocate. */
    private readonly _resolved = Promise.resolve();
    private readonly _afterWait = (): void => undefined;
    private readonly _afterRun = (): void => {
        if (!this.poll()) {
            throw new Error("the model worker's run had not ended when its wait did");
        }
    };

    /** `post` hands a bucket's buffer to the worker (its `postMessage`). */
    public constructor(private readonly _post: (message: IWorkerSharedBucketMessage) => void) {
        // Until its loop starts, the worker is not checking `seq`: a run announced then is notified.
        Atomics.store(this._control, SHARED_CONTROL.asleep, 1);
    }

    /** When the last run ended, on this thread's `performance.now()` clock: the worker stamps it. */
    public get endedAtMs(): number {
        return this._endedAtMs;
    }

    /** The bucket's shared buffer, the same one every run; made, and sent to the worker, on first use. */
    public bufferFor(size: number): Float32Array {
        let data = this._buffers.get(size);
        if (!data) {
            const buffer = new SharedArrayBuffer(bucketLayout(size).length * Float32Array.BYTES_PER_ELEMENT);
            data = new Float32Array(buffer);
            this._buffers.set(size, data);
            this._post({ type: "bucket", buffer });
        }
        return data;
    }

    /** Throws what `start(size)` would: a run is in flight, or the bucket has no buffer yet. */
    public checkCanStart(size: number): void {
        if (this._inFlight || !this._buffers.has(size)) {
            throw new Error(`the model worker is already running a bucket, or was given none of ${size}: one run at a time, after bufferFor(${size})`);
        }
    }

    /**
     * Announces a run of the bucket, whose inputs are written; `poll` says when its outputs are.
     * A worker that is checking `seq` on its own finds the run within `WORKER_POLL.intervalMs`
     * and is not notified (`whenRunEndsAsync` wakes it for a caller that waits on the run).
     */
    public start(size: number): void {
        this.checkCanStart(size);
        const control = this._control;
        this._doneBefore = Atomics.load(control, SHARED_CONTROL.done);
        this._inFlight = true;
        Atomics.store(control, SHARED_CONTROL.size, size);
        // Bumped before `asleep` is read: see waitForRun (workerRunWait.ts) for why no run is missed.
        Atomics.add(control, SHARED_CONTROL.seq, 1);
        if (Atomics.load(control, SHARED_CONTROL.asleep) !== 0) {
            Atomics.notify(control, SHARED_CONTROL.seq);
        }
    }

    /**
     * True once the run in flight has ended with its outputs written (it is then over: the next
     * may start), false while it runs or when none was started. Throws why it failed, if it did.
     */
    public poll(): boolean {
        // Synchronises with the worker's Atomics.add: its writes of the outputs are visible here.
        if (!this._inFlight || Atomics.load(this._control, SHARED_CONTROL.done) === this._doneBefore) {
            return false;
        }
        this._inFlight = false;
        const error = this._runError;
        if (error) {
            this._runError = null;
            throw error;
        }
        this._endedAtMs = endedAtMs(Atomics.load(this._control, SHARED_CONTROL.endedAtUs));
        return true;
    }

    /** Resolves once the run in flight has ended (at once when none is); never rejects. `poll` then says how. */
    public whenRunEndsAsync(): Promise<void> {
        if (!this._inFlight) {
            return this._resolved;
        }
        // The caller waits: a worker between two checks of `seq` starts the run now, not on its timer.
        Atomics.notify(this._control, SHARED_CONTROL.seq);
        const wait = (Atomics as IAtomicsWithWaitAsync).waitAsync!(this._control, SHARED_CONTROL.done, this._doneBefore);
        return wait.async ? (wait.value as Promise<unknown>).then(this._afterWait) : this._resolved;
    }

    /** Announces a run and resolves once its outputs are written; rejects with why it failed. */
    public runAsync(size: number): Promise<void> {
        try {
            this.start(size);
        } catch (e) {
            return Promise.reject(e);
        }
        return this.whenRunEndsAsync().then(this._afterRun);
    }

    /**
     * Ends the run in flight, if any, with `error`: the worker reported its failure by message
     * (it bumps `done` only for a run that succeeded), died, or was released.
     */
    public failRun(error: Error): void {
        if (!this._inFlight) {
            return;
        }
        this._runError ??= error;
        Atomics.add(this._control, SHARED_CONTROL.done, 1);
        Atomics.notify(this._control, SHARED_CONTROL.done);
    }
}

/**
 * The worker's stamp of a run's end (`SHARED_CONTROL.endedAtUs`) on this thread's
 * `performance.now()` clock. Both threads' `timeOrigin + now()` read one clock; the stamp keeps
 * its microseconds modulo 2^31 (36 minutes), unwrapped here against the present.
 */
function endedAtMs(stamp: number): number {
    const nowUs = Math.floor((performance.timeOrigin + performance.now()) * 1000);
    const agoUs = (((nowUs % STAMP_WRAP_US) - stamp) % STAMP_WRAP_US + STAMP_WRAP_US) % STAMP_WRAP_US;
    return (nowUs - agoUs) / 1000 - performance.timeOrigin;
}

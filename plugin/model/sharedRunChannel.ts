import { bucketLayout } from "./bucketLayout.js";
import { SHARED_CONTROL, type IWorkerSharedBucketMessage } from "./onnxWorkerProtocol.js";

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
 * `Atomics.waitAsync`, so the main thread learns of a result without blocking.
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
 * place, and a run is two counters: this thread bumps `seq` and notifies the worker, which is
 * blocked on it; the worker bumps `done`, on which `Atomics.waitAsync` waits here. So a run posts
 * no message and receives none, and allocates only the wait's result, its promise and the
 * promise `runAsync` returns.
 */
export class SharedRunChannel {
    /** The control block, sent to the worker with its session's init message. */
    public readonly control = new SharedArrayBuffer(SHARED_CONTROL.length * Int32Array.BYTES_PER_ELEMENT);
    private readonly _control = new Int32Array(this.control);
    private readonly _buffers = new Map<number, Float32Array>();
    private _inFlight = false;
    /** Why the run in flight failed; set before `done` is bumped for it on this thread. */
    private _runError: Error | null = null;
    /** Made once: a closure per run would allocate. Throws the run's error, if it failed. */
    private readonly _afterRun = (): void => {
        // Synchronises with the worker's Atomics.add: its writes of the outputs are visible here.
        Atomics.load(this._control, SHARED_CONTROL.done);
        this._inFlight = false;
        const error = this._runError;
        if (error) {
            this._runError = null;
            throw error;
        }
    };

    /** `post` hands a bucket's buffer to the worker (its `postMessage`). */
    public constructor(private readonly _post: (message: IWorkerSharedBucketMessage) => void) {}

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

    /** Announces a run of the bucket, whose inputs are written; resolves once its outputs are. */
    public runAsync(size: number): Promise<void> {
        if (this._inFlight || !this._buffers.has(size)) {
            return Promise.reject(new Error(`the model worker is already running a bucket, or was given none of ${size}: one run at a time, after bufferFor(${size})`));
        }
        const control = this._control;
        // Waits before announcing: `done` cannot move until the worker has the run.
        const wait = (Atomics as IAtomicsWithWaitAsync).waitAsync!(control, SHARED_CONTROL.done, Atomics.load(control, SHARED_CONTROL.done));
        if (!wait.async) {
            return Promise.reject(new Error(`the model worker's run could not wait for its result (${String(wait.value)})`));
        }
        this._inFlight = true;
        Atomics.store(control, SHARED_CONTROL.size, size);
        Atomics.add(control, SHARED_CONTROL.seq, 1);
        Atomics.notify(control, SHARED_CONTROL.seq);
        return (wait.value as Promise<unknown>).then(this._afterRun);
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

import { bucketLayout, bucketSizeOf } from "./bucketLayout.js";
import type { ISessionIo } from "./modelManifest.js";
import type { IModelRunner, RunHandOver } from "./modelRunner.js";
import { OnnxModelError } from "./onnxModelError.js";
import { PromisedRuns } from "./promisedRuns.js";
import type { OrtBuild } from "./onnxRuntime.js";
import { ONNX_WORKER_NAME, type MainToWorkerMessage, type WorkerToMainMessage } from "./onnxWorkerProtocol.js";
import { SharedRunChannel, sharedMemoryUnavailableReason } from "./sharedRunChannel.js";
import type { WorkerTransport } from "./wasmProxy.js";

/** How long the model worker may take to start before it counts as unavailable on this page. */
const START_TIMEOUT_MS = 10_000;

/** What the worker's session is created with. */
export interface IWorkerSessionOptions {
    /** The onnxruntime-web build the worker imports. */
    readonly build: OrtBuild;
    /** Folder URL of onnxruntime-web's files; a relative one is resolved against the page first. */
    readonly wasmPaths: string | undefined;
    readonly numThreads: number | undefined;
    /** Input names in bucket-layout order: features, mask, context, weights. */
    readonly inputNames: readonly string[];
}

/** One bucket's side of the ping-pong: the transfer list is made once and reused. */
interface IWorkerBucket {
    /** [the buffer]: postMessage's transfer list, and where the buffer is kept between runs. */
    readonly transfer: ArrayBuffer[];
    /** A view of the buffer while it is on this thread; detached (length 0) while it is in the worker. */
    view: Float32Array;
}

interface IPending<T> {
    resolve(value: T): void;
    reject(error: Error): void;
}

/**
 * The main thread's side of the model worker (onnxWorker.worker.ts). The worker starts, and its
 * session is created, by message. Runs pass through shared memory where the page allows it
 * (`SharedRunChannel`: no message per run). Elsewhere a run fills the bucket's buffer, posts the
 * bare buffer (transferred, so nothing is cloned) and, when the worker transfers it back with the
 * outputs written in, makes one view of it: per run this thread then allocates only what
 * postMessage needs (the reply's event and ArrayBuffer object), that view, and the run's promise.
 */
export class OnnxWorkerSession implements IModelRunner {
    public readonly offThread = true;
    /** Runs through shared memory, once the session was created with it; null: by message. */
    private _shared: SharedRunChannel | null = null;
    private _sharedUnavailable: string | null = "no session was created";
    private readonly _buckets = new Map<number, IWorkerBucket>();
    private _run: IPending<void> | null = null;
    private _init: IPending<ISessionIo> | null = null;
    private _failure: Error | null = null;
    /** The bucket size of the run `start` took and has not handed to the worker yet; 0: none. */
    private _startingSize = 0;
    private _startedAtMs = 0;
    private _handOverDelayMs = 0;
    /** The run failed before it reached the worker (the worker was lost meanwhile): the next `poll` throws why. */
    private _failedBeforeStart: Error | null = null;
    /** Made once: `start` schedules it every run. */
    private readonly _handOver = (): void => this.handOver();
    /** `start` and `poll` on the message transport (runs through shared memory need no promise). */
    private readonly _posted = new PromisedRuns((size) => this.runAsync(size));
    /** Made once: `new Promise(executor)` with a fresh closure would allocate one more object per run. */
    private readonly _runExecutor = (resolve: () => void, reject: (error: Error) => void): void => {
        this._run = { resolve, reject };
    };

    /**
     * Starts the model worker with the `new Worker(new URL(...), import.meta.url)` form bundlers
     * emit as a worker chunk. Resolves once the worker's module runs, or with why it could not start
     * here (the page's Content-Security-Policy directive when it forbids the worker). Never rejects.
     */
    public static StartAsync(): Promise<OnnxWorkerSession | string> {
        return new Promise((resolve) => {
            let worker: Worker | undefined;
            let violation: string | null = null;
            const onViolation = (e: SecurityPolicyViolationEvent): void => {
                violation = `the page's Content-Security-Policy forbids it: ${e.violatedDirective}`;
            };
            const timer = setTimeout(() => finish(`the model worker did not answer within ${START_TIMEOUT_MS} ms`), START_TIMEOUT_MS);
            const finish = (failure: string | null): void => {
                clearTimeout(timer);
                document.removeEventListener("securitypolicyviolation", onViolation);
                if (failure === null && worker) {
                    resolve(new OnnxWorkerSession(worker));
                } else {
                    worker?.terminate();
                    resolve(failure ?? "the model worker could not start");
                }
            };
            document.addEventListener("securitypolicyviolation", onViolation);
            try {
                worker = new Worker(new URL("./onnxWorker.worker.js", import.meta.url), { type: "module", name: ONNX_WORKER_NAME });
            } catch (e) {
                finish(e instanceof Error ? e.message : String(e));
                return;
            }
            worker.onmessage = (e: MessageEvent<WorkerToMainMessage>) => {
                if (!(e.data instanceof ArrayBuffer) && e.data?.type === "loaded") {
                    finish(null);
                }
            };
            // A blocked worker fires its error event after the page's violation event.
            worker.onerror = () => finish(violation ?? "the model worker failed to load");
        });
    }

    private constructor(private readonly _worker: Worker) {
        _worker.onmessage = (e: MessageEvent<WorkerToMainMessage>) => this._onMessage(e.data);
        _worker.onerror = (e: ErrorEvent) => {
            e.preventDefault();
            this._fail(new Error(`the model worker failed: ${e.message || "an error event without a message"}`));
        };
        _worker.onmessageerror = () => this._fail(new Error("the model worker sent a message that could not be read"));
    }

    /** How runs reach the worker: through shared memory where the page allows it, else by message. */
    public get transport(): WorkerTransport {
        return this._shared ? "shared-memory" : "message";
    }

    /** Why runs do not pass through shared memory (see `sharedMemoryUnavailableReason`), or null when they do. */
    public get sharedMemoryUnavailable(): string | null {
        return this._sharedUnavailable;
    }

    /**
     * Creates the worker's session from the model file and resolves its inputs and outputs for the
     * I/O check; runs will pass through shared memory where this page allows it. Rejects with
     * onnxruntime's message when the runtime or the session cannot start.
     */
    public createSessionAsync(model: Uint8Array, options: IWorkerSessionOptions): Promise<ISessionIo> {
        const wasmPaths = options.wasmPaths === undefined ? undefined : new URL(options.wasmPaths, document.baseURI).href;
        this._sharedUnavailable = sharedMemoryUnavailableReason();
        this._shared = this._sharedUnavailable === null ? new SharedRunChannel((message) => this._post(message)) : null;
        return new Promise<ISessionIo>((resolve, reject) => {
            this._init = { resolve, reject };
            // Cloned, not transferred: the bytes may be the caller's.
            this._post({ type: "init", model, build: options.build, wasmPaths, numThreads: options.numThreads, inputNames: options.inputNames, control: this._shared?.control });
        });
    }

    public bufferFor(size: number): Float32Array {
        if (this._shared) {
            return this._shared.bufferFor(size);
        }
        let bucket = this._buckets.get(size);
        if (!bucket) {
            const buffer = new ArrayBuffer(bucketLayout(size).length * Float32Array.BYTES_PER_ELEMENT);
            bucket = { transfer: [buffer], view: new Float32Array(buffer) };
            this._buckets.set(size, bucket);
        }
        return bucket.view;
    }

    public runAsync(size: number): Promise<void> {
        if (this._failure) {
            return Promise.reject(this._failure);
        }
        if (this._startingSize !== 0) {
            return Promise.reject(new Error(`the model worker is already running a bucket: one run at a time, after the run started for a bucket of ${this._startingSize} ends`));
        }
        if (this._shared) {
            return this._shared.runAsync(size);
        }
        const bucket = this._buckets.get(size);
        if (!bucket || bucket.view.length === 0 || this._run) {
            return Promise.reject(new Error(`the model worker is already running a bucket of ${size}, or was given none: one run at a time, after bufferFor(${size})`));
        }
        const done = new Promise<void>(this._runExecutor);
        this._worker.postMessage(bucket.transfer[0], bucket.transfer);
        return done;
    }

    /**
     * Starts a run, handing it to the worker later: in a task of its own after this one, or
     * when the caller calls `handOver()` (`RunHandOver`). Where no core is idle (two cores and
     * a software renderer, say) the worker's run takes a core from the main thread, and waking
     * a blocked worker hands it this thread's core at once. Handed over from the render loop's
     * tick, that run would land inside the frame; at the frame's end, or in a task after it,
     * it lands between frames, and the render loop looks for its result a tick later anyway. A
     * worker that is looking for runs itself (runs keep coming: see `WORKER_POLL`) is not
     * woken: it finds the run within a few milliseconds of the hand-over.
     */
    public start(size: number, handOver: RunHandOver = "next-task"): void {
        if (this._failure) {
            throw this._failure;
        }
        if (this._startingSize !== 0) {
            throw new Error(`the model worker is already running a bucket: one run at a time (poll() until it ends before starting a bucket of ${size})`);
        }
        // Refused here, as a run started at once would be, not later from the hand-over task.
        (this._shared ?? this._posted).checkCanStart(size);
        this._startingSize = size;
        this._startedAtMs = performance.now();
        if (handOver === "next-task") {
            setTimeout(this._handOver, 0);
        }
    }

    /** Hands the run `start` took over to the worker now; also when a caller waits for it. */
    public handOver(): void {
        const size = this._startingSize;
        if (size === 0) {
            return;
        }
        this._startingSize = 0;
        this._handOverDelayMs = performance.now() - this._startedAtMs;
        if (this._failure) {
            this._failedBeforeStart = this._failure;
            return;
        }
        // Often called from a timer task: whatever goes wrong reaches the caller's next poll,
        // never the page as an uncaught error.
        try {
            if (this._shared) {
                this._shared.start(size);
            } else {
                this._posted.start(size);
            }
        } catch (e) {
            this._failedBeforeStart = e instanceof Error ? e : new Error(String(e));
        }
    }

    public poll(): boolean {
        if (this._startingSize !== 0) {
            return false;
        }
        const failed = this._failedBeforeStart;
        if (failed) {
            this._failedBeforeStart = null;
            throw failed;
        }
        return this._shared ? this._shared.poll() : this._posted.poll();
    }

    public whenRunEndsAsync(): Promise<void> {
        this.handOver();
        return this._shared ? this._shared.whenRunEndsAsync() : this._posted.whenRunEndsAsync();
    }

    public get handOverDelayMs(): number {
        return this._handOverDelayMs;
    }

    public get endedAtMs(): number {
        return this._shared ? this._shared.endedAtMs : this._posted.endedAtMs;
    }

    public release(): void {
        if (this._failure === null) {
            this._fail(new Error("the model worker was released"));
        }
        this._worker.terminate();
    }

    private _onMessage(message: WorkerToMainMessage): void {
        if (message instanceof ArrayBuffer) {
            this._takeBack(message);
            this._settleRun(null);
            return;
        }
        switch (message.type) {
            case "ready":
                this._init?.resolve(message.io);
                this._init = null;
                return;
            case "error":
                if (message.stage === "init") {
                    this._init?.reject(new Error(message.message));
                    this._init = null;
                    return;
                }
                this._endRun(message.buffer, message.outputProblems ? new OnnxModelError("probe-failed", message.outputProblems) : new Error(`the model worker's run failed: ${message.message}`));
                return;
            case "loaded":
                return;
        }
    }

    private _post(message: MainToWorkerMessage): void {
        this._worker.postMessage(message);
    }

    /** Ends the run in flight with `error`, taking its buffer back on the message transport. */
    private _endRun(buffer: ArrayBuffer | undefined, error: Error): void {
        if (this._shared) {
            this._shared.failRun(error);
            return;
        }
        if (buffer) {
            this._takeBack(buffer);
        }
        this._settleRun(error);
    }

    /** The buffer is back on this thread: the next run posts it again. */
    private _takeBack(buffer: ArrayBuffer): void {
        const bucket = this._buckets.get(bucketSizeOf(buffer.byteLength / Float32Array.BYTES_PER_ELEMENT));
        if (bucket) {
            bucket.transfer[0] = buffer;
            bucket.view = new Float32Array(buffer);
        }
    }

    private _settleRun(error: Error | null): void {
        const run = this._run;
        this._run = null;
        if (error) {
            run?.reject(error);
        } else {
            run?.resolve();
        }
    }

    /** The worker is gone or unusable: every waiting and later call rejects with why. */
    private _fail(error: Error): void {
        this._failure ??= error;
        this._init?.reject(error);
        this._init = null;
        this._endRun(undefined, error);
    }
}

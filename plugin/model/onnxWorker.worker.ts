/**
 * The model worker: owns one onnxruntime-web InferenceSession on the WASM provider, so a model run
 * costs the main thread only writing the inputs, signalling the worker and copying the outputs
 * out (workerSession.ts is the other side; onnxWorkerProtocol.ts the messages). It answers
 * "loaded" as soon as its module runs, which is also how the main thread learns that the page
 * lets it start (its Content-Security-Policy allows the worker, the bundler emitted it).
 *
 * Runs reach it one of two ways, chosen by the main thread at init:
 * - shared memory (a cross-origin-isolated page): each bucket's buffer (bucketLayout.ts) is a
 *   SharedArrayBuffer sent once; a run is announced through the control block
 *   (`SHARED_CONTROL`) and its end signalled back the same way, with no message either way;
 * - messages: per run it gets the bucket's buffer by transfer and transfers it back, outputs
 *   written in: the two threads ping-pong one ArrayBuffer per bucket.
 * Either way it copies the inputs into tensors preallocated for that bucket, runs, and writes the
 * outputs into the bucket's buffer. Every failure comes back as an "error" message; a failed
 * run on the message transport returns its buffer too.
 */
import { bucketLayout, bucketSizeOf, copyOutputs, inputSpans, type IBucketLayout } from "./bucketLayout.js";
import type { ISessionValueMetadata } from "./modelManifest.js";
import type { Ort, OrtSession, OrtTensor } from "./onnxRuntime.js";
import { SHARED_CONTROL, STAMP_WRAP_US, type IWorkerInitMessage, type MainToWorkerMessage, type WorkerToMainMessage } from "./onnxWorkerProtocol.js";
import { waitForRun } from "./workerRunWait.js";

interface IWorkerBucket {
    readonly layout: IBucketLayout;
    /** Every input, laid out as in the bucket's buffer up to the first output: one copy in per run. */
    readonly inputs: Float32Array;
    readonly feeds: Record<string, OrtTensor>;
}

interface IWorkerScope {
    postMessage(message: WorkerToMainMessage, transfer?: Transferable[]): void;
    onmessage: ((event: MessageEvent<MainToWorkerMessage>) => void) | null;
}

const scope = self as unknown as IWorkerScope;
const buckets = new Map<number, IWorkerBucket>();
let ort: Ort | undefined;
let session: OrtSession | undefined;
let inputNames: readonly string[] = [];
/** Shared-memory buckets' buffers by size. */
const sharedBuffers = new Map<number, Float32Array>();
/** A shared-memory run announced before its bucket's message was handled. */
let awaitedBucket: { readonly size: number; resolve(data: Float32Array): void } | null = null;
/** Resumes the shared-memory loop after it yielded a task (`nextTaskAsync`). */
const yieldChannel = new MessageChannel();
let resumeAfterYield: (() => void) | null = null;
yieldChannel.port1.onmessage = () => resumeAfterYield?.();

scope.onmessage = (event) => {
    const message = event.data;
    if (message instanceof ArrayBuffer) {
        void runPostedAsync(message);
    } else if (message.type === "bucket") {
        addSharedBucket(message.buffer);
    } else {
        void initAsync(message);
    }
};
scope.postMessage({ type: "loaded" });

async function initAsync(message: IWorkerInitMessage): Promise<void> {
    try {
        // Dynamic, so the worker starts (and answers "loaded") before the runtime's JavaScript is read.
        ort = message.build === "full" ? await import("onnxruntime-web") : await import("onnxruntime-web/wasm");
        if (message.numThreads !== undefined) {
            ort.env.wasm.numThreads = message.numThreads;
        }
        if (message.wasmPaths !== undefined) {
            ort.env.wasm.wasmPaths = message.wasmPaths;
        }
        session = await ort.InferenceSession.create(message.model, { executionProviders: ["wasm"], graphOptimizationLevel: "all", logSeverityLevel: 3 });
        inputNames = message.inputNames;
    } catch (e) {
        scope.postMessage({ type: "error", stage: "init", message: messageOf(e) });
        return;
    }
    const control = message.control === undefined ? null : new Int32Array(message.control);
    // Read before "ready" goes out: the main thread may announce its first run as soon as it has
    // it, before this thread runs another line.
    const announced = control ? Atomics.load(control, SHARED_CONTROL.seq) : 0;
    scope.postMessage({
        type: "ready",
        io: { inputNames: [...session.inputNames], outputNames: [...session.outputNames], inputMetadata: plainMetadata(session.inputMetadata), outputMetadata: plainMetadata(session.outputMetadata) },
    });
    if (control) {
        // Started only now: the loop blocks this thread, and importing the runtime and creating
        // the session need its event loop.
        void serveSharedRunsAsync(control, announced);
    }
}

/** A run on the message transport: the buffer came by transfer and goes back the same way. */
async function runPostedAsync(buffer: ArrayBuffer): Promise<void> {
    const size = bucketSizeOf(buffer.byteLength / Float32Array.BYTES_PER_ELEMENT);
    try {
        if (size < 0) {
            throw new Error(`a run's buffer of ${buffer.byteLength} bytes fits no bucket layout`);
        }
        const problems = await runBucketAsync(size, new Float32Array(buffer));
        if (problems !== null) {
            scope.postMessage({ type: "error", stage: "run", message: problems.join("; "), outputProblems: problems, buffer }, [buffer]);
            return;
        }
        scope.postMessage(buffer, [buffer]);
    } catch (e) {
        scope.postMessage({ type: "error", stage: "run", message: messageOf(e), buffer }, [buffer]);
    }
}

/**
 * Runs on shared memory, one after another for the worker's life. It waits on the control
 * block's `seq` (a worker may block) and starts a run as soon as it sees one, without a task on
 * either thread (`waitForRun` says how it waits). It yields one task after each run, so that
 * messages which came meanwhile (onnxruntime's own, a new bucket's) are handled before it waits
 * again. `announced` is the count of runs announced before it started.
 */
async function serveSharedRunsAsync(control: Int32Array, announced: number): Promise<void> {
    let seen = announced;
    let lastEndedMs = -Infinity;
    for (;;) {
        waitForRun(control, seen, lastEndedMs);
        const latest = Atomics.load(control, SHARED_CONTROL.seq);
        if (latest === seen) {
            continue;
        }
        seen = latest;
        const size = Atomics.load(control, SHARED_CONTROL.size);
        try {
            const data = sharedBuffers.get(size) ?? (await sharedBufferAsync(size));
            const problems = await runBucketAsync(size, data);
            if (problems === null) {
                Atomics.store(control, SHARED_CONTROL.endedAtUs, Math.floor((performance.timeOrigin + performance.now()) * 1000) % STAMP_WRAP_US);
                Atomics.add(control, SHARED_CONTROL.done, 1);
                Atomics.notify(control, SHARED_CONTROL.done);
            } else {
                scope.postMessage({ type: "error", stage: "run", message: problems.join("; "), outputProblems: problems });
            }
        } catch (e) {
            scope.postMessage({ type: "error", stage: "run", message: messageOf(e) });
        }
        lastEndedMs = performance.now();
        await nextTaskAsync();
    }
}

function addSharedBucket(buffer: SharedArrayBuffer): void {
    const data = new Float32Array(buffer);
    const size = bucketSizeOf(data.length);
    sharedBuffers.set(size, data);
    if (awaitedBucket?.size === size) {
        awaitedBucket.resolve(data);
        awaitedBucket = null;
    }
}

/**
 * The shared buffer of a bucket whose message has not been handled yet: the main thread posts
 * it before announcing the bucket's first run, but this thread was waiting on `seq` meanwhile.
 */
function sharedBufferAsync(size: number): Promise<Float32Array> {
    if (size < 1) {
        throw new Error(`a shared-memory run announced a bucket of ${size} rows`);
    }
    return new Promise((resolve) => (awaitedBucket = { size, resolve }));
}

/** Resolves in the next task: a MessageChannel, since nested timers are clamped to 4 ms. */
function nextTaskAsync(): Promise<void> {
    return new Promise((resolve) => {
        resumeAfterYield = resolve;
        yieldChannel.port2.postMessage(null);
    });
}

/** Copies the bucket's inputs from `data`, runs, and writes the outputs into `data`; the outputs' problems, or null. */
async function runBucketAsync(size: number, data: Float32Array): Promise<string[] | null> {
    if (!session) {
        throw new Error("the model worker has no session: a run came before init succeeded");
    }
    const bucket = bucketFor(size);
    bucket.inputs.set(data.subarray(0, bucket.inputs.length));
    const results = await session.run(bucket.feeds);
    return copyOutputs(results, bucket.layout, data);
}

/** The bucket of `size` rows, its tensors made on its first run (a grown bucket arrives that way too). */
function bucketFor(size: number): IWorkerBucket {
    let bucket = buckets.get(size);
    if (!bucket) {
        const layout = bucketLayout(size);
        const inputs = new Float32Array(layout.outputs[0]);
        const feeds: Record<string, OrtTensor> = {};
        for (const [i, span] of inputSpans(layout).entries()) {
            feeds[inputNames[i]] = new ort!.Tensor("float32", inputs.subarray(span.start, span.end), span.dims);
        }
        bucket = { layout, inputs, feeds };
        buckets.set(size, bucket);
    }
    return bucket;
}

/** onnxruntime's metadata as plain objects, so the structured clone to the main thread keeps every field. */
function plainMetadata(list: readonly unknown[] | undefined): ISessionValueMetadata[] | undefined {
    return list?.map((m) => {
        const { name, isTensor, type, shape } = m as ISessionValueMetadata;
        return { name, isTensor, ...(type !== undefined ? { type } : {}), ...(shape !== undefined ? { shape: [...shape] } : {}) };
    });
}

function messageOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

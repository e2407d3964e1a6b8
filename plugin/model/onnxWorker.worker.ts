/**
 * The model worker: owns one onnxruntime-web InferenceSession on the WASM provider, so a model run
 * costs the main thread only filling a buffer, posting it and copying the outputs out
 * (workerSession.ts is the other side; onnxWorkerProtocol.ts the messages). It answers "loaded"
 * as soon as its module runs, which is also how the main thread learns that the page lets it
 * start (its Content-Security-Policy allows the worker, the bundler emitted it).
 *
 * Per run it gets one bucket's buffer (bucketLayout.ts) by transfer, copies the inputs into
 * tensors preallocated for that bucket, runs, writes the outputs into the same buffer and
 * transfers it back: the two threads ping-pong one ArrayBuffer per bucket. Every failure comes
 * back as an "error" message; a failed run returns its buffer too.
 */
import { bucketLayout, bucketSizeOf, copyOutputs, inputSpans, type IBucketLayout } from "./bucketLayout.js";
import type { ISessionValueMetadata } from "./modelManifest.js";
import type { Ort, OrtSession, OrtTensor } from "./onnxRuntime.js";
import type { IWorkerInitMessage, MainToWorkerMessage, WorkerToMainMessage } from "./onnxWorkerProtocol.js";

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

scope.onmessage = (event) => {
    const message = event.data;
    if (message instanceof ArrayBuffer) {
        void runAsync(message);
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
        scope.postMessage({
            type: "ready",
            io: { inputNames: [...session.inputNames], outputNames: [...session.outputNames], inputMetadata: plainMetadata(session.inputMetadata), outputMetadata: plainMetadata(session.outputMetadata) },
        });
    } catch (e) {
        scope.postMessage({ type: "error", stage: "init", message: messageOf(e) });
    }
}

async function runAsync(buffer: ArrayBuffer): Promise<void> {
    const size = bucketSizeOf(buffer.byteLength / Float32Array.BYTES_PER_ELEMENT);
    try {
        if (size < 0) {
            throw new Error(`a run's buffer of ${buffer.byteLength} bytes fits no bucket layout`);
        }
        if (!session) {
            throw new Error("the model worker has no session: a run came before init succeeded");
        }
        const bucket = bucketFor(size);
        const data = new Float32Array(buffer);
        bucket.inputs.set(data.subarray(0, bucket.inputs.length));
        const results = await session.run(bucket.feeds);
        const problems = copyOutputs(results, bucket.layout, data);
        if (problems !== null) {
            scope.postMessage({ type: "error", stage: "run", message: problems.join("; "), outputProblems: problems, buffer }, [buffer]);
            return;
        }
        scope.postMessage(buffer, [buffer]);
    } catch (e) {
        scope.postMessage({ type: "error", stage: "run", message: messageOf(e), buffer }, [buffer]);
    }
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

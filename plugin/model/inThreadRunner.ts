import { bucketLayout, copyOutputs, inputSpans, type IBucketLayout } from "./bucketLayout.js";
import type { IModelRunner } from "./modelRunner.js";
import { OnnxModelError } from "./onnxModelError.js";
import { PromisedRuns } from "./promisedRuns.js";
import type { Ort, OrtSession, OrtTensor } from "./onnxRuntime.js";

interface IInThreadBucket {
    readonly layout: IBucketLayout;
    readonly data: Float32Array;
    /** Tensors over the inputs' spans of `data`: the runtime reads them in place. */
    readonly feeds: Record<string, OrtTensor>;
}

/**
 * An onnxruntime session on the calling thread (Node, WebGPU, and WASM where the model worker
 * cannot run). onnxruntime allocates its result tensors per run; their rows are copied into the
 * bucket's buffer, where the scorer reads every backend's outputs alike.
 */
export class InThreadRunner implements IModelRunner {
    public readonly offThread = false;
    private readonly _buckets = new Map<number, IInThreadBucket>();
    private _released = false;
    private readonly _runs = new PromisedRuns((size) => this.runAsync(size));

    public constructor(
        private readonly _ort: Ort,
        private readonly _session: OrtSession,
        /** Input names in bucket-layout order: features, mask, context, weights. */
        private readonly _inputNames: readonly string[],
    ) {}

    public bufferFor(size: number): Float32Array {
        return this._bucketFor(size).data;
    }

    public async runAsync(size: number): Promise<void> {
        const bucket = this._bucketFor(size);
        const results = await this._session.run(bucket.feeds);
        const problems = copyOutputs(results, bucket.layout, bucket.data);
        if (problems !== null) {
            throw new OnnxModelError("probe-failed", problems);
        }
    }

    /** Starts the run at once, on this thread: there is nothing to hand over. */
    public start(size: number): void {
        this._runs.start(size);
    }

    public handOver(): void {
        // Runs start in start().
    }

    public poll(): boolean {
        return this._runs.poll();
    }

    public whenRunEndsAsync(): Promise<void> {
        return this._runs.whenRunEndsAsync();
    }

    public get endedAtMs(): number {
        return this._runs.endedAtMs;
    }

    public get handOverDelayMs(): number {
        return 0;
    }

    public release(): void {
        if (!this._released) {
            this._released = true;
            void this._session.release().catch(() => undefined);
        }
    }

    private _bucketFor(size: number): IInThreadBucket {
        let bucket = this._buckets.get(size);
        if (!bucket) {
            const layout = bucketLayout(size);
            const data = new Float32Array(layout.length);
            const feeds: Record<string, OrtTensor> = {};
            for (const [i, span] of inputSpans(layout).entries()) {
                feeds[this._inputNames[i]] = new this._ort.Tensor("float32", data.subarray(span.start, span.end), span.dims);
            }
            bucket = { layout, data, feeds };
            this._buckets.set(size, bucket);
        }
        return bucket;
    }
}

import { CONTEXT_COUNT, FEATURE_COUNT } from "../features/featureSchema.js";
import { WEIGHT_COUNT } from "./attentionWeights.js";
import { MODEL_OUTPUT_NAMES, type IBucketLayout, bucketLayout } from "./bucketLayout.js";
import { InThreadRunner } from "./inThreadRunner.js";
import { DEFAULT_MODEL_IO, type IModelIoSpec, type ISessionIo, checkSessionIo, describeTensorSpec } from "./modelManifest.js";
import type { IModelRunner, RunHandOver } from "./modelRunner.js";
import { OnnxModelError, OnnxScorerBusyError } from "./onnxModelError.js";
import { DEFAULT_MODEL_LOAD_OPTIONS, type IModelLoadOptions, readModelBytesAsync } from "./modelDownload.js";
import { type ModelSource, type OrtBuild, describeModelSource, loadOrtAsync, loadedOrtBuilds, ortBuildFor } from "./onnxRuntime.js";
import { RunBudgetWindow, effectiveRunBudgetMs } from "./runBudgetWindow.js";
import type { ILaunchingScorer, IScorerInput, IScorerOutput } from "./scorer.js";
import { type IWasmProxyState, type WasmProxyPreference, wasmProxyInWorker, wasmProxyWithoutWorker, wasmProxyWorkerFailed } from "./wasmProxy.js";
import { OnnxWorkerSession } from "./workerSession.js";

/** Options of `OnnxScorer.CreateAsync`. */
export interface IOnnxScorerOptions extends IModelLoadOptions {
    /** Execution provider. @default "wasm" */
    backend: "webgpu" | "wasm";
    /**
     * The inputs and outputs the file must have. A whole manifest fits, and then its `sha256`
     * is checked too (unless `sha256` is given, which wins, or `integrity` is false). @default DEFAULT_MODEL_IO
     */
    io: IModelIoSpec;
    /** Check the model's SHA-256 when one is known (`sha256`, or a manifest passed as `io`). @default true */
    integrity: boolean;
    /**
     * Candidate counts are padded up to the next bucket (with the mask), so the runtime sees a
     * few fixed shapes and each gets preallocated tensors. A count above the largest bucket
     * adds a bucket at the next power of two. @default [8, 16, 32, 64, 128, 256]
     */
    buckets: readonly number[];
    /**
     * A run slower than this (milliseconds) counts as over budget in `stats`. Through the proxy
     * worker (`wasmProxy`) at least 33 ms: such a run hardly blocks the main thread, and only
     * its result's freshness is at stake. @default 4
     */
    runBudgetMs: number;
    /** Dummy runs per bucket in `warmupAsync`. @default 3 */
    warmupRuns: number;
    /**
     * WASM threads. A process-wide onnxruntime setting that only takes effect before the first
     * session of the page or process starts the WASM runtime; more than 1 needs a
     * cross-origin-isolated page in browsers. @default undefined (runtime default)
     */
    numThreads?: number;
    /**
     * Folder (with trailing slash) or URL prefix holding onnxruntime-web's .wasm files: the
     * full build fetches ort-wasm-simd-threaded.jsep.{mjs,wasm} from it, the WASM-only build
     * ort-wasm-simd-threaded.{mjs,wasm}. @default undefined (runtime default)
     */
    wasmPaths?: string;
    /**
     * Run WASM inference in the plugin's model worker (onnxWorker.worker.ts), which owns the
     * onnxruntime session, so the main thread only writes the inputs, signals the worker and
     * copies the results out: through shared memory on a cross-origin-isolated page, else by
     * posting a buffer (see `wasmProxy` on the scorer for what it got). "auto": on in a browser
     * page where a same-origin module worker can start, off in Node and where the page forbids
     * workers. WebGPU runs on the main thread either way. @default "auto"
     */
    wasmProxy: WasmProxyPreference;
    /**
     * The onnxruntime-web build to load on the page's thread (see onnxRuntime.ts): "full" for
     * WebGPU and WASM, "wasm" for WASM alone (half the download). Pass "full" to a WASM scorer
     * that runs on the page's thread when a WebGPU scorer may follow, so both share one runtime.
     * Once the full build is loaded, WASM scorers use it whatever this says. The model worker
     * imports its own copy and ignores this: the WASM-only build, or the full build where the
     * page has already loaded it.
     * @default "full" for the webgpu backend, "wasm" for the wasm backend
     */
    ortBuild?: OrtBuild;
    /**
     * A GPUDevice offered to onnxruntime's WebGPU provider (for example a WebGPUEngine's
     * device). Measured in Chromium (tests/browser/model.test.ts): onnxruntime-web 1.30 requests
     * its own device regardless and then makes `env.webgpu.device` read-only, so the offer is
     * not taken; it is kept so a runtime that honours it can. Ignored for WASM.
     * @default undefined (ort creates its own)
     */
    webgpuDevice?: unknown;
}

export const DEFAULT_ONNX_SCORER_OPTIONS: Readonly<IOnnxScorerOptions> = Object.freeze({
    ...DEFAULT_MODEL_LOAD_OPTIONS,
    integrity: true,
    backend: "wasm",
    io: DEFAULT_MODEL_IO,
    wasmProxy: "auto",
    buckets: Object.freeze([8, 16, 32, 64, 128, 256]),
    runBudgetMs: 4,
    warmupRuns: 3,
});

/** Run timings, updated after every scored run (warm-up runs are not counted). */
export interface IOnnxRunStats {
    runs: number;
    /** Duration of the last run in milliseconds, including the copy in and out. */
    lastRunMs: number;
    maxRunMs: number;
    totalRunMs: number;
    /** Runs slower than `runBudgetMs`. */
    overBudgetRuns: number;
    /** Over-budget runs in a row (0 after a run within budget). */
    consecutiveOverBudget: number;
    /** Over-budget runs among the last 8; at 5 (`isOverBudget`) the plugin falls back. */
    recentOverBudget: number;
    /** `score()` calls rejected because a run was in flight. */
    refusedRuns: number;
    /** Bucket size of the last run. */
    lastBucket: number;
}

interface IBucket {
    readonly layout: IBucketLayout;
    /** Rows written by the previous run, so only those need clearing. */
    lastCount: number;
}

/**
 * Scores candidates with the ONNX attention ranker through onnxruntime-web.
 *
 * One run at a time: `score()` while a run (or warm-up) is in flight rejects at once with
 * `OnnxScorerBusyError` and leaves `output` untouched, so callers drop the tick rather than
 * queue it (the plugin calls through `exhaustMap` and never hits this). Inputs are copied into
 * one preallocated buffer per bucket (`bucketLayout`) and the outputs read from it, whether the
 * session runs on this thread (`InThreadRunner`; onnxruntime allocates its result tensors per
 * run) or in the plugin's model worker (`OnnxWorkerSession`, `wasmProxy`; the buffer is shared
 * with the worker, or transferred there and back).
 */
export class OnnxScorer implements ILaunchingScorer {
    public readonly isSynchronous = false;

    private readonly _buckets: IBucket[] = [];
    private readonly _stats: IOnnxRunStats = { runs: 0, lastRunMs: 0, maxRunMs: 0, totalRunMs: 0, overBudgetRuns: 0, consecutiveOverBudget: 0, recentOverBudget: 0, refusedRuns: 0, lastBucket: 0 };
    private readonly _budget: RunBudgetWindow;
    private readonly _collectAfterDispose = (): void => {
        try {
            this.collect();
        } catch {
            // The scorer is disposed: nobody is left to tell.
        }
    };
    private _inFlight = false;
    /** The run `launch` started and `collect` has not finished: its bucket, where its scores go, its rows, its start. */
    private _launchedLayout: IBucketLayout | null = null;
    private _launchedOutput: IScorerOutput | null = null;
    private _launchedCount = 0;
    private _launchedAtMs = 0;
    private _isDisposed = false;
    private _released = false;

    /**
     * Loads a model and checks it. `model` is a URL, the file's bytes, or in Node a file path.
     * Throws `OnnxModelError`: "invalid-file" for bytes that are not ONNX, "io-mismatch" naming
     * each missing or mismatched input/output and its expected shape, "probe-failed" when a run
     * with the expected shapes fails, "load-failed" when the file or the backend is unavailable,
     * the file is over `maxModelBytes`, its SHA-256 differs, the read passes `loadTimeoutMs` or
     * `signal` aborts it.
     */
    public static async CreateAsync(model: ModelSource, options: Partial<IOnnxScorerOptions> = {}): Promise<OnnxScorer> {
        const opts: IOnnxScorerOptions = { ...DEFAULT_ONNX_SCORER_OPTIONS, ...options };
        const source = describeModelSource(model);
        let wasmProxy = wasmProxyWithoutWorker(opts.wasmProxy, opts.backend);
        // The worker starts while the model downloads; StartAsync never rejects.
        const workerStarted = wasmProxy === null ? OnnxWorkerSession.StartAsync() : null;
        let bytes: Uint8Array;
        try {
            const manifestSha256 = (opts.io as { sha256?: unknown }).sha256;
            const sha256 = opts.integrity !== false ? (opts.sha256 ?? (typeof manifestSha256 === "string" ? manifestSha256 : undefined)) : undefined;
            bytes = await readModelBytesAsync(model, { maxModelBytes: opts.maxModelBytes, loadTimeoutMs: opts.loadTimeoutMs, sha256, signal: opts.signal });
        } catch (e) {
            void workerStarted?.then((w) => (typeof w === "string" ? undefined : w.release()));
            throw new OnnxModelError("load-failed", [`could not read the model from ${source}: ${messageOf(e)}`]);
        }
        const worker = workerStarted ? await workerStarted : null;
        let runner: IModelRunner;
        let io: ISessionIo;
        if (worker instanceof OnnxWorkerSession) {
            runner = worker;
            try {
                // The worker's copy is its own, so it takes the WASM-only build: half the bytes to
                // fetch and compile before the first model ranking. Only where this page already
                // loaded the full build does it take that, whose files are then in the HTTP cache.
                const build = loadedOrtBuilds().includes("full") ? "full" : "wasm";
                io = await worker.createSessionAsync(bytes, { build, wasmPaths: opts.wasmPaths, numThreads: opts.numThreads, inputNames: INPUT_NAMES });
                wasmProxy = wasmProxyInWorker(opts.wasmProxy, worker.sharedMemoryUnavailable);
            } catch (e) {
                worker.release();
                throw classifyCreateError(e, source, opts.backend, bytes.byteLength, true);
            }
        } else {
            wasmProxy = typeof worker === "string" ? wasmProxyWorkerFailed(opts.wasmProxy, worker) : wasmProxy!;
            const ort = await loadOrtAsync(opts.ortBuild ?? ortBuildFor(opts.backend));
            if (opts.numThreads !== undefined) {
                ort.env.wasm.numThreads = opts.numThreads;
            }
            if (opts.wasmPaths !== undefined) {
                ort.env.wasm.wasmPaths = opts.wasmPaths;
            }
            if (opts.backend === "webgpu" && opts.webgpuDevice !== undefined) {
                try {
                    ort.env.webgpu.device = opts.webgpuDevice as typeof ort.env.webgpu.device extends Promise<infer D> ? D : never;
                } catch {
                    // Read-only once a WebGPU session started (onnxruntime-web 1.30): the offer lapses.
                }
            }
            try {
                const session = await ort.InferenceSession.create(bytes, { executionProviders: [opts.backend], graphOptimizationLevel: "all", logSeverityLevel: 3 });
                runner = new InThreadRunner(ort, session, INPUT_NAMES);
                io = session;
            } catch (e) {
                throw classifyCreateError(e, source, opts.backend, bytes.byteLength, false);
            }
        }
        const problems = checkSessionIo(io, opts.io);
        if (problems.length > 0) {
            runner.release();
            throw new OnnxModelError("io-mismatch", problems);
        }
        const scorer = new OnnxScorer(runner, opts, wasmProxy);
        try {
            await scorer._probeAsync();
        } catch (e) {
            scorer.dispose();
            throw e instanceof OnnxModelError ? e : new OnnxModelError("probe-failed", [`a ${opts.backend} run of ${source} with the expected inputs (${opts.io.inputs.map((s) => `${s.name} ${describeTensorSpec(s)}`).join(", ")}) failed: ${messageOf(e)}`]);
        }
        return scorer;
    }

    private constructor(
        private readonly _runner: IModelRunner,
        private readonly _options: IOnnxScorerOptions,
        private readonly _wasmProxy: IWasmProxyState,
    ) {
        this._budget = new RunBudgetWindow(effectiveRunBudgetMs(_options.runBudgetMs, _runner.offThread));
        for (const size of [..._options.buckets].sort((a, b) => a - b)) {
            this._addBucket(size);
        }
    }

    public get backend(): "webgpu" | "wasm" {
        return this._options.backend;
    }

    /** Whether runs go through the plugin's model worker, and why (see `IOnnxScorerOptions.wasmProxy`). */
    public get wasmProxy(): IWasmProxyState {
        return this._wasmProxy;
    }

    /** True while a run or warm-up is in flight; `score()` would be refused. */
    public get isBusy(): boolean {
        return this._inFlight;
    }

    public get isDisposed(): boolean {
        return this._isDisposed;
    }

    /** Live run statistics (the same object every time; read, do not keep a copy expecting it to change). */
    public get stats(): Readonly<IOnnxRunStats> {
        return this._stats;
    }

    /** Current bucket sizes, ascending. */
    public get bucketSizes(): number[] {
        return this._buckets.map((b) => b.layout.size);
    }

    /** The budget each run is judged against: the `runBudgetMs` option, at least 33 ms through the model worker. */
    public get runBudgetMs(): number {
        return this._budget.budgetMs;
    }

    /** True when most of the last 8 runs took longer than `runBudgetMs` (see `RunBudgetWindow`). */
    public get isOverBudget(): boolean {
        return this._budget.isOverBudget;
    }

    public score(input: IScorerInput, output: IScorerOutput): Promise<void> {
        if (this._isDisposed) {
            return Promise.reject(new Error("the ONNX scorer is disposed"));
        }
        if (this._inFlight) {
            this._stats.refusedRuns++;
            return Promise.reject(new OnnxScorerBusyError());
        }
        if (input.count <= 0) {
            return Promise.resolve();
        }
        this._inFlight = true;
        return this._scoreAsync(input, output);
    }

    /**
     * Starts a run and returns at once, for a caller that looks for its result later instead of
     * awaiting it (the plugin's render loop, on its next tick): through the model worker on
     * shared memory this makes no promise and has nothing wait, so the main thread's part of a
     * run is writing the inputs and announcing the run (a notify only for a worker that went to
     * sleep after a pause). `collect()` finishes the run. Returns
     * false, starting nothing, for no candidates. Throws as `score()` rejects: busy
     * (`OnnxScorerBusyError`, counted in `refusedRuns`) or disposed. With `handOver` "caller"
     * the model worker gets the run only at `handOver()`: no timer task is scheduled for it.
     */
    public launch(input: IScorerInput, output: IScorerOutput, handOver: RunHandOver = "next-task"): boolean {
        if (this._isDisposed) {
            throw new Error("the ONNX scorer is disposed");
        }
        if (this._inFlight) {
            this._stats.refusedRuns++;
            throw new OnnxScorerBusyError();
        }
        if (input.count <= 0) {
            return false;
        }
        this._inFlight = true;
        try {
            const start = performance.now();
            const layout = this._writeInputs(input);
            this._runner.start(layout.size, handOver);
            this._launchedLayout = layout;
            this._launchedOutput = output;
            this._launchedCount = input.count;
            this._launchedAtMs = start;
        } catch (e) {
            this._settle();
            throw e;
        }
        return true;
    }

    /** Passes the launched run on to the model worker now, if `launch` left it waiting (`RunHandOver`). */
    public handOver(): void {
        this._runner.handOver();
    }

    /**
     * Finishes the run `launch` started if it has ended: its scores are then in the output
     * `launch` was given, its time in `stats`, and the scorer is free. False while it runs (or
     * when none was launched). Throws why the run failed; the scorer is free then too.
     */
    public collect(): boolean {
        const layout = this._launchedLayout;
        if (layout === null) {
            return false;
        }
        let ended: boolean;
        try {
            ended = this._runner.poll();
        } catch (e) {
            this._endLaunch();
            throw e;
        }
        if (!ended) {
            return false;
        }
        // The run's time leaves out its wait for the hand-over to the worker: that is the rest of
        // the caller's frame, not the backend's speed, and the run budget judges the backend.
        this._readOutputs(layout, this._launchedOutput!, this._launchedCount, this._runner.endedAtMs - this._launchedAtMs - this._runner.handOverDelayMs);
        this._endLaunch();
        return true;
    }

    /** Resolves once the launched run has ended (at once when none is in flight); never rejects. `collect()` then finishes it. */
    public whenRunEndsAsync(): Promise<void> {
        return this._launchedLayout === null ? RESOLVED : this._runner.whenRunEndsAsync();
    }

    /**
     * A few dummy runs per bucket so the first real ticks do not pay for kernel compilation and
     * allocation. Counts as in flight: `score()` is refused until it settles.
     */
    public async warmupAsync(runsPerBucket: number = this._options.warmupRuns): Promise<void> {
        if (this._inFlight || this._isDisposed) {
            throw this._isDisposed ? new Error("the ONNX scorer is disposed") : new OnnxScorerBusyError();
        }
        this._inFlight = true;
        try {
            for (const bucket of this._buckets) {
                for (let r = 0; r < runsPerBucket && !this._isDisposed; r++) {
                    // Filled before each run: the worker hands back a new buffer.
                    this._fillDummy(bucket, bucket.layout.size);
                    await this._runner.runAsync(bucket.layout.size);
                }
            }
        } finally {
            this._settle();
        }
    }

    /** Releases the session; idempotent. A run in flight finishes first, then the session goes. */
    public dispose(): void {
        if (this._isDisposed) {
            return;
        }
        this._isDisposed = true;
        if (!this._inFlight) {
            this._release();
        } else if (this._launchedLayout !== null) {
            // Nobody may collect a launched run now: finish it here, so the session goes once it ends.
            void this._runner.whenRunEndsAsync().then(this._collectAfterDispose);
        }
    }

    private async _scoreAsync(input: IScorerInput, output: IScorerOutput): Promise<void> {
        try {
            const start = performance.now();
            const layout = this._writeInputs(input);
            await this._runner.runAsync(layout.size);
            this._readOutputs(layout, output, input.count, performance.now() - start);
        } finally {
            this._settle();
        }
    }

    /** Writes the inputs into their bucket's buffer (the worker's own, through shared memory); returns the bucket's layout. */
    private _writeInputs(input: IScorerInput): IBucketLayout {
        const count = input.count;
        const bucket = this._bucketFor(count);
        const { layout } = bucket;
        const data = this._runner.bufferFor(layout.size);
        for (let i = 0; i < CONTEXT_COUNT; i++) {
            data[layout.context + i] = input.context[i];
        }
        for (let i = 0; i < WEIGHT_COUNT; i++) {
            data[layout.weights + i] = input.weights[i];
        }
        this._fill(bucket, data, input.features, count);
        return layout;
    }

    private _readOutputs(layout: IBucketLayout, output: IScorerOutput, count: number, runMs: number): void {
        const results = this._runner.bufferFor(layout.size);
        copyRows(results, layout.outputs[0], output.engagement, count);
        copyRows(results, layout.outputs[1], output.guidance, count);
        copyRows(results, layout.outputs[2], output.dwell, count);
        copyRows(results, layout.outputs[3], output.attention, count);
        this._record(runMs, layout.size);
    }

    /** Writes `count` rows (or zeros when `features` is null) and the mask; clears rows left from the last run. */
    private _fill(bucket: IBucket, data: Float32Array, features: Float32Array | null, count: number): void {
        const used = count * FEATURE_COUNT;
        const { features: at, mask } = bucket.layout;
        if (features) {
            for (let i = 0; i < used; i++) {
                data[at + i] = features[i];
            }
        } else {
            data.fill(0, at, at + used);
        }
        const stale = Math.max(bucket.lastCount, count);
        data.fill(0, at + used, at + stale * FEATURE_COUNT);
        data.fill(1, mask, mask + count);
        data.fill(0, mask + count, mask + stale);
        bucket.lastCount = count;
    }

    /** Zero features for `count` rows, context 0 and weights 1: the inputs of warm-up and probe runs. */
    private _fillDummy(bucket: IBucket, count: number): void {
        const data = this._runner.bufferFor(bucket.layout.size);
        this._fill(bucket, data, null, count);
        data.fill(0, bucket.layout.context, bucket.layout.weights);
        data.fill(1, bucket.layout.weights, bucket.layout.weights + WEIGHT_COUNT);
    }

    private _record(ms: number, bucketSize: number): void {
        const s = this._stats;
        s.runs++;
        s.lastRunMs = ms;
        s.totalRunMs += ms;
        s.lastBucket = bucketSize;
        if (ms > s.maxRunMs) {
            s.maxRunMs = ms;
        }
        if (ms > this._budget.budgetMs) {
            s.overBudgetRuns++;
            s.consecutiveOverBudget++;
        } else {
            s.consecutiveOverBudget = 0;
        }
        this._budget.record(ms);
        s.recentOverBudget = this._budget.overBudgetRuns;
    }

    private _endLaunch(): void {
        this._launchedLayout = null;
        this._launchedOutput = null;
        this._settle();
    }

    private _settle(): void {
        this._inFlight = false;
        if (this._isDisposed) {
            this._release();
        }
    }

    private _release(): void {
        if (!this._released) {
            this._released = true;
            this._runner.release();
        }
    }

    private _bucketFor(count: number): IBucket {
        for (const bucket of this._buckets) {
            if (bucket.layout.size >= count) {
                return bucket;
            }
        }
        // Rare: more candidates than the largest bucket. Grow once; later ticks reuse it.
        return this._addBucket(2 ** Math.ceil(Math.log2(count)));
    }

    private _addBucket(size: number): IBucket {
        const bucket: IBucket = { layout: bucketLayout(size), lastCount: 0 };
        this._buckets.push(bucket);
        this._buckets.sort((a, b) => a.layout.size - b.layout.size);
        return bucket;
    }

    /** One run at the smallest bucket: catches shape errors the metadata did not show (the runner checks each output's shape). */
    private async _probeAsync(): Promise<void> {
        const bucket = this._buckets[0];
        this._fillDummy(bucket, 1);
        await this._runner.runAsync(bucket.layout.size);
        const data = this._runner.bufferFor(bucket.layout.size);
        const problems: string[] = [];
        for (const [i, name] of MODEL_OUTPUT_NAMES.entries()) {
            // Only the real candidate's row: padded rows are masked and may hold anything.
            const value = data[bucket.layout.outputs[i]];
            if (!Number.isFinite(value)) {
                problems.push(`model output "${name}" is ${value} for a candidate: expected a finite number`);
            }
        }
        if (problems.length > 0) {
            throw new OnnxModelError("probe-failed", problems);
        }
    }
}

const RESOLVED = Promise.resolve();

/** Input names in bucket-layout order (features, mask, context, weights). */
const INPUT_NAMES = DEFAULT_MODEL_IO.inputs.map((s) => s.name);

function copyRows(data: Float32Array, offset: number, out: Float32Array, count: number): void {
    for (let i = 0; i < count; i++) {
        out[i] = data[offset + i];
    }
}

function messageOf(e: unknown): string {
    return e instanceof Error ? e.message : String(e);
}

function classifyCreateError(e: unknown, source: string, backend: string, byteLength: number, proxied: boolean): OnnxModelError {
    const message = messageOf(e);
    if (byteLength === 0 || /protobuf parsing failed|failed to load model|invalid model|model_proto/i.test(message)) {
        return new OnnxModelError("invalid-file", [`${source} is not a valid ONNX model: onnxruntime could not parse it (${message})`]);
    }
    const hint = proxied ? "; it runs in the plugin's model worker (wasmProxy): if the worker cannot load onnxruntime-web on this page, pass wasmProxy: false" : "";
    return new OnnxModelError("load-failed", [`could not create a ${backend} session for ${source}: ${message}${hint}`]);
}

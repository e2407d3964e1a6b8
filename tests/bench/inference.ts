/**
 * Inference benchmark: p50/p99 of one OnnxScorer.score() on WASM in Node at several candidate
 * counts and thread counts. onnxruntime-web fixes its thread count when the WASM runtime first
 * starts, so each thread count runs in its own child process (this file, run as a worker).
 *
 * Use: `await measureInferenceAsync()` -> rows `{ backend: "wasm", runtime: "node", proxy: false, threads, k, p50Ms, p99Ms }`;
 * or run `tsx tests/bench/inference.ts` to print them as JSON.
 */
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, WEIGHT_COUNT, packWeights } from "../../plugin/model/attentionWeights";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import { createScorerOutput } from "../../plugin/model/scorer";
import type { WorkerTransport } from "../../plugin/model/wasmProxy";

export interface IInferenceRow {
    backend: "wasm" | "webgpu";
    /** Where it ran: onnxruntime-web in Node (WASM), or in Chromium (tests/bench/browserInference.ts). */
    runtime: "node" | "chromium";
    /** Runs went through the plugin's model worker (never in Node: no document there). */
    proxy: boolean;
    /** Chromium rows through the worker: how runs reached it ("shared-memory" or "message"; null on the main thread). */
    transport?: WorkerTransport | null;
    threads: number;
    k: number;
    p50Ms: number;
    p99Ms: number;
    /** Chromium rows: median main-thread milliseconds per run (tests/bench/browserInference.ts). */
    mainThreadP50Ms?: number;
}

export interface IInferenceBenchOptions {
    /** Candidate counts. @default [16, 64, 256] */
    ks: readonly number[];
    /** WASM thread counts, each in its own process. @default [1, 2] */
    threads: readonly number[];
    /** Timed runs per count. @default 500 */
    runs: number;
    /** Untimed runs per count before timing. @default 500 */
    warmupRuns: number;
}

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = join(dirname(THIS_FILE), "..", "..");
const MODEL_PATH = join(REPO_ROOT, "models", "attention-ranker.onnx");
const WORKER_FLAG = "--inference-worker";

// 500 warm-up runs: the first ~300 runs of a session are about twice as slow while V8 tiers up
// onnxruntime's WebAssembly (measured: 0.82 -> 0.36 ms at K = 16).
const DEFAULTS: IInferenceBenchOptions = { ks: [16, 64, 256], threads: [1, 2], runs: 500, warmupRuns: 500 };

/** Runs the benchmark; each thread count in a child Node process (the caller's process is untouched). */
export async function measureInferenceAsync(options: Partial<IInferenceBenchOptions> = {}): Promise<IInferenceRow[]> {
    const opts = { ...DEFAULTS, ...options };
    const rows: IInferenceRow[] = [];
    for (const threads of opts.threads) {
        const child = spawnSync(process.execPath, ["--import", "tsx", THIS_FILE, WORKER_FLAG, JSON.stringify({ ...opts, threads: [threads] })], {
            cwd: REPO_ROOT,
            encoding: "utf8",
            timeout: 300_000,
        });
        const lastLine = (child.stdout ?? "").trim().split("\n").pop() ?? "";
        if (child.status !== 0 || !lastLine.startsWith("[")) {
            throw new Error(`inference benchmark with ${threads} thread(s) failed: ${child.stderr || child.error?.message || "no output"}`);
        }
        rows.push(...(JSON.parse(lastLine) as IInferenceRow[]));
    }
    return await Promise.resolve(rows);
}

/** In-process measurement for one thread count (must be the first onnxruntime use in the process). */
async function measureInProcessAsync(opts: IInferenceBenchOptions): Promise<IInferenceRow[]> {
    const threads = opts.threads[0];
    const wasmPaths = dirname(createRequire(import.meta.url).resolve("onnxruntime-web")) + "/";
    const rows: IInferenceRow[] = [];
    for (const k of opts.ks) {
        // One bucket of exactly k: the figure is a run at that size, with no padding.
        const scorer = await OnnxScorer.CreateAsync(MODEL_PATH, { buckets: [k], numThreads: threads, wasmPaths });
        const features = new Float32Array(k * FEATURE_COUNT);
        for (let i = 0; i < features.length; i++) {
            features[i] = ((i * 7919) % 1000) / 1000;
        }
        const input = { features, count: k, context: new Float32Array(8).fill(0.5), weights: packWeights(DEFAULT_WEIGHTS, new Float32Array(WEIGHT_COUNT)) };
        const output = createScorerOutput(k);
        for (let i = 0; i < opts.warmupRuns; i++) {
            await scorer.score(input, output);
        }
        const times = new Float64Array(opts.runs);
        for (let i = 0; i < opts.runs; i++) {
            const start = performance.now();
            await scorer.score(input, output);
            times[i] = performance.now() - start;
        }
        scorer.dispose();
        times.sort();
        const at = (q: number): number => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] * 1000) / 1000;
        rows.push({ backend: "wasm", runtime: "node", proxy: false, threads, k, p50Ms: at(0.5), p99Ms: at(0.99) });
    }
    return rows;
}

const workerIndex = process.argv.indexOf(WORKER_FLAG);
if (workerIndex >= 0) {
    const opts = { ...DEFAULTS, ...(JSON.parse(process.argv[workerIndex + 1]) as Partial<IInferenceBenchOptions>) };
    measureInProcessAsync(opts).then(
        (rows) => {
            console.log(JSON.stringify(rows));
            process.exit(0); // worker threads of a multi-threaded runtime would keep the process alive
        },
        (e: unknown) => {
            console.error(e);
            process.exit(1);
        },
    );
} else if (process.argv[1] === THIS_FILE) {
    measureInferenceAsync().then((rows) => console.log(JSON.stringify({ inference: rows }, null, 2)));
}

/**
 * Two model files timed alternately in one process, K = 64, WASM, 1 thread: 500 warm-up runs
 * each, then 20 rounds of 100 runs per file; prints each file's median and the second's ratio
 * to the first. A ratio in one process holds where single timings on a shared machine do not.
 *
 *   npx tsx tests/bench/compareModelFiles.ts <a.onnx> <b.onnx>
 *   e.g. git show <rev>:models/attention-ranker.onnx > /tmp/before.onnx
 *        npx tsx tests/bench/compareModelFiles.ts /tmp/before.onnx models/attention-ranker.onnx
 */
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { DEFAULT_WEIGHTS, WEIGHT_COUNT, packWeights } from "../../plugin/model/attentionWeights";
import { OnnxScorer } from "../../plugin/model/onnxScorer";
import { createScorerOutput } from "../../plugin/model/scorer";

const [a, b] = process.argv.slice(2);
if (!a || !b) {
    throw new Error("compareModelFiles: give two .onnx files");
}
const k = 64;
const wasmPaths = dirname(createRequire(import.meta.url).resolve("onnxruntime-web")) + "/";
const scorers = [await OnnxScorer.CreateAsync(a, { buckets: [k], numThreads: 1, wasmPaths }), await OnnxScorer.CreateAsync(b, { buckets: [k], numThreads: 1, wasmPaths })];
const features = new Float32Array(k * FEATURE_COUNT).map((_, i) => ((i * 7919) % 1000) / 1000);
const input = { features, count: k, context: new Float32Array(8).fill(0.5), weights: packWeights(DEFAULT_WEIGHTS, new Float32Array(WEIGHT_COUNT)) };
const output = createScorerOutput(k);
for (const s of scorers) for (let i = 0; i < 500; i++) await s.score(input, output);
const times: number[][] = [[], []];
for (let round = 0; round < 20; round++) {
    for (let which = 0; which < 2; which++) {
        for (let i = 0; i < 100; i++) {
            const t = performance.now();
            await scorers[which].score(input, output);
            times[which].push(performance.now() - t);
        }
    }
}
const med = (x: number[]) => x.slice().sort((p, q) => p - q)[Math.floor(x.length / 2)];
console.log(`p50 ${a}: ${med(times[0]).toFixed(4)} ms; ${b}: ${med(times[1]).toFixed(4)} ms; ratio ${(med(times[1]) / med(times[0])).toFixed(3)}`);
process.exit(0);

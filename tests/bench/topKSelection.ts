/**
 * The top-K selection alone, plain against seeded from the last pass, on 1,000 rows of which
 * 142 are re-scored between passes (what a tick at 1,000 entities re-evaluates), interleaved:
 *   npx tsx tests/bench/topKSelection.ts [rows = 1000] [k = 64]
 * k = 64 is the model's candidates (one group); k = 10 with three groups is the rankings.
 */
import { GroupTopK, selectTopK, selectTopKPerGroup } from "../../plugin/ranking/selectTopK";

const n = Number(process.argv[2] ?? 1000);
const k = Number(process.argv[3] ?? 64);
let seed = 5;
const random = (): number => (seed = (seed * 16807) % 2147483647) / 2147483647;
const scores = Float32Array.from({ length: n }, random);
const valid = new Uint8Array(n).fill(1);
const kinds = Uint8Array.from({ length: n }, (_, i) => i % 3);
const rescored = Math.round(0.142 * n);

const out = new Int32Array(3 * k);
const sizes = new Int32Array(3);
const candidates = new GroupTopK(k, 1);
const rankings = new GroupTopK(10, 3);
const cases: [string, () => void][] = [
    [`candidates, k = ${k}: plain`, () => selectTopK(scores, n, k, out, valid)],
    [`candidates, k = ${k}: seeded`, () => candidates.select(scores, n, null, valid)],
    ["rankings, 3 kinds x 10: plain", () => selectTopKPerGroup(scores, n, 10, out, sizes, kinds, valid)],
    ["rankings, 3 kinds x 10: seeded", () => rankings.select(scores, n, kinds, valid)],
];
const samples = cases.map(() => [] as number[]);
for (let round = 0; round < 500; round++) {
    for (let j = 0; j < rescored; j++) {
        scores[Math.floor(random() * n)] = random();
    }
    for (let c = 0; c < cases.length; c++) {
        const start = performance.now();
        for (let r = 0; r < 20; r++) {
            cases[c][1]();
        }
        samples[c].push((performance.now() - start) / 20);
    }
}
for (let c = 0; c < cases.length; c++) {
    // The first 100 rounds warm up.
    const sorted = samples[c].slice(100).sort((a, b) => a - b);
    console.log(`${cases[c][0].padEnd(34)} ${(sorted[sorted.length >> 1] * 1000).toFixed(2)} us per pass (median)`);
}

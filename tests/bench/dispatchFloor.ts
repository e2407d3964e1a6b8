/**
 * How fast could any graph of this model run in onnxruntime-web WASM (1 thread, Node)? Times, in
 * one process and interleaved (the development machine's 2 cores are shared, so only ratios
 * within one run compare): a run of a one-node graph, chains of trivial nodes (the per-node
 * dispatch cost), the model's four inputs passed to four outputs (what a run of its interface
 * costs before any arithmetic), the committed file at K = 1, 16 and 64, and the two transformer
 * layers' heavy kernels alone at K = 64 (no embedding, mask, heads or explanation; one input,
 * one output), as the committed file lays them out, with onnxruntime's fused contrib
 * `Attention` (com.microsoft), and at narrower shapes (FFN 32; 16 wide with FFN 32 or 16) that
 * would need a retrained model. Those rows are lower bounds for any graph of each shape,
 * however few its nodes. Figures: docs/performance.md, Model inference.
 *
 * Use: `nice -n 19 npx tsx tests/bench/dispatchFloor.ts` (under a minute).
 */
import { readFileSync } from "node:fs";
import type onnxProto from "onnx-proto";
import * as ort from "onnxruntime-web";
import { OnnxGraphBuilder, onnx } from "../../models/onnxGraphBuilder";
import { MODEL_PATH, setUpOrt } from "../model/modelFixtures";

const D = 32;
const ROUNDS = 7;
const RUNS = 300;
const WARMUP_RUNS = 800;

interface IVariant {
    name: string;
    bytes: Uint8Array;
    feeds: Record<string, ort.Tensor>;
}

/** Deterministic small values: the timing does not depend on them. */
function filler(length: number): Float32Array {
    return new Float32Array(length).map((_, i) => Math.sin(i * 12.9898) * 0.3);
}

function tensor(dims: number[]): ort.Tensor {
    return new ort.Tensor("float32", filler(dims.reduce((a, b) => a * b, 1)), dims);
}

function encode(g: OnnxGraphBuilder, inputs: string[], outputs: string[] = ["y"]): Uint8Array {
    // Shapes are left to onnxruntime's inference: these graphs are only timed.
    const untyped = (name: string): onnxProto.onnx.IValueInfoProto => ({ name, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } });
    const graph = { name: "floor", node: g.nodes, initializer: g.initializers, input: inputs.map(untyped), output: outputs.map(untyped) };
    const opsetImport = [
        { domain: "", version: 17 },
        { domain: "com.microsoft", version: 1 },
    ];
    return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport, graph })).finish();
}

/** `count` Relu nodes in a row over x (count 0: one Identity). */
function reluChain(count: number): Uint8Array {
    const g = new OnnxGraphBuilder();
    let x = "x";
    for (let i = 0; i < Math.max(count, 1); i++) {
        x = g.op(count === 0 ? "Identity" : "Relu", [x], i === Math.max(count, 1) - 1 ? "y" : `relu${i}`);
    }
    return encode(g, ["x"]);
}

/** Width of the tokens, heads and hidden FFN width of a layer-core graph. */
interface ILayerShape {
    d: number;
    heads: number;
    ffn: number;
}

/** The committed architecture (models/architecture.ts). */
const COMMITTED_SHAPE: ILayerShape = { d: D, heads: 2, ffn: 64 };

/**
 * The two layers' attention (Q/K/V, scores, softmax, P V), output projection with residual,
 * and FFN, over x [1, T, d]. `fused`: one contrib Attention node per layer; otherwise the
 * committed file's layout (transposed Q/K/V with the extra mask/ones row per head, Split,
 * MatMuls, Softmax). `masked`: the fused node also reads the key mask, as onnxruntime-web's
 * WebGPU Attention would need it (it rejects mask_index): a [1, H, T, T] attention_bias
 * expanded from "mask". `shape` other than the committed one answers "would a narrower model
 * reach the floor?" without training one (the timing does not depend on the values).
 */
function layerCore(fused: boolean, masked = false, shape: ILayerShape = COMMITTED_SHAPE): Uint8Array {
    const { d, heads, ffn } = shape;
    const rowsPerHead = d / heads + 1;
    const g = new OnnxGraphBuilder();
    const bias = masked ? [g.op("Expand", ["mask", g.addInt64("bias_shape", [1, heads, 65, 65])], "attention_bias")] : [];
    const flat = g.addInt64("flat", [-1, d]);
    const tokens3d = g.addInt64("tokens3d", [1, -1, d]);
    let x2d = g.op("Reshape", ["x", flat], "x2d");
    for (let l = 0; l < 2; l++) {
        const w = (name: string, dims: number[]): string => g.addFloat(`l${l}.${name}.weight`, dims, filler(dims.reduce((a, b) => a * b, 1)));
        const h = g.op("SimplifiedLayerNormalization", [x2d, w("norm1", [d])], `l${l}.norm1`, { axis: -1 });
        let mixed: string;
        let projection: Record<string, number> = {};
        if (fused) {
            const h3d = g.op("Reshape", [h, tokens3d], `l${l}.h3d`);
            const attention = g.op("Attention", [h3d, w("qkv", [d, 3 * d]), w("qkv_bias", [3 * d]), ...(bias.length ? ["", ""] : []), ...bias], `l${l}.attention`, { num_heads: heads });
            g.nodes[g.nodes.length - 1].domain = "com.microsoft";
            mixed = g.op("Reshape", [attention, flat], `l${l}.mixed`);
        } else {
            const qkvRows = 3 * heads * rowsPerHead;
            const qkvT = g.op("Gemm", [w("qkv_t", [qkvRows, d]), h, w("qkv_bias_t", [qkvRows, 1])], `l${l}.qkv_t_flat`, { transB: 1 });
            const [qT, kT, vT] = g.node("Split", [g.op("Reshape", [qkvT, g.addInt64(`l${l}.qkv_shape`, [3 * heads, rowsPerHead, -1])], `l${l}.qkv_t`)], `l${l}.split`, { axis: 0 }, 3);
            const scores = g.op("MatMul", [g.op("Transpose", [qT], `l${l}.q`, { perm: [0, 2, 1] }), kT], `l${l}.scores`);
            const probs = g.op("Softmax", [scores], `l${l}.probs`, { axis: -1 });
            const mixedT = g.op("MatMul", [vT, g.op("Transpose", [probs], `l${l}.probs_t`, { perm: [0, 2, 1] })], `l${l}.mixed_t`);
            mixed = g.op("Reshape", [mixedT, g.addInt64(`l${l}.mixed_shape`, [heads * rowsPerHead, -1])], `l${l}.mixed`);
            projection = { transA: 1 };
        }
        const x1 = g.op("Gemm", [mixed, w("out", [fused ? d : heads * rowsPerHead, d]), x2d], `l${l}.attn_residual`, projection);
        const h2 = g.op("SimplifiedLayerNormalization", [x1, w("norm2", [d])], `l${l}.norm2`, { axis: -1 });
        const hidden = g.op("Relu", [g.op("Gemm", [h2, w("ffn_in", [d, ffn]), w("ffn_in_bias", [ffn])], `l${l}.ffn_in`)], `l${l}.relu`);
        x2d = g.op("Gemm", [hidden, w("ffn_out", [ffn, d]), x1], l === 1 ? "y" : `l${l}.ffn_residual`);
    }
    return encode(g, masked ? ["x", "mask"] : ["x"]);
}

/**
 * The run's own cost for the real model's four inputs and four outputs (shapes at K = 64), with
 * nothing computed: each output an Identity of one input.
 */
function fourInputsFourOutputs(): Uint8Array {
    const g = new OnnxGraphBuilder();
    const inputs = ["features", "mask", "context", "weights"];
    inputs.forEach((name) => g.op("Identity", [name], `${name}_out`));
    return encode(g, inputs, inputs.map((name) => `${name}_out`));
}

function committedFeeds(k: number): Record<string, ort.Tensor> {
    return { features: tensor([1, k, 16]), mask: new ort.Tensor("float32", new Float32Array(k).fill(1), [1, k]), context: tensor([1, 8]), weights: tensor([8]) };
}

/** Median over rounds of each variant's p50, the variants interleaved round by round. */
async function measureAsync(variants: IVariant[]): Promise<number[]> {
    const sessions: ort.InferenceSession[] = [];
    for (const v of variants) {
        sessions.push(await ort.InferenceSession.create(v.bytes, { executionProviders: ["wasm"], graphOptimizationLevel: "all", logSeverityLevel: 3 }));
    }
    for (let i = 0; i < WARMUP_RUNS; i++) {
        for (let s = 0; s < sessions.length; s++) {
            await sessions[s].run(variants[s].feeds);
        }
    }
    const p50s = variants.map(() => new Float64Array(ROUNDS));
    const times = new Float64Array(RUNS);
    for (let r = 0; r < ROUNDS; r++) {
        for (let s = 0; s < sessions.length; s++) {
            for (let i = 0; i < RUNS; i++) {
                const start = performance.now();
                await sessions[s].run(variants[s].feeds);
                times[i] = performance.now() - start;
            }
            p50s[s][r] = times.sort()[RUNS >> 1];
        }
    }
    for (const session of sessions) {
        await session.release();
    }
    return p50s.map((p) => p.sort()[ROUNDS >> 1]);
}

async function mainAsync(): Promise<void> {
    setUpOrt();
    const committed = new Uint8Array(readFileSync(MODEL_PATH));
    const variants: IVariant[] = [
        { name: "committed file, K = 64", bytes: committed, feeds: committedFeeds(64) },
        { name: "committed file, K = 16", bytes: committed, feeds: committedFeeds(16) },
        { name: "committed file, K = 1", bytes: committed, feeds: committedFeeds(1) },
        { name: "1 node (Identity), [65, 32]", bytes: reluChain(0), feeds: { x: tensor([65, D]) } },
        { name: "4 Identity nodes: the model's 4 inputs to 4 outputs, K = 64", bytes: fourInputsFourOutputs(), feeds: committedFeeds(64) },
        ...[10, 30, 60].flatMap((n) => [
            { name: `${n} Relu nodes, [2, 32]`, bytes: reluChain(n), feeds: { x: tensor([2, D]) } },
            { name: `${n} Relu nodes, [65, 32]`, bytes: reluChain(n), feeds: { x: tensor([65, D]) } },
        ]),
        { name: "2 layers' kernels only, committed layout, K = 64", bytes: layerCore(false), feeds: { x: tensor([1, 65, D]) } },
        { name: "2 layers' kernels only, fused Attention, K = 64", bytes: layerCore(true), feeds: { x: tensor([1, 65, D]) } },
        { name: "the same, fused Attention with the key mask, K = 64", bytes: layerCore(true, true), feeds: { x: tensor([1, 65, D]), mask: new ort.Tensor("float32", new Float32Array(65), [1, 1, 1, 65]) } },
        { name: "2 layers' kernels only, committed layout, FFN 32, K = 64", bytes: layerCore(false, false, { d: D, heads: 2, ffn: 32 }), feeds: { x: tensor([1, 65, D]) } },
        { name: "2 layers' kernels only, committed layout, 16 wide (2 heads of 8), FFN 32, K = 64", bytes: layerCore(false, false, { d: 16, heads: 2, ffn: 32 }), feeds: { x: tensor([1, 65, 16]) } },
        { name: "2 layers' kernels only, committed layout, 16 wide, FFN 16, K = 64", bytes: layerCore(false, false, { d: 16, heads: 2, ffn: 16 }), feeds: { x: tensor([1, 65, 16]) } },
    ];
    const medians = await measureAsync(variants);
    console.log("| graph | p50 ms | / committed K = 64 |\n|---|---|---|");
    variants.forEach((v, i) => console.log(`| ${v.name} | ${medians[i].toFixed(3)} | ${(medians[i] / medians[0]).toFixed(2)} |`));
}

mainAsync().then(
    () => process.exit(0),
    (e: unknown) => {
        console.error(e);
        process.exit(1);
    },
);

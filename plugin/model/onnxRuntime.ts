/**
 * Loads onnxruntime-web lazily, once (model bytes are read by modelDownload.ts). Lazy so that importing the plugin pulls in no runtime until a model scorer is
 * actually created; the heuristic-only path never loads it.
 *
 * "onnxruntime-web" is the right entry everywhere: in browsers it resolves to the bundle with
 * the WebGPU and WASM providers, in Node to the WASM-only build (which finds its .wasm file in
 * node_modules by itself; pass `wasmPaths` to override).
 */
import type * as OrtModule from "onnxruntime-web";

export type Ort = typeof OrtModule;
export type OrtSession = OrtModule.InferenceSession;
export type OrtTensor = OrtModule.Tensor;

/** Where a model comes from: a URL (or a file path in Node), or the file's bytes. */
export type ModelSource = string | ArrayBuffer | Uint8Array;

let ortPromise: Promise<Ort> | undefined;

/** The shared onnxruntime-web module (imported on first call). */
export function loadOrtAsync(): Promise<Ort> {
    ortPromise ??= import("onnxruntime-web");
    return ortPromise;
}

/** True under Node (tests, benchmarks, tools), where string sources may be file paths. */
export function isNodeRuntime(): boolean {
    const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
    return typeof p?.versions?.node === "string" && typeof (globalThis as { window?: unknown }).window === "undefined";
}

/** A short name for a model source, for error messages (never the bytes). */
export function describeModelSource(source: ModelSource): string {
    if (typeof source === "string") {
        return `"${source}"`;
    }
    return `a ${source.byteLength}-byte buffer`;
}

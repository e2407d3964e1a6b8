/**
 * Loads onnxruntime-web lazily, once per build (model bytes are read by modelDownload.ts). Lazy
 * so that importing the plugin pulls in no runtime until a model scorer is actually created;
 * the heuristic-only path never loads it.
 *
 * Two builds, chosen by what the page may run:
 * - "wasm" (`onnxruntime-web/wasm`): the WASM provider alone, which fetches
 *   ort-wasm-simd-threaded.{mjs,wasm} (about 14 MB of WASM);
 * - "full" (`onnxruntime-web`): the WebGPU and WASM providers, which fetch
 *   ort-wasm-simd-threaded.jsep.{mjs,wasm} (about 28 MB) for either provider.
 * Once the full build is loaded a "wasm" request gets it too (the model worker, which imports
 * its own copy, is told to take the full build then), so a page never fetches the WASM-only
 * files for a WASM fallback. In Node both names load the package's
 * Node build (WASM only; it finds its .wasm file in node_modules by itself; `wasmPaths` overrides).
 */
import type * as OrtModule from "onnxruntime-web";

export type Ort = typeof OrtModule;
export type OrtSession = OrtModule.InferenceSession;
export type OrtTensor = OrtModule.Tensor;

/** Which onnxruntime-web build to load: "full" (WebGPU and WASM) or "wasm" (WASM only, half the download). */
export type OrtBuild = "full" | "wasm";

/** Where a model comes from: a URL (or a file path in Node), or the file's bytes. */
export type ModelSource = string | ArrayBuffer | Uint8Array;

let fullPromise: Promise<Ort> | undefined;
let wasmPromise: Promise<Ort> | undefined;

/** The shared onnxruntime-web module of a build (imported on first call). @param build @default "full" */
export function loadOrtAsync(build: OrtBuild = "full"): Promise<Ort> {
    if (isNodeRuntime()) {
        fullPromise ??= import("onnxruntime-web");
        return fullPromise;
    }
    if (build === "wasm" && fullPromise === undefined) {
        wasmPromise ??= import("onnxruntime-web/wasm");
        return wasmPromise;
    }
    fullPromise ??= import("onnxruntime-web");
    return fullPromise;
}

/** The builds imported so far (or being imported), for diagnostics and tests. */
export function loadedOrtBuilds(): OrtBuild[] {
    return [...(fullPromise ? (["full"] as const) : []), ...(wasmPromise ? (["wasm"] as const) : [])];
}

/** The build a scorer of `backend` loads unless told otherwise: WebGPU needs the full build. */
export function ortBuildFor(backend: "webgpu" | "wasm"): OrtBuild {
    return backend === "webgpu" ? "full" : "wasm";
}

/**
 * The WebGPU adapter the page would get, as "vendor / architecture / description", or null
 * where it gets none: `navigator.gpu` missing, or no adapter (a browser may expose
 * `navigator.gpu` and still have no adapter, e.g. Chromium on Linux without its WebGPU flags).
 * Never rejects.
 */
export async function describeWebGpuAdapterAsync(): Promise<string | null> {
    const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string; description?: string } } | null> } | null } }).navigator?.gpu;
    if (!gpu) {
        return null;
    }
    try {
        const adapter = await gpu.requestAdapter();
        if (adapter === null) {
            return null;
        }
        const info = adapter.info ?? {};
        return `${info.vendor ?? ""} / ${info.architecture ?? ""} / ${info.description ?? ""}`;
    } catch {
        return null;
    }
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

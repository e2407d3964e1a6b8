/**
 * Where WASM inference runs: `true` in the plugin's model worker (onnxWorker.worker.ts), `false`
 * on the calling thread, `"auto"` in the worker wherever one can start (a browser page whose
 * Content-Security-Policy allows same-origin workers), else on the calling thread. WebGPU runs
 * on the main thread either way: its work is on the GPU.
 */
export type WasmProxyPreference = boolean | "auto";

/**
 * How model runs reach the plugin's model worker. "shared-memory": the inputs and outputs sit in
 * a SharedArrayBuffer both threads use, and a run is signalled through `Atomics`, with no message
 * (a cross-origin-isolated page). "message": each run's buffer is posted to the worker and back.
 */
export type WorkerTransport = "shared-memory" | "message";

/** What `wasmProxy` was asked for and what the scorer got. */
export interface IWasmProxyState {
    /** The `wasmProxy` option this scorer or plugin was given. */
    readonly requested: WasmProxyPreference;
    /** True when model runs go through the plugin's model worker. */
    readonly enabled: boolean;
    /** How runs reach the worker; null when they do not go through it. */
    readonly transport: WorkerTransport | null;
    /** One sentence saying why it is on or off, and why runs do not pass through shared memory when they do not. */
    readonly reason: string;
}

/** What `wasmProxy` accepts. */
export const WASM_PROXY_PREFERENCES: readonly WasmProxyPreference[] = Object.freeze(["auto", true, false]);

/** Why the model worker could not start on this page, once one failed: later scorers do not try again. */
let pageWorkerFailure: string | undefined;

/** Returns `value` if it is a `wasmProxy` preference; otherwise throws naming the valid ones. */
export function checkWasmProxyPreference(value: unknown, name: string): WasmProxyPreference {
    if (!(WASM_PROXY_PREFERENCES as readonly unknown[]).includes(value)) {
        throw new Error(`${name} must be true, false or "auto"; got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
    return value as WasmProxyPreference;
}

/**
 * The state of a scorer that will not try the model worker, or null when it should: only WASM
 * goes to the worker, only from a page (a document) that has `Worker`, unless asked not to, and
 * not again on a page where the worker already failed to start.
 */
export function wasmProxyWithoutWorker(requested: WasmProxyPreference, backend: "webgpu" | "wasm"): IWasmProxyState | null {
    const off = (reason: string): IWasmProxyState => ({ requested, enabled: false, transport: null, reason });
    if (backend === "webgpu") {
        return off("WebGPU runs on the main thread (its work is on the GPU); wasmProxy moves WASM inference only");
    }
    if (typeof document === "undefined") {
        return off("no document here (Node, or a worker): WASM runs on this thread");
    }
    if (requested === false) {
        return off("off (wasmProxy: false): WASM runs on the main thread");
    }
    if (typeof Worker !== "function") {
        return off("no Worker here: WASM runs on the main thread");
    }
    if (pageWorkerFailure !== undefined) {
        return off(workerFailureReason(pageWorkerFailure));
    }
    return null;
}

/**
 * The state of a scorer whose model worker answered; `sharedMemoryUnavailable` says why runs
 * pass by message (null: they pass through shared memory).
 */
export function wasmProxyInWorker(requested: WasmProxyPreference, sharedMemoryUnavailable: string | null): IWasmProxyState {
    const on = "on: WASM runs in the plugin's model worker, off the main thread";
    if (sharedMemoryUnavailable === null) {
        return { requested, enabled: true, transport: "shared-memory", reason: `${on}; runs pass through shared memory` };
    }
    return { requested, enabled: true, transport: "message", reason: `${on}; runs pass by message, not through shared memory: ${sharedMemoryUnavailable}` };
}

/** The state of a scorer whose model worker could not start; remembered for the page. */
export function wasmProxyWorkerFailed(requested: WasmProxyPreference, failure: string): IWasmProxyState {
    pageWorkerFailure ??= failure;
    return { requested, enabled: false, transport: null, reason: workerFailureReason(failure) };
}

function workerFailureReason(failure: string): string {
    return `a worker could not start here (${failure}): WASM runs on the main thread`;
}

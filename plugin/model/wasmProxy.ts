import type { Ort } from "./onnxRuntime.js";

/**
 * Where onnxruntime-web runs WASM inference: `true` in its worker (`ort.env.wasm.proxy`), `false`
 * on the calling thread, `"auto"` in the worker wherever one can start (a browser page whose
 * Content-Security-Policy allows same-origin workers), else on the calling thread.
 */
export type WasmProxyPreference = boolean | "auto";

/** What `wasmProxy` was asked for and what the page got. */
export interface IWasmProxyState {
    /** The `wasmProxy` option this scorer or plugin was given. */
    readonly requested: WasmProxyPreference;
    /** True when model runs go through onnxruntime-web's worker. */
    readonly enabled: boolean;
    /** One sentence saying why it is on or off. */
    readonly reason: string;
}

/** What `wasmProxy` accepts. */
export const WASM_PROXY_PREFERENCES: readonly WasmProxyPreference[] = Object.freeze(["auto", true, false]);

/** How long the probe worker may take to answer before the proxy counts as unavailable. */
const PROBE_TIMEOUT_MS = 10_000;

interface IDecision {
    readonly enabled: boolean;
    readonly reason: string;
    /** True when the page itself rules the proxy out (no document, no Worker, a worker cannot start), whatever is asked. */
    readonly forced: boolean;
}

/** The page's one decision: `ort.env` is global and fixed once the first session starts the runtime. */
let decided: Promise<IDecision> | undefined;

/** Returns `value` if it is a `wasmProxy` preference; otherwise throws naming the valid ones. */
export function checkWasmProxyPreference(value: unknown, name: string): WasmProxyPreference {
    if (!(WASM_PROXY_PREFERENCES as readonly unknown[]).includes(value)) {
        throw new Error(`${name} must be true, false or "auto"; got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
    return value as WasmProxyPreference;
}

/**
 * Sets `ort.env.wasm.proxy` for this page before its first session and says what it got. The
 * first call decides: onnxruntime-web reads the flag on every call but starts its runtime once,
 * on one side of the worker boundary, so a later scorer asking otherwise gets the page's setting
 * and a reason saying so. A proxy that cannot start poisons onnxruntime-web's WASM backend for
 * the page, so the worker is probed first and, if it cannot start, the proxy stays off.
 */
export async function settleWasmProxyAsync(ort: Ort, requested: WasmProxyPreference): Promise<IWasmProxyState> {
    decided ??= decideAsync(ort, requested);
    const { enabled, reason, forced } = await decided;
    // Each onnxruntime-web build (the full one, the WASM-only one) has an env of its own: a
    // second build loaded later in the page follows the page's decision too.
    if (typeof ort.env.wasm.proxy !== "boolean" && typeof document !== "undefined") {
        ort.env.wasm.proxy = enabled;
    }
    if (requested !== "auto" && requested !== enabled && !forced) {
        return { requested, enabled, reason: `fixed ${enabled ? "on" : "off"} for this page by its first model session (${reason})` };
    }
    return { requested, enabled, reason };
}

async function decideAsync(ort: Ort, requested: WasmProxyPreference): Promise<IDecision> {
    // onnxruntime-web proxies only where a document exists (its own check), so in Node and inside
    // a worker it runs on the calling thread whatever the flag says.
    if (typeof document === "undefined") {
        return { enabled: false, forced: true, reason: "no document here (Node, or a worker): onnxruntime-web runs WASM on this thread" };
    }
    const preset = ort.env.wasm.proxy;
    if (typeof preset === "boolean") {
        // Set by the page, or by onnxruntime itself when a session started before this one.
        return { enabled: preset, forced: false, reason: `ort.env.wasm.proxy was already ${preset} before the plugin's first session` };
    }
    if (requested === false) {
        ort.env.wasm.proxy = false;
        return { enabled: false, forced: false, reason: "off (wasmProxy: false): WASM runs on the main thread" };
    }
    if (typeof Worker !== "function") {
        ort.env.wasm.proxy = false;
        return { enabled: false, forced: true, reason: "no Worker here: WASM runs on the main thread" };
    }
    const failure = await probeWorkerAsync();
    if (failure !== null) {
        ort.env.wasm.proxy = false;
        return { enabled: false, forced: true, reason: `a worker could not start here (${failure}): WASM runs on the main thread` };
    }
    ort.env.wasm.proxy = true;
    return { enabled: true, forced: false, reason: "on: WASM runs in onnxruntime-web's worker, off the main thread" };
}

/** Starts the probe worker; resolves null once it answers, or why it could not start. */
function probeWorkerAsync(): Promise<string | null> {
    return new Promise((resolve) => {
        let worker: Worker | undefined;
        let violation: string | null = null;
        const onViolation = (e: SecurityPolicyViolationEvent): void => {
            violation = `the page's Content-Security-Policy forbids it: ${e.violatedDirective}`;
        };
        const timer = setTimeout(() => finish(`the probe worker did not answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
        const finish = (failure: string | null): void => {
            clearTimeout(timer);
            document.removeEventListener("securitypolicyviolation", onViolation);
            worker?.terminate();
            resolve(failure);
        };
        document.addEventListener("securitypolicyviolation", onViolation);
        try {
            // The literal `new Worker(new URL(..., import.meta.url))` form is what bundlers (Vite,
            // webpack, Parcel) recognise and emit as a worker chunk.
            worker = new Worker(new URL("./wasmProxyProbe.worker.js", import.meta.url), { type: "module", name: "babylon-attention-wasm-proxy-probe" });
        } catch (e) {
            finish(e instanceof Error ? e.message : String(e));
            return;
        }
        worker.onmessage = () => finish(null);
        // A blocked worker fires its error event after the page's violation event.
        worker.onerror = () => finish(violation ?? "the probe worker failed to load");
    });
}

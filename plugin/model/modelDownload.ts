import { isNodeRuntime, type ModelSource } from "./onnxRuntime.js";

/**
 * Reading a model's bytes under limits: a model comes over the network or from a path a game
 * was configured with, so neither its size nor the server's speed is trusted. The size is
 * checked before anything is read where it is known (a buffer, a file's size, Content-Length)
 * and again while streaming, so an oversized model is never held whole; the read is abandoned
 * at the timeout or when the caller aborts, closing the connection.
 */
export interface IModelLoadOptions {
    /** The largest model accepted, bytes. The packaged model is about 85 KB. [1 KiB, 2 GiB] @default 4 MiB (4,194,304) */
    maxModelBytes: number;
    /** How long reading the model may take, ms; then the load fails and the heuristic goes on ranking. [100, 600,000] @default 30,000 */
    loadTimeoutMs: number;
    /** Lowercase hex SHA-256 the model's bytes must have; needs `crypto.subtle` (a secure context in browsers). @default undefined (not checked) */
    sha256?: string;
    /** Abandons the read (and the load) when aborted. @default undefined */
    signal?: AbortSignal;
}

/** The model-loading limits used unless overridden: a size cap a few MB above the packaged model, and a load timeout. */
export const DEFAULT_MODEL_LOAD_OPTIONS: Readonly<IModelLoadOptions> = Object.freeze({
    maxModelBytes: 4 * 1024 * 1024,
    loadTimeoutMs: 30_000,
});

const RANGES = Object.freeze({ maxModelBytes: [1024, 2 * 1024 * 1024 * 1024], loadTimeoutMs: [100, 600_000] } as const);

/** Fills in the defaults and checks each limit once; throws a RangeError naming the first that is out of range. */
export function resolveModelLoadOptions(options: Partial<IModelLoadOptions>, context: string, names: Partial<Record<keyof typeof RANGES, string>> = {}): IModelLoadOptions {
    const resolved: IModelLoadOptions = { ...DEFAULT_MODEL_LOAD_OPTIONS, sha256: options.sha256, signal: options.signal };
    for (const key of Object.keys(RANGES) as (keyof typeof RANGES)[]) {
        const value = options[key] ?? DEFAULT_MODEL_LOAD_OPTIONS[key];
        const [min, max] = RANGES[key];
        if (!Number.isInteger(value) || value < min || value > max) {
            throw new RangeError(`${context}: ${names[key] ?? key} must be an integer in [${min}, ${max}]; got ${typeof value === "number" ? value : JSON.stringify(value)}`);
        }
        resolved[key] = value;
    }
    if (options.sha256 !== undefined && !/^[0-9a-f]{64}$/.test(options.sha256)) {
        throw new RangeError(`${context}: sha256 must be 64 lowercase hex digits; got ${JSON.stringify(String(options.sha256).slice(0, 80))}`);
    }
    return resolved;
}

/**
 * Reads the model file into bytes under `options`' size cap and timeout, then checks its
 * SHA-256 when one is given. URLs go through fetch; in Node anything that is not an
 * http(s)/data/blob URL is read from the file system (file:// URLs included).
 */
export async function readModelBytesAsync(source: ModelSource, options: Partial<IModelLoadOptions> = {}): Promise<Uint8Array> {
    const opts = resolveModelLoadOptions(options, "readModelBytesAsync");
    const controller = new AbortController();
    const onAbort = () => controller.abort(opts.signal?.reason ?? new Error("aborted"));
    if (opts.signal?.aborted) {
        throw abortError(opts.signal);
    }
    opts.signal?.addEventListener("abort", onAbort, { once: true });
    const timer = setTimeout(() => controller.abort(new Error(`the load took longer than loadTimeoutMs (${opts.loadTimeoutMs} ms)`)), opts.loadTimeoutMs);
    try {
        const bytes = await Promise.race([readAsync(source, opts.maxModelBytes, controller.signal), rejectOnAbort(controller.signal)]);
        if (opts.sha256 !== undefined) {
            await checkSha256Async(bytes, opts.sha256);
        }
        return bytes;
    } finally {
        clearTimeout(timer);
        opts.signal?.removeEventListener("abort", onAbort);
        // Ends whatever is still in flight (a stalled body, a file read) once the race is decided.
        controller.abort(new Error("done"));
    }
}

async function readAsync(source: ModelSource, maxBytes: number, signal: AbortSignal): Promise<Uint8Array> {
    if (source instanceof Uint8Array || source instanceof ArrayBuffer) {
        checkSize(source.byteLength, maxBytes, "the buffer");
        return source instanceof Uint8Array ? source : new Uint8Array(source);
    }
    const isWebUrl = /^(https?|data|blob):/i.test(source);
    if (isNodeRuntime() && !isWebUrl) {
        // A variable specifier keeps bundlers from pulling node:fs into browser builds.
        const fsModule = "node:fs/promises";
        const urlModule = "node:url";
        const fs = (await import(/* @vite-ignore */ fsModule)) as typeof import("node:fs/promises");
        const path = /^file:/i.test(source) ? ((await import(/* @vite-ignore */ urlModule)) as typeof import("node:url")).fileURLToPath(source) : source;
        checkSize((await fs.stat(path)).size, maxBytes, "the file");
        return new Uint8Array(await fs.readFile(path, { signal }));
    }
    const response = await fetch(source, { signal });
    if (!response.ok) {
        await response.body?.cancel().catch(() => undefined);
        throw new Error(`HTTP ${response.status} ${response.statusText}`);
    }
    const declared = response.headers.get("content-length");
    if (declared !== null && Number(declared) > maxBytes) {
        await response.body?.cancel().catch(() => undefined);
        checkSize(Number(declared), maxBytes, "the server's Content-Length");
    }
    if (!response.body) {
        const buffer = await response.arrayBuffer();
        checkSize(buffer.byteLength, maxBytes, "the response");
        return new Uint8Array(buffer);
    }
    const reader = response.body.getReader();
    const parts: Uint8Array[] = [];
    let total = 0;
    for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        total += value.byteLength;
        if (total > maxBytes) {
            await reader.cancel().catch(() => undefined);
            checkSize(total, maxBytes, "the response (so far)");
        }
        parts.push(value);
    }
    if (parts.length === 1) {
        return parts[0];
    }
    const bytes = new Uint8Array(total);
    let at = 0;
    for (const part of parts) {
        bytes.set(part, at);
        at += part.byteLength;
    }
    return bytes;
}

function checkSize(size: number, maxBytes: number, what: string): void {
    if (size > maxBytes) {
        throw new Error(`${what} is ${size} bytes, over maxModelBytes (${maxBytes}); raise maxModelBytes if this model is meant to be that large`);
    }
}

/** Rejects once `signal` aborts, with its reason: a read that ignores the signal cannot hang the load. */
function rejectOnAbort(signal: AbortSignal): Promise<never> {
    return new Promise((_, reject) => signal.addEventListener("abort", () => reject(abortError(signal)), { once: true }));
}

function abortError(signal: AbortSignal): Error {
    const reason: unknown = signal.reason;
    return reason instanceof Error ? reason : new Error(`aborted${reason === undefined ? "" : `: ${String(reason)}`}`);
}

async function checkSha256Async(bytes: Uint8Array, expected: string): Promise<void> {
    const subtle = (globalThis as { crypto?: Crypto }).crypto?.subtle;
    if (!subtle) {
        throw new Error("cannot check the model's sha256: crypto.subtle is unavailable (browsers offer it only in secure contexts: https or localhost); serve the page securely or turn the integrity check off");
    }
    const digest = new Uint8Array(await subtle.digest("SHA-256", bytes as Uint8Array<ArrayBuffer>));
    const actual = Array.from(digest, (b) => b.toString(16).padStart(2, "0")).join("");
    if (actual !== expected) {
        throw new Error(`sha256 ${actual} does not match the expected ${expected}: the file is not the model it should be`);
    }
}

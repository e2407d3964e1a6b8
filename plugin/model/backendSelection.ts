import { HeuristicScorer } from "./heuristicScorer.js";
import { type IOnnxScorerOptions, OnnxScorer } from "./onnxScorer.js";
import type { ModelSource } from "./onnxRuntime.js";
import type { IAttentionScorer, ScorerBackend } from "./scorer.js";

/** The backend to try first; `"auto"` times WebGPU against WASM where both exist. */
export type BackendPreference = "auto" | ScorerBackend;

/** Options of `createScorerAsync`: the preference, and the ONNX options for the model backends. */
export interface ICreateScorerOptions extends Partial<Omit<IOnnxScorerOptions, "backend">> {
    /**
     * Which scorer to try first. Backends are tried one at a time in the order
     * webgpu -> wasm -> heuristic, starting at the preference ("auto" starts at webgpu when
     * `navigator.gpu` exists, else at wasm); the heuristic always works, so this never fails.
     * @default "auto"
     */
    backend?: BackendPreference;
    /**
     * The ONNX model: a URL, the file's bytes, or in Node a file path. Without it "auto" picks
     * the heuristic silently, and an explicit "webgpu"/"wasm" records a failure and falls back.
     */
    model?: ModelSource;
    /** Warm the model scorer up (a few dummy runs per bucket) before returning it. @default true */
    warmup?: boolean;
    /** Try the backends after the preferred one when it fails. false: only the preferred one, else the heuristic. @default true */
    fallBack?: boolean;
    /** Called once, only when at least one backend failed, with one sentence naming each failure. */
    onWarning?: (message: string) => void;
}

/** A backend that could not be used, and why. */
export interface IBackendFailure {
    readonly backend: ScorerBackend;
    readonly error: Error;
}

/** What `createScorerAsync` made: the scorer, its backend, and why each better backend failed. */
export interface ICreateScorerResult {
    readonly scorer: IAttentionScorer;
    /** The backend that worked (also `scorer.backend`). */
    readonly backend: ScorerBackend;
    /** Backends tried before it, in order, with why each failed. */
    readonly failures: readonly IBackendFailure[];
}

/** Every backend, best first: the one order that creation and every fallback follow. */
export const BACKEND_ORDER: readonly ScorerBackend[] = Object.freeze(["webgpu", "wasm", "heuristic"]);

/** What `backend` accepts. */
export const BACKEND_PREFERENCES: readonly BackendPreference[] = Object.freeze(["auto", ...BACKEND_ORDER]);

/** The backend a failing one falls back to (the heuristic never fails, and falls back to itself). */
export function nextBackend(failed: ScorerBackend): ScorerBackend {
    return BACKEND_ORDER[Math.min(BACKEND_ORDER.indexOf(failed) + 1, BACKEND_ORDER.length - 1)];
}

/** Returns `value` if it names a backend preference; otherwise throws listing the valid ones. */
export function checkBackendPreference(value: unknown, name: string): BackendPreference {
    if (!(BACKEND_PREFERENCES as readonly unknown[]).includes(value)) {
        throw new Error(`${name} must be one of ${BACKEND_PREFERENCES.map((b) => `"${b}"`).join(", ")}; got ${typeof value === "string" ? JSON.stringify(value) : String(value)}`);
    }
    return value as BackendPreference;
}

/** True where the page exposes WebGPU (a browser with `navigator.gpu`). */
export function hasWebGpu(): boolean {
    const nav = (globalThis as { navigator?: { gpu?: unknown } }).navigator;
    return nav?.gpu !== undefined && nav.gpu !== null;
}

/** The backends `createScorerAsync` will try for a preference, in order. */
export function backendCandidates(preference: BackendPreference, webGpuAvailable: boolean = hasWebGpu()): ScorerBackend[] {
    const first: ScorerBackend = preference === "auto" ? (webGpuAvailable ? "webgpu" : "wasm") : preference;
    return BACKEND_ORDER.slice(BACKEND_ORDER.indexOf(first));
}

/**
 * Creates the best scorer that works here, trying one backend at a time and keeping the
 * first that loads, passes the manifest check and (by default) warms up. Failures are
 * returned and reported through one `onWarning` call; the heuristic ends every chain. Once
 * `signal` aborts, no further backend is tried and nothing is reported: the heuristic is returned.
 */
export async function createScorerAsync(options: ICreateScorerOptions = {}): Promise<ICreateScorerResult> {
    const { backend: preference = "auto", model, warmup = true, fallBack = true, onWarning, ...scorerOptions } = options;
    const failures: IBackendFailure[] = [];
    let scorer: IAttentionScorer | undefined;
    // Without a model, "auto" means the heuristic by choice, not a failure worth a warning.
    const chain = backendCandidates(preference);
    const candidates = model === undefined && preference === "auto" ? ["heuristic" as const] : fallBack ? chain : [chain[0], "heuristic" as const];
    for (const backend of candidates) {
        // Aborted (the owner was disposed): trying the next backend would only fail the same way.
        if (backend === "heuristic" || scorerOptions.signal?.aborted) {
            scorer = new HeuristicScorer();
            break;
        }
        if (model === undefined) {
            failures.push({ backend, error: new Error(`no model given for the ${backend} backend`) });
            continue;
        }
        try {
            const candidate = await OnnxScorer.CreateAsync(model, { ...scorerOptions, backend });
            if (warmup) {
                try {
                    await candidate.warmupAsync();
                } catch (e) {
                    candidate.dispose();
                    throw e;
                }
            }
            scorer = candidate;
            break;
        } catch (e) {
            failures.push({ backend, error: e instanceof Error ? e : new Error(String(e)) });
        }
    }
    // The loop always ends at the heuristic, so `scorer` is set; the guard keeps types honest.
    scorer ??= new HeuristicScorer();
    if (failures.length > 0 && onWarning && !scorerOptions.signal?.aborted) {
        onWarning(`attention scorer: using ${scorer.backend} after ${failures.map((f) => `${f.backend} failed (${f.error.message})`).join("; ")}`);
    }
    return { scorer, backend: scorer.backend, failures };
}

import { needsRecheck, type IBackendChoice } from "./backendChoice.js";

/**
 * How long a remembered "auto" choice stands before the page measures again: long enough that a
 * player's later visits skip the measurement (and, where WASM won, the full onnxruntime-web
 * build), short enough that a driver or browser update is noticed within a week.
 */
export const REMEMBERED_CHOICE_MAX_AGE_MS = 7 * 24 * 60 * 60 * 1000;

/** What "auto" measured on a device, kept between page loads. */
export interface IRememberedChoice {
    readonly choice: IBackendChoice;
    /** When it was measured, ms since the epoch. */
    readonly measuredAt: number;
    /** Where it was measured (`IBackendChoiceSlot.device`): a choice stands only on the same one. */
    readonly device: string;
}

/**
 * Where "auto" keeps its choice between page loads, one entry per model (`IBackendChoiceSlot.key`).
 * Reads and writes never throw.
 */
export interface IBackendChoiceMemory {
    recall(key: string): IRememberedChoice | null;
    remember(key: string, remembered: IRememberedChoice): void;
}

/** What a kept choice is filed under, and what it must match to stand. */
export interface IBackendChoiceSlot {
    /** The storage key: one per model, so a browser update replaces its entry rather than adding one. */
    readonly key: string;
    /** The WebGPU adapter, the browser and the WASM threads: any change and the page measures again. */
    readonly device: string;
}

/** What a slot is made of. */
export interface IBackendChoiceSlotParts {
    /** The model's SHA-256, or its URL where no hash is known. */
    model: string;
    /** The WebGPU adapter's vendor, architecture and description. */
    adapter: string;
    /** The browser (its user agent string): a new version may run either backend faster. */
    browser: string;
    wasmThreads: number | undefined;
}

const KEY_PREFIX = "babylon-attention.backendChoice:";

export function backendChoiceSlot(parts: IBackendChoiceSlotParts): IBackendChoiceSlot {
    return { key: KEY_PREFIX + parts.model, device: JSON.stringify([parts.adapter, parts.browser, parts.wasmThreads ?? null]) };
}

/**
 * The page's `localStorage`, or null where there is none (Node, a worker) or reading it throws
 * (storage blocked for the page, a sandboxed frame).
 */
function pageStorage(): Storage | null {
    try {
        return (globalThis as { localStorage?: Storage }).localStorage ?? null;
    } catch {
        return null;
    }
}

/**
 * Keeps choices in the page's `localStorage`. Without storage, or when it refuses a write (full,
 * blocked), nothing is kept and "auto" measures on every load, as it would without memory.
 */
export class LocalStorageBackendChoiceMemory implements IBackendChoiceMemory {
    public recall(key: string): IRememberedChoice | null {
        let text: string | null = null;
        try {
            text = pageStorage()?.getItem(key) ?? null;
        } catch {
            return null;
        }
        return text === null ? null : parseRememberedChoice(text);
    }

    public remember(key: string, remembered: IRememberedChoice): void {
        try {
            pageStorage()?.setItem(key, JSON.stringify(remembered));
        } catch {
            // Full or blocked: the next load measures again.
        }
    }
}

/** A stored choice, or null when the text is not one (another version's, or edited by hand). */
export function parseRememberedChoice(text: string): IRememberedChoice | null {
    let value: unknown;
    try {
        value = JSON.parse(text);
    } catch {
        return null;
    }
    const { choice, measuredAt, device } = (value ?? {}) as Partial<IRememberedChoice>;
    if (typeof measuredAt !== "number" || !Number.isFinite(measuredAt) || typeof device !== "string" || typeof choice !== "object" || choice === null) {
        return null;
    }
    const { k, chosen, reason, timings } = choice;
    const isBackend = (b: unknown): boolean => b === "wasm" || b === "webgpu";
    // Only what "auto" keeps: two backends timed, none stalled, the fastest first and chosen.
    // A choice without two timings could never be re-checked when K moves.
    if (!Number.isInteger(k) || k <= 0 || !isBackend(chosen) || typeof reason !== "string" || !Array.isArray(timings) || timings.length < 2) {
        return null;
    }
    const timingsValid = timings.every((t: unknown) => {
        const timing = t as { backend?: unknown; medianMs?: unknown; runs?: unknown; stoppedEarly?: unknown; stalled?: unknown };
        return isBackend(timing?.backend) && typeof timing.medianMs === "number" && typeof timing.runs === "number" && typeof timing.stoppedEarly === "boolean" && timing.stalled !== true;
    });
    return timingsValid && timings[0].backend === chosen ? { choice, measuredAt, device } : null;
}

/**
 * True when a remembered choice still stands for this load: measured less than `maxAgeMs` ago
 * (and not in the future: a clock set back), at a K the running page would not re-check it at
 * (`needsRecheck`: within a factor of 2).
 */
export function isRememberedChoiceFresh(remembered: IRememberedChoice, k: number, nowMs: number, maxAgeMs = REMEMBERED_CHOICE_MAX_AGE_MS): boolean {
    const age = nowMs - remembered.measuredAt;
    return age >= 0 && age < maxAgeMs && !needsRecheck(remembered.choice, k);
}

import type { IAttentionWeights } from "../model/attentionWeights.js";

/** What loading and saving weights need of the plugin (AttentionPlugin fits). */
export interface IWeightsJsonTarget {
    get weights(): IAttentionWeights;
    set weights(value: Partial<IAttentionWeights> | string);
    exportWeights(): string;
}

/** The longest message shown for pasted weights, characters: it goes to the Inspector's message bar. */
export const MAX_WEIGHTS_MESSAGE_CHARS = 600;

/** The file name offered when weights are downloaded. */
export const WEIGHTS_FILE_NAME = "attention-weights.json";

/**
 * Loads weights from JSON text (the format `exportWeights()` writes, or any subset of it).
 * Returns null when they applied, or the plugin's message saying what is wrong: nothing is
 * applied then, not even the valid fields.
 */
export function applyWeightsJson(attention: IWeightsJsonTarget, text: string): string | null {
    if (typeof text !== "string" || text.trim().length === 0) {
        return "weights JSON is empty; paste or load the text that Export wrote";
    }
    try {
        attention.weights = text;
        return null;
    } catch (error) {
        const message = String((error as Error).message).replace(/^AttentionPlugin: /, "");
        return message.length > MAX_WEIGHTS_MESSAGE_CHARS ? `${message.slice(0, MAX_WEIGHTS_MESSAGE_CHARS)}... (${message.length} characters)` : message;
    }
}

/** Copies the weights JSON to the clipboard; resolves to null, or a message when it could not. */
export async function copyWeightsJsonAsync(attention: IWeightsJsonTarget): Promise<string | null> {
    const clipboard = typeof navigator !== "undefined" ? navigator.clipboard : undefined;
    if (!clipboard) {
        return "the clipboard is unavailable here (it needs a secure context); use Download instead";
    }
    try {
        await clipboard.writeText(attention.exportWeights());
        return null;
    } catch (error) {
        return `could not copy: ${(error as Error).message}`;
    }
}

/** Saves the weights JSON as a file through the browser's download. */
export function downloadWeightsJson(attention: IWeightsJsonTarget, fileName = WEIGHTS_FILE_NAME): void {
    const url = URL.createObjectURL(new Blob([attention.exportWeights()], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    link.click();
    // Revoked on the next task: Chromium starts the download from the click synchronously.
    setTimeout(() => URL.revokeObjectURL(url), 0);
}

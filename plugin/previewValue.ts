/**
 * A short, bounded rendering of any value for an error message: strings are quoted and cut,
 * arrays and objects are shown a few levels deep and a few entries wide. Input comes from
 * files and pasted text, so neither its size nor its depth may reach the message (a message
 * must stay readable, and JSON.stringify of a value nested thousands deep throws).
 */
export function previewValue(value: unknown, maxChars: number = PREVIEW_MAX_CHARS): string {
    if (typeof value === "string") {
        return previewString(value, maxChars);
    }
    const text = render(value, 0, maxChars);
    return text.length > maxChars ? `${text.slice(0, maxChars)}...` : text;
}

/** The longest preview a message quotes, characters. */
export const PREVIEW_MAX_CHARS = 200;

/** Levels of arrays and objects a preview opens before writing "...". */
const PREVIEW_DEPTH = 3;

/** Quotes `text` as JSON, cut to `maxChars` with its full length named. */
export function previewString(text: string, maxChars: number = PREVIEW_MAX_CHARS): string {
    if (text.length <= maxChars) {
        return JSON.stringify(text);
    }
    return `${JSON.stringify(text.slice(0, maxChars))}... (${text.length} characters)`;
}

function render(value: unknown, depth: number, budget: number): string {
    if (typeof value === "string") {
        return previewString(value, budget);
    }
    if (value === null || typeof value !== "object") {
        return typeof value === "bigint" ? `${value}n` : String(value);
    }
    const isArray = Array.isArray(value);
    if (depth >= PREVIEW_DEPTH) {
        return isArray ? "[...]" : "{...}";
    }
    const keys = isArray ? null : Object.keys(value);
    const length = isArray ? (value as unknown[]).length : keys!.length;
    const parts: string[] = [];
    let used = 2;
    for (let i = 0; i < length && used < budget; i++) {
        const item = isArray ? (value as unknown[])[i] : (value as Record<string, unknown>)[keys![i]];
        const part = isArray ? render(item, depth + 1, budget - used) : `${previewString(keys![i], 40)}:${render(item, depth + 1, budget - used)}`;
        parts.push(part);
        used += part.length + 1;
    }
    if (parts.length < length) {
        parts.push(`... ${length - parts.length} more`);
    }
    return isArray ? `[${parts.join(",")}]` : `{${parts.join(",")}}`;
}

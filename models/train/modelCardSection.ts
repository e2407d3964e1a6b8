/**
 * Rewrites the generated part of models/RESULTS.md (between the training-results markers) from a
 * training report, so the table in the results record is always the one the committed model got.
 * The rest of that file is written by hand and left alone.
 */
import { readFileSync, writeFileSync } from "node:fs";

export const RESULTS_START = "<!-- training-results:start (written by npm run train; edit models/train/modelCardSection.ts instead) -->";
export const RESULTS_END = "<!-- training-results:end -->";

/** Replaces the marked section's body, or appends the markers and body at the end. */
export function replaceResultsSection(markdown: string, body: string): string {
    const start = markdown.indexOf(RESULTS_START);
    const end = markdown.indexOf(RESULTS_END);
    const block = `${RESULTS_START}\n${body.trim()}\n${RESULTS_END}`;
    if (start >= 0 && end > start) {
        return markdown.slice(0, start) + block + markdown.slice(end + RESULTS_END.length);
    }
    return markdown.trimEnd() + "\n\n" + block + "\n";
}

export function updateModelCard(path: string, body: string): void {
    writeFileSync(path, replaceResultsSection(readFileSync(path, "utf8"), body));
}

import { previewValue } from "../previewValue.js";
import { decodeChunk, decodeHeader, type IDecodedChunk } from "./sessionDecode.js";
import { unsealLine, type IRecordedEntity, type IRecordedSession, type IRecordedTick, type ISessionHeader } from "./sessionFormat.js";
import { resolveSessionLimits, type ISessionLimits, type SessionLoadBudget } from "./sessionLimits.js";
import { OverlongLine, splitSessionLines, type SessionSource } from "./sessionLines.js";

/** Something wrong with a session file, located precisely enough to find it. */
export interface ISessionProblem {
    /** The name the file was read under. */
    file: string;
    /** 1-based line number. */
    line: number;
    /** Chunk index when the line is a chunk, else -1. */
    chunk: number;
    /** "rejected": the whole file is unusable; "skipped": this chunk was left out. */
    action: "rejected" | "skipped";
    message: string;
}

/** What `readSessionAsync` could read, and every problem it met on the way. */
export interface IReadSessionResult {
    /** The usable part of the session, or null when the file was rejected. */
    session: IRecordedSession | null;
    problems: ISessionProblem[];
}

/** Options of `readSessionAsync`. */
export interface IReadSessionOptions extends ISessionLimits {
    /** Reject the whole file on any damaged chunk instead of skipping the chunk. @default false */
    strict: boolean;
    /**
     * The budget of a load of many files, shared by every read of the load: a file that would
     * overrun it is rejected and the sessions already read are kept. @default none (only this file's limits)
     */
    budget?: SessionLoadBudget;
}

/** One line of text per problem: `file:line (chunk c): skipped: message`. */
export function formatSessionProblem(problem: ISessionProblem): string {
    const chunk = problem.chunk >= 0 ? ` (chunk ${problem.chunk})` : "";
    return `${problem.file}:${problem.line}${chunk}: ${problem.action}: ${problem.message}`;
}

/**
 * Reads a recorded session (docs/recording.md) from its text, its lines, or its bytes (a Node
 * read stream, `Blob.stream()`, a fetch body). A header that is not a session of this feature
 * schema rejects the file; a damaged chunk (cut short, checksum mismatch, a field of the wrong
 * type or out of range, NaN or infinite values, wrong sizes, a line over `maxLineBytes`) is
 * skipped whole and reported with the file name, line, chunk and reason, or rejects the file
 * when `strict`. A file over `maxFileBytes` or `maxFileTicks`, or over the load's `budget`, is
 * rejected and reading stops there. Nothing damaged is ever returned, and every object returned
 * is built from checked fields. Throws only for invalid options or a source that fails to read.
 */
export async function readSessionAsync(source: SessionSource, name: string, options: Partial<IReadSessionOptions> = {}): Promise<IReadSessionResult> {
    const limits = resolveSessionLimits(options, "readSessionAsync");
    const strict = options.strict ?? false;
    const budget = options.budget;
    const problems: ISessionProblem[] = [];
    const reject = (line: number, chunk: number, message: string): IReadSessionResult => {
        problems.push({ file: name, line, chunk, action: "rejected", message });
        return { session: null, problems };
    };

    let header: ISessionHeader | null = null;
    const entities = new Map<number, IRecordedEntity>();
    const ticks: IRecordedTick[] = [];
    let lineNumber = 0;
    let expectedChunk = 0;
    let nextTick = 0;
    let bytes = 0;
    for await (const raw of splitSessionLines(source, limits.maxLineBytes)) {
        lineNumber++;
        bytes += raw.length + 1;
        if (bytes > limits.maxFileBytes + 1) {
            return reject(lineNumber, -1, `the file is larger than maxFileBytes (${limits.maxFileBytes} bytes); reading stopped at this line`);
        }
        if (budget && budget.bytes + bytes > budget.maxBytes + 1) {
            return reject(lineNumber, -1, `the load's byte budget (${budget.maxBytes} bytes, ${budget.bytes} already used by earlier files) is spent; reading stopped at this line`);
        }
        if (raw instanceof OverlongLine) {
            const message = `line is ${raw.length} bytes, over maxLineBytes (${limits.maxLineBytes}); it was not read`;
            if (header === null) {
                return reject(lineNumber, -1, `header ${message}`);
            }
            const chunkGuess = guessChunkIndex(raw.head);
            if (strict) {
                return reject(lineNumber, chunkGuess, message);
            }
            problems.push({ file: name, line: lineNumber, chunk: chunkGuess, action: "skipped", message });
            continue;
        }
        const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (line.length === 0) {
            continue;
        }
        const unsealed = unsealLine(line);
        if (header === null) {
            if (!unsealed.ok) {
                return reject(lineNumber, -1, `header line is damaged: ${unsealed.error}`);
            }
            const decoded = decodeHeader(unsealed.value, limits);
            if (typeof decoded === "string") {
                return reject(lineNumber, -1, decoded);
            }
            header = decoded;
            continue;
        }
        let chunkGuess = unsealed.ok && isChunkIndex(unsealed.value.chunk) ? unsealed.value.chunk : guessChunkIndex(line);
        let result: IDecodedChunk | string;
        if (!unsealed.ok) {
            result = `chunk is damaged: ${unsealed.error}`;
        } else {
            result = decodeChunkSafely(unsealed.value, entities, limits);
            if (typeof result !== "string") {
                chunkGuess = result.chunk;
                if (result.chunk < expectedChunk || result.firstTick < nextTick) {
                    result = `chunk ${result.chunk} (ticks from ${result.firstTick}) repeats or goes back: expected chunk ${expectedChunk} or later, ticks from ${nextTick}`;
                } else if (result.chunk > expectedChunk) {
                    // Chunks are written in order: a gap means lines went missing in between.
                    problems.push({ file: name, line: lineNumber, chunk: result.chunk, action: "skipped", message: `chunk ${result.chunk} follows chunk ${expectedChunk - 1}: ${result.chunk - expectedChunk} chunk(s) missing before it (kept)` });
                }
            }
        }
        if (typeof result === "string") {
            if (strict) {
                return reject(lineNumber, chunkGuess, result);
            }
            problems.push({ file: name, line: lineNumber, chunk: chunkGuess, action: "skipped", message: result });
            if (chunkGuess >= expectedChunk) {
                expectedChunk = chunkGuess + 1;
            }
            continue;
        }
        if (ticks.length + result.ticks.length > limits.maxFileTicks) {
            return reject(lineNumber, result.chunk, `the file holds more than maxFileTicks (${limits.maxFileTicks}) ticks; reading stopped at this chunk`);
        }
        if (budget && budget.ticks + ticks.length + result.ticks.length > budget.maxTicks) {
            return reject(lineNumber, result.chunk, `the load's tick budget (${budget.maxTicks} ticks, ${budget.ticks} already used by earlier files) is spent; reading stopped at this chunk`);
        }
        expectedChunk = result.chunk + 1;
        nextTick = result.firstTick + result.ticks.length;
        for (const entity of result.entities) {
            entities.set(entity.id, entity);
        }
        // One push per tick: spreading a chunk's ticks into push() overflows the stack on a large chunk.
        for (const tick of result.ticks) {
            ticks.push(tick);
        }
    }
    if (header === null) {
        return reject(Math.max(1, lineNumber), -1, "empty file: no header line");
    }
    if (budget) {
        budget.ticks += ticks.length;
        budget.bytes += bytes;
    }
    return { session: { name, header, entities, ticks }, problems };
}

/** A chunk's checks should never throw, but a file must not be able to end a whole load if one does. */
function decodeChunkSafely(value: Record<string, unknown>, entities: ReadonlyMap<number, IRecordedEntity>, limits: ISessionLimits): IDecodedChunk | string {
    try {
        return decodeChunk(value, entities, limits);
    } catch (error) {
        return `chunk could not be decoded: ${previewValue(error instanceof Error ? error.message : error)}`;
    }
}

function isChunkIndex(value: unknown): value is number {
    return Number.isSafeInteger(value) && (value as number) >= 0;
}

/** The chunk index of a damaged line, read from its start (chunks begin with `{"chunk":N`). */
function guessChunkIndex(line: string): number {
    const match = /^\{"chunk":(\d{1,15})[,}]/.exec(line);
    return match ? Number(match[1]) : -1;
}

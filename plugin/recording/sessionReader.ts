import { TARGET_KINDS } from "../attentionTypes";
import { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../features/featureSchema";
import { WEIGHT_COUNT, WEIGHT_NAMES } from "../model/attentionWeights";
import {
    decodeFloat32,
    PLAYER_STRIDE,
    SESSION_FORMAT,
    SESSION_FORMAT_VERSION,
    unsealLine,
    type IRecordedEntity,
    type IRecordedEvent,
    type IRecordedSession,
    type IRecordedTick,
    type ISessionHeader,
} from "./sessionFormat";

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
export interface IReadSessionOptions {
    /** Reject the whole file on any damaged chunk instead of skipping the chunk. @default false */
    strict: boolean;
}

/** One line of text per problem: `file:line (chunk c): skipped: message`. */
export function formatSessionProblem(problem: ISessionProblem): string {
    const chunk = problem.chunk >= 0 ? ` (chunk ${problem.chunk})` : "";
    return `${problem.file}:${problem.line}${chunk}: ${problem.action}: ${problem.message}`;
}

/**
 * Reads a recorded session (docs/recording.md) from its text or lines. A header that is not a
 * session of this feature schema rejects the file; a damaged chunk (cut short, checksum
 * mismatch, NaN or infinite values, wrong sizes) is skipped and reported with the file name,
 * line and chunk, or rejects the file when `strict`. Nothing damaged is ever returned.
 */
export async function readSessionAsync(source: string | Iterable<string> | AsyncIterable<string>, name: string, options: Partial<IReadSessionOptions> = {}): Promise<IReadSessionResult> {
    const strict = options.strict ?? false;
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
    for await (const raw of toLines(source)) {
        lineNumber++;
        const line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
        if (line.length === 0) {
            continue;
        }
        const unsealed = unsealLine(line);
        if (header === null) {
            if (!unsealed.ok) {
                return reject(lineNumber, -1, `header line is damaged: ${unsealed.error}`);
            }
            const problem = checkHeader(unsealed.value);
            if (problem) {
                return reject(lineNumber, -1, problem);
            }
            header = unsealed.value as unknown as ISessionHeader;
            continue;
        }
        const chunkGuess = unsealed.ok ? Number(unsealed.value.chunk) : guessChunkIndex(line);
        let result: IRecordedTick[] | string;
        if (!unsealed.ok) {
            result = `chunk is damaged: ${unsealed.error}`;
        } else {
            result = decodeChunk(unsealed.value, entities);
            if (typeof result !== "string" && chunkGuess !== expectedChunk) {
                // Chunks are written in order: a gap means lines went missing in between.
                problems.push({ file: name, line: lineNumber, chunk: chunkGuess, action: "skipped", message: `chunk ${chunkGuess} follows chunk ${expectedChunk - 1}: ${chunkGuess - expectedChunk} chunk(s) missing before it (kept)` });
            }
        }
        if (typeof result === "string") {
            if (strict) {
                return reject(lineNumber, chunkGuess, result);
            }
            problems.push({ file: name, line: lineNumber, chunk: chunkGuess, action: "skipped", message: result });
            if (Number.isInteger(chunkGuess) && chunkGuess >= expectedChunk) {
                expectedChunk = chunkGuess + 1;
            }
            continue;
        }
        expectedChunk = chunkGuess + 1;
        ticks.push(...result);
    }
    if (header === null) {
        return reject(Math.max(1, lineNumber), -1, "empty file: no header line");
    }
    return { session: { name, header, entities, ticks }, problems };
}

function checkHeader(value: Record<string, unknown>): string | null {
    if (value.format !== SESSION_FORMAT) {
        return `not a babylon-attention session (format ${JSON.stringify(value.format)})`;
    }
    if (value.formatVersion !== SESSION_FORMAT_VERSION) {
        return `session format version ${String(value.formatVersion)} is not the supported ${SESSION_FORMAT_VERSION}`;
    }
    if (value.featureSchemaVersion !== FEATURE_SCHEMA_VERSION) {
        return `feature schema version ${String(value.featureSchemaVersion)} does not match this build's ${FEATURE_SCHEMA_VERSION}: record again or convert the file`;
    }
    const same = (a: unknown, b: readonly string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(value.featureNames, FEATURE_NAMES) || !same(value.contextNames, CONTEXT_NAMES) || !same(value.weightNames, WEIGHT_NAMES)) {
        return "feature, context or weight names differ from this build's schema although the version matches";
    }
    if (typeof value.sessionId !== "string" || typeof value.layoutId !== "string") {
        return "header lacks sessionId or layoutId";
    }
    return null;
}

/** Decodes and checks one chunk; returns its ticks, or why it is unusable. */
function decodeChunk(value: Record<string, unknown>, entities: Map<number, IRecordedEntity>): IRecordedTick[] | string {
    const c = value as Record<string, never>;
    const tickCount = value.ticks;
    if (!Number.isInteger(tickCount) || (tickCount as number) < 1 || !Number.isInteger(value.firstTick) || !Number.isInteger(value.chunk)) {
        return "chunk lacks chunk, firstTick or ticks";
    }
    const m = tickCount as number;
    const time = c.time as unknown;
    const count = c.count as unknown;
    const ids = c.ids as unknown;
    if (!isNumberArray(time, m) || !isNumberArray(count, m) || !Array.isArray(ids)) {
        return `time, count or ids do not hold ${m} ticks`;
    }
    const rows = (count as number[]).reduce((sum, n) => sum + n, 0);
    if ((ids as unknown[]).length !== rows || !(ids as unknown[]).every((id) => Number.isInteger(id))) {
        return `ids hold ${(ids as unknown[]).length} entries for ${rows} entity rows`;
    }
    const blocks: Record<string, Float32Array> = {};
    const sizes: Record<string, number> = {
        features: rows * FEATURE_COUNT,
        context: m * CONTEXT_COUNT,
        weights: m * WEIGHT_COUNT,
        player: m * PLAYER_STRIDE,
        distance: rows,
        gazeAngle: rows,
    };
    for (const [key, size] of Object.entries(sizes)) {
        const block = decodeFloat32(c[key] as string);
        if (!block) {
            return `${key} is not base64 float32 data`;
        }
        if (block.length !== size) {
            return `${key} holds ${block.length} values; expected ${size}`;
        }
        for (let i = 0; i < block.length; i++) {
            if (!Number.isFinite(block[i])) {
                const stride = key === "features" ? FEATURE_COUNT : key === "context" ? CONTEXT_COUNT : key === "weights" ? WEIGHT_COUNT : key === "player" ? PLAYER_STRIDE : 1;
                return `${key} holds a non-finite value (${block[i]}) in row ${Math.floor(i / stride)}`;
            }
        }
        blocks[key] = block;
    }
    const chunkEntities = c.entities as unknown;
    if (!Array.isArray(chunkEntities)) {
        return "entities is missing";
    }
    const known = new Map<number, IRecordedEntity>();
    for (const entity of chunkEntities as IRecordedEntity[]) {
        if (!entity || !Number.isInteger(entity.id) || !TARGET_KINDS.includes(entity.kind) || typeof entity.label !== "string") {
            return `entity ${JSON.stringify(entity)} is malformed`;
        }
        known.set(entity.id, { id: entity.id, kind: entity.kind, label: entity.label });
    }
    for (const id of ids as number[]) {
        if (!known.has(id)) {
            return `entity id ${id} is used but not listed in the chunk`;
        }
    }
    const events = c.events as unknown;
    if (!Array.isArray(events)) {
        return "events is missing";
    }
    const firstTick = value.firstTick as number;
    for (const event of events as IRecordedEvent[]) {
        if (!event || !Number.isInteger(event.tick) || event.tick < firstTick || event.tick >= firstTick + m || !known.has(event.id) || typeof event.type !== "string") {
            return `event ${JSON.stringify(event)} is malformed or outside the chunk`;
        }
    }

    for (const [id, entity] of known) {
        entities.set(id, entity);
    }
    const idArray = Int32Array.from(ids as number[]);
    const out: IRecordedTick[] = [];
    let row = 0;
    for (let t = 0; t < m; t++) {
        const n = (count as number[])[t];
        out.push({
            index: firstTick + t,
            timeMs: (time as number[])[t],
            ids: idArray.subarray(row, row + n),
            features: blocks.features.subarray(row * FEATURE_COUNT, (row + n) * FEATURE_COUNT),
            context: blocks.context.subarray(t * CONTEXT_COUNT, (t + 1) * CONTEXT_COUNT),
            weights: blocks.weights.subarray(t * WEIGHT_COUNT, (t + 1) * WEIGHT_COUNT),
            player: blocks.player.subarray(t * PLAYER_STRIDE, (t + 1) * PLAYER_STRIDE),
            distance: blocks.distance.subarray(row, row + n),
            gazeAngle: blocks.gazeAngle.subarray(row, row + n),
            events: [],
        });
        row += n;
    }
    for (const event of events as IRecordedEvent[]) {
        out[event.tick - firstTick].events.push(event);
    }
    return out;
}

function isNumberArray(value: unknown, length: number): boolean {
    return Array.isArray(value) && value.length === length && value.every((x) => typeof x === "number" && Number.isFinite(x));
}

/** The chunk index of a damaged line, read from its start (chunks begin with `{"chunk":N`). */
function guessChunkIndex(line: string): number {
    const match = /^\{"chunk":(\d+)/.exec(line);
    return match ? Number(match[1]) : -1;
}

async function* toLines(source: string | Iterable<string> | AsyncIterable<string>): AsyncIterable<string> {
    if (typeof source === "string") {
        const lines = source.split("\n");
        // A trailing newline leaves one empty string, not a line.
        if (lines.length > 0 && lines[lines.length - 1] === "") {
            lines.pop();
        }
        yield* lines;
        return;
    }
    yield* source as AsyncIterable<string>;
}

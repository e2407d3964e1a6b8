import type { TargetKind } from "../attentionTypes.js";
import { CONTEXT_NAMES, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../features/featureSchema.js";
import { WEIGHT_NAMES } from "../model/attentionWeights.js";

/**
 * The recorded-session file format (docs/recording.md). JSON Lines: one header line, then one
 * line per chunk of ticks. Every line ends in a `"check":"<length>:<fnv1a>"` field over the
 * line's own text, so a reader can tell a complete chunk from one cut short by a crash, and
 * every chunk carries everything needed to read it (its entity table and all its arrays), so a
 * damaged chunk costs only its own ticks.
 */
export const SESSION_FORMAT = "babylon-attention-session";

/** Bump when the line layout changes (the feature columns are versioned separately). */
export const SESSION_FORMAT_VERSION = 1;

/** Floats per tick in a chunk's `player` block: position xyz, gaze origin xyz, gaze direction xyz, gaze confidence. */
export const PLAYER_STRIDE = 10;

/** The header line. */
export interface ISessionHeader {
    format: typeof SESSION_FORMAT;
    formatVersion: number;
    featureSchemaVersion: number;
    featureNames: string[];
    contextNames: string[];
    weightNames: string[];
    /** Random per session; never derived from the player. */
    sessionId: string;
    /** The world or level the session was played in. */
    layoutId: string;
    /** Ticks per chunk the recorder was asked for (the last chunk may be shorter). */
    chunkTicks: number;
    /** Free-form game data (e.g. the simulated intent). Must hold no personal identifiers. */
    meta: Record<string, string | number | boolean>;
}

/**
 * A header of this format version and the current feature schema: what the recorder writes,
 * and what the reader rebuilds field by field from a checked file.
 */
export function createSessionHeader(sessionId: string, layoutId: string, chunkTicks: number, meta: Record<string, string | number | boolean>): ISessionHeader {
    return {
        format: SESSION_FORMAT,
        formatVersion: SESSION_FORMAT_VERSION,
        featureSchemaVersion: FEATURE_SCHEMA_VERSION,
        featureNames: [...FEATURE_NAMES],
        contextNames: [...CONTEXT_NAMES],
        weightNames: [...WEIGHT_NAMES],
        sessionId,
        layoutId,
        chunkTicks,
        meta,
    };
}

/** A tracked entity as recorded: a session-local id, never reused within the session. */
export interface IRecordedEntity {
    id: number;
    kind: TargetKind;
    label: string;
}

/** What happened to an entity between two ticks. */
export type RecordedEventType =
    /** The player engaged the entity (talked, used, read): the training label. */
    | "engage"
    /** A task was completed (setTaskActive(node, false)). */
    | "taskDone"
    /** A task became active again. */
    | "taskActive"
    /** A game event through attention.emit (speech, sound...). */
    | "emit"
    | "track"
    | "untrack";

/** One recorded call (`emit`, `track`, `engage`, ...) and the tick it is filed under. */
export interface IRecordedEvent {
    /** Index of the tick this event is filed under (the first tick at or after it happened). */
    tick: number;
    /** Session time of the event, ms. */
    timeMs: number;
    /** Session-local entity id. */
    id: number;
    type: RecordedEventType;
    /** For "emit": the game's event type, e.g. "speech". */
    detail?: string;
    /** For "emit": the intensity. */
    intensity?: number;
}

/** One tick, with typed-array views into its chunk's blocks. */
export interface IRecordedTick {
    /** Tick index within the session. */
    index: number;
    /** Session time, ms (0 at the first recorded tick). */
    timeMs: number;
    /** [n] session-local entity ids, in the plugin's slot order for this tick. */
    ids: Int32Array;
    /** [n, FEATURE_COUNT] feature rows, row i for ids[i]. */
    features: Float32Array;
    /** [CONTEXT_COUNT] player context. */
    context: Float32Array;
    /** [WEIGHT_COUNT] signal weights in force. */
    weights: Float32Array;
    /** [PLAYER_STRIDE] position, gaze origin, gaze direction, confidence. */
    player: Float32Array;
    /** [n] distance from the player to each entity's surface, metres (not clamped). */
    distance: Float32Array;
    /** [n] gaze angle to each entity, radians (the plugin's measure: shrunk by the entity's angular radius). */
    gazeAngle: Float32Array;
    /** Events filed under this tick. */
    events: IRecordedEvent[];
}

/** A session read back (or built in memory): its header, entities and ticks. */
export interface IRecordedSession {
    /** File name or other label, used in problem reports. */
    name: string;
    header: ISessionHeader;
    entities: Map<number, IRecordedEntity>;
    ticks: IRecordedTick[];
}

/** The JSON shape of a chunk line (arrays of floats are base64 of little-endian float32). */
export interface IChunkLine {
    chunk: number;
    /** Session index of the chunk's first tick. */
    firstTick: number;
    ticks: number;
    entities: IRecordedEntity[];
    /** [ticks] session times, ms, rounded to 0.001. */
    time: number[];
    /** [ticks] entity count per tick. */
    count: number[];
    /** Concatenated ids of every tick. */
    ids: number[];
    features: string;
    context: string;
    weights: string;
    player: string;
    distance: string;
    gazeAngle: string;
    events: IRecordedEvent[];
}

const CHECK_PREFIX = ',"check":"';

/** FNV-1a over UTF-16 code units: cheap, dependency-free, good enough to catch damage. */
export function fnv1a(text: string): string {
    let hash = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        hash ^= text.charCodeAt(i);
        hash = Math.imul(hash, 0x01000193);
    }
    return (hash >>> 0).toString(16).padStart(8, "0");
}

/** Serialises `value` to one line ending in its own length and checksum. */
export function sealLine(value: object): string {
    const body = JSON.stringify(value);
    return `${body.slice(0, -1)}${CHECK_PREFIX}${body.length}:${fnv1a(body)}"}`;
}

/** The result of checking one line: its parsed value, or why it is damaged. */
export type UnsealResult = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/** Verifies a sealed line's length and checksum and parses it. */
export function unsealLine(line: string): UnsealResult {
    const at = line.lastIndexOf(CHECK_PREFIX);
    if (at < 0 || !line.endsWith('"}')) {
        return { ok: false, error: `no checksum field: the line is cut short (${line.length} characters)` };
    }
    const check = line.slice(at + CHECK_PREFIX.length, -2);
    const [lengthText, hash] = check.split(":");
    const body = `${line.slice(0, at)}}`;
    if (String(body.length) !== lengthText) {
        return { ok: false, error: `length ${body.length} does not match the recorded ${lengthText}` };
    }
    if (fnv1a(body) !== hash) {
        return { ok: false, error: `checksum ${fnv1a(body)} does not match the recorded ${hash}` };
    }
    try {
        return { ok: true, value: JSON.parse(body) as Record<string, unknown> };
    } catch (error) {
        return { ok: false, error: `does not parse as JSON: ${(error as Error).message}` };
    }
}

const BASE64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const BASE64_INDEX = new Int16Array(128).fill(-1);
for (let i = 0; i < BASE64.length; i++) {
    BASE64_INDEX[BASE64.charCodeAt(i)] = i;
}

/** Base64 of a Float32Array's bytes (little-endian hosts, i.e. every browser and Node target). */
export function encodeFloat32(values: Float32Array): string {
    const bytes = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
    const parts: string[] = [];
    // Chunks of 3 * 4096 bytes keep String.fromCharCode's argument list short.
    for (let start = 0; start < bytes.length; start += 12288) {
        const end = Math.min(bytes.length, start + 12288);
        const codes: number[] = [];
        for (let i = start; i < end; i += 3) {
            const b0 = bytes[i];
            const b1 = i + 1 < end ? bytes[i + 1] : 0;
            const b2 = i + 2 < end ? bytes[i + 2] : 0;
            codes.push(BASE64.charCodeAt(b0 >> 2), BASE64.charCodeAt(((b0 & 3) << 4) | (b1 >> 4)));
            codes.push(i + 1 < end ? BASE64.charCodeAt(((b1 & 15) << 2) | (b2 >> 6)) : 61, i + 2 < end ? BASE64.charCodeAt(b2 & 63) : 61);
        }
        parts.push(String.fromCharCode(...codes));
    }
    return parts.join("");
}

/** Decodes `encodeFloat32` output; null when the text is not base64 of a whole number of floats. */
export function decodeFloat32(text: string): Float32Array | null {
    if (typeof text !== "string" || text.length % 4 !== 0) {
        return null;
    }
    const padding = text.endsWith("==") ? 2 : text.endsWith("=") ? 1 : 0;
    const byteLength = (text.length / 4) * 3 - padding;
    if (byteLength % 4 !== 0) {
        return null;
    }
    const bytes = new Uint8Array(byteLength);
    let o = 0;
    for (let i = 0; i < text.length; i += 4) {
        const c0 = code(text, i);
        const c1 = code(text, i + 1);
        const c2 = text.charCodeAt(i + 2) === 61 ? 0 : code(text, i + 2);
        const c3 = text.charCodeAt(i + 3) === 61 ? 0 : code(text, i + 3);
        if ((c0 | c1 | c2 | c3) < 0) {
            return null;
        }
        const triple = (c0 << 18) | (c1 << 12) | (c2 << 6) | c3;
        if (o < byteLength) bytes[o++] = (triple >> 16) & 255;
        if (o < byteLength) bytes[o++] = (triple >> 8) & 255;
        if (o < byteLength) bytes[o++] = triple & 255;
    }
    return new Float32Array(bytes.buffer);
}

function code(text: string, i: number): number {
    const c = text.charCodeAt(i);
    return c < 128 ? BASE64_INDEX[c] : -1;
}

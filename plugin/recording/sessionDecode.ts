import { TARGET_KINDS, type TargetKind } from "../attentionTypes.js";
import { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "../features/featureSchema.js";
import { WEIGHT_COUNT, WEIGHT_NAMES } from "../model/attentionWeights.js";
import { previewString, previewValue } from "../previewValue.js";
import { createSessionHeader, decodeFloat32, PLAYER_STRIDE, SESSION_FORMAT, SESSION_FORMAT_VERSION, type IRecordedEntity, type IRecordedEvent, type IRecordedTick, type ISessionHeader, type RecordedEventType } from "./sessionFormat.js";
import type { ISessionLimits } from "./sessionLimits.js";

/**
 * Field-by-field checks of a parsed header or chunk against the format's types and ranges.
 * What comes back is built here from checked values, never the parsed object itself, so
 * unknown keys (`__proto__` among them) and nested junk never reach a caller.
 */

/** The largest entity id: ids are read into an Int32Array. */
export const MAX_ENTITY_ID = 0x7fffffff;

const EVENT_TYPES: readonly RecordedEventType[] = ["engage", "taskDone", "taskActive", "emit", "track", "untrack"];

/** A header, or why it is not one this build can read. */
export function decodeHeader(value: Record<string, unknown>, limits: ISessionLimits): ISessionHeader | string {
    if (value.format !== SESSION_FORMAT) {
        return `not a babylon-attention session (format ${previewValue(value.format)})`;
    }
    if (value.formatVersion !== SESSION_FORMAT_VERSION) {
        return `session format version ${previewValue(value.formatVersion)} is not the supported ${SESSION_FORMAT_VERSION}`;
    }
    if (value.featureSchemaVersion !== FEATURE_SCHEMA_VERSION) {
        return `feature schema version ${previewValue(value.featureSchemaVersion)} does not match this build's ${FEATURE_SCHEMA_VERSION}: record again or convert the file`;
    }
    const same = (a: unknown, b: readonly string[]) => Array.isArray(a) && a.length === b.length && a.every((x, i) => x === b[i]);
    if (!same(value.featureNames, FEATURE_NAMES) || !same(value.contextNames, CONTEXT_NAMES) || !same(value.weightNames, WEIGHT_NAMES)) {
        return "feature, context or weight names differ from this build's schema although the version matches";
    }
    for (const key of ["sessionId", "layoutId"] as const) {
        const problem = checkText(value[key], `header ${key}`, limits);
        if (problem) return problem;
    }
    const chunkTicks = value.chunkTicks;
    if (!Number.isInteger(chunkTicks) || (chunkTicks as number) < 1 || (chunkTicks as number) > limits.maxChunkTicks) {
        return `header chunkTicks must be an integer in [1, ${limits.maxChunkTicks}]; got ${previewValue(chunkTicks)}`;
    }
    const meta = decodeMeta(value.meta, limits);
    if (typeof meta === "string") {
        return meta;
    }
    return createSessionHeader(value.sessionId as string, value.layoutId as string, chunkTicks as number, meta);
}

function decodeMeta(value: unknown, limits: ISessionLimits): ISessionHeader["meta"] | string {
    if (value === undefined) {
        return {};
    }
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `header meta must be an object of strings, numbers and booleans; got ${previewValue(value)}`;
    }
    const meta: ISessionHeader["meta"] = {};
    for (const [key, item] of Object.entries(value)) {
        if (key === "__proto__") {
            return 'header meta key "__proto__" is not allowed: it would replace the object\'s prototype';
        }
        if (key.length > limits.maxTextLength) {
            return `header meta key ${previewString(key)} is longer than maxTextLength (${limits.maxTextLength} characters)`;
        }
        if (typeof item === "string") {
            const problem = checkText(item, `header meta.${key}`, limits);
            if (problem) return problem;
        } else if (!(typeof item === "boolean" || (typeof item === "number" && Number.isFinite(item)))) {
            return `header meta.${previewString(key, 40)} must be a string, a finite number or a boolean; got ${previewValue(item)}`;
        }
        meta[key] = item as string | number | boolean;
    }
    return meta;
}

function checkText(value: unknown, what: string, limits: ISessionLimits): string | null {
    if (typeof value !== "string") {
        return `${what} must be a string; got ${previewValue(value)}`;
    }
    if (value.length > limits.maxTextLength) {
        return `${what} is ${value.length} characters, over maxTextLength (${limits.maxTextLength}): ${previewString(value, 40)}`;
    }
    return null;
}

/** The ticks of one chunk and the entities it lists. */
export interface IDecodedChunk {
    chunk: number;
    firstTick: number;
    ticks: IRecordedTick[];
    entities: IRecordedEntity[];
}

/**
 * Decodes and checks one chunk against the entities read so far (an id keeps its kind for the
 * whole session); returns its ticks, or why it is unusable. Nothing is changed on failure.
 */
export function decodeChunk(value: Record<string, unknown>, known: ReadonlyMap<number, IRecordedEntity>, limits: ISessionLimits): IDecodedChunk | string {
    const { chunk, firstTick, ticks: m } = value;
    if (!isIndex(chunk) || !isIndex(firstTick)) {
        return `chunk and firstTick must be non-negative integers; got chunk ${previewValue(chunk)}, firstTick ${previewValue(firstTick)}`;
    }
    if (!Number.isInteger(m) || (m as number) < 1 || (m as number) > limits.maxChunkTicks) {
        return `ticks must be an integer in [1, ${limits.maxChunkTicks}] (maxChunkTicks); got ${previewValue(m)}`;
    }
    const tickCount = m as number;
    const time = value.time;
    if (!Array.isArray(time) || time.length !== tickCount) {
        return `time must be an array of ${tickCount} times; got ${previewValue(time)}`;
    }
    for (let t = 0; t < tickCount; t++) {
        const ms = time[t];
        if (typeof ms !== "number" || !(ms >= 0) || ms === Infinity || (t > 0 && ms < time[t - 1])) {
            return `time[${t}] must be a finite number of ms, >= 0 and not below time[${t - 1}]; got ${previewValue(ms)}`;
        }
    }
    const count = value.count;
    if (!Array.isArray(count) || count.length !== tickCount) {
        return `count must be an array of ${tickCount} entity counts; got ${previewValue(count)}`;
    }
    let rows = 0;
    for (let t = 0; t < tickCount; t++) {
        const n = count[t];
        if (!Number.isInteger(n) || n < 0 || n > limits.maxTickEntities) {
            return `count[${t}] must be an integer in [0, ${limits.maxTickEntities}] (maxTickEntities); got ${previewValue(n)}`;
        }
        rows += n;
    }

    const entities = value.entities;
    if (!Array.isArray(entities)) {
        return `entities must be an array; got ${previewValue(entities)}`;
    }
    const listed = new Map<number, IRecordedEntity>();
    for (let i = 0; i < entities.length; i++) {
        const entity = decodeEntity(entities[i], limits);
        if (typeof entity === "string") {
            return `entities[${i}] ${entity}`;
        }
        if (listed.has(entity.id)) {
            return `entities[${i}]: id ${entity.id} is listed twice`;
        }
        const earlier = known.get(entity.id);
        if (earlier && earlier.kind !== entity.kind) {
            return `entities[${i}]: id ${entity.id} is a ${entity.kind} here but was a ${earlier.kind} in an earlier chunk (ids are never reused)`;
        }
        listed.set(entity.id, entity);
    }

    const ids = value.ids;
    if (!Array.isArray(ids) || ids.length !== rows) {
        return `ids must hold ${rows} entity ids (the sum of count); got ${Array.isArray(ids) ? `${ids.length} entries` : previewValue(ids)}`;
    }
    const idArray = new Int32Array(rows);
    for (let i = 0; i < rows; i++) {
        const id = ids[i];
        if (!listed.has(id)) {
            return Number.isInteger(id) && id >= 0 && id <= MAX_ENTITY_ID ? `ids[${i}]: entity id ${id} is used but not listed in the chunk` : `ids[${i}] must be an integer in [0, ${MAX_ENTITY_ID}]; got ${previewValue(id)}`;
        }
        idArray[i] = id;
    }

    const blocks: Record<string, Float32Array> = {};
    const shapes: Record<string, readonly [number, number]> = {
        features: [rows, FEATURE_COUNT],
        context: [tickCount, CONTEXT_COUNT],
        weights: [tickCount, WEIGHT_COUNT],
        player: [tickCount, PLAYER_STRIDE],
        distance: [rows, 1],
        gazeAngle: [rows, 1],
    };
    for (const [key, [blockRows, stride]] of Object.entries(shapes)) {
        const text = value[key];
        const block = typeof text === "string" ? decodeFloat32(text) : null;
        if (!block) {
            return `${key} must be base64 float32 data; got ${previewValue(text, 60)}`;
        }
        if (block.length !== blockRows * stride) {
            return `${key} holds ${block.length} values; expected ${blockRows * stride}`;
        }
        for (let i = 0; i < block.length; i++) {
            if (!Number.isFinite(block[i])) {
                return `${key} holds a non-finite value (${block[i]}) in row ${Math.floor(i / stride)}`;
            }
        }
        blocks[key] = block;
    }

    const events = value.events;
    if (!Array.isArray(events)) {
        return `events must be an array; got ${previewValue(events)}`;
    }
    const decodedEvents: IRecordedEvent[] = [];
    for (let i = 0; i < events.length; i++) {
        const event = decodeEvent(events[i], firstTick as number, tickCount, listed, limits);
        if (typeof event === "string") {
            return `events[${i}] ${event}`;
        }
        decodedEvents.push(event);
    }

    const first = firstTick as number;
    const out: IRecordedTick[] = [];
    let row = 0;
    for (let t = 0; t < tickCount; t++) {
        const n = count[t] as number;
        out.push({
            index: first + t,
            timeMs: time[t] as number,
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
    for (const event of decodedEvents) {
        out[event.tick - first].events.push(event);
    }
    return { chunk: chunk as number, firstTick: first, ticks: out, entities: [...listed.values()] };
}

function decodeEntity(value: unknown, limits: ISessionLimits): IRecordedEntity | string {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `must be an object { id, kind, label }; got ${previewValue(value)}`;
    }
    const { id, kind, label } = value as Record<string, unknown>;
    if (!Number.isInteger(id) || (id as number) < 0 || (id as number) > MAX_ENTITY_ID) {
        return `id must be an integer in [0, ${MAX_ENTITY_ID}]; got ${previewValue(id)}`;
    }
    if (!TARGET_KINDS.includes(kind as TargetKind)) {
        return `kind must be one of ${TARGET_KINDS.join(", ")}; got ${previewValue(kind)}`;
    }
    const problem = checkText(label, "label", limits);
    if (problem) {
        return problem;
    }
    return { id: id as number, kind: kind as TargetKind, label: label as string };
}

function decodeEvent(value: unknown, firstTick: number, tickCount: number, listed: ReadonlyMap<number, IRecordedEntity>, limits: ISessionLimits): IRecordedEvent | string {
    if (typeof value !== "object" || value === null || Array.isArray(value)) {
        return `must be an object { tick, timeMs, id, type }; got ${previewValue(value)}`;
    }
    const { tick, timeMs, id, type, detail, intensity } = value as Record<string, unknown>;
    if (!Number.isInteger(tick) || (tick as number) < firstTick || (tick as number) >= firstTick + tickCount) {
        return `tick must be an integer in this chunk's ticks [${firstTick}, ${firstTick + tickCount - 1}]; got ${previewValue(tick)}`;
    }
    if (typeof timeMs !== "number" || !(timeMs >= 0) || timeMs === Infinity) {
        return `timeMs must be a finite number of ms, >= 0; got ${previewValue(timeMs)}`;
    }
    if (!listed.has(id as number)) {
        return `id must be an entity listed in the chunk; got ${previewValue(id)}`;
    }
    if (!EVENT_TYPES.includes(type as RecordedEventType)) {
        return `type must be one of ${EVENT_TYPES.join(", ")}; got ${previewValue(type)}`;
    }
    const event: IRecordedEvent = { tick: tick as number, timeMs, id: id as number, type: type as RecordedEventType };
    if (detail !== undefined) {
        const problem = checkText(detail, "detail", limits);
        if (problem) return problem;
        event.detail = detail as string;
    }
    if (intensity !== undefined) {
        if (typeof intensity !== "number" || !Number.isFinite(intensity)) {
            return `intensity must be a finite number; got ${previewValue(intensity)}`;
        }
        event.intensity = intensity;
    }
    return event;
}

function isIndex(value: unknown): boolean {
    return Number.isSafeInteger(value) && (value as number) >= 0;
}

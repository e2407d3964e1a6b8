import { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { Observer } from "@babylonjs/core/Misc/observable";
import { Logger } from "@babylonjs/core/Misc/logger";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { Node } from "@babylonjs/core/node";
import type { Subscription } from "rxjs";
import type { AttentionPlugin } from "../attentionPlugin";
import type { IRanking, IRankingEntry, ITargetOptions, TargetKind } from "../attentionTypes";
import { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION, Feature } from "../features/featureSchema";
import { packWeights, WEIGHT_COUNT, WEIGHT_NAMES } from "../model/attentionWeights";
import {
    encodeFloat32,
    PLAYER_STRIDE,
    sealLine,
    SESSION_FORMAT,
    SESSION_FORMAT_VERSION,
    type IChunkLine,
    type IRecordedEntity,
    type IRecordedEvent,
    type ISessionHeader,
    type RecordedEventType,
} from "./sessionFormat";
import { MemorySessionSink, type ISessionSink } from "./sessionSink";

/** Options of `SessionRecorder`. */
export interface ISessionRecorderOptions {
    /** Where lines go. @default a MemorySessionSink (read it with toText() / toBlob()) */
    sink: ISessionSink;
    /** Ticks per chunk: what a crash can lose at most. [1, 10000] @default 30 */
    chunkTicks: number;
    /** Session id written in the header. @default a random id (never derived from the player) */
    sessionId: string;
    /** The world or level being played. @default "unknown" */
    layoutId: string;
    /** Extra header data (no personal identifiers). @default {} */
    meta: Record<string, string | number | boolean>;
    /** The node whose position is the player's (as given to the plugin). @default the active camera */
    player: TransformNode | null;
}

interface IEntityRecord {
    readonly node: TransformNode;
    readonly entity: IRecordedEntity;
    readonly radius: number | undefined;
    readonly disposeObserver: Observer<Node>;
    active: boolean;
}

const KIND_COLUMN: Record<TargetKind, number> = { npc: Feature.KindNpc, task: Feature.KindTask, hint: Feature.KindHint };

/**
 * Records a play session for training (docs/recording.md): every tick's feature rows, stable
 * entity ids and kinds, the player context and gaze, distance and gaze angle per entity, and
 * engagement and game events. Off unless a game creates one and calls `start()`, which it must
 * only do after asking the player (see the docs).
 *
 * The plugin's feature rows are in slot order, and slots move when an entity is removed, so
 * the recorder mirrors the plugin's slots itself: track, untrack, engage and task changes go
 * through the recorder (`recorder.track(node, options)` instead of `attention.track`). A tick
 * whose entity count or kinds disagree with the mirror is dropped with one warning, never
 * recorded wrongly.
 *
 * ```ts
 * const recorder = new SessionRecorder(attention, { layoutId: "museum" });
 * recorder.track(guide, { kind: "npc", label: "Guide" });
 * recorder.start();
 * recorder.engage(guide);           // when the player talks to the guide
 * recorder.stop();
 * download(recorder.toBlob());
 * ```
 */
export class SessionRecorder {
    public readonly options: Readonly<ISessionRecorderOptions>;
    /** Ticks dropped because the plugin's slots did not match the recorder's mirror. */
    public droppedTicks = 0;

    private readonly _slots: IEntityRecord[] = [];
    private readonly _byNode = new Map<TransformNode, IEntityRecord>();
    private _nextId = 1;
    private _isRecording = false;
    private _headerWritten = false;
    private _rankingObserver: Observer<IRanking> | null = null;
    private _subscriptions: Subscription[] = [];
    private readonly _weightScratch = new Float32Array(WEIGHT_COUNT);
    private _startMs = NaN;
    private _tickIndex = 0;
    private _chunkIndex = 0;
    private _warnedMismatch = false;

    // The chunk being filled; buffers are reused from chunk to chunk.
    private _chunkFirstTick = 0;
    private _chunkTicks = 0;
    private readonly _time: number[] = [];
    private readonly _count: number[] = [];
    private readonly _ids: number[] = [];
    private readonly _features = new FloatBuffer();
    private readonly _context = new FloatBuffer();
    private readonly _weights = new FloatBuffer();
    private readonly _player = new FloatBuffer();
    private readonly _distance = new FloatBuffer();
    private readonly _gazeAngle = new FloatBuffer();
    private readonly _events: IRecordedEvent[] = [];
    private readonly _chunkEntityIds = new Set<number>();
    private readonly _retired = new Map<number, IRecordedEntity>();

    public constructor(
        public readonly attention: AttentionPlugin,
        options: Partial<ISessionRecorderOptions> = {}
    ) {
        const chunkTicks = options.chunkTicks ?? 30;
        if (!Number.isInteger(chunkTicks) || chunkTicks < 1 || chunkTicks > 10000) {
            throw new Error(`SessionRecorder: chunkTicks must be an integer in [1, 10000]; got ${chunkTicks}`);
        }
        this.options = {
            sink: options.sink ?? new MemorySessionSink(),
            chunkTicks,
            sessionId: options.sessionId ?? randomSessionId(),
            layoutId: options.layoutId ?? "unknown",
            meta: { ...options.meta },
            player: options.player ?? null,
        };
    }

    public get isRecording(): boolean {
        return this._isRecording;
    }

    /** Ticks recorded so far. */
    public get tickCount(): number {
        return this._tickIndex;
    }

    /** The session-local id of a node tracked through this recorder, or -1. */
    public idOf(node: TransformNode): number {
        return this._byNode.get(node)?.entity.id ?? -1;
    }

    // ---------------------------------------------------------------- tracking (mirrors the plugin)

    /** Tracks `node` in the plugin and gives it a session-local id. */
    public track(node: TransformNode, options: ITargetOptions): IRankingEntry {
        const entry = this.attention.track(node, options);
        const entity: IRecordedEntity = { id: this._nextId++, kind: options.kind, label: options.label ?? node.name };
        // Added after the plugin's own dispose observer, so it runs after the plugin untracked.
        const disposeObserver = node.onDisposeObservable.add(() => this._forget(node));
        const record: IEntityRecord = { node, entity, radius: options.radius, disposeObserver, active: options.kind === "task" && options.active !== false };
        this._slots.push(record);
        this._byNode.set(node, record);
        this._addEvent(entity.id, "track");
        return entry;
    }

    /** Untracks `node` in the plugin. */
    public untrack(node: TransformNode): boolean {
        const removed = this.attention.untrack(node);
        this._forget(node);
        return removed;
    }

    /** Reports an engagement to the plugin and records it as a label. */
    public engage(node: TransformNode): void {
        this.attention.engage(node);
        const record = this._byNode.get(node);
        if (record) {
            this._addEvent(record.entity.id, "engage");
        }
    }

    /** Marks a task done (false) or to do (true) in the plugin; records the change. */
    public setTaskActive(node: TransformNode, active: boolean): void {
        this.attention.setTaskActive(node, active);
        const record = this._byNode.get(node);
        if (record && record.active !== active) {
            record.active = active;
            this._addEvent(record.entity.id, active ? "taskActive" : "taskDone");
        }
    }

    // ---------------------------------------------------------------- recording

    /** Starts recording ticks (writes the header on the first start). */
    public start(): void {
        if (this._isRecording) {
            return;
        }
        if (this.attention.isDisposed) {
            throw new Error("SessionRecorder.start: the plugin is disposed");
        }
        this._isRecording = true;
        if (!this._headerWritten) {
            this._headerWritten = true;
            const header: ISessionHeader = {
                format: SESSION_FORMAT,
                formatVersion: SESSION_FORMAT_VERSION,
                featureSchemaVersion: FEATURE_SCHEMA_VERSION,
                featureNames: [...FEATURE_NAMES],
                contextNames: [...CONTEXT_NAMES],
                weightNames: [...WEIGHT_NAMES],
                sessionId: this.options.sessionId,
                layoutId: this.options.layoutId,
                chunkTicks: this.options.chunkTicks,
                meta: this.options.meta,
            };
            this.options.sink.write(sealLine(header));
        }
        // Tasks' state at the start, so a reader knows which were still to do.
        for (const record of this._slots) {
            if (record.active) {
                this._addEvent(record.entity.id, "taskActive");
            }
        }
        this._rankingObserver = this.attention.onRankingUpdatedObservable.add((ranking) => this._onTick(ranking.time));
        this._subscriptions.push(
            this.attention.events$.subscribe((event) => {
                const record = this._byNode.get(event.target);
                if (record) {
                    this._addEvent(record.entity.id, "emit", event.type, event.intensity ?? 1);
                }
            })
        );
        this.attention.onDisposeObservable.addOnce(() => this.stop());
    }

    /** Stops recording and writes the partly filled chunk. Safe to call twice; `start()` resumes. */
    public stop(): void {
        if (!this._isRecording) {
            return;
        }
        this._isRecording = false;
        this.attention.onRankingUpdatedObservable.remove(this._rankingObserver);
        this._rankingObserver = null;
        for (const subscription of this._subscriptions) {
            subscription.unsubscribe();
        }
        this._subscriptions = [];
        this._flush(true);
    }

    /** Writes the ticks recorded since the last chunk as a chunk now (no-op when there are none). */
    public flush(): void {
        this._flush(false);
    }

    private _flush(final: boolean): void {
        if (this._chunkTicks === 0) {
            return;
        }
        // Events since the last tick belong to the next tick; at the end there is none, so they
        // are filed under the last one rather than lost.
        const pending = this._events.filter((event) => event.tick < 0);
        const filed = this._events.filter((event) => event.tick >= 0);
        if (final) {
            for (const event of pending) {
                event.tick = this._tickIndex - 1;
                event.timeMs = this._time[this._time.length - 1];
                filed.push(event);
            }
            pending.length = 0;
        }
        const entities: IRecordedEntity[] = [];
        for (const id of this._chunkEntityIds) {
            const entity = this._entityById(id);
            if (entity) {
                entities.push(entity);
            }
        }
        entities.sort((a, b) => a.id - b.id);
        const line: IChunkLine = {
            chunk: this._chunkIndex++,
            firstTick: this._chunkFirstTick,
            ticks: this._chunkTicks,
            entities,
            time: this._time,
            count: this._count,
            ids: this._ids,
            features: encodeFloat32(this._features.view()),
            context: encodeFloat32(this._context.view()),
            weights: encodeFloat32(this._weights.view()),
            player: encodeFloat32(this._player.view()),
            distance: encodeFloat32(this._distance.view()),
            gazeAngle: encodeFloat32(this._gazeAngle.view()),
            events: filed,
        };
        this.options.sink.write(sealLine(line));
        this._chunkFirstTick = this._tickIndex;
        this._chunkTicks = 0;
        this._time.length = this._count.length = this._ids.length = this._events.length = 0;
        this._features.clear();
        this._context.clear();
        this._weights.clear();
        this._player.clear();
        this._distance.clear();
        this._gazeAngle.clear();
        this._chunkEntityIds.clear();
        for (const record of this._slots) {
            this._chunkEntityIds.add(record.entity.id);
        }
        for (const event of pending) {
            this._events.push(event);
            this._chunkEntityIds.add(event.id);
        }
    }

    /** The session text so far (memory sink only). */
    public toText(): string {
        return this._memorySink("toText").toText();
    }

    /** The session so far as a Blob to save (memory sink only). */
    public toBlob(): Blob {
        return this._memorySink("toBlob").toBlob();
    }

    /** Stops recording and leaves tracked nodes tracked. */
    public dispose(): void {
        this.stop();
        for (const record of this._slots) {
            record.node.onDisposeObservable.remove(record.disposeObserver);
        }
    }

    private _onTick(clockMs: number): void {
        const attention = this.attention;
        const slots = this._slots;
        const n = attention.trackedCount;
        const features = attention.features;
        if (n !== slots.length || !this._kindsMatch(features, n)) {
            this.droppedTicks++;
            if (!this._warnedMismatch) {
                this._warnedMismatch = true;
                Logger.Warn(`SessionRecorder: the plugin tracks ${n} entities but the recorder mirrors ${slots.length} (or their kinds differ); track and untrack through the recorder. Such ticks are not recorded.`);
            }
            return;
        }
        if (this._startMs !== this._startMs) {
            this._startMs = clockMs;
        }
        const timeMs = clockMs - this._startMs;
        const tick = this._tickIndex++;
        this._chunkTicks++;
        this._time.push(Math.round(timeMs * 1000) / 1000);
        this._count.push(n);
        for (const event of this._events) {
            if (event.tick < 0) {
                event.tick = tick;
                event.timeMs = this._time[this._time.length - 1];
            }
        }

        const position = this._playerPosition();
        // The plugin's own sample of this tick (reading gaze$ instead would clone one per tick).
        const gaze = this.attention.latestGaze;
        const player = this._player.reserve(PLAYER_STRIDE);
        const p = this._player.data;
        p[player] = position.x;
        p[player + 1] = position.y;
        p[player + 2] = position.z;
        p[player + 3] = gaze.origin.x;
        p[player + 4] = gaze.origin.y;
        p[player + 5] = gaze.origin.z;
        p[player + 6] = gaze.direction.x;
        p[player + 7] = gaze.direction.y;
        p[player + 8] = gaze.direction.z;
        p[player + 9] = gaze.confidence;

        this._features.append(features, n * FEATURE_COUNT);
        this._context.append(attention.context, CONTEXT_COUNT);
        this._weights.append(packWeights(attention.weights, this._weightScratch), WEIGHT_COUNT);
        const d = this._distance.reserve(n);
        const a = this._gazeAngle.reserve(n);
        for (let i = 0; i < n; i++) {
            const record = slots[i];
            this._ids.push(record.entity.id);
            this._chunkEntityIds.add(record.entity.id);
            this._distance.data[d + i] = surfaceDistance(record, position);
            this._gazeAngle.data[a + i] = features[i * FEATURE_COUNT + Feature.GazeAngle] * Math.PI;
        }
        if (this._chunkTicks >= this.options.chunkTicks) {
            this.flush();
        }
    }

    private _kindsMatch(features: Readonly<Float32Array>, n: number): boolean {
        for (let i = 0; i < n; i++) {
            if (features[i * FEATURE_COUNT + KIND_COLUMN[this._slots[i].entity.kind]] !== 1) {
                return false;
            }
        }
        return true;
    }

    private _playerPosition(): { x: number; y: number; z: number } {
        const node = this.options.player;
        if (node && !node.isDisposed()) {
            return node.getAbsolutePosition();
        }
        const camera = this.attention.scene.activeCamera;
        return camera ? camera.globalPosition : this.attention.latestGaze.origin;
    }

    private _forget(node: TransformNode): void {
        const record = this._byNode.get(node);
        if (!record) {
            return;
        }
        this._byNode.delete(node);
        node.onDisposeObservable.remove(record.disposeObserver);
        // The same swap-remove as the plugin's entity store, so slot order stays in step.
        const slot = this._slots.indexOf(record);
        const last = this._slots.length - 1;
        if (slot !== last) {
            this._slots[slot] = this._slots[last];
        }
        this._slots.length = last;
        this._retired.set(record.entity.id, record.entity);
        this._addEvent(record.entity.id, "untrack");
    }

    private _addEvent(id: number, type: RecordedEventType, detail?: string, intensity?: number): void {
        if (!this._isRecording) {
            return;
        }
        // Filed under the next recorded tick (tick -1 until then).
        const event: IRecordedEvent = { tick: -1, timeMs: -1, id, type };
        if (detail !== undefined) {
            event.detail = detail;
            event.intensity = intensity;
        }
        this._events.push(event);
        this._chunkEntityIds.add(id);
    }

    private _entityById(id: number): IRecordedEntity | undefined {
        for (const record of this._slots) {
            if (record.entity.id === id) {
                return record.entity;
            }
        }
        return this._retired.get(id);
    }

    private _memorySink(method: string): MemorySessionSink {
        const sink = this.options.sink;
        if (!(sink instanceof MemorySessionSink)) {
            throw new Error(`SessionRecorder.${method}: only available with the default in-memory sink; read your own sink's output instead`);
        }
        return sink;
    }
}

/** A growable Float32Array that keeps its storage between chunks. */
class FloatBuffer {
    public data = new Float32Array(256);
    public length = 0;

    public reserve(n: number): number {
        const start = this.length;
        if (start + n > this.data.length) {
            let capacity = this.data.length * 2;
            while (capacity < start + n) {
                capacity *= 2;
            }
            const next = new Float32Array(capacity);
            next.set(this.data.subarray(0, start));
            this.data = next;
        }
        this.length += n;
        return start;
    }

    public append(values: Readonly<Float32Array>, n: number): void {
        const start = this.reserve(n);
        this.data.set(values.subarray(0, n), start);
    }

    public view(): Float32Array {
        return this.data.subarray(0, this.length);
    }

    public clear(): void {
        this.length = 0;
    }
}

function surfaceDistance(record: IEntityRecord, position: { x: number; y: number; z: number }): number {
    const node = record.node;
    let cx: number;
    let cy: number;
    let cz: number;
    let radius = record.radius ?? 0.5;
    if (node instanceof AbstractMesh && node.getTotalVertices() > 0) {
        const sphere = node.getBoundingInfo().boundingSphere;
        cx = sphere.centerWorld.x;
        cy = sphere.centerWorld.y;
        cz = sphere.centerWorld.z;
        radius = record.radius ?? sphere.radiusWorld;
    } else {
        const p = node.absolutePosition;
        cx = p.x;
        cy = p.y;
        cz = p.z;
    }
    const dx = cx - position.x;
    const dy = cy - position.y;
    const dz = cz - position.z;
    const d = Math.sqrt(dx * dx + dy * dy + dz * dz) - radius;
    return d > 0 ? d : 0;
}

function randomSessionId(): string {
    const cryptoApi = (globalThis as { crypto?: { randomUUID?: () => string } }).crypto;
    if (cryptoApi?.randomUUID) {
        return cryptoApi.randomUUID();
    }
    return `s-${Math.random().toString(36).slice(2)}${Math.random().toString(36).slice(2)}`;
}

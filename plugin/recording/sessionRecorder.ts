import { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import { Observable as BabylonObservable, type Observer } from "@babylonjs/core/Misc/observable.js";
import { Logger } from "@babylonjs/core/Misc/logger.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Subscription } from "rxjs";
import type { AttentionPlugin } from "../attentionPlugin.js";
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../features/featureSchema.js";
import { packWeights, WEIGHT_COUNT } from "../model/attentionWeights.js";
import type { ITrackedTarget } from "../scene/targetRegistry.js";
import { createSessionHeader, encodeFloat32, PLAYER_STRIDE, sealLine, type IChunkLine, type IRecordedEntity, type IRecordedEvent, type RecordedEventType } from "./sessionFormat.js";
import { MemorySessionSink, type ISessionSink } from "./sessionSink.js";

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

/** A recording fault: what failed and what the session lost with it. The game's tick goes on. */
export interface ISessionRecorderFault {
    /**
     * "header": the sink threw on the header line (retried before the next chunk; chunks are
     * not written without it). "chunk": the sink threw on a chunk line. "tick": reading a tick
     * threw, and the chunk being filled was dropped.
     */
    readonly stage: "header" | "chunk" | "tick";
    readonly error: unknown;
    /** Index of the chunk lost (the file skips that index), or -1 when none was. */
    readonly chunk: number;
    /** Ticks lost with this fault. */
    readonly lostTicks: number;
    /** Events lost with this fault. */
    readonly lostEvents: number;
    /** Engagements (training labels) among the lost events. */
    readonly lostEngagements: number;
}

interface IEntityRecord {
    readonly target: ITrackedTarget;
    readonly entity: IRecordedEntity;
}

/**
 * Records a play session for training (docs/recording.md): every tick's feature rows, stable
 * entity ids and kinds, the player context and gaze, distance and gaze angle per entity, and
 * engagement and game events. Off unless a game creates one and calls `start()`, which it must
 * only do after asking the player (see the docs).
 *
 * It listens to the plugin: games track, untrack, engage and change tasks on the plugin as
 * usual, and each tick the recorder reads which target sits in which feature row. Every
 * target, including those tracked before the recorder was created, gets a session-local id
 * (1, 2, ... in the order they were tracked).
 *
 * Recording never breaks the game's tick: a sink that throws (disk full, quota) or any other
 * recording fault is reported on `onErrorObservable`, with what was lost, and counted in
 * `lostTicks` and `lostChunks`; ranking goes on.
 *
 * ```ts
 * const recorder = new SessionRecorder(attention, { layoutId: "museum" });
 * recorder.start();
 * attention.engage(guide);          // when the player talks to the guide
 * recorder.stop();
 * download(recorder.toBlob());
 * ```
 */
export class SessionRecorder {
    /** Fires on each recording fault, with what was lost. */
    public readonly onErrorObservable = new BabylonObservable<ISessionRecorderFault>();
    public readonly options: Readonly<ISessionRecorderOptions>;
    public isDisposed = false;

    /** Live entities by the plugin's stable id. */
    private readonly _byPluginId = new Map<number, IEntityRecord>();
    /** Entities by session-local id: the live ones, and untracked ones the chunk being filled still names. */
    private readonly _entities = new Map<number, IRecordedEntity>();
    private readonly _retired = new Set<number>();
    private _nextId = 1;
    private _isRecording = false;
    private _headerWritten = false;
    /** Removed on dispose: tracking and the plugin's disposal. */
    private readonly _lifeObservers: (() => void)[] = [];
    /** Removed on stop: ticks, engagements, task changes. */
    private readonly _recordingObservers: (() => void)[] = [];
    private _eventSubscription: Subscription | null = null;
    private readonly _weightScratch = new Float32Array(WEIGHT_COUNT);
    private _startMs = NaN;
    private _tickIndex = 0;
    private _chunkIndex = 0;
    private _lostTicks = 0;
    private _lostChunks = 0;
    private _warnedFault = false;

    // The chunk being filled; buffers are reused from chunk to chunk. A full chunk waits for the
    // next tick (or stop) before it is written, so events reported after its last tick, with no
    // tick after them, can still be filed under that tick instead of being lost.
    private _chunkFull = false;
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
        // Targets tracked before the recorder existed, numbered in the order they were tracked
        // (the plugin's ids grow with it), as if the recorder had seen them come.
        const existing: ITrackedTarget[] = [];
        for (let slot = 0; slot < attention.trackedCount; slot++) {
            const target = attention.targetAt(slot);
            if (target) {
                existing.push(target);
            }
        }
        existing.sort((a, b) => a.id - b.id);
        for (const target of existing) {
            this._adopt(target);
        }
        this._observe(this._lifeObservers, attention.onTargetTrackedObservable, (target) => this._addEvent(this._adopt(target).entity.id, "track"));
        this._observe(this._lifeObservers, attention.onTargetUntrackedObservable, (target) => this._forget(target));
        this._observe(this._lifeObservers, attention.onDisposeObservable, () => this.dispose());
    }

    public get isRecording(): boolean {
        return this._isRecording;
    }

    /** Ticks recorded so far (including any lost to faults). */
    public get tickCount(): number {
        return this._tickIndex;
    }

    /** Ticks lost to recording faults (see `onErrorObservable`). */
    public get lostTicks(): number {
        return this._lostTicks;
    }

    /** Chunks lost to recording faults: their indices are missing from the file. */
    public get lostChunks(): number {
        return this._lostChunks;
    }

    /** The session-local id of a tracked node, or -1. */
    public idOf(node: TransformNode): number {
        return this._byPluginId.get(this.attention.idOf(node))?.entity.id ?? -1;
    }

    // ---------------------------------------------------------------- recording

    /** Starts recording ticks (writes the header on the first start). */
    public start(): void {
        if (this.isDisposed) {
            throw new Error("SessionRecorder.start: the recorder is disposed; create a new SessionRecorder to record again");
        }
        if (this._isRecording) {
            return;
        }
        const attention = this.attention;
        if (attention.isDisposed) {
            throw new Error("SessionRecorder.start: the plugin is disposed");
        }
        this._isRecording = true;
        if (!this._headerWritten) {
            this._writeHeader(-1, 0, 0, 0);
        }
        // Tasks' state at the start, so a reader knows which were still to do.
        for (let slot = 0; slot < attention.trackedCount; slot++) {
            const target = attention.targetAt(slot);
            if (target && attention.isTaskActive(target.node)) {
                this._addEvent(this._recordOf(target).entity.id, "taskActive");
            }
        }
        const observers = this._recordingObservers;
        this._observe(observers, attention.onRankingUpdatedObservable, (ranking) => this._onTick(ranking.time));
        this._observe(observers, attention.onEngagedObservable, (node) => this._addNodeEvent(node, "engage"));
        this._observe(observers, attention.onTaskStateChangedObservable, (change) => this._addNodeEvent(change.node, change.active ? "taskActive" : "taskDone"));
        this._eventSubscription = attention.events$.subscribe((event) => {
            if (event.target) {
                this._addNodeEvent(event.target, "emit", event.type, event.intensity ?? 1);
            }
        });
    }

    /** Stops recording and writes the chunk being filled. Safe to call twice; `start()` resumes. */
    public stop(): void {
        if (!this._isRecording) {
            return;
        }
        this._isRecording = false;
        release(this._recordingObservers);
        this._eventSubscription?.unsubscribe();
        this._eventSubscription = null;
        this._writeChunk(true);
    }

    /** Writes the ticks recorded since the last chunk as a chunk now (no-op when there are none). */
    public flush(): void {
        this._writeChunk(false);
    }

    /** The session text so far (memory sink only). */
    public toText(): string {
        return this._memorySink("toText").toText();
    }

    /** The session so far as a Blob to save (memory sink only). */
    public toBlob(): Blob {
        return this._memorySink("toBlob").toBlob();
    }

    /** Stops recording (writing the last chunk) and stops listening to the plugin; tracked nodes stay tracked. Safe to call twice. */
    public dispose(): void {
        if (this.isDisposed) {
            return;
        }
        this.stop();
        this.isDisposed = true;
        release(this._lifeObservers);
        this.onErrorObservable.clear();
    }

    // ---------------------------------------------------------------- ticks

    private _onTick(clockMs: number): void {
        // Runs inside the plugin's tick: whatever goes wrong here is reported, never thrown.
        try {
            this._recordTick(clockMs);
        } catch (error) {
            this._dropChunk(error);
        }
    }

    private _recordTick(clockMs: number): void {
        if (this._chunkFull) {
            this._writeChunk(false);
        }
        const attention = this.attention;
        const n = attention.trackedCount;
        const features = attention.features;
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
        const gaze = attention.latestGaze;
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
            const target = attention.targetAt(i)!;
            const id = this._recordOf(target).entity.id;
            this._ids.push(id);
            this._chunkEntityIds.add(id);
            this._distance.data[d + i] = surfaceDistance(target, position);
            this._gazeAngle.data[a + i] = features[i * FEATURE_COUNT + Feature.GazeAngle] * Math.PI;
        }
        if (this._chunkTicks >= this.options.chunkTicks) {
            this._chunkFull = true;
        }
    }

    private _playerPosition(): { x: number; y: number; z: number } {
        const node = this.options.player;
        if (node && !node.isDisposed()) {
            return node.getAbsolutePosition();
        }
        const camera = this.attention.scene.activeCamera;
        return camera ? camera.globalPosition : this.attention.latestGaze.origin;
    }

    // ---------------------------------------------------------------- chunks and faults

    private _writeChunk(final: boolean): void {
        this._chunkFull = false;
        if (this._chunkTicks === 0) {
            return;
        }
        const { filed, pending } = this._takeEvents(final);
        const entities: IRecordedEntity[] = [];
        for (const id of this._chunkEntityIds) {
            const entity = this._entities.get(id);
            if (entity) {
                entities.push(entity);
            }
        }
        entities.sort((a, b) => a.id - b.id);
        const chunk = this._chunkIndex++;
        const ticks = this._chunkTicks;
        const line: IChunkLine = {
            chunk,
            firstTick: this._chunkFirstTick,
            ticks,
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
        if (this._headerWritten || this._writeHeader(chunk, ticks, filed.length, countEngagements(filed))) {
            try {
                this.options.sink.write(sealLine(line));
            } catch (error) {
                this._fault({ stage: "chunk", error, chunk, lostTicks: ticks, lostEvents: filed.length, lostEngagements: countEngagements(filed) });
            }
        }
        this._resetChunk(pending);
    }

    /** Writes the header; on a fault, reports it with what the chunk waiting for it loses. */
    private _writeHeader(chunk: number, lostTicks: number, lostEvents: number, lostEngagements: number): boolean {
        const { sessionId, layoutId, chunkTicks, meta } = this.options;
        const header = createSessionHeader(sessionId, layoutId, chunkTicks, meta);
        try {
            this.options.sink.write(sealLine(header));
            this._headerWritten = true;
            return true;
        } catch (error) {
            this._fault({ stage: "header", error, chunk, lostTicks, lostEvents, lostEngagements });
            return false;
        }
    }

    /** Drops the chunk being filled after a fault in a tick, keeping events not yet filed. */
    private _dropChunk(error: unknown): void {
        const ticks = this._chunkTicks;
        const { filed, pending } = this._takeEvents(false);
        const chunk = ticks > 0 ? this._chunkIndex++ : -1;
        this._chunkFull = false;
        this._resetChunk(pending);
        this._fault({ stage: "tick", error, chunk, lostTicks: ticks, lostEvents: filed.length, lostEngagements: countEngagements(filed) });
    }

    /** Splits the events into those filed under the chunk's ticks and those waiting for the next tick. */
    private _takeEvents(final: boolean): { filed: IRecordedEvent[]; pending: IRecordedEvent[] } {
        const pending = this._events.filter((event) => event.tick < 0);
        const filed = this._events.filter((event) => event.tick >= 0);
        // Events since the last tick belong to the next tick; at the end there is none, so they
        // are filed under the last one rather than lost.
        if (final && this._chunkTicks > 0) {
            for (const event of pending) {
                event.tick = this._tickIndex - 1;
                event.timeMs = this._time[this._time.length - 1];
                filed.push(event);
            }
            pending.length = 0;
        }
        return { filed, pending };
    }

    private _resetChunk(pending: IRecordedEvent[]): void {
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
        for (const record of this._byPluginId.values()) {
            this._chunkEntityIds.add(record.entity.id);
        }
        for (const event of pending) {
            this._events.push(event);
            this._chunkEntityIds.add(event.id);
        }
        // An untracked entity is kept only while a chunk still names it.
        for (const id of this._retired) {
            if (!this._chunkEntityIds.has(id)) {
                this._retired.delete(id);
                this._entities.delete(id);
            }
        }
    }

    private _fault(fault: ISessionRecorderFault): void {
        this._lostTicks += fault.lostTicks;
        if (fault.chunk >= 0) {
            this._lostChunks++;
        }
        if (!this.onErrorObservable.hasObservers()) {
            if (!this._warnedFault) {
                this._warnedFault = true;
                Logger.Warn(`SessionRecorder: recording fault (${fault.stage}): ${String(fault.error)}; ${fault.lostTicks} tick(s) lost. Listen to recorder.onErrorObservable to handle faults; later ones are counted in recorder.lostTicks and lostChunks without a warning.`);
            }
            return;
        }
        try {
            this.onErrorObservable.notifyObservers(fault);
        } catch (error) {
            // A failing fault handler must not break the game's tick either.
            Logger.Error(`SessionRecorder: an onErrorObservable observer threw: ${String(error)}`);
        }
    }

    // ---------------------------------------------------------------- entities and events

    /** Gives a newly tracked target its session-local id. */
    private _adopt(target: ITrackedTarget): IEntityRecord {
        const record: IEntityRecord = { target, entity: { id: this._nextId++, kind: target.kind, label: target.label } };
        this._byPluginId.set(target.id, record);
        this._entities.set(record.entity.id, record.entity);
        return record;
    }

    /** The record of a tracked target (adopted on the spot should its tracked notification have been missed). */
    private _recordOf(target: ITrackedTarget): IEntityRecord {
        return this._byPluginId.get(target.id) ?? this._adopt(target);
    }

    private _forget(target: ITrackedTarget): void {
        const record = this._byPluginId.get(target.id);
        if (!record) {
            return;
        }
        this._byPluginId.delete(target.id);
        this._retired.add(record.entity.id);
        this._addEvent(record.entity.id, "untrack");
    }

    private _addNodeEvent(node: TransformNode, type: RecordedEventType, detail?: string, intensity?: number): void {
        const record = this._byPluginId.get(this.attention.idOf(node));
        if (record) {
            this._addEvent(record.entity.id, type, detail, intensity);
        }
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

    private _observe<T>(list: (() => void)[], observable: BabylonObservable<T>, callback: (value: T) => void): void {
        const observer: Observer<T> = observable.add(callback);
        list.push(() => observable.remove(observer));
    }

    private _memorySink(method: string): MemorySessionSink {
        const sink = this.options.sink;
        if (!(sink instanceof MemorySessionSink)) {
            throw new Error(`SessionRecorder.${method}: only available with the default in-memory sink; read your own sink's output instead`);
        }
        return sink;
    }
}

function release(list: (() => void)[]): void {
    for (const remove of list) {
        remove();
    }
    list.length = 0;
}

function countEngagements(events: readonly IRecordedEvent[]): number {
    let count = 0;
    for (const event of events) {
        if (event.type === "engage") {
            count++;
        }
    }
    return count;
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

function surfaceDistance(target: ITrackedTarget, position: { x: number; y: number; z: number }): number {
    const node = target.node;
    let cx: number;
    let cy: number;
    let cz: number;
    let radius = target.radius ?? 0.5;
    if (node instanceof AbstractMesh && node.getTotalVertices() > 0) {
        const sphere = node.getBoundingInfo().boundingSphere;
        cx = sphere.centerWorld.x;
        cy = sphere.centerWorld.y;
        cz = sphere.centerWorld.z;
        radius = target.radius ?? sphere.radiusWorld;
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

import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Scene } from "@babylonjs/core/scene";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { SessionRecorder } from "../../plugin/recording/sessionRecorder";
import { MemorySessionSink, type ISessionSink } from "../../plugin/recording/sessionSink";
import type { IGazeProvider, IGazeSample } from "../../plugin/signals/gazeSample";
import type { IFixationRecord, IGazeModelOptions } from "./gazeModel";
import type { ILayout } from "./layout";
import type { Persona } from "./personas/persona";
import { PersonaVisitor } from "./personas/personaVisitor";
import { PersonaWorldEvents } from "./personas/worldEvents";
import { PlayerAgent, type IAgentActions, type PlayerIntent } from "./playerAgent";
import { hashSeed, SeededRandom } from "./random";
import type { ISimulatedVisitor } from "./visitor";

/**
 * Who plays the session: the training simulator's visitor (PlayerAgent) with an intent, or a
 * persona of the second population (models/sim/personas), whose rules are written apart from it.
 */
export type SessionVisitor = { intent: PlayerIntent; persona?: never } | { persona: Persona; intent?: never };

export type ISimulateSessionOptions = ISessionSetup & SessionVisitor;

export interface ISessionSetup {
    layout: ILayout;
    /** Seed of this session (with the layout, it fixes every draw). */
    seed: number;
    /** Session length, seconds. @default 60 */
    seconds?: number;
    /** Plugin ticks per second (the simulation steps at the same rate). @default 20 */
    hz?: number;
    /** Recorder chunk size. @default 50 */
    chunkTicks?: number;
    sessionId?: string;
    /** Where lines go. @default in memory (returned as `lines`) */
    sink?: ISessionSink;
    /** PlayerAgent's eye model options (personas have their own eyes). */
    gaze?: Partial<IGazeModelOptions>;
    /** Keep the true eye direction per tick and every fixation (for tests). @default false */
    trace?: boolean;
}

export interface ISimulatedSession {
    sessionId: string;
    layoutId: string;
    /** The training simulator's intent, or undefined for a persona. */
    intent?: PlayerIntent;
    /** The second population's persona, or undefined for the training simulator. */
    persona?: Persona;
    /** The session file's lines (empty when a custom sink was given). */
    lines: string[];
    /** With `trace`: true (noise-free) eye direction per tick, [ticks, 3]. */
    trueGaze?: Float32Array;
    /** With `trace`: tracker gaze direction per tick, [ticks, 3]. */
    trackerGaze?: Float32Array;
    /** With `trace`: completed fixations. */
    fixations?: IFixationRecord[];
    /** With `trace`: the entity the visitor was heading for at each tick (its hidden intent), or -1. */
    goals?: Int16Array;
    /** With `trace`: the visitor's position per tick, [ticks, 2] as x, z. */
    positions?: Float32Array;
    /** With `trace`: every engagement, in order: the tick it happened and the layout entity. */
    engagementLog?: { tick: number; entity: number }[];
    engagements: number;
}

/** Training simulator: speech rate of an idle NPC and sound rate of an exhibit, events per second. */
const NPC_SPEECH_RATE = 1 / 20;
const EXHIBIT_SOUND_RATE = 1 / 60;

/**
 * Plays one session of a simulated visitor through the real plugin (NullEngine scene, the
 * plugin's own signals, features and heuristic ranking, injected clock, manual ticks) and
 * records it with SessionRecorder. Same options, same bytes.
 */
export async function simulateSessionAsync(options: ISimulateSessionOptions): Promise<ISimulatedSession> {
    const { layout, intent, persona } = options;
    const seconds = options.seconds ?? 60;
    const hz = options.hz ?? 20;
    const dt = 1 / hz;
    // Personas draw from their own stream: the same seed must not replay the simulator's draws.
    const random = new SeededRandom(persona ? hashSeed(options.seed, 0x9e75) : hashSeed(options.seed, 0x5e55));
    const sessionId = options.sessionId ?? `${layout.id}-${persona ?? intent}-${options.seed}`;

    const engine = new NullEngine();
    const scene = new Scene(engine);
    const camera = new UniversalCamera("player", new Vector3(layout.spawn.x, 1.6, layout.spawn.z), scene);
    scene.activeCamera = camera;
    const occluders: Mesh[] = layout.occluders.map((box, i) => {
        const mesh = CreateBox(`occluder-${i}`, { width: box.maxX - box.minX, height: box.height, depth: box.maxZ - box.minZ }, scene);
        mesh.position.set((box.minX + box.maxX) / 2, box.height / 2, (box.minZ + box.maxZ) / 2);
        return mesh;
    });
    const nodes = layout.entities.map((e) => {
        const node = new TransformNode(e.name, scene);
        node.position.set(e.x, e.y, e.z);
        return node;
    });

    const agent: ISimulatedVisitor = persona ? new PersonaVisitor(layout, random, persona) : new PlayerAgent(layout, random, intent, options.gaze);
    const gazeDir = { x: 0, y: 0, z: 1 };
    let nowMs = 0;
    const provider: IGazeProvider = {
        name: "simulated-eye-tracker",
        // Takes the tick time either as milliseconds or as a { nowMs } record (the provider
        // interface is moving from the first to the second).
        read(out: IGazeSample, time: number | { readonly nowMs: number }): boolean {
            const now = typeof time === "number" ? time : time.nowMs;
            agent.gaze.readTracker(gazeDir);
            out.origin.x = agent.x;
            out.origin.y = 1.6;
            out.origin.z = agent.z;
            out.direction.x = gazeDir.x;
            out.direction.y = gazeDir.y;
            out.direction.z = gazeDir.z;
            out.confidence = 1;
            out.time = now;
            return true;
        },
    };
    const attention = await AttentionPlugin.CreateAsync(scene, { camera, gaze: provider, autoTick: false, clock: () => nowMs, backend: "heuristic", occlusion: occluders, updateHz: hz });
    const sink = options.sink ?? new MemorySessionSink();
    const recorder = new SessionRecorder(attention, { sink, chunkTicks: options.chunkTicks ?? 50, sessionId, layoutId: layout.id, meta: persona ? { simulated: true, population: "personas", persona, seed: options.seed, hz } : { simulated: true, intent, seed: options.seed, hz } });
    // Tracking order is shuffled so a candidate's row says nothing about what it is.
    const order = random.shuffle(layout.entities.map((_, i) => i));
    for (const i of order) {
        const e = layout.entities[i];
        attention.track(nodes[i], { kind: e.kind, label: e.label, priority: e.priority, radius: e.radius, active: e.kind === "task" ? e.startsActive : undefined });
    }
    const active = layout.entities.map((e) => e.kind === "task" && e.startsActive);
    const world = persona ? new PersonaWorldEvents(layout, random) : undefined;
    let nowS = 0;
    let engagements = 0;
    let currentTick = 0;
    const engagementLog: { tick: number; entity: number }[] = [];
    const actions: IAgentActions = {
        engage: (i) => {
            engagements++;
            if (options.trace) engagementLog.push({ tick: currentTick, entity: i });
            attention.engage(nodes[i]);
        },
        completeTask: (i) => {
            active[i] = false;
            attention.setTaskActive(nodes[i], false);
        },
        talk: (i) => {
            attention.emit({ target: nodes[i], type: "speech", intensity: 1 });
            world?.answer(i, nowS);
        },
        isTaskActive: (i) => active[i],
    };

    const ticks = Math.round(seconds * hz);
    const trueGaze = options.trace ? new Float32Array(ticks * 3) : undefined;
    const trackerGaze = options.trace ? new Float32Array(ticks * 3) : undefined;
    const goals = options.trace ? new Int16Array(ticks) : undefined;
    const positions = options.trace ? new Float32Array(ticks * 2) : undefined;
    agent.gaze.recordFixations = options.trace === true;
    recorder.start();
    for (let tick = 0; tick < ticks; tick++) {
        nowMs = tick * 1000 * dt;
        nowS = tick * dt;
        if (world) {
            world.step(dt, nowS, (i) => active[i], (i, type, intensity) => {
                attention.emit({ target: nodes[i], type, intensity });
                agent.notifyEvent(i, intensity, nowS);
            });
        } else {
            for (let i = 0; i < layout.entities.length; i++) {
                const e = layout.entities[i];
                const rate = e.kind === "npc" ? NPC_SPEECH_RATE : e.kind === "task" ? EXHIBIT_SOUND_RATE : 0;
                if (rate > 0 && random.chance(rate * dt)) {
                    const intensity = e.kind === "npc" ? 1 : 0.6;
                    attention.emit({ target: nodes[i], type: e.kind === "npc" ? "speech" : "sound", intensity });
                    agent.notifyEvent(i, intensity, nowS);
                }
            }
        }
        currentTick = tick;
        if (goals && positions) {
            goals[tick] = agent.goal;
            positions[tick * 2] = agent.x;
            positions[tick * 2 + 1] = agent.z;
        }
        agent.step(dt, nowS, actions);
        camera.position.set(agent.x, 1.6, agent.z);
        camera.rotation.set(-agent.gaze.headPitch, agent.gaze.headYaw, 0);
        await attention.tickAsync();
        if (trueGaze && trackerGaze) {
            trueGaze[tick * 3] = agent.gaze.eyeX;
            trueGaze[tick * 3 + 1] = agent.gaze.eyeY;
            trueGaze[tick * 3 + 2] = agent.gaze.eyeZ;
            trackerGaze[tick * 3] = gazeDir.x;
            trackerGaze[tick * 3 + 1] = gazeDir.y;
            trackerGaze[tick * 3 + 2] = gazeDir.z;
        }
    }
    recorder.stop();
    recorder.dispose();
    attention.dispose();
    scene.dispose();
    engine.dispose();
    return {
        sessionId,
        layoutId: layout.id,
        intent,
        persona,
        lines: sink instanceof MemorySessionSink ? sink.lines : [],
        trueGaze,
        trackerGaze,
        fixations: options.trace ? agent.gaze.fixations : undefined,
        goals,
        positions,
        engagementLog: options.trace ? engagementLog : undefined,
        engagements,
    };
}

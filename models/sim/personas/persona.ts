import type { TargetKind } from "../../../plugin/attentionTypes";

/**
 * Who a visitor of the second population is. It is written apart from the training simulator
 * (models/sim/playerAgent.ts): other rules for choosing, walking and looking, so that the
 * evaluation on it is not the simulator grading its own play.
 */
export type Persona =
    /** Knows the quest, goes for the open tasks by the shortest route, glances little. */
    | "taskDriven"
    /** Drawn to people, above all to the ones talking; stays to chat. */
    | "social"
    /** Strolls, looks around a lot, reads signs and visits exhibits, follows sounds. */
    | "curious";

export const PERSONAS: readonly Persona[] = Object.freeze(["taskDriven", "social", "curious"]);

/** The numbers that make a persona; every rate is per second, every distance in metres. */
export interface IPersonaProfile {
    /** Cruising walk speed range, m/s (drawn once per session). */
    cruise: [number, number];
    /** Walking acceleration and braking, m/s^2: visitors ramp up and slow down, they do not jump to speed. */
    accel: number;
    /** How much each kind is worth as a destination (before distance and novelty). */
    affinity: Record<TargetKind, number>;
    /** Softmax temperature of the destination choice: high means whimsical, low means the best option nearly always. */
    temperature: number;
    /** Utility lost per metre of route: the task-driven hate walking, the curious do not mind. */
    costPerMetre: number;
    /** Utility of a stroll to a random spot instead of a thing. */
    strollUtility: number;
    /** Chance of standing a moment before setting off, looking at the chosen goal. */
    hesitateChance: number;
    /** Rate of stopping mid-walk to look around. */
    stopRate: number;
    /** Chance that a long leg gets a sideways detour (a look at the room on the way). */
    detourChance: number;
    /** Seconds spent at a thing once there: [npc, task, hint]. */
    dwell: Record<TargetKind, [number, number]>;
    /** How strongly the eyes are captured by an event (times its loudness). */
    eventCapture: number;
    /** Chance an event that captured the eyes also changes where the visitor walks, by kind of source. */
    eventWalkPull: Record<TargetKind, number>;
    /** Weight of looking at the scene (no thing) when choosing a look. */
    sceneLooks: number;
    /** Weight of looking ahead along the route while walking. */
    pathLooks: number;
    /** Weight of a look at the current goal while walking, scaled up as it nears. */
    goalLooks: number;
    /** Weight of a look at another thing in view, by kind. */
    thingLooks: Record<TargetKind, number>;
    /** Mean fixation duration on things and on the scene, seconds (gamma-distributed). */
    fixationMeanS: number;
}

/** The three personas; draws inside these ranges make each session its own visitor. */
export const PERSONA_PROFILES: Readonly<Record<Persona, Readonly<IPersonaProfile>>> = Object.freeze({
    taskDriven: {
        cruise: [1.45, 1.75],
        accel: 1.6,
        affinity: { task: 1, npc: 0.15, hint: 0.35 },
        temperature: 0.12,
        costPerMetre: 0.025,
        strollUtility: -0.3,
        hesitateChance: 0.25,
        stopRate: 0.01,
        detourChance: 0.05,
        dwell: { npc: [1, 2.5], task: [1, 2.5], hint: [0.6, 1.4] },
        eventCapture: 0.35,
        eventWalkPull: { npc: 0.03, task: 0.03, hint: 0 },
        sceneLooks: 0.25,
        pathLooks: 1.6,
        goalLooks: 1.2,
        thingLooks: { task: 0.35, npc: 0.15, hint: 0.2 },
        fixationMeanS: 0.22,
    },
    social: {
        cruise: [1.0, 1.3],
        accel: 1.0,
        affinity: { task: 0.45, npc: 1, hint: 0.25 },
        temperature: 0.3,
        costPerMetre: 0.015,
        strollUtility: 0.05,
        hesitateChance: 0.5,
        stopRate: 0.03,
        detourChance: 0.15,
        dwell: { npc: [4, 9], task: [1, 3], hint: [0.8, 1.6] },
        eventCapture: 0.8,
        eventWalkPull: { npc: 0.45, task: 0.08, hint: 0 },
        sceneLooks: 0.5,
        pathLooks: 0.8,
        goalLooks: 1.0,
        thingLooks: { task: 0.25, npc: 1.3, hint: 0.15 },
        fixationMeanS: 0.34,
    },
    curious: {
        cruise: [0.8, 1.2],
        accel: 0.8,
        affinity: { task: 0.8, npc: 0.45, hint: 0.75 },
        temperature: 0.35,
        costPerMetre: 0.008,
        strollUtility: 0.35,
        hesitateChance: 0.4,
        stopRate: 0.08,
        detourChance: 0.4,
        dwell: { npc: [1.5, 4], task: [2, 5], hint: [1.2, 2.5] },
        eventCapture: 0.7,
        eventWalkPull: { npc: 0.2, task: 0.35, hint: 0 },
        sceneLooks: 1.4,
        pathLooks: 0.6,
        goalLooks: 0.7,
        thingLooks: { task: 0.9, npc: 0.5, hint: 0.8 },
        fixationMeanS: 0.3,
    },
});

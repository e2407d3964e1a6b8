import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";

/** What a tracked entity is to the player. */
export type TargetKind = "npc" | "task" | "hint";

/** The kinds in the order of the feature schema's one-hot columns. */
export const TARGET_KINDS: readonly TargetKind[] = Object.freeze(["npc", "task", "hint"] as const);

/** Options given when an entity is tracked. */
export interface ITargetOptions {
    /** What the entity is. */
    kind: TargetKind;
    /** Designer priority. [0, 1] @default 0.5 */
    priority?: number;
    /** A human-readable label, shown in hint labels, the HUD and the Inspector. @default node.name */
    label?: string;
    /**
     * Radius of the entity in metres, used for gaze cone and distance tests.
     * @default the mesh's world bounding-sphere radius, or 0.5 for a plain TransformNode
     */
    radius?: number;
    /**
     * For tasks: whether the task is still to be done. Active tasks feed the "lost" signal.
     * @default true for tasks
     */
    active?: boolean;
}

/** A game event that draws attention to a tracked entity. */
export interface IAttentionEvent {
    /** The tracked entity the event concerns. */
    target: TransformNode;
    /** Free-form type, e.g. "speech", "quest", "sound". */
    type: string;
    /** Strength of the event. [0, 10] @default 1 */
    intensity?: number;
    /** How fast the event fades, in milliseconds. @default options.eventHalfLifeMs */
    halfLifeMs?: number;
}

/** Per-signal contributions to an entry's score: weight x normalised signal. */
export interface IScoreBreakdown {
    gaze: number;
    dwell: number;
    proximity: number;
    event: number;
    priority: number;
    novelty: number;
    visibility: number;
    approach: number;
    /** The model's attention weight on this candidate (0 when the heuristic ranks). */
    attention: number;
}

/** One ranked entity. Entries are reused from tick to tick: copy one if you keep it. */
export interface IRankingEntry {
    readonly node: TransformNode;
    readonly kind: TargetKind;
    readonly label: string;
    /** The score the ranking is sorted by (higher is better). */
    score: number;
    /** Probability that the player needs guidance toward this entity. [0, 1] */
    guidance: number;
    /** Expected gaze dwell in seconds. */
    expectedDwell: number;
    /** Why the entity scored as it did. */
    readonly why: IScoreBreakdown;
}

/** Per-kind rankings, best first. */
export interface IRanking {
    npc: IRankingEntry[];
    task: IRankingEntry[];
    hint: IRankingEntry[];
    /** Clock time of the tick that produced this ranking, in milliseconds. */
    time: number;
}

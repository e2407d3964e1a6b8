import type { IVector3Like } from "@babylonjs/core/Maths/math.like.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";

/** Where to go: a node (followed while it moves) or a fixed world point. */
export type NavigationTarget = TransformNode | IVector3Like;

/** Why navigation gave up. */
export type NavigationFailureReason = "no navmesh" | "unreachable" | "stuck";

/**
 * The navigator's state. A new object is emitted on every transition (and on every re-plan
 * while moving), so a state can be kept; nothing is emitted per frame.
 */
export type NavigationState =
    | { readonly state: "idle" }
    | { readonly state: "planning"; readonly target: NavigationTarget }
    | {
          readonly state: "moving";
          readonly target: NavigationTarget;
          /** How many paths were planned for this navigation, the first included. */
          readonly plans: number;
      }
    | { readonly state: "arrived"; readonly target: NavigationTarget }
    | { readonly state: "cancelled"; readonly target: NavigationTarget | null; readonly reason: string }
    | {
          readonly state: "failed";
          readonly target: NavigationTarget | null;
          readonly reason: NavigationFailureReason;
          /** A human-readable detail (which query failed, how long no progress was made). */
          readonly detail: string;
      };

/** The state names, for switch statements and filters. */
export type NavigationStateName = NavigationState["state"];

/** A state that ends a navigation: what `navigateToAsync` resolves with. */
export type NavigationEndState = Extract<NavigationState, { state: "arrived" | "cancelled" | "failed" }>;

/** A path that was just planned; `points` is a copy the listener may keep. */
export interface IPlannedPath {
    /** The target the path leads to. */
    readonly target: NavigationTarget;
    /** Path corners in world space, from the character's feet to the goal, in metres. */
    readonly points: readonly IVector3Like[];
    /** 1 for the first plan of a navigation, 2+ for re-plans. */
    readonly plan: number;
    /** Why this plan was made. */
    readonly cause: "start" | "target moved" | "no progress";
}

/** Options of the Havok capsule the navigator creates and drives. */
export interface INavigatorCharacterOptions {
    /** Foot position of the capsule (world, metres). @default the camera's position minus `eyeHeight`, or the origin */
    position?: IVector3Like;
    /** Capsule height, feet to top, in metres. @default 1.8 */
    height: number;
    /** Capsule radius in metres. @default 0.35 */
    radius: number;
    /** Walking speed in metres per second. @default 3 */
    speed: number;
    /** Highest step the capsule climbs, in metres. @default 0.35 */
    maxStepHeight: number;
    /** Steepest walkable slope, in degrees. @default 45 */
    maxSlopeDegrees: number;
    /** Camera height above the feet when the camera rides the capsule, in metres. @default 1.6 */
    eyeHeight: number;
    /** How fast the heading (and a carried camera's yaw) turns toward the path, in radians per second. @default 6 */
    turnSpeed: number;
}

/** Defaults of {@link INavigatorCharacterOptions}. */
export const DEFAULT_CHARACTER_OPTIONS: Readonly<Omit<INavigatorCharacterOptions, "position">> = Object.freeze({
    height: 1.8,
    radius: 0.35,
    speed: 3,
    maxStepHeight: 0.35,
    maxSlopeDegrees: 45,
    eyeHeight: 1.6,
    turnSpeed: 6,
});

/** Tunables of path following, re-planning and failure detection. */
export interface INavigatorTuning {
    /** Stop this far from the target (horizontal distance, metres), facing it. @default 1 */
    arriveDistance: number;
    /** A corner counts as reached within this horizontal distance, in metres. @default 0.25 */
    waypointRadius: number;
    /** Re-plan when a node target moved farther than this from the goal of the current path, in metres. @default 0.5 */
    replanDistance: number;
    /** How often a moving target is checked, in seconds. @default 0.25 */
    replanInterval: number;
    /** Progress below this (metres of remaining path) does not count as progress. @default 0.1 */
    minProgress: number;
    /** Seconds without progress before a re-plan. @default 1 */
    stuckTime: number;
    /** Re-plans for lack of progress (in a row, without progress between them) before failing with "stuck". @default 2 */
    maxStuckReplans: number;
    /** Half extents of the box searched around the target for the nearest navmesh point, in metres. @default {x: 2, y: 4, z: 2} */
    targetSearchExtents: IVector3Like;
    /** Half extents of the box searched around the character's feet, in metres. @default {x: 1, y: 2, z: 1} */
    startSearchExtents: IVector3Like;
    /** A path whose end is farther than this from the goal is partial: the target is unreachable. In metres. @default 0.3 */
    reachTolerance: number;
    /** Follow the navmesh surface with points `smoothStep` apart (true; the corners when that path ends short of the goal) or only the corners (false). @default true */
    smoothPath: boolean;
    /** Spacing of smoothed path points, in metres. @default 0.5 */
    smoothStep: number;
}

/** Defaults of {@link INavigatorTuning}. */
export const DEFAULT_NAVIGATOR_TUNING: Readonly<INavigatorTuning> = Object.freeze({
    arriveDistance: 1,
    waypointRadius: 0.25,
    replanDistance: 0.5,
    replanInterval: 0.25,
    minProgress: 0.1,
    stuckTime: 1,
    maxStuckReplans: 2,
    targetSearchExtents: Object.freeze({ x: 2, y: 4, z: 2 }),
    startSearchExtents: Object.freeze({ x: 1, y: 2, z: 1 }),
    reachTolerance: 0.3,
    smoothPath: true,
    smoothStep: 0.5,
});

/** One entry of a focus stream: anything with a node, such as the plugin's focused ranking entry. */
export interface IFocusLike {
    readonly node: TransformNode;
}

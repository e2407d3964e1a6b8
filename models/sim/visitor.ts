import type { IFixationRecord } from "./gazeModel";
import type { IAgentActions } from "./playerAgent";

/** The eyes and head of a simulated visitor, as the session player reads them. */
export interface IVisitorEyes {
    /** True (noise-free) eye direction, unit. */
    readonly eyeX: number;
    readonly eyeY: number;
    readonly eyeZ: number;
    /** Head (camera) yaw and pitch, radians; pitch positive looks up. */
    readonly headYaw: number;
    readonly headPitch: number;
    /** Completed fixations, kept while `recordFixations` is set. */
    readonly fixations: IFixationRecord[];
    recordFixations: boolean;
    /** What the eye tracker reports this tick. */
    readTracker(out: { x: number; y: number; z: number }): void;
}

/**
 * What simulateSessionAsync needs of a visitor: the training simulator's PlayerAgent and the
 * second population's PersonaVisitor both fit it, so both play through the same plugin and
 * recorder and come out in the same session format.
 */
export interface ISimulatedVisitor {
    readonly x: number;
    readonly z: number;
    /** Entity the visitor is heading for (its hidden intent), or -1. */
    readonly goal: number;
    readonly gaze: IVisitorEyes;
    /** A game event (speech, sound) on entity `i`. */
    notifyEvent(i: number, intensity: number, nowS: number): void;
    step(dt: number, nowS: number, actions: IAgentActions): void;
}

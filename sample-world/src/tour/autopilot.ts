import type { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { Scene } from "@babylonjs/core/scene";
import { LAYOUT } from "../world/layout";

/** One leg of the scripted tour: walk to a point, or look at a node for a while. */
export type AutopilotLeg = { readonly walkTo: readonly [number, number] } | { readonly lookAt: string; readonly seconds: number };

/** Where the autopilot is; `window.__tour.autopilot` returns a copy. */
export interface IAutopilotState {
    /** Index of the current leg in `legs`. */
    leg: number;
    /** Completed laps of the script. */
    lap: number;
    /** "walk x,z" or "look <node name>". */
    action: string;
}

/**
 * The scripted tour, in walking order: Guide Ada, around the screen to the mosaic (exhibit A),
 * the guard, around the other end to the dancer (B), the vase, the courtyard sign, through the
 * passage to Guide Bea, the bell tower and the curator; then back to the start. Waypoints keep
 * clear of walls and furniture, so no collision is needed while the script drives.
 */
/** The leg the autopilot starts at with `?start=courtyard`: Guide Bea, just out of the passage. */
export const COURTYARD_START_LEG = 16;

export const AUTOPILOT_LEGS: readonly AutopilotLeg[] = Object.freeze([
    { lookAt: "npc-ada", seconds: 3 },
    { walkTo: [0, 6] },
    { walkTo: [-5, 6] },
    { walkTo: [-7, 0.5] },
    { lookAt: "exhibit-mosaic", seconds: 4 },
    { lookAt: "npc-gus", seconds: 2 },
    { walkTo: [-5, -6.2] },
    { walkTo: [0.5, -6.2] },
    { walkTo: [3.2, -2.8] },
    { lookAt: "exhibit-dancer", seconds: 4 },
    { walkTo: [3.2, 2.8] },
    { lookAt: "exhibit-vase", seconds: 2.5 },
    { walkTo: [5.8, 0] },
    { lookAt: "hint-toCourtyard", seconds: 2 },
    { walkTo: [11, 0] },
    { walkTo: [16.5, 0] },
    { lookAt: "npc-bea", seconds: 2.5 },
    { walkTo: [20, 1.5] },
    { lookAt: "hint-bell", seconds: 3 },
    { walkTo: [22, -7] },
    { walkTo: [27, -7] },
    { lookAt: "npc-cora", seconds: 4 },
    { walkTo: [20, 0] },
    { lookAt: "hint-toGallery", seconds: 2 },
    { walkTo: [11, 0] },
    { walkTo: [LAYOUT.playerStart.x, LAYOUT.playerStart.z] },
] as AutopilotLeg[]);

const WALK_SPEED = 2.2; // m/s
const TURN_SPEED = 2.4; // rad/s
/** Longest frame step integrated: software GPUs run at a few frames per second, and the tour should still move. */
const MAX_STEP_S = 0.25;
/**
 * Tour time per frame with `?pace=fast`: a fixed step instead of frame time, so the tour
 * advances the same distance every frame however slowly frames come (tests on software GPUs).
 */
export const FAST_PACE_STEP_S = 0.4;

/**
 * Drives the camera through {@link AUTOPILOT_LEGS}: walks at a steady pace facing the way, and
 * turns smoothly to look at each named node. The order of legs and the places are fixed, so
 * every run visits the same targets in the same order; player input is ignored while it runs.
 */
export class Autopilot {
    private _leg = 0;
    private _lap = 0;
    private _lookTime = 0;
    private readonly _nodes = new Map<string, TransformNode>();

    public constructor(
        private readonly _camera: UniversalCamera,
        scene: Scene,
        startLeg = 0,
        /** Seconds of tour time per frame; 0 follows frame time (capped at 0.25 s). */
        fixedStepSeconds = 0,
        private readonly _legs: readonly AutopilotLeg[] = AUTOPILOT_LEGS
    ) {
        this._leg = startLeg;
        for (const leg of _legs) {
            if ("lookAt" in leg) {
                const node = scene.getMeshByName(leg.lookAt) ?? scene.getTransformNodeByName(leg.lookAt);
                if (!node) {
                    throw new Error(`Autopilot: no node named "${leg.lookAt}"`);
                }
                this._nodes.set(leg.lookAt, node);
            }
        }
        _camera.applyGravity = false;
        _camera.checkCollisions = false;
        _camera.inputs.clear();
        const engine = scene.getEngine();
        scene.onBeforeRenderObservable.add(() => this._update(fixedStepSeconds > 0 ? fixedStepSeconds : Math.min(engine.getDeltaTime() / 1000, MAX_STEP_S)));
    }

    public get state(): IAutopilotState {
        const leg = this._legs[this._leg];
        return { leg: this._leg, lap: this._lap, action: "walkTo" in leg ? `walk ${leg.walkTo.join(",")}` : `look ${leg.lookAt}` };
    }

    private _update(dt: number): void {
        const leg = this._legs[this._leg];
        const cam = this._camera;
        if ("walkTo" in leg) {
            const [x, z] = leg.walkTo;
            const dx = x - cam.position.x;
            const dz = z - cam.position.z;
            const distance = Math.hypot(dx, dz);
            const step = WALK_SPEED * dt;
            if (distance <= step) {
                cam.position.set(x, LAYOUT.eyeHeight, z);
                this._next();
                return;
            }
            cam.position.set(cam.position.x + (dx / distance) * step, LAYOUT.eyeHeight, cam.position.z + (dz / distance) * step);
            this._turnToward(Math.atan2(dx, dz), 0.05, dt);
            return;
        }
        const target = this._nodes.get(leg.lookAt)!.getAbsolutePosition();
        const dx = target.x - cam.position.x;
        const dz = target.z - cam.position.z;
        const pitch = -Math.atan2(target.y - cam.position.y, Math.hypot(dx, dz));
        this._turnToward(Math.atan2(dx, dz), pitch, dt);
        this._lookTime += dt;
        if (this._lookTime >= leg.seconds) {
            this._next();
        }
    }

    private _turnToward(yaw: number, pitch: number, dt: number): void {
        const rotation = this._camera.rotation;
        const maxTurn = TURN_SPEED * dt;
        const dYaw = Math.atan2(Math.sin(yaw - rotation.y), Math.cos(yaw - rotation.y));
        rotation.y += Math.max(-maxTurn, Math.min(maxTurn, dYaw));
        rotation.x += Math.max(-maxTurn, Math.min(maxTurn, pitch - rotation.x));
    }

    private _next(): void {
        this._lookTime = 0;
        this._leg++;
        if (this._leg >= this._legs.length) {
            this._leg = 0;
            this._lap++;
        }
    }
}

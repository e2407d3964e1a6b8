import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IVector3Like } from "@babylonjs/core/Maths/math.like.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { CharacterSupportedState, PhysicsCharacterController, type CharacterSurfaceInfo } from "@babylonjs/core/Physics/v2/characterController.js";
import type { INavigatorCharacterOptions } from "./navigationTypes.js";

const UP = Vector3.Up() as Readonly<Vector3>;
const DOWN = Vector3.Down() as Readonly<Vector3>;

/**
 * Drives a Havok `PhysicsCharacterController` (capsule, gravity, steps, slopes) toward a
 * desired horizontal velocity, the way Babylon's character controller sample does: ground
 * movement through `calculateMovementToRef`, free fall under the scene's gravity in the air.
 * Every temporary is a field: `step()` allocates nothing of its own (Havok's solver may).
 */
export class CharacterMover {
    /** The Havok capsule. */
    public readonly controller: PhysicsCharacterController;
    /** Whether this mover created the controller (and so disposes it). */
    public readonly ownsController: boolean;

    private readonly _scene: Scene;
    private readonly _support: CharacterSurfaceInfo = {
        isSurfaceDynamic: false,
        supportedState: CharacterSupportedState.UNSUPPORTED,
        averageSurfaceNormal: new Vector3(),
        averageSurfaceVelocity: new Vector3(),
        averageAngularSurfaceVelocity: new Vector3(),
    };
    private readonly _desired = new Vector3();
    private readonly _forward = new Vector3(0, 0, 1);
    private readonly _output = new Vector3();
    private readonly _cross = new Vector3();
    private readonly _foot = new Vector3();
    private readonly _center = new Vector3();
    private readonly _noGravity = new Vector3();

    /**
     * @param scene a scene with Havok physics enabled
     * @param controllerOrOptions an existing controller to drive, or the capsule to create
     */
    public constructor(scene: Scene, controllerOrOptions: PhysicsCharacterController | (INavigatorCharacterOptions & { position: IVector3Like })) {
        this._scene = scene;
        if (controllerOrOptions instanceof PhysicsCharacterController) {
            this.controller = controllerOrOptions;
            this.ownsController = false;
        } else {
            const o = controllerOrOptions;
            const center = new Vector3(o.position.x, o.position.y + o.height / 2, o.position.z);
            this.controller = new PhysicsCharacterController(center, { capsuleHeight: o.height, capsuleRadius: o.radius }, scene);
            this.controller.maxStepHeight = o.maxStepHeight;
            this.controller.maxSlopeCosine = Math.cos((o.maxSlopeDegrees * Math.PI) / 180);
            this.ownsController = true;
        }
    }

    /**
     * The capsule's feet (bottom), written into `result`.
     * @param result where the foot position goes
     * @returns result
     */
    public getFootToRef(result: Vector3): Vector3 {
        const c = this.controller;
        return c.getPosition().subtractToRef(c.up.scaleToRef(c.footOffset, this._foot), result);
    }

    /**
     * Teleports the capsule so that its feet are at `foot`, and stops it.
     * @param foot the new foot position
     */
    public setFoot(foot: IVector3Like): void {
        const c = this.controller;
        this._center.set(foot.x, foot.y, foot.z).addInPlace(c.up.scaleToRef(c.footOffset, this._foot));
        c.setPosition(this._center);
        c.setVelocity(Vector3.ZeroReadOnly as Vector3);
    }

    /** Zeroes the horizontal velocity (a fall continues). */
    public stopHorizontal(): void {
        const v = this.controller.getVelocity();
        this._output.set(0, v.y, 0);
        this.controller.setVelocity(this._output);
    }

    /**
     * One integration step.
     * @param dt seconds
     * @param vx desired horizontal velocity x, metres per second
     * @param vz desired horizontal velocity z, metres per second
     */
    public step(dt: number, vx: number, vz: number): void {
        if (dt <= 0) {
            return;
        }
        const c = this.controller;
        const gravity = this._scene.getPhysicsEngine()?.gravity ?? this._noGravity;
        c.checkSupportToRef(dt, DOWN as Vector3, this._support);
        const support = this._support;
        const out = this._output;
        if (support.supportedState === CharacterSupportedState.SUPPORTED) {
            this._desired.set(vx, 0, vz);
            if (vx !== 0 || vz !== 0) {
                this._forward.set(vx, 0, vz).normalize();
            }
            c.calculateMovementToRef(dt, this._forward, support.averageSurfaceNormal, c.getVelocity(), support.averageSurfaceVelocity, this._desired, UP as Vector3, out);
            // Walking up a slope: keep the horizontal speed asked for, along the surface
            // (the projection from Babylon's character controller sample).
            out.subtractInPlace(support.averageSurfaceVelocity);
            if (out.y > 1e-3) {
                const length = out.length();
                out.normalizeFromLength(length);
                const horizontalLength = length / Vector3.Dot(support.averageSurfaceNormal, UP);
                Vector3.CrossToRef(support.averageSurfaceNormal, out, this._cross);
                Vector3.CrossToRef(this._cross, UP, out);
                out.scaleInPlace(horizontalLength);
            }
            out.addInPlace(support.averageSurfaceVelocity);
        } else {
            // Airborne or sliding: keep momentum, fall, and steer gently toward the path.
            const v = c.getVelocity();
            out.set(v.x + (vx - v.x) * Math.min(1, dt * 2), v.y + gravity.y * dt, v.z + (vz - v.z) * Math.min(1, dt * 2));
        }
        c.setVelocity(out);
        c.integrate(dt, support, gravity);
    }

    /** Disposes the controller if this mover created it. */
    public dispose(): void {
        if (this.ownsController) {
            this.controller.dispose();
        }
    }
}

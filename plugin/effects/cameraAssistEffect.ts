import { TargetCamera } from "@babylonjs/core/Cameras/targetCamera.js";
import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { PointerInfo } from "@babylonjs/core/Events/pointerEvents.js";
import type { KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IAttentionSource } from "./attentionSource.js";
import { FOCUS_EFFECT_DEFAULTS, FocusEffect, type IFocusEffectOptions } from "./focusEffect.js";
import { getNodeCenterToRef, wrapAngle } from "./effectMath.js";

/** Options of {@link CameraAssistEffect}. */
export interface ICameraAssistOptions extends IFocusEffectOptions {
    /** Off by default: turning the player's camera is opt-in. @default false */
    enabled: boolean;
    /** Share of the remaining angle to the target closed per second, before the speed limit. 1/s @default 0.6 */
    strength: number;
    /** Fastest the assist may turn the camera. rad/s @default 0.21 (12 degrees/s) */
    maxAngularSpeed: number;
    /** Furthest the assist may turn the camera away from where the player left it. rad @default 0.35 (20 degrees) */
    maxOffset: number;
    /** Quiet time after the last player input before the assist resumes. ms @default 1500 */
    quietPeriodMs: number;
    /** Time over which the turn speed ramps up from 0 after resuming, so it never jerks. ms @default 600 */
    rampMs: number;
    /** No assist when the target is already within this angle of the view direction. rad @default 0.05 (about 3 degrees) */
    deadZone: number;
    /** Assist pitch as well as yaw. @default true */
    assistPitch: boolean;
    /** Treat the scene's pointer and keyboard events as player input. @default true */
    watchSceneInput: boolean;
}

/** Defaults of {@link CameraAssistEffect}. */
export const CAMERA_ASSIST_DEFAULTS: Readonly<ICameraAssistOptions> = Object.freeze({
    ...FOCUS_EFFECT_DEFAULTS,
    enabled: false,
    strength: 0.6,
    maxAngularSpeed: (12 * Math.PI) / 180,
    maxOffset: (20 * Math.PI) / 180,
    quietPeriodMs: 1500,
    rampMs: 600,
    deadZone: 0.05,
    assistPitch: true,
    watchSceneInput: true,
});

/** Class names of TargetCamera subclasses whose rotation is not the player's to nudge. */
const UNASSISTED_CAMERAS = new Set(["ArcRotateCamera", "WebXRCamera", "FollowCamera", "ArcFollowCamera"]);

/**
 * Turns the active camera gently toward the focus target: rate-limited, ramped in, and bounded
 * to `maxOffset` from where the player last left the camera. Any player input (scene pointer or
 * keyboard events, `notifyPlayerInput()`, or the camera rotating by other means) stops it at
 * once; it resumes after `quietPeriodMs`. Works on TargetCamera-based cameras (Free, Universal,
 * Touch, Gamepad, Fly) with Euler rotation; ArcRotate, follow and XR cameras are left alone.
 *
 * The state it owns is the offset it added since the player's last input: disabling or
 * disposing removes exactly that offset. The player's own turns are never undone.
 */
export class CameraAssistEffect extends FocusEffect<ICameraAssistOptions> {
    private _camera: TargetCamera | null = null;
    private _offsetYaw = 0;
    private _offsetPitch = 0;
    private _leftYaw = 0;
    private _leftPitch = 0;
    private _lastInputTime = -Infinity;
    private _resumeTime = 0;
    private _pointerObserver: Observer<PointerInfo> | null = null;
    private _keyboardObserver: Observer<KeyboardInfo> | null = null;
    private readonly _center = new Vector3();
    private readonly _forward = new Vector3();
    private readonly _localForward = new Vector3(0, 0, 1);

    constructor(source: IAttentionSource, options: Partial<ICameraAssistOptions> = {}) {
        super(source, { ...CAMERA_ASSIST_DEFAULTS, ...options });
        this._start();
    }

    /** Yaw and pitch the assist has added since the player's last input, in radians. */
    public get offset(): { yaw: number; pitch: number } {
        return { yaw: this._offsetYaw, pitch: this._offsetPitch };
    }

    /** Whether the assist is holding off because of recent player input. */
    public get isYielding(): boolean {
        return this.options.clock() < this._resumeTime;
    }

    /** Reports player input from any source the scene does not see (gamepad, game UI, XR). */
    public notifyPlayerInput(): void {
        const now = this.options.clock();
        this._lastInputTime = now;
        this._resumeTime = now + this.options.quietPeriodMs;
        // From here the player owns the camera's current orientation: the assist never undoes it.
        this._offsetYaw = 0;
        this._offsetPitch = 0;
    }

    protected _onEnable(): void {
        this._resumeTime = Math.max(this.options.clock(), this._lastInputTime + this.options.quietPeriodMs);
        if (this.options.watchSceneInput) {
            this._pointerObserver = this._scene.onPointerObservable.add(() => this.notifyPlayerInput());
            this._keyboardObserver = this._scene.onKeyboardObservable.add(() => this.notifyPlayerInput());
        }
    }

    protected _onDisable(): void {
        this._scene.onPointerObservable.remove(this._pointerObserver);
        this._scene.onKeyboardObservable.remove(this._keyboardObserver);
        this._pointerObserver = null;
        this._keyboardObserver = null;
        this._releaseCamera();
    }

    protected _onFrame(dtMs: number, nowMs: number): void {
        const active = this._scene.activeCamera;
        const camera = isAssistable(active) ? active : null;
        if (camera !== this._camera) {
            this._releaseCamera();
            this._camera = camera;
            if (camera) {
                this._leftYaw = camera.rotation.y;
                this._leftPitch = camera.rotation.x;
            }
        }
        if (!camera) {
            return;
        }
        const rotation = camera.rotation;
        // A turn we did not make is the player's (mouse look, touch, gamepad, inertia).
        if (Math.abs(rotation.y - this._leftYaw) > 1e-7 || Math.abs(rotation.x - this._leftPitch) > 1e-7) {
            this.notifyPlayerInput();
        }
        const node = this._liveFocus();
        if (node && nowMs >= this._resumeTime && dtMs > 0) {
            this._turnToward(camera, dtMs, nowMs);
        }
        this._leftYaw = rotation.y;
        this._leftPitch = rotation.x;
    }

    private _turnToward(camera: TargetCamera, dtMs: number, nowMs: number): void {
        const options = this.options;
        this._localForward.z = this._scene.useRightHandedSystem ? -1 : 1;
        camera.getDirectionToRef(this._localForward, this._forward);
        getNodeCenterToRef(this._liveFocus()!, this._center).subtractInPlace(camera.globalPosition);
        const c = this._center;
        const f = this._forward;
        if (c.lengthSquared() < 1e-8) {
            return;
        }
        const dYaw = wrapAngle(Math.atan2(c.x, c.z) - Math.atan2(f.x, f.z));
        const dPitch = options.assistPitch ? Math.atan2(-c.y, Math.hypot(c.x, c.z)) - Math.atan2(-f.y, Math.hypot(f.x, f.z)) : 0;
        const remaining = Math.hypot(dYaw, dPitch);
        if (remaining < options.deadZone) {
            return;
        }
        const dt = dtMs / 1000;
        const ramp = options.rampMs > 0 ? Math.min(1, (nowMs - this._resumeTime) / options.rampMs) : 1;
        const maxStep = options.maxAngularSpeed * dt * ramp;
        let step = remaining * Math.min(1, options.strength * dt);
        if (step > maxStep) {
            step = maxStep;
        }
        let yaw = this._offsetYaw + (dYaw / remaining) * step;
        let pitch = this._offsetPitch + (dPitch / remaining) * step;
        const total = Math.hypot(yaw, pitch);
        if (total > options.maxOffset) {
            yaw *= options.maxOffset / total;
            pitch *= options.maxOffset / total;
        }
        // Positive rotation.x looks down in both handednesses (checked by the right-handed test).
        camera.rotation.y += yaw - this._offsetYaw;
        camera.rotation.x += pitch - this._offsetPitch;
        this._offsetYaw = yaw;
        this._offsetPitch = pitch;
    }

    /** Takes back the offset added since the player's last input, then forgets the camera. */
    private _releaseCamera(): void {
        const camera = this._camera;
        if (camera && !camera.isDisposed()) {
            camera.rotation.y -= this._offsetYaw;
            camera.rotation.x -= this._offsetPitch;
        }
        this._camera = null;
        this._offsetYaw = 0;
        this._offsetPitch = 0;
    }
}

function isAssistable(camera: Camera | null): camera is TargetCamera {
    return (
        camera instanceof TargetCamera &&
        !camera.rotationQuaternion &&
        !camera.lockedTarget &&
        !UNASSISTED_CAMERAS.has(camera.getClassName())
    );
}

import { clamp, wrap } from "./simMath";
import type { SeededRandom } from "./random";

/** Where the eyes are sent next: a world point, on an entity (index) or on the scene (-1). */
export interface IGazeTarget {
    x: number;
    y: number;
    z: number;
    entity: number;
    /** Fixations to make on this target before choosing again (refixations within one visit). */
    fixations: number;
}

/** One completed fixation, for statistics. */
export interface IFixationRecord {
    startS: number;
    durationS: number;
    entity: number;
}

export interface IGazeModelOptions {
    /** Median fixation duration, seconds. @default 0.26 */
    fixationMedianS: number;
    /** Log-space spread of fixation durations. @default 0.35 */
    fixationSigma: number;
    /** Peak saccade speed, degrees per second. @default 450 */
    saccadeDegPerS: number;
    /** Tracker noise per axis, degrees (standard deviation, per sample). @default 1.1 */
    noiseDeg: number;
    /** Standard deviation of the per-session calibration offset, degrees. @default 0.5 */
    biasDeg: number;
    /** Time constant with which the head follows the eyes, seconds. @default 0.3 */
    headLagS: number;
    /** Largest eye-in-head angle before the head is dragged along, degrees. @default 40 */
    maxEyeInHeadDeg: number;
}

export const DEFAULT_GAZE_MODEL_OPTIONS: Readonly<IGazeModelOptions> = Object.freeze({
    fixationMedianS: 0.26,
    fixationSigma: 0.35,
    saccadeDegPerS: 450,
    noiseDeg: 1.1,
    biasDeg: 0.5,
    headLagS: 0.3,
    maxEyeInHeadDeg: 40,
});

const DEG = Math.PI / 180;

/**
 * Eyes and head of a simulated player. The eyes fixate world points for a few hundred ms
 * (log-normal), jump between them in fast saccades, hold a point steady while the body moves,
 * and are read through a tracker with per-sample noise and a fixed calibration offset. The
 * head follows the eyes with a lag, leans toward the walking direction, and sometimes leads a
 * large shift before the eyes jump.
 */
export class GazeModel {
    public readonly options: IGazeModelOptions;
    /** True eye direction (unit). */
    public eyeX = 0;
    public eyeY = 0;
    public eyeZ = 1;
    /** Head (camera) yaw and pitch, radians; pitch positive looks up. */
    public headYaw = 0;
    public headPitch = 0;
    /** The current target; `entity` is -1 for scene points. */
    public readonly target: IGazeTarget = { x: 0, y: 1.6, z: 10, entity: -1, fixations: 1 };
    public readonly fixations: IFixationRecord[] = [];
    public recordFixations = false;

    private _fixationLeft = 0;
    private _landed = false;
    private _landedAt = 0;
    private _delay = 0;
    private readonly _biasYaw: number;
    private readonly _biasPitch: number;

    public constructor(
        private readonly _random: SeededRandom,
        options: Partial<IGazeModelOptions> = {}
    ) {
        this.options = { ...DEFAULT_GAZE_MODEL_OPTIONS, ...options };
        this._biasYaw = this._random.gaussian() * this.options.biasDeg * DEG;
        this._biasPitch = this._random.gaussian() * this.options.biasDeg * DEG;
    }

    /** Whether the current fixation has ended and a new target is wanted. */
    public get wantsTarget(): boolean {
        return this._landed && this._fixationLeft <= 0 && this.target.fixations <= 0;
    }

    /** The entity the eyes are on (landed), or -1. */
    public get fixatedEntity(): number {
        return this._landed ? this.target.entity : -1;
    }

    /** Sends the eyes to a new target; `delayS` lets the head start turning first. */
    public setTarget(target: IGazeTarget, nowS: number, delayS = 0): void {
        this._closeFixation(nowS);
        this.target.x = target.x;
        this.target.y = target.y;
        this.target.z = target.z;
        this.target.entity = target.entity;
        this.target.fixations = Math.max(1, target.fixations);
        this._landed = false;
        this._delay = delayS;
    }

    /** Interrupts the current fixation (an event grabbed attention) at the next step. */
    public interrupt(): void {
        this._fixationLeft = 0;
        this.target.fixations = 0;
    }

    /** Advances eyes and head by `dt` seconds, the eyes at (ex, ey, ez); walkYaw NaN when standing. */
    public step(dt: number, nowS: number, ex: number, ey: number, ez: number, walkYaw: number): void {
        const o = this.options;
        let tx = this.target.x - ex;
        let ty = this.target.y - ey;
        let tz = this.target.z - ez;
        const length = Math.hypot(tx, ty, tz) || 1;
        tx /= length;
        ty /= length;
        tz /= length;
        if (this._delay > 0) {
            this._delay -= dt;
        } else if (!this._landed) {
            // Saccade: rotate toward the target at peak speed; land when there.
            const dot = clamp(this.eyeX * tx + this.eyeY * ty + this.eyeZ * tz, -1, 1);
            const angle = Math.acos(dot);
            const step = o.saccadeDegPerS * DEG * dt;
            if (angle <= step) {
                this._land(tx, ty, tz, nowS);
            } else {
                this._rotateEye(tx, ty, tz, dot, step);
            }
        } else {
            // Fixation: the eyes stay on the world point as the body moves (no drift modelled).
            this.eyeX = tx;
            this.eyeY = ty;
            this.eyeZ = tz;
            this._fixationLeft -= dt;
            if (this._fixationLeft <= 0 && this.target.fixations > 0) {
                this.target.fixations--;
                if (this.target.fixations > 0) {
                    // A refixation: a small jump to another point of the same thing.
                    this._closeFixation(nowS);
                    this._startFixation(nowS);
                }
            }
        }
        this._stepHead(dt, tx, ty, tz, walkYaw);
    }

    /** The tracker's reading of the eye direction: true direction plus calibration offset and noise. */
    public readTracker(out: { x: number; y: number; z: number }): void {
        const noise = this.options.noiseDeg * DEG;
        const yaw = Math.atan2(this.eyeX, this.eyeZ) + this._biasYaw + this._random.gaussian() * noise;
        const pitch = Math.asin(clamp(this.eyeY, -1, 1)) + this._biasPitch + this._random.gaussian() * noise;
        out.x = Math.sin(yaw) * Math.cos(pitch);
        out.y = Math.sin(pitch);
        out.z = Math.cos(yaw) * Math.cos(pitch);
    }

    /** Points the eyes and head straight at a direction (session start). */
    public lookAt(yaw: number, pitch: number): void {
        this.eyeX = Math.sin(yaw) * Math.cos(pitch);
        this.eyeY = Math.sin(pitch);
        this.eyeZ = Math.cos(yaw) * Math.cos(pitch);
        this.headYaw = yaw;
        this.headPitch = pitch;
    }

    private _land(tx: number, ty: number, tz: number, nowS: number): void {
        this.eyeX = tx;
        this.eyeY = ty;
        this.eyeZ = tz;
        this._landed = true;
        this._startFixation(nowS);
    }

    private _startFixation(nowS: number): void {
        const o = this.options;
        this._landedAt = nowS;
        this._fixationLeft = clamp(this._random.logNormal(o.fixationMedianS, o.fixationSigma), 0.1, 1.5);
    }

    private _closeFixation(nowS: number): void {
        if (this._landed && this.recordFixations) {
            this.fixations.push({ startS: this._landedAt, durationS: nowS - this._landedAt, entity: this.target.entity });
        }
    }

    private _rotateEye(tx: number, ty: number, tz: number, dot: number, step: number): void {
        // Great-circle step: e' = cos(step) e + sin(step) p, p the unit part of t orthogonal to e.
        let px = tx - dot * this.eyeX;
        let py = ty - dot * this.eyeY;
        let pz = tz - dot * this.eyeZ;
        const pl = Math.hypot(px, py, pz) || 1;
        px /= pl;
        py /= pl;
        pz /= pl;
        const c = Math.cos(step);
        const s = Math.sin(step);
        this.eyeX = c * this.eyeX + s * px;
        this.eyeY = c * this.eyeY + s * py;
        this.eyeZ = c * this.eyeZ + s * pz;
    }

    private _stepHead(dt: number, tx: number, ty: number, tz: number, walkYaw: number): void {
        const o = this.options;
        // The head turns toward where the eyes are going (even before they jump: head lead),
        // pulled toward the walking direction while walking.
        const targetYaw = Math.atan2(tx, tz);
        let desiredYaw = targetYaw;
        if (walkYaw === walkYaw) {
            desiredYaw = targetYaw + 0.3 * wrap(walkYaw - targetYaw);
        }
        const desiredPitch = 0.5 * Math.asin(clamp(ty, -1, 1));
        const blend = 1 - Math.exp(-dt / o.headLagS);
        this.headYaw = wrap(this.headYaw + wrap(desiredYaw - this.headYaw) * blend);
        this.headPitch += (desiredPitch - this.headPitch) * blend;
        // The eyes cannot turn further than about 40 degrees in the head: drag the head along.
        const eyeYaw = Math.atan2(this.eyeX, this.eyeZ);
        const offset = wrap(eyeYaw - this.headYaw);
        const max = o.maxEyeInHeadDeg * DEG;
        if (offset > max) {
            this.headYaw = wrap(eyeYaw - max);
        } else if (offset < -max) {
            this.headYaw = wrap(eyeYaw + max);
        }
    }
}

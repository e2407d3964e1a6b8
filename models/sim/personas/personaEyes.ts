import { clamp, wrap } from "../simMath";
import type { IFixationRecord } from "../gazeModel";
import type { SeededRandom } from "../random";
import type { IVisitorEyes } from "../visitor";

/** Where a persona sends its eyes: a world point on an entity (index) or on the scene (-1). */
export interface IPersonaLook {
    x: number;
    y: number;
    z: number;
    entity: number;
    /** Fixations to make on it before choosing again. */
    fixations: number;
    /** Mean fixation duration here, seconds. */
    meanS: number;
}

const DEG = Math.PI / 180;
/** Main sequence: saccade duration grows linearly with amplitude (about 21 ms + 2.2 ms per degree). */
const SACCADE_BASE_S = 0.021;
const SACCADE_PER_DEG_S = 0.0022;
/** Gaze shifts smaller than this are made by the eyes alone; larger ones recruit the head. */
const HEAD_FREE_DEG = 15;
/** Share of a large gaze shift the head ends up carrying. */
const HEAD_SHARE = 0.75;
/** Natural frequency of the head's critically damped turn, rad/s (about 0.3 s to settle). */
const HEAD_OMEGA = 9;
/** Seconds after which a walking head drifts back to the walking direction. */
const HEAD_RETURN_S = 1.5;
const MAX_EYE_IN_HEAD_DEG = 35;
/** Tracker error: fixed calibration offset, slow drift (AR(1)), per-sample jitter, gain error off-centre. */
const BIAS_DEG = 0.6;
const DRIFT_DEG = 0.6;
const DRIFT_TAU_S = 0.4;
const JITTER_DEG = 0.55;
const ECCENTRIC_GAIN = 0.03;
/** Blinks per second and their length; the tracker holds its last reading through a blink. */
const BLINK_RATE = 0.3;
const BLINK_S: [number, number] = [0.1, 0.25];

type Phase = "latency" | "saccade" | "fixate";

/**
 * The second population's eyes, written apart from models/sim/gazeModel.ts: saccades follow the
 * main sequence with a bell-shaped velocity profile instead of a constant peak speed; fixations
 * are gamma-distributed instead of log-normal; the head only joins shifts beyond 15 degrees and
 * turns as a critically damped spring, then drifts back to the walking direction; the tracker
 * adds slow drift, an off-centre gain error and blinks (held samples) to its calibration offset.
 */
export class PersonaEyes implements IVisitorEyes {
    public eyeX = 0;
    public eyeY = 0;
    public eyeZ = 1;
    public headYaw = 0;
    public headPitch = 0;
    public readonly fixations: IFixationRecord[] = [];
    public recordFixations = false;
    public readonly look: IPersonaLook = { x: 0, y: 1.6, z: 10, entity: -1, fixations: 1, meanS: 0.3 };

    private _phase: Phase = "fixate";
    private _latencyLeft = 0;
    private _saccadeT = 0;
    private _saccadeS = 0;
    private _fromYaw = 0;
    private _fromPitch = 0;
    private _fixationLeft = 0;
    private _fixationStart = 0;
    private _headGoalYaw = 0;
    private _headGoalPitch = 0;
    private _headYawRate = 0;
    private _headPitchRate = 0;
    private readonly _biasYaw: number;
    private readonly _biasPitch: number;
    private _driftYaw = 0;
    private _driftPitch = 0;
    private _jitterYaw = 0;
    private _jitterPitch = 0;
    private _blinkLeft = 0;
    private readonly _held = { x: 0, y: 0, z: 1 };

    public constructor(private readonly _random: SeededRandom) {
        this._biasYaw = _random.gaussian() * BIAS_DEG * DEG;
        this._biasPitch = _random.gaussian() * BIAS_DEG * DEG;
    }

    /** Whether the eyes have finished with their target and want another. */
    public get wantsTarget(): boolean {
        return this._phase === "fixate" && this._fixationLeft <= 0 && this.look.fixations <= 0;
    }

    /** The entity the eyes rest on, or -1 (in flight, or on the scene). */
    public get fixatedEntity(): number {
        return this._phase === "fixate" ? this.look.entity : -1;
    }

    /** Sends the eyes to `look` after `latencyS` (the reaction time of a look that something else triggered). */
    public lookTo(look: IPersonaLook, nowS: number, latencyS = 0): void {
        this._closeFixation(nowS);
        Object.assign(this.look, look);
        this.look.fixations = Math.max(1, look.fixations);
        this._latencyLeft = latencyS;
        this._phase = latencyS > 0 ? "latency" : "saccade";
        this._saccadeT = -1;
    }

    /** Points eyes and head along a direction (session start). */
    public lookAt(yaw: number, pitch: number): void {
        this._setEye(yaw, pitch);
        this.headYaw = this._headGoalYaw = yaw;
        this.headPitch = this._headGoalPitch = pitch;
        this._held.x = this.eyeX;
        this._held.y = this.eyeY;
        this._held.z = this.eyeZ;
    }

    /** Advances eyes, head and tracker error by `dt`, the eyes at (ex, ey, ez); walkYaw NaN when standing. */
    public step(dt: number, nowS: number, ex: number, ey: number, ez: number, walkYaw: number): void {
        const targetYaw = Math.atan2(this.look.x - ex, this.look.z - ez);
        const targetPitch = Math.atan2(this.look.y - ey, Math.hypot(this.look.x - ex, this.look.z - ez));
        if (this._phase === "latency") {
            this._latencyLeft -= dt;
            if (this._latencyLeft <= 0) {
                this._phase = "saccade";
            }
        }
        if (this._phase === "saccade") {
            if (this._saccadeT < 0) {
                this._startSaccade(targetYaw, targetPitch);
            }
            this._saccadeT += dt;
            const p = Math.min(1, this._saccadeT / this._saccadeS);
            // Smoothstep position: zero speed at both ends, peak in the middle (a bell-shaped velocity).
            const s = p * p * (3 - 2 * p);
            this._setEye(this._fromYaw + wrap(targetYaw - this._fromYaw) * s, this._fromPitch + (targetPitch - this._fromPitch) * s);
            if (p >= 1) {
                this._phase = "fixate";
                this._startFixation(nowS);
            }
        } else if (this._phase === "fixate") {
            // The eyes hold the world point while the body moves.
            this._setEye(targetYaw, targetPitch);
            this._fixationLeft -= dt;
            if (this._fixationLeft <= 0 && this.look.fixations > 0) {
                this.look.fixations--;
                if (this.look.fixations > 0) {
                    this._closeFixation(nowS);
                    this._startFixation(nowS);
                }
            }
        }
        this._stepHead(dt, walkYaw);
        this._stepTracker(dt);
    }

    public readTracker(out: { x: number; y: number; z: number }): void {
        if (this._blinkLeft > 0) {
            out.x = this._held.x;
            out.y = this._held.y;
            out.z = this._held.z;
            return;
        }
        const yaw = Math.atan2(this.eyeX, this.eyeZ);
        const pitch = Math.asin(clamp(this.eyeY, -1, 1));
        const offCentre = wrap(yaw - this.headYaw);
        const ry = yaw + this._biasYaw + this._driftYaw + this._jitterYaw + ECCENTRIC_GAIN * offCentre;
        const rp = pitch + this._biasPitch + this._driftPitch + this._jitterPitch;
        out.x = this._held.x = Math.sin(ry) * Math.cos(rp);
        out.y = this._held.y = Math.sin(rp);
        out.z = this._held.z = Math.cos(ry) * Math.cos(rp);
    }

    private _startSaccade(targetYaw: number, targetPitch: number): void {
        this._fromYaw = Math.atan2(this.eyeX, this.eyeZ);
        this._fromPitch = Math.asin(clamp(this.eyeY, -1, 1));
        const amplitudeDeg = Math.hypot(wrap(targetYaw - this._fromYaw), targetPitch - this._fromPitch) / DEG;
        this._saccadeS = SACCADE_BASE_S + SACCADE_PER_DEG_S * amplitudeDeg;
        this._saccadeT = 0;
        const headOffset = wrap(targetYaw - this.headYaw);
        if (Math.abs(headOffset) > HEAD_FREE_DEG * DEG) {
            this._headGoalYaw = wrap(this.headYaw + HEAD_SHARE * headOffset);
            this._headGoalPitch = 0.5 * targetPitch;
        }
    }

    private _startFixation(nowS: number): void {
        this._fixationStart = nowS;
        // Gamma with shape 3 (a sum of three exponentials): a mode above zero and a long right tail.
        const u = Math.max(1e-9, this._random.next() * this._random.next() * this._random.next());
        this._fixationLeft = clamp((-this.look.meanS / 3) * Math.log(u), 0.08, 2.0);
    }

    private _closeFixation(nowS: number): void {
        if (this._phase === "fixate" && this.recordFixations) {
            this.fixations.push({ startS: this._fixationStart, durationS: nowS - this._fixationStart, entity: this.look.entity });
        }
    }

    private _stepHead(dt: number, walkYaw: number): void {
        if (walkYaw === walkYaw) {
            this._headGoalYaw = wrap(this._headGoalYaw + wrap(walkYaw - this._headGoalYaw) * (1 - Math.exp(-dt / HEAD_RETURN_S)));
        }
        // Critically damped spring toward the head goal (semi-implicit Euler).
        const w = HEAD_OMEGA;
        this._headYawRate += (w * w * wrap(this._headGoalYaw - this.headYaw) - 2 * w * this._headYawRate) * dt;
        this._headPitchRate += (w * w * (this._headGoalPitch - this.headPitch) - 2 * w * this._headPitchRate) * dt;
        this.headYaw = wrap(this.headYaw + this._headYawRate * dt);
        this.headPitch += this._headPitchRate * dt;
        const eyeYaw = Math.atan2(this.eyeX, this.eyeZ);
        const offset = wrap(eyeYaw - this.headYaw);
        const max = MAX_EYE_IN_HEAD_DEG * DEG;
        if (Math.abs(offset) > max) {
            this.headYaw = wrap(eyeYaw - Math.sign(offset) * max);
            this._headYawRate = 0;
        }
    }

    private _stepTracker(dt: number): void {
        const r = this._random;
        const keep = Math.exp(-dt / DRIFT_TAU_S);
        const fresh = Math.sqrt(1 - keep * keep) * DRIFT_DEG * DEG;
        this._driftYaw = this._driftYaw * keep + fresh * r.gaussian();
        this._driftPitch = this._driftPitch * keep + fresh * r.gaussian();
        this._jitterYaw = JITTER_DEG * DEG * r.gaussian();
        this._jitterPitch = JITTER_DEG * DEG * r.gaussian();
        if (this._blinkLeft > 0) {
            this._blinkLeft -= dt;
        } else if (r.chance(BLINK_RATE * dt)) {
            this._blinkLeft = r.range(BLINK_S[0], BLINK_S[1]);
        }
    }

    private _setEye(yaw: number, pitch: number): void {
        this.eyeX = Math.sin(yaw) * Math.cos(pitch);
        this.eyeY = Math.sin(pitch);
        this.eyeZ = Math.cos(yaw) * Math.cos(pitch);
    }
}

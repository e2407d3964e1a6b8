import { clamp, wrap } from "../simMath";
import { lineBlocked, roomAt, segmentHitsBox, type ILayout } from "../layout";
import { planPath, type IPoint2 } from "../pathPlanner";
import type { IAgentActions } from "../playerAgent";
import type { SeededRandom } from "../random";
import type { ISimulatedVisitor } from "../visitor";
import { PERSONA_PROFILES, type IPersonaProfile, type Persona } from "./persona";
import { PersonaEyes, type IPersonaLook } from "./personaEyes";

type Activity = "choose" | "hesitate" | "walk" | "stop" | "arrive" | "use";

const EYE_HEIGHT = 1.65;
/** Things further than this are not considered (nor seen well enough to pull a look). */
const SIGHT_RANGE_M = 16;
/** Half-width of the head's useful field of view for picking a look, radians. */
const VIEW_HALF_ANGLE = 1.1;
/** Body turn rate while walking, rad/s: paths curve instead of snapping to each waypoint. */
const TURN_RATE = 3.2;
/** Seconds of walking ahead the eyes look to when they check the route. */
const LOOK_AHEAD_S = 2;
/** How far an event carries before it is half as loud, metres. */
const LOUDNESS_HALF_M = 4;

/**
 * A visitor of the second population: a persona (task-driven, social, curious) that picks its
 * next destination by a softmax over utilities (kind affinity, what it heard, novelty, route
 * length), hesitates or reconsiders before setting off, walks with acceleration, braking, a
 * limited turn rate and detours, stops to look around, and lets events capture its eyes after a
 * reaction time and sometimes its feet. None of PlayerAgent's decision, walking or gaze rules
 * are used; layouts, the path planner and the random source are shared.
 */
export class PersonaVisitor implements ISimulatedVisitor {
    public x: number;
    public z: number;
    public goal = -1;
    public readonly gaze: PersonaEyes;
    public activity: Activity = "choose";

    private readonly _profile: IPersonaProfile;
    private readonly _cruise: number;
    private _speed = 0;
    private _heading: number;
    private _route: IPoint2[] = [];
    private _timer = 0;
    private readonly _visits: Uint8Array;
    private readonly _lastHeardS: Float32Array;
    private readonly _looked: Float32Array;
    private readonly _known = new Set<number>();
    private _lastEngaged = -1;
    private _nowS = 0;

    public constructor(
        private readonly _layout: ILayout,
        private readonly _random: SeededRandom,
        public readonly persona: Persona
    ) {
        const n = _layout.entities.length;
        this._profile = PERSONA_PROFILES[persona];
        this._cruise = _random.range(this._profile.cruise[0], this._profile.cruise[1]);
        this.x = _layout.spawn.x + _random.range(-0.8, 0.8);
        this.z = _layout.spawn.z + _random.range(-0.3, 0.6);
        this._heading = _layout.spawn.yaw + _random.range(-0.5, 0.5);
        this._visits = new Uint8Array(n);
        this._lastHeardS = new Float32Array(n).fill(-1e9);
        this._looked = new Float32Array(n);
        this.gaze = new PersonaEyes(_random);
        this.gaze.lookAt(this._heading, _random.range(-0.1, 0.05));
        if (persona === "taskDriven") {
            _layout.entities.forEach((e, i) => e.startsActive && this._known.add(i));
        }
        // Everyone takes a moment to look at the room before moving.
        this.activity = "stop";
        this._timer = _random.range(0.5, 1.5);
    }

    public notifyEvent(i: number, intensity: number, nowS: number): void {
        this._lastHeardS[i] = nowS;
        const e = this._layout.entities[i];
        const d = this._distance(i);
        const sameRoom = e.room === roomAt(this._layout, this.z);
        const loudness = (intensity / (1 + d / LOUDNESS_HALF_M)) * (sameRoom ? 1 : 0.35) * (this._visible(i) ? 1 : 0.5);
        const busy = this.activity === "use" || this.activity === "arrive";
        const capture = this._profile.eventCapture * loudness * (busy ? 0.35 : 1);
        if (d > SIGHT_RANGE_M || !this._random.chance(Math.min(0.95, capture))) {
            return;
        }
        this.gaze.lookTo(this._lookOn(i, this._random.int(1, 3), this._profile.fixationMeanS * 1.2), nowS, this._random.range(0.15, 0.3));
        if (!busy && i !== this.goal && i !== this._lastEngaged && this._random.chance(this._profile.eventWalkPull[e.kind])) {
            this._headFor(i, false);
        }
    }

    public step(dt: number, nowS: number, actions: IAgentActions): void {
        this._nowS = nowS;
        const fixated = this.gaze.fixatedEntity;
        if (fixated >= 0) {
            this._looked[fixated] += dt;
        }
        this._timer -= dt;
        switch (this.activity) {
            case "choose":
                this._choose(actions);
                break;
            case "hesitate":
                if (this._timer <= 0) {
                    const reconsider = this.persona === "taskDriven" ? 0.05 : this.persona === "social" ? 0.15 : 0.25;
                    if (this.goal >= 0 && this._random.chance(reconsider)) {
                        this._choose(actions, this.goal);
                    } else {
                        this.activity = "walk";
                    }
                }
                break;
            case "stop":
                if (this._timer <= 0) {
                    this.activity = this._route.length > 0 ? "walk" : "choose";
                }
                break;
            case "walk":
                this._walk(dt);
                break;
            case "arrive":
                if (this._timer <= 0) {
                    this._use(actions);
                }
                break;
            case "use":
                if (this._timer <= 0) {
                    this.goal = -1;
                    this.activity = "choose";
                }
                break;
        }
        if (this.gaze.wantsTarget) {
            this.gaze.lookTo(this._chooseLook(actions), nowS);
        }
        this.gaze.step(dt, nowS, this.x, EYE_HEIGHT, this.z, this.activity === "walk" && this._speed > 0.2 ? this._heading : NaN);
    }

    // ---------------------------------------------------------------- where to go

    private _choose(actions: IAgentActions, exclude = -1): void {
        const p = this._profile;
        const entities = this._layout.entities;
        const n = entities.length;
        const utilities = new Float64Array(n + 1);
        for (let i = 0; i < n; i++) {
            if (i === exclude || i === this._lastEngaged) {
                utilities[i] = -Infinity;
                continue;
            }
            const e = entities[i];
            let value = p.affinity[e.kind];
            if (e.kind === "task") {
                const open = actions.isTaskActive(i);
                // The quest is what the task-driven came for; to the others an exhibit is an exhibit.
                value *= open && this._known.has(i) ? 2 : open ? 1.2 : this.persona === "taskDriven" ? 0.25 : 1;
            }
            const revisit = e.kind === "npc" && this.persona === "social" ? 0.5 : 0.15;
            value *= this._visits[i] > 0 ? revisit : 1;
            const heard = Math.exp(-(this._nowS - this._lastHeardS[i]) / 6);
            value += (e.kind === "npc" && this.persona === "social" ? 0.8 : 0.25) * heard;
            value += this._visible(i) ? 0.15 : 0;
            value += 0.1 * e.priority;
            utilities[i] = value - p.costPerMetre * this._routeLength(i);
        }
        utilities[n] = p.strollUtility;
        const choice = softmaxPick(this._random, utilities, p.temperature);
        if (choice === n || choice < 0) {
            this._stroll();
        } else {
            this._headFor(choice, true);
        }
    }

    private _headFor(i: number, mayHesitate: boolean): void {
        const p = this._profile;
        this.goal = i;
        const stand = this._standPoint(i);
        this._route = this._withDetour(planPath(this._layout, { x: this.x, z: this.z }, stand));
        if (mayHesitate && this._visible(i) && this._random.chance(p.hesitateChance)) {
            this.activity = "hesitate";
            this._timer = this._random.range(0.4, 1.4);
            this.gaze.lookTo(this._lookOn(i, this._random.int(1, 3), p.fixationMeanS * 1.3), this._nowS, 0);
        } else {
            this.activity = "walk";
        }
    }

    private _stroll(): void {
        const r = this._random;
        const layout = this._layout;
        const here = roomAt(layout, this.z);
        const roomIndex = r.chance(0.6) ? here : Math.max(0, Math.min(layout.rooms.length - 1, here + (r.chance(0.5) ? 1 : -1)));
        const room = layout.rooms[roomIndex];
        this.goal = -1;
        this._route = this._withDetour(planPath(layout, { x: this.x, z: this.z }, { x: r.range(room.minX + 1.2, room.maxX - 1.2), z: r.range(room.minZ + 1.2, room.maxZ - 1.2) }));
        this.activity = "walk";
    }

    /** Where one stands to use a thing: out on the open floor, toward the room's middle (NPCs: facing the visitor). */
    private _standPoint(i: number): IPoint2 {
        const e = this._layout.entities[i];
        const room = this._layout.rooms[e.room];
        const r = this._random;
        const sameRoom = roomAt(this._layout, this.z) === e.room;
        const fx = e.kind === "npc" && sameRoom ? this.x : (room.minX + room.maxX) / 2 + r.range(-1.5, 1.5);
        const fz = e.kind === "npc" && sameRoom ? this.z : (room.minZ + room.maxZ) / 2 + r.range(-1.5, 1.5);
        const dl = Math.hypot(fx - e.x, fz - e.z) || 1;
        const standOff = e.radius + (e.kind === "npc" ? r.range(1.1, 2.0) : e.kind === "hint" ? r.range(1.4, 2.2) : r.range(0.6, 1.2));
        return {
            x: clamp(e.x + ((fx - e.x) / dl) * standOff, room.minX + 0.4, room.maxX - 0.4),
            z: clamp(e.z + ((fz - e.z) / dl) * standOff, room.minZ + 0.4, room.maxZ - 0.4),
        };
    }

    /** A long last leg sometimes swings out to one side: a look at the room on the way. */
    private _withDetour(route: IPoint2[]): IPoint2[] {
        const r = this._random;
        if (route.length === 0 || !r.chance(this._profile.detourChance)) {
            return route;
        }
        const end = route[route.length - 1];
        const start = route.length > 1 ? route[route.length - 2] : { x: this.x, z: this.z };
        const length = Math.hypot(end.x - start.x, end.z - start.z);
        if (length < 5) {
            return route;
        }
        const side = (r.chance(0.5) ? 1 : -1) * r.range(1, 2.5);
        const t = r.range(0.35, 0.6);
        const via = { x: start.x + (end.x - start.x) * t + ((end.z - start.z) / length) * side, z: start.z + (end.z - start.z) * t - ((end.x - start.x) / length) * side };
        const room = this._layout.rooms[roomAt(this._layout, via.z)];
        const inside = via.x > room.minX + 0.6 && via.x < room.maxX - 0.6 && via.z > room.minZ + 0.6 && via.z < room.maxZ - 0.6;
        const clear = this._layout.occluders.every((box) => !segmentHitsBox(start.x, start.z, via.x, via.z, box, 0.4) && !segmentHitsBox(via.x, via.z, end.x, end.z, box, 0.4));
        return inside && clear ? [...route.slice(0, -1), via, end] : route;
    }

    // ---------------------------------------------------------------- walking

    private _walk(dt: number): void {
        const r = this._random;
        const p = this._profile;
        if (this._route.length === 0) {
            this._finishWalk();
            return;
        }
        if (r.chance(p.stopRate * dt)) {
            this.activity = "stop";
            this._timer = r.range(0.6, 2.0);
            this._speed = 0;
            return;
        }
        // The curious turn aside for what catches their eye.
        if (this.persona === "curious" && this.gaze.fixatedEntity >= 0) {
            const seen = this.gaze.fixatedEntity;
            if (seen !== this.goal && this._visits[seen] === 0 && this._distance(seen) < 6 && r.chance(0.5 * dt)) {
                this._headFor(seen, false);
                return;
            }
        }
        const next = this._route[0];
        const dx = next.x - this.x;
        const dz = next.z - this.z;
        const d = Math.hypot(dx, dz);
        const last = this._route.length === 1;
        const remaining = d + this._routeRest();
        const desiredYaw = Math.atan2(dx, dz);
        const turn = wrap(desiredYaw - this._heading);
        const maxTurn = TURN_RATE * dt;
        this._heading = last && d < 0.6 ? desiredYaw : wrap(this._heading + clamp(turn, -maxTurn, maxTurn));
        // Brake so as to stop at the end; slow down for sharp turns.
        const brake = Math.sqrt(2 * p.accel * remaining) + 0.05;
        const cornering = Math.abs(turn) > 1.2 ? 0.35 : 1;
        const desiredSpeed = Math.min(this._cruise * cornering, brake);
        this._speed += clamp(desiredSpeed - this._speed, -p.accel * 1.5 * dt, p.accel * dt);
        const step = Math.max(0.05, this._speed) * dt;
        if (d <= Math.max(last ? 0.08 : 0.4, step)) {
            if (last) {
                this.x = next.x;
                this.z = next.z;
            }
            this._route.shift();
            if (this._route.length === 0) {
                this._finishWalk();
            }
            return;
        }
        this.x += Math.sin(this._heading) * step;
        this.z += Math.cos(this._heading) * step;
    }

    private _routeRest(): number {
        let sum = 0;
        for (let k = 1; k < this._route.length; k++) {
            sum += Math.hypot(this._route[k].x - this._route[k - 1].x, this._route[k].z - this._route[k - 1].z);
        }
        return sum;
    }

    private _finishWalk(): void {
        this._speed = 0;
        if (this.goal >= 0) {
            this.activity = "arrive";
            this._timer = this._random.range(0.2, 0.6);
            this.gaze.lookTo(this._lookOn(this.goal, 2, this._profile.fixationMeanS * 1.5), this._nowS, 0);
        } else {
            this.activity = "stop";
            this._timer = this._random.range(0.5, 2.5);
        }
    }

    private _use(actions: IAgentActions): void {
        const i = this.goal;
        const e = this._layout.entities[i];
        const r = this._random;
        actions.engage(i);
        this._visits[i]++;
        this._lastEngaged = i;
        if (e.kind === "task" && actions.isTaskActive(i)) {
            actions.completeTask(i);
        } else if (e.kind === "npc") {
            actions.talk(i);
        } else if (e.kind === "hint" && e.pointsTo >= 0) {
            this._known.add(e.pointsTo);
        }
        const [lo, hi] = this._profile.dwell[e.kind];
        this._timer = r.range(lo, hi);
        this.activity = "use";
    }

    // ---------------------------------------------------------------- eyes

    private _chooseLook(actions: IAgentActions): IPersonaLook {
        const p = this._profile;
        const r = this._random;
        const entities = this._layout.entities;
        const n = entities.length;
        const weights = new Float64Array(n + 2);
        const engaged = this.activity === "use" || this.activity === "arrive" || this.activity === "hesitate";
        const walking = this.activity === "walk";
        for (let i = 0; i < n; i++) {
            if (!this._visible(i) || !this._inView(i)) {
                continue;
            }
            const e = entities[i];
            if (i === this.goal) {
                const near = clamp(1 - this._distance(i) / 8, 0, 1);
                weights[i] = engaged ? (e.kind === "npc" && this.persona === "social" ? 8 : 5) : p.goalLooks * (1 + 3 * near);
                continue;
            }
            const heard = Math.exp(-(this._nowS - this._lastHeardS[i]) / 3);
            const novelty = 1 / (1 + this._looked[i]);
            let w = p.thingLooks[e.kind] * (1 + 1.5 * heard) * (0.4 + novelty) / (1 + this._distance(i) / 6);
            if (e.kind === "task" && actions.isTaskActive(i) && this._known.has(i)) {
                w *= 1.5;
            }
            weights[i] = engaged ? 0.3 * w : w;
        }
        weights[n] = walking && this._route.length > 0 ? p.pathLooks : 0;
        weights[n + 1] = p.sceneLooks * (engaged ? 0.3 : 1);
        const choice = r.weighted(weights);
        if (choice >= 0 && choice < n) {
            const onGoal = choice === this.goal;
            return this._lookOn(choice, onGoal ? r.int(1, engaged ? 4 : 2) : r.int(1, 2), p.fixationMeanS * (onGoal && engaged ? 1.6 : 1));
        }
        if (choice === n) {
            const ahead = this._pointAlongRoute(this._speed * LOOK_AHEAD_S + 1.5);
            return { x: ahead.x, y: r.range(0, 0.8), z: ahead.z, entity: -1, fixations: 1, meanS: p.fixationMeanS * 0.8 };
        }
        const yaw = this.gaze.headYaw + r.range(-1.2, 1.2);
        const reach = r.range(2.5, 9);
        return { x: this.x + Math.sin(yaw) * reach, y: r.range(0.3, 2.6), z: this.z + Math.cos(yaw) * reach, entity: -1, fixations: 1, meanS: p.fixationMeanS };
    }

    private _lookOn(i: number, fixations: number, meanS: number): IPersonaLook {
        const e = this._layout.entities[i];
        const r = this._random;
        const spread = e.radius * 0.4;
        return { x: e.x + r.range(-spread, spread), y: e.y + r.range(-spread, spread), z: e.z + r.range(-spread, spread), entity: i, fixations, meanS };
    }

    private _pointAlongRoute(distance: number): IPoint2 {
        let px = this.x;
        let pz = this.z;
        let left = distance;
        for (const w of this._route) {
            const d = Math.hypot(w.x - px, w.z - pz);
            if (d >= left) {
                return { x: px + ((w.x - px) / d) * left, z: pz + ((w.z - pz) / d) * left };
            }
            left -= d;
            px = w.x;
            pz = w.z;
        }
        return { x: px, z: pz };
    }

    // ---------------------------------------------------------------- perception

    private _distance(i: number): number {
        const e = this._layout.entities[i];
        return Math.max(0, Math.hypot(e.x - this.x, e.z - this.z) - e.radius);
    }

    private _visible(i: number): boolean {
        const e = this._layout.entities[i];
        return this._distance(i) < SIGHT_RANGE_M && !lineBlocked(this._layout, this.x, this.z, e.x, e.z);
    }

    private _inView(i: number): boolean {
        const e = this._layout.entities[i];
        return Math.abs(wrap(Math.atan2(e.x - this.x, e.z - this.z) - this.gaze.headYaw)) < VIEW_HALF_ANGLE;
    }

    private _routeLength(i: number): number {
        const e = this._layout.entities[i];
        const route = planPath(this._layout, { x: this.x, z: this.z }, { x: e.x, z: e.z });
        let sum = 0;
        let px = this.x;
        let pz = this.z;
        for (const w of route) {
            sum += Math.hypot(w.x - px, w.z - pz);
            px = w.x;
            pz = w.z;
        }
        return sum;
    }
}

/** Index drawn with probability proportional to exp(utility / temperature) (-Infinity never). */
function softmaxPick(random: SeededRandom, utilities: Float64Array, temperature: number): number {
    let best = -Infinity;
    for (const u of utilities) {
        best = Math.max(best, u);
    }
    if (best === -Infinity) {
        return -1;
    }
    const weights = utilities.map((u) => (u === -Infinity ? 0 : Math.exp((u - best) / temperature)));
    return random.weighted(weights);
}

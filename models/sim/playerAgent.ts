import { clamp, wrap } from "./simMath";
import { GazeModel, type IGazeModelOptions, type IGazeTarget } from "./gazeModel";
import { lineBlocked, roomAt, type ILayout } from "./layout";
import { planPath } from "./pathPlanner";
import { shapeApproach, type IWaypoint } from "./approachShaping";
import type { SeededRandom } from "./random";

/** What a simulated player came for. */
export type PlayerIntent =
    /** Wanders from whatever catches the eye to the next, engaging what interests it. */
    | "curious"
    /** Knows the quest and walks from one task to the next, glancing at distractions. */
    | "task"
    /** Has a quest but no idea where to go: roams and searches until a sign helps. */
    | "lost";

/** What the player does to the world; the simulator forwards these to the recorder and plugin. */
export interface IAgentActions {
    engage(entity: number): void;
    completeTask(entity: number): void;
    /** The player started talking to an NPC: the NPC answers (a speech event). */
    talk(entity: number): void;
    isTaskActive(entity: number): boolean;
}

type Mode = "decide" | "consider" | "walk" | "arrive" | "linger" | "pause";

const EYE_HEIGHT = 1.6;
const PERCEPTION_RANGE = 18;
const EVENT_HALF_LIFE_S = 2;

/**
 * A simulated visitor: decides where to go by intent, walks there around pillars and through
 * doors, engages only when close, and moves its eyes (GazeModel) by the same priorities: its
 * goal, whatever just made a sound, novel things nearby, the path ahead, the scene.
 */
export class PlayerAgent {
    public x: number;
    public z: number;
    public readonly gaze: GazeModel;
    public intent: PlayerIntent;
    public mode: Mode = "decide";
    /** Entity the player is heading for, or -1 (a wander point or nothing). */
    public goal = -1;
    /** Walking direction (radians) or NaN while standing. */
    public walkYaw = NaN;

    private readonly _speed: number;
    private readonly _interest: Float32Array;
    private readonly _eventLevel: Float32Array;
    private readonly _looked: Float32Array;
    private readonly _engaged: Uint8Array;
    private readonly _known = new Set<number>();
    private readonly _readHints = new Set<number>();
    private _path: IWaypoint[] = [];
    private _timer = 0;
    /** Entity walked toward on the way (a candidate looked over before the real goal), or -1. */
    private _decoy = -1;
    /** Phase and size of the walking sway (people drift, they do not walk on rails). */
    private _swayPhase: number;
    private readonly _swayAmplitude: number;

    public constructor(
        private readonly _layout: ILayout,
        private readonly _random: SeededRandom,
        intent: PlayerIntent,
        gazeOptions: Partial<IGazeModelOptions> = {}
    ) {
        const n = _layout.entities.length;
        this.intent = intent;
        this.x = _layout.spawn.x + _random.range(-1, 1);
        this.z = _layout.spawn.z + _random.range(0, 1);
        this._speed = _random.range(1.2, 1.6);
        this._swayPhase = _random.range(0, 2 * Math.PI);
        this._swayAmplitude = _random.range(0.15, 0.45);
        this._interest = Float32Array.from({ length: n }, () => _random.next());
        this._eventLevel = new Float32Array(n);
        this._looked = new Float32Array(n);
        this._engaged = new Uint8Array(n);
        this.gaze = new GazeModel(_random, gazeOptions);
        this.gaze.lookAt(_layout.spawn.yaw + _random.range(-0.3, 0.3), 0);
        if (intent === "task") {
            _layout.entities.forEach((e, i) => {
                if (e.startsActive) {
                    this._known.add(i);
                }
            });
        }
    }

    /** A game event on entity `i`: it may pull the eyes, and the curious may go and see. */
    public notifyEvent(i: number, intensity: number, nowS: number): void {
        this._eventLevel[i] += intensity;
        if (!this._perceivable(i) || this._distance(i) > 15 || this.mode === "arrive") {
            return;
        }
        if (this._random.chance(0.65)) {
            const e = this._layout.entities[i];
            this.gaze.setTarget({ x: e.x, y: e.y, z: e.z, entity: i, fixations: this._random.int(1, 3) }, nowS, this._random.range(0.1, 0.2));
        }
        const pull = this.intent === "curious" ? 0.35 : this.intent === "task" ? (this._distance(i) < 8 ? 0.15 : 0) : 0.2;
        if (this.mode !== "linger" && i !== this.goal && this._random.chance(pull)) {
            this._setGoal(i, nowS);
        }
    }

    public step(dt: number, nowS: number, actions: IAgentActions): void {
        const decay = Math.pow(0.5, dt / EVENT_HALF_LIFE_S);
        for (let i = 0; i < this._eventLevel.length; i++) {
            this._eventLevel[i] *= decay;
        }
        const fixated = this.gaze.fixatedEntity;
        if (fixated >= 0) {
            this._looked[fixated] += dt;
        }
        this._timer -= dt;
        switch (this.mode) {
            case "decide":
                this._decide(nowS, actions);
                break;
            case "consider":
            case "pause":
                if (this._timer <= 0) {
                    this.mode = this._path.length > 0 ? "walk" : "decide";
                    if (this._path.length > 0 && this._path[0].pauseS === undefined) {
                        this._decoy = -1;
                    }
                }
                break;
            case "walk":
                this._walk(dt, nowS, actions);
                break;
            case "arrive":
                if (this._timer <= 0) {
                    this._engage(nowS, actions);
                }
                break;
            case "linger":
                if (this._timer <= 0) {
                    this.goal = -1;
                    this.mode = "decide";
                }
                break;
        }
        if (this.gaze.wantsTarget) {
            const target = this._chooseGaze(actions);
            this.gaze.setTarget(target, nowS, this._headLead(target));
        }
        this.gaze.step(dt, nowS, this.x, EYE_HEIGHT, this.z, this.mode === "walk" ? this.walkYaw : NaN);
    }

    // ---------------------------------------------------------------- decisions

    private _decide(nowS: number, actions: IAgentActions): void {
        const r = this._random;
        const entities = this._layout.entities;
        if (this.intent !== "curious") {
            const open = entities.map((_, i) => i).filter((i) => entities[i].kind === "task" && actions.isTaskActive(i));
            if (open.length === 0) {
                this.intent = "curious";
            } else {
                const known = open.filter((i) => this._known.has(i));
                if (known.length > 0) {
                    this.intent = "task";
                    known.sort((a, b) => this._routeCost(a) - this._routeCost(b));
                    this._setGoal(known[0], nowS);
                    return;
                }
                this.intent = "lost";
                const hint = this._visibleUnreadHint(10);
                if (hint >= 0 && r.chance(0.35)) {
                    this._setGoal(hint, nowS);
                } else if (r.chance(0.25)) {
                    // Try something nearby: maybe it is what the quest meant.
                    const near = entities.map((_, i) => i).filter((i) => this._distance(i) < 10 && entities[i].kind !== "hint");
                    near.length > 0 ? this._setGoal(r.pick(near), nowS) : this._wander(nowS);
                } else {
                    this._wander(nowS);
                }
                return;
            }
        }
        // Curious: novelty, interest, recent events and closeness, or just a stroll.
        const weights = new Float32Array(entities.length + 1);
        for (let i = 0; i < entities.length; i++) {
            const kindFactor = entities[i].kind === "hint" ? 0.4 : 1;
            weights[i] = kindFactor * (this._engaged[i] ? 0.12 : 1) * (0.4 + this._interest[i]) * (1 + 3 * this._eventLevel[i]) * (this._perceivable(i) ? 1.5 : 1) / (1 + this._distance(i) / 8);
        }
        weights[entities.length] = 0.5;
        const choice = r.weighted(weights);
        if (choice < 0 || choice === entities.length) {
            this._wander(nowS);
        } else {
            this._setGoal(choice, nowS);
        }
    }

    private _setGoal(i: number, nowS: number): void {
        const e = this._layout.entities[i];
        this.goal = i;
        // Stand in front of the thing, on the side the player comes from.
        let dx = this.x - e.x;
        let dz = this.z - e.z;
        const d = Math.hypot(dx, dz) || 1;
        // ...but to one side of it, where the player likes to stand, not on the straight line.
        const turn = this._random.range(-0.7, 0.7);
        const c = Math.cos(turn);
        const s = Math.sin(turn);
        [dx, dz] = [(dx * c - dz * s) / d, (dx * s + dz * c) / d];
        const room = this._layout.rooms[e.room];
        // Talking and reading work from a few steps away; exhibits are used up close.
        const standOff = e.radius + (e.kind === "npc" ? this._random.range(1.0, 2.0) : e.kind === "hint" ? this._random.range(1.5, 2.5) : this._random.range(0.5, 1.0));
        let sx = clamp(e.x + dx * standOff, room.minX + 0.5, room.maxX - 0.5);
        let sz = clamp(e.z + dz * standOff, room.minZ + 0.5, room.maxZ - 0.5);
        if (roomAt(this._layout, this.z) !== e.room) {
            // Coming from another room: approach from the room's middle.
            const mx = (room.minX + room.maxX) / 2;
            const mz = (room.minZ + room.maxZ) / 2;
            const ml = Math.hypot(mx - e.x, mz - e.z) || 1;
            sx = e.x + ((mx - e.x) / ml) * standOff;
            sz = e.z + ((mz - e.z) / ml) * standOff;
        }
        const path = planPath(this._layout, { x: this.x, z: this.z }, { x: sx, z: sz });
        const shaped = shapeApproach(this._layout, this._random, { x: this.x, z: this.z }, path, i, this.intent === "task" ? 0.4 : 0.6);
        this._path = shaped.path;
        this._decoy = shaped.decoy;
        // Turn to it first when it is in sight: the look that gives intent away before the walk.
        if (this._perceivable(i) && this._random.chance(this.intent === "task" ? 0.75 : 0.85)) {
            this.mode = "consider";
            this._timer = this._random.range(0.3, 0.9);
            this.gaze.setTarget({ x: e.x, y: e.y, z: e.z, entity: i, fixations: this._random.int(2, 3) }, nowS, 0);
        } else {
            this.mode = "walk";
        }
    }

    private _wander(_nowS: number): void {
        const r = this._random;
        const layout = this._layout;
        const room = r.chance(0.5) ? layout.rooms[roomAt(layout, this.z)] : r.pick(layout.rooms);
        this.goal = -1;
        this._decoy = -1;
        this._path = planPath(layout, { x: this.x, z: this.z }, { x: r.range(room.minX + 1, room.maxX - 1), z: r.range(room.minZ + 1, room.maxZ - 1) });
        this.mode = "walk";
    }

    private _walk(dt: number, nowS: number, actions: IAgentActions): void {
        const r = this._random;
        // Second thoughts: the curious change their minds, the lost spot signs.
        if (this.intent === "curious" && r.chance(0.04 * dt)) {
            this.mode = "decide";
            return;
        }
        if (this.intent === "lost" && this.goal < 0 && r.chance(0.2 * dt)) {
            const hint = this._visibleUnreadHint(8);
            if (hint >= 0) {
                this._setGoal(hint, nowS);
                return;
            }
        }
        if (r.chance((this.intent === "task" ? 0.02 : 0.05) * dt)) {
            this.mode = "pause";
            this._timer = r.range(0.5, 2);
            this.walkYaw = NaN;
            return;
        }
        const next = this._path[0];
        const dx = next.x - this.x;
        const dz = next.z - this.z;
        const d = Math.hypot(dx, dz);
        const last = this._path.length === 1;
        const speed = last && d < 1 ? this._speed * Math.max(0.35, d) : this._speed;
        const step = speed * dt;
        // Sway: the heading wanders a little around the waypoint direction, less when close.
        this._swayPhase += dt * 1.3;
        const sway = this._swayAmplitude * Math.sin(this._swayPhase) * Math.min(1, d / 2);
        this.walkYaw = Math.atan2(dx, dz) + sway;
        if (d <= step) {
            this.x = next.x;
            this.z = next.z;
            this._path.shift();
            if (next.pauseS !== undefined && this._path.length > 0) {
                // Stopped by a candidate: look it over, then head for the real goal.
                this.mode = "pause";
                this._timer = next.pauseS;
                this.walkYaw = NaN;
                return;
            }
            if (this._path.length === 0) {
                this.walkYaw = NaN;
                if (this.goal >= 0) {
                    this.mode = "arrive";
                    this._timer = r.range(0.3, 0.8);
                    const e = this._layout.entities[this.goal];
                    this.gaze.setTarget({ x: e.x, y: e.y, z: e.z, entity: this.goal, fixations: 3 }, nowS, 0);
                } else {
                    this.mode = this.intent === "lost" ? "pause" : "decide";
                    this._timer = r.range(0.5, 1.5);
                }
            }
            return;
        }
        this.x += Math.sin(this.walkYaw) * step;
        this.z += Math.cos(this.walkYaw) * step;
        void actions;
    }

    private _engage(nowS: number, actions: IAgentActions): void {
        const i = this.goal;
        const e = this._layout.entities[i];
        const r = this._random;
        actions.engage(i);
        this._engaged[i] = 1;
        if (e.kind === "task" && actions.isTaskActive(i)) {
            actions.completeTask(i);
        }
        if (e.kind === "npc") {
            actions.talk(i);
            this._timer = r.range(2, 5);
        } else if (e.kind === "hint") {
            this._readHints.add(i);
            if (e.pointsTo >= 0) {
                this._known.add(e.pointsTo);
            }
            this._timer = r.range(1, 2);
        } else {
            this._timer = r.range(1.5, 4);
        }
        this.mode = "linger";
        this.gaze.setTarget({ x: e.x, y: e.y, z: e.z, entity: i, fixations: 4 }, nowS, 0);
        void nowS;
    }

    // ---------------------------------------------------------------- eyes

    private _chooseGaze(actions: IAgentActions): IGazeTarget {
        const r = this._random;
        const entities = this._layout.entities;
        const n = entities.length;
        const intent = this.intent;
        const weights = new Float32Array(n + 2);
        const lingering = this.mode === "linger" || this.mode === "arrive" || this.mode === "consider";
        for (let i = 0; i < n; i++) {
            if (!this._perceivable(i) || !this._inFieldOfView(i)) {
                continue;
            }
            if (i === this.goal) {
                // Eyes lead the feet: the goal draws more fixations the nearer the arrival.
                const lead = 1 + 2.5 * clamp(1 - this._distance(i) / 12, 0, 1);
                weights[i] = lingering ? 10 : (intent === "task" ? 3.0 : 2.0) * lead;
                continue;
            }
            if (i === this._decoy) {
                weights[i] = lingering ? 0.3 : 1.2;
                continue;
            }
            const d = this._distance(i);
            const novelty = Math.exp(-this._looked[i] / 3);
            const kind = entities[i].kind;
            let s = 0.15 + 2 * this._eventLevel[i] + 0.5 * novelty + 0.3 * entities[i].priority + 0.6 / (1 + d / 3);
            s *= intent === "task" ? 0.5 : intent === "lost" ? (kind === "hint" ? 1.8 : 0.9) : 1;
            if (intent === "task" && kind === "task" && actions.isTaskActive(i) && this._known.has(i)) {
                s *= 1.5;
            }
            weights[i] = lingering ? s * 0.2 : s;
        }
        const walking = this.mode === "walk" && this.walkYaw === this.walkYaw;
        weights[n] = walking ? (intent === "task" ? 1.2 : intent === "lost" ? 1.0 : 0.7) : 0;
        weights[n + 1] = intent === "task" ? 0.4 : intent === "lost" ? 1.6 : 0.8;
        const choice = r.weighted(weights);
        if (choice >= 0 && choice < n) {
            const e = entities[choice];
            const spread = e.radius * 0.5;
            const extra = choice === this.goal ? (lingering ? 3 : 2.2) : 0.5;
            return { x: e.x + r.range(-spread, spread), y: e.y + r.range(-spread, spread), z: e.z + r.range(-spread, spread), entity: choice, fixations: 1 + geometric(r, extra) };
        }
        if (choice === n) {
            const ahead = r.range(2, 6);
            const yaw = this.walkYaw + r.range(-0.25, 0.25);
            return { x: this.x + Math.sin(yaw) * ahead, y: r.range(0.2, 1.7), z: this.z + Math.cos(yaw) * ahead, entity: -1, fixations: 1 };
        }
        const yaw = this.gaze.headYaw + r.range(-1.2, 1.2);
        const distance = r.range(3, 10);
        return { x: this.x + Math.sin(yaw) * distance, y: r.range(0.4, 2.8), z: this.z + Math.cos(yaw) * distance, entity: -1, fixations: 1 };
    }

    /** Big shifts sometimes start with the head, the eyes jumping a moment later. */
    private _headLead(t: IGazeTarget): number {
        const yaw = Math.atan2(t.x - this.x, t.z - this.z);
        return Math.abs(wrap(yaw - this.gaze.headYaw)) > 0.6 && this._random.chance(0.5) ? this._random.range(0.08, 0.2) : 0;
    }

    // ---------------------------------------------------------------- perception

    private _distance(i: number): number {
        const e = this._layout.entities[i];
        return Math.max(0, Math.hypot(e.x - this.x, e.z - this.z) - e.radius);
    }

    private _perceivable(i: number): boolean {
        const e = this._layout.entities[i];
        return this._distance(i) < PERCEPTION_RANGE && !lineBlocked(this._layout, this.x, this.z, e.x, e.z);
    }

    private _inFieldOfView(i: number): boolean {
        const e = this._layout.entities[i];
        const yaw = Math.atan2(e.x - this.x, e.z - this.z);
        return Math.abs(wrap(yaw - this.gaze.headYaw)) < 1.9;
    }

    private _visibleUnreadHint(range: number): number {
        const entities = this._layout.entities;
        for (let i = 0; i < entities.length; i++) {
            if (entities[i].kind === "hint" && !this._readHints.has(i) && this._distance(i) < range && this._perceivable(i) && this._inFieldOfView(i)) {
                return i;
            }
        }
        return -1;
    }

    private _routeCost(i: number): number {
        const e = this._layout.entities[i];
        return this._distance(i) + 6 * Math.abs(e.room - roomAt(this._layout, this.z));
    }
}

function geometric(random: SeededRandom, mean: number): number {
    if (mean <= 0) {
        return 0;
    }
    const p = 1 / (1 + mean);
    let k = 0;
    while (!random.chance(p) && k < 20) {
        k++;
    }
    return k;
}

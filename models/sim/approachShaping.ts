import { roomAt, segmentHitsBox, type ILayout } from "./layout";
import type { IPoint2 } from "./pathPlanner";
import type { SeededRandom } from "./random";

/** A path point; `pauseS` makes the walker stop there (looking a candidate over) before going on. */
export interface IWaypoint extends IPoint2 {
    pauseS?: number;
}

export interface IShapedApproach {
    path: IWaypoint[];
    /** The candidate visited on the way, or -1. */
    decoy: number;
}

/**
 * Makes a planned route look walked rather than drawn: real players do not head
 * straight for what they will use next. The last leg bends (a detour around a bench, a curve
 * toward the side they stand on), and sometimes they first walk up to another candidate near
 * the goal, pause, and only then turn to the real one. This keeps walking direction a clue,
 * not an answer, while the eyes (which lead the feet) carry the intent.
 */
export function shapeApproach(layout: ILayout, random: SeededRandom, from: IPoint2, path: IPoint2[], goal: number, decoyChance: number): IShapedApproach {
    const shaped: IWaypoint[] = path.map((p) => ({ x: p.x, z: p.z }));
    const end = shaped[shaped.length - 1];
    const legStart = shaped.length > 1 ? shaped[shaped.length - 2] : from;
    let decoy = -1;
    if (random.chance(decoyChance)) {
        decoy = pickDecoy(layout, random, legStart, end, goal);
        if (decoy >= 0) {
            const e = layout.entities[decoy];
            // Stop a couple of metres short of the candidate, on the side the player comes from.
            let dx = legStart.x - e.x;
            let dz = legStart.z - e.z;
            const d = Math.hypot(dx, dz) || 1;
            dx /= d;
            dz /= d;
            const standOff = e.radius + random.range(1.5, 2.5);
            const stop: IWaypoint = { x: e.x + dx * standOff, z: e.z + dz * standOff, pauseS: random.range(0.4, 1.5) };
            if (usable(layout, legStart, stop) && usable(layout, stop, end)) {
                shaped.splice(shaped.length - 1, 0, stop);
                hesitate(random, shaped, from);
                return { path: shaped, decoy };
            }
            decoy = -1;
        }
    }
    if (random.chance(0.85)) {
        // A bend in the last leg: a point part way along, pushed sideways.
        const lx = end.x - legStart.x;
        const lz = end.z - legStart.z;
        const length = Math.hypot(lx, lz);
        if (length > 3) {
            const f = random.range(0.55, 0.85);
            const side = (random.chance(0.5) ? -1 : 1) * random.range(0.25, 0.5) * Math.min(length, 8);
            const bend: IWaypoint = { x: legStart.x + lx * f + (lz / length) * side, z: legStart.z + lz * f - (lx / length) * side };
            if (usable(layout, legStart, bend) && usable(layout, bend, end)) {
                shaped.splice(shaped.length - 1, 0, bend);
            }
        }
    }
    hesitate(random, shaped, from);
    return { path: shaped, decoy };
}

/** Sometimes a stop a few metres short: a last look at the goal before walking in. */
function hesitate(random: SeededRandom, path: IWaypoint[], from: IPoint2): void {
    if (!random.chance(0.3)) return;
    const end = path[path.length - 1];
    const start = path.length > 1 ? path[path.length - 2] : from;
    const length = Math.hypot(end.x - start.x, end.z - start.z);
    const back = random.range(2.5, 4.5);
    if (length <= back + 0.5) return;
    const f = 1 - back / length;
    path.splice(path.length - 1, 0, { x: start.x + (end.x - start.x) * f, z: start.z + (end.z - start.z) * f, pauseS: random.range(0.4, 1.4) });
}

/** Another thing near the goal (or near the way there) that the player could mistake for it. */
function pickDecoy(layout: ILayout, random: SeededRandom, from: IPoint2, to: IPoint2, goal: number): number {
    const candidates: number[] = [];
    const room = roomAt(layout, to.z);
    layout.entities.forEach((e, i) => {
        if (i === goal || e.room !== room) return;
        const toGoal = Math.hypot(e.x - to.x, e.z - to.z);
        const toStart = Math.hypot(e.x - from.x, e.z - from.z);
        if (toGoal < 8 && toStart > 3.5) candidates.push(i);
    });
    return candidates.length > 0 ? random.pick(candidates) : -1;
}

function usable(layout: ILayout, a: IPoint2, b: IPoint2): boolean {
    if (roomAt(layout, a.z) !== roomAt(layout, b.z)) return false;
    const room = layout.rooms[roomAt(layout, b.z)];
    if (b.x < room.minX + 0.4 || b.x > room.maxX - 0.4 || b.z < room.minZ + 0.4 || b.z > room.maxZ - 0.4) return false;
    // Keep walking clearance from pillars and walls, as the planner does.
    return !layout.occluders.some((box) => segmentHitsBox(a.x, a.z, b.x, b.z, box, 0.4));
}

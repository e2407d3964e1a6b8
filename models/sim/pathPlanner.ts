import { roomAt, segmentHitsBox, type ILayout } from "./layout";

export interface IPoint2 {
    x: number;
    z: number;
}

/** Clearance kept from pillars and walls when walking, metres. */
const CLEARANCE = 0.45;

/**
 * A walking route on the floor plan: through the doorways between rooms, around pillars by
 * their nearest corner. Rooms are convex and pillars sparse, so one detour per leg suffices.
 */
export function planPath(layout: ILayout, from: IPoint2, to: IPoint2): IPoint2[] {
    const rooms: IPoint2[] = [];
    const a = roomAt(layout, from.z);
    const b = roomAt(layout, to.z);
    const step = b > a ? 1 : -1;
    for (let r = a; r !== b; r += step) {
        const door = layout.doors[step > 0 ? r : r - 1];
        rooms.push({ x: door.x, z: door.z - 0.7 * step }, { x: door.x, z: door.z + 0.7 * step });
    }
    rooms.push(to);
    const path: IPoint2[] = [];
    let current = from;
    for (const next of rooms) {
        const detour = detourAround(layout, current, next);
        if (detour) {
            path.push(detour);
        }
        path.push(next);
        current = next;
    }
    return path;
}

function detourAround(layout: ILayout, from: IPoint2, to: IPoint2): IPoint2 | null {
    for (const box of layout.occluders) {
        // Partition walls are crossed only at doors, which the room sequence already handles.
        if (box.maxZ - box.minZ < 0.5 && box.maxX - box.minX > 1.5) {
            continue;
        }
        if (!segmentHitsBox(from.x, from.z, to.x, to.z, box, CLEARANCE)) {
            continue;
        }
        const m = CLEARANCE + 0.15;
        const corners: IPoint2[] = [
            { x: box.minX - m, z: box.minZ - m },
            { x: box.maxX + m, z: box.minZ - m },
            { x: box.minX - m, z: box.maxZ + m },
            { x: box.maxX + m, z: box.maxZ + m },
        ];
        let best: IPoint2 | null = null;
        let bestLength = Infinity;
        for (const c of corners) {
            if (segmentHitsBox(from.x, from.z, c.x, c.z, box, CLEARANCE - 0.05) || segmentHitsBox(c.x, c.z, to.x, to.z, box, CLEARANCE - 0.05)) {
                continue;
            }
            const length = Math.hypot(c.x - from.x, c.z - from.z) + Math.hypot(to.x - c.x, to.z - c.z);
            if (length < bestLength) {
                bestLength = length;
                best = c;
            }
        }
        // Two corners are needed when the box sits squarely in the way; the nearer side corner does.
        return best ?? corners.sort((p, q) => Math.hypot(p.x - from.x, p.z - from.z) - Math.hypot(q.x - from.x, q.z - from.z))[0];
    }
    return null;
}

import type { TargetKind } from "../../plugin/attentionTypes";
import { hashSeed, SeededRandom } from "./random";

/** An axis-aligned box on the floor plan, full height (walls, pillars, display cases). */
export interface IBox2 {
    minX: number;
    maxX: number;
    minZ: number;
    maxZ: number;
    height: number;
}

export interface IRoom {
    minX: number;
    maxX: number;
    minZ: number;
    maxZ: number;
}

/** A tracked thing in a layout. Indices into `ILayout.entities` are the simulator's entity ids. */
export interface ILayoutEntity {
    name: string;
    kind: TargetKind;
    label: string;
    x: number;
    y: number;
    z: number;
    radius: number;
    priority: number;
    room: number;
    /** Tasks: part of the tour's quest (active at start); other tasks are plain exhibits. */
    startsActive: boolean;
    /** Hints: the entity index of the task the sign points to, else -1. */
    pointsTo: number;
}

/** A generated tour: rooms in a row along +z joined by doorways, with things to see and do. */
export interface ILayout {
    id: string;
    rooms: IRoom[];
    /** Doorway centres; door i joins room i and room i + 1. */
    doors: { x: number; z: number }[];
    occluders: IBox2[];
    entities: ILayoutEntity[];
    spawn: { x: number; z: number; yaw: number };
}

const WALL_THICKNESS = 0.3;
const DOOR_WIDTH = 2.4;

/** Generates layout `index` of the tour family `seed`: same arguments, same layout. */
export function generateLayout(seed: number, index: number): ILayout {
    const random = new SeededRandom(hashSeed(seed, index, 0x1a7));
    const roomCount = random.int(2, 3);
    const width = random.range(10, 14);
    const rooms: IRoom[] = [];
    let z = 0;
    for (let i = 0; i < roomCount; i++) {
        const length = random.range(10, 14);
        rooms.push({ minX: -width / 2, maxX: width / 2, minZ: z, maxZ: z + length });
        z += length;
    }
    const doors: { x: number; z: number }[] = [];
    const occluders: IBox2[] = [];
    for (let i = 0; i + 1 < roomCount; i++) {
        const wallZ = rooms[i].maxZ;
        const doorX = random.range(-width / 2 + 2.5, width / 2 - 2.5);
        doors.push({ x: doorX, z: wallZ });
        const h = WALL_THICKNESS / 2;
        occluders.push({ minX: -width / 2, maxX: doorX - DOOR_WIDTH / 2, minZ: wallZ - h, maxZ: wallZ + h, height: 3 });
        occluders.push({ minX: doorX + DOOR_WIDTH / 2, maxX: width / 2, minZ: wallZ - h, maxZ: wallZ + h, height: 3 });
    }

    const entities: ILayoutEntity[] = [];
    const taken: { x: number; z: number }[] = [{ x: 0, z: 1 }, ...doors];
    const place = (room: IRoom, nearWall: boolean, clearance: number): { x: number; z: number } => {
        for (let attempt = 0; attempt < 200; attempt++) {
            let x: number;
            let pz: number;
            if (nearWall) {
                const side = random.int(0, 1);
                x = side === 0 ? room.minX + 0.7 : room.maxX - 0.7;
                pz = random.range(room.minZ + 1.2, room.maxZ - 1.2);
            } else {
                x = random.range(room.minX + 1.5, room.maxX - 1.5);
                pz = random.range(room.minZ + 1.5, room.maxZ - 1.5);
            }
            if (taken.every((p) => Math.hypot(p.x - x, p.z - pz) >= clearance)) {
                taken.push({ x, z: pz });
                return { x, z: pz };
            }
        }
        const x = random.range(room.minX + 1, room.maxX - 1);
        const pz = random.range(room.minZ + 1, room.maxZ - 1);
        taken.push({ x, z: pz });
        return { x, z: pz };
    };

    const exhibitNames = ["mosaic", "amphora", "statue", "fresco", "coin case", "helmet", "map", "lyre", "relief", "bust", "altar", "scroll"];
    const npcNames = ["guide", "guard", "curator", "visitor", "child", "painter"];
    random.shuffle(exhibitNames);
    random.shuffle(npcNames);
    rooms.forEach((room, r) => {
        const npcs = random.int(1, 2);
        const tasks = random.int(2, 3);
        for (let i = 0; i < tasks; i++) {
            const p = place(room, random.chance(0.7), 2.2);
            const name = exhibitNames[entities.filter((e) => e.kind === "task").length % exhibitNames.length];
            entities.push({ name: `${name}-${r}`, kind: "task", label: `The ${name}`, x: p.x, y: random.range(0.9, 1.6), z: p.z, radius: random.range(0.3, 0.6), priority: random.range(0.3, 0.8), room: r, startsActive: false, pointsTo: -1 });
        }
        for (let i = 0; i < npcs; i++) {
            const p = place(room, false, 2.2);
            const name = npcNames[entities.filter((e) => e.kind === "npc").length % npcNames.length];
            entities.push({ name: `${name}-${r}`, kind: "npc", label: name[0].toUpperCase() + name.slice(1), x: p.x, y: 1.6, z: p.z, radius: 0.4, priority: random.range(0.3, 0.9), room: r, startsActive: false, pointsTo: -1 });
        }
    });
    // The quest: two or three exhibits the player is asked to find, at least one beyond the first room.
    const taskIndices = entities.map((e, i) => (e.kind === "task" ? i : -1)).filter((i) => i >= 0);
    random.shuffle(taskIndices);
    const questSize = Math.min(taskIndices.length, random.int(2, 3));
    const far = taskIndices.find((i) => entities[i].room > 0);
    const quest = far !== undefined ? [far, ...taskIndices.filter((i) => i !== far).slice(0, questSize - 1)] : taskIndices.slice(0, questSize);
    for (const i of quest) {
        entities[i].startsActive = true;
        entities[i].priority = Math.max(entities[i].priority, 0.7);
    }
    // One sign per room, pointing to a quest exhibit (in another room where possible).
    rooms.forEach((room, r) => {
        const p = place(room, true, 2);
        const target = quest.find((i) => entities[i].room !== r) ?? quest[0];
        entities.push({ name: `sign-${r}`, kind: "hint", label: `To the ${entities[target].name.split("-")[0]}`, x: p.x, y: 2.1, z: p.z, radius: 0.45, priority: 0.5, room: r, startsActive: false, pointsTo: target });
    });
    // Pillars and display cases: one or two per room, clear of entities and doors.
    rooms.forEach((room) => {
        const count = random.int(1, 2);
        for (let i = 0; i < count; i++) {
            const p = place(room, false, 2.6);
            const w = random.range(0.6, 1.4);
            const d = random.range(0.6, 1.4);
            occluders.push({ minX: p.x - w / 2, maxX: p.x + w / 2, minZ: p.z - d / 2, maxZ: p.z + d / 2, height: 2.6 });
        }
    });
    return { id: `L${seed}-${index}`, rooms, doors, occluders, entities, spawn: { x: 0, z: 1, yaw: 0 } };
}

/** Which room a floor point is in (clamped to the first and last). */
export function roomAt(layout: ILayout, z: number): number {
    for (let i = 0; i < layout.rooms.length; i++) {
        if (z < layout.rooms[i].maxZ) {
            return i;
        }
    }
    return layout.rooms.length - 1;
}

/** Whether the floor segment a-b crosses box `b` grown by `margin` (slab test). */
export function segmentHitsBox(ax: number, az: number, bx: number, bz: number, box: IBox2, margin: number): boolean {
    const dx = bx - ax;
    const dz = bz - az;
    let t0 = 0;
    let t1 = 1;
    const slabs: [number, number, number, number][] = [
        [ax, dx, box.minX - margin, box.maxX + margin],
        [az, dz, box.minZ - margin, box.maxZ + margin],
    ];
    for (const [origin, delta, min, max] of slabs) {
        if (Math.abs(delta) < 1e-9) {
            if (origin < min || origin > max) {
                return false;
            }
            continue;
        }
        let near = (min - origin) / delta;
        let far = (max - origin) / delta;
        if (near > far) {
            [near, far] = [far, near];
        }
        t0 = Math.max(t0, near);
        t1 = Math.min(t1, far);
        if (t0 > t1) {
            return false;
        }
    }
    return true;
}

/** Whether the floor-plan line of sight a-b is blocked by any occluder. */
export function lineBlocked(layout: ILayout, ax: number, az: number, bx: number, bz: number): boolean {
    for (const box of layout.occluders) {
        if (segmentHitsBox(ax, az, bx, bz, box, 0)) {
            return true;
        }
    }
    return false;
}

import { describe, expect, it } from "vitest";
import { shapeApproach } from "../../models/sim/approachShaping";
import { generateLayout, roomAt, segmentHitsBox } from "../../models/sim/layout";
import { planPath } from "../../models/sim/pathPlanner";
import { PlayerAgent, type IAgentActions } from "../../models/sim/playerAgent";
import { SeededRandom } from "../../models/sim/random";

/** Distance of point p from the line through a and b. */
function offLine(p: { x: number; z: number }, a: { x: number; z: number }, b: { x: number; z: number }): number {
    const lx = b.x - a.x;
    const lz = b.z - a.z;
    return Math.abs((p.x - a.x) * lz - (p.z - a.z) * lx) / (Math.hypot(lx, lz) || 1);
}

describe("approach shaping (players do not walk straight at what they use next)", () => {
    it("bends the last leg, stops at other candidates and hesitates, and keeps every step walkable", () => {
        const layout = generateLayout(3, 1);
        const random = new SeededRandom(7);
        let bent = 0;
        let stops = 0;
        let decoys = 0;
        const runs = 200;
        for (let n = 0; n < runs; n++) {
            const room = layout.rooms[roomAt(layout, 1)];
            const from = { x: random.range(room.minX + 1, room.maxX - 1), z: random.range(room.minZ + 1, room.maxZ - 1) };
            const goal = random.int(0, layout.entities.length - 1);
            const e = layout.entities[goal];
            const to = { x: e.x + e.radius + 1, z: e.z };
            const planned = planPath(layout, from, to);
            const { path, decoy } = shapeApproach(layout, random, from, planned, goal, 0.5);
            expect(path[path.length - 1]).toEqual({ x: to.x, z: to.z });
            expect(path.length).toBeGreaterThanOrEqual(planned.length);
            expect(decoy).not.toBe(goal);
            decoys += decoy >= 0 ? 1 : 0;
            stops += path.some((p) => p.pauseS !== undefined) ? 1 : 0;
            const legStart = planned.length > 1 ? planned[planned.length - 2] : from;
            bent += path.slice(0, -1).some((p) => offLine(p, legStart, to) > 0.5 && !planned.includes(p)) ? 1 : 0;
            // Inserted points lie inside a room and clear of every pillar.
            for (const p of path.filter((q) => !planned.some((r) => r.x === q.x && r.z === q.z))) {
                const r = layout.rooms[roomAt(layout, p.z)];
                expect(p.x).toBeGreaterThan(r.minX);
                expect(p.x).toBeLessThan(r.maxX);
                expect(layout.occluders.some((box) => segmentHitsBox(p.x, p.z, p.x, p.z, box, 0.3))).toBe(false);
            }
        }
        expect(bent / runs).toBeGreaterThan(0.3);
        expect(decoys / runs).toBeGreaterThan(0.1);
        expect(stops / runs).toBeGreaterThan(0.2);
    });

    it("eyes lead the feet: the thing engaged next holds the gaze in the seconds before arrival", () => {
        const hz = 20;
        let before = 0;
        let total = 0;
        let engagements = 0;
        for (const seed of [1, 2, 3, 4]) {
            const layout = generateLayout(5, seed);
            const agent = new PlayerAgent(layout, new SeededRandom(seed), seed % 2 === 0 ? "task" : "curious");
            const fixated: number[] = [];
            const engageTicks: [number, number][] = [];
            const active = new Set(layout.entities.map((e, i) => (e.kind === "task" && e.startsActive ? i : -1)).filter((i) => i >= 0));
            let tick = 0;
            const actions: IAgentActions = {
                engage: (i) => engageTicks.push([tick, i]),
                completeTask: (i) => active.delete(i),
                talk: () => undefined,
                isTaskActive: (i) => active.has(i),
            };
            for (; tick < 90 * hz; tick++) {
                agent.step(1 / hz, tick / hz, actions);
                fixated.push(agent.gaze.fixatedEntity);
            }
            // From 4 s to 1 s before the engagement (before the final arrival look).
            for (const [t, i] of engageTicks) {
                if (t < 4 * hz) continue;
                engagements++;
                for (let k = t - 4 * hz; k < t - hz; k++) {
                    total++;
                    before += fixated[k] === i ? 1 : 0;
                }
            }
        }
        expect(engagements).toBeGreaterThan(8);
        // Chance would be a few percent (one of 8-20 things, most ticks on the scene or path).
        expect(before / total).toBeGreaterThan(0.25);
    });
});

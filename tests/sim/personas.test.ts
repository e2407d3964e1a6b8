import { describe, expect, it } from "vitest";
import { readSessionAsync } from "../../plugin/recording/sessionReader";
import { generateLayout, lineBlocked } from "../../models/sim/layout";
import { PERSONAS, type Persona } from "../../models/sim/personas/persona";
import { PersonaEyes } from "../../models/sim/personas/personaEyes";
import { PersonaVisitor } from "../../models/sim/personas/personaVisitor";
import type { IAgentActions } from "../../models/sim/playerAgent";
import { SeededRandom } from "../../models/sim/random";
import { simulateSessionAsync } from "../../models/sim/simulateSession";

/** Four layouts of one seed, one 40 s session of `persona` in each, traced. */
async function playLayoutsAsync(persona: Persona): Promise<{ layout: ReturnType<typeof generateLayout>; sim: Awaited<ReturnType<typeof simulateSessionAsync>> }[]> {
    const runs = [];
    for (let l = 0; l < 4; l++) {
        const layout = generateLayout(21, l);
        runs.push({ layout, sim: await simulateSessionAsync({ layout, seed: 7 + l, persona, seconds: 40, trace: true }) });
    }
    return runs;
}

function stubActions(): IAgentActions {
    return { engage: () => {}, completeTask: () => {}, talk: () => {}, isTaskActive: () => false };
}

describe("second population (personas)", () => {
    it("writes identical bytes for the same seed and persona, and the plugin's reader decodes them", async () => {
        const layout = generateLayout(9, 0);
        const run = (seed: number) => simulateSessionAsync({ layout, seed, persona: "curious", seconds: 8, hz: 20 });
        const [a, b, c] = [await run(1), await run(1), await run(2)];
        expect(a.lines.join("\n")).toBe(b.lines.join("\n"));
        expect(c.lines.join("\n")).not.toBe(a.lines.join("\n"));
        const { session, problems } = await readSessionAsync(a.lines, "a.jsonl", { strict: true });
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(160);
        expect(session!.header.meta).toMatchObject({ population: "personas", persona: "curious" });
        expect(session!.header.meta.intent).toBeUndefined();
    });

    it("plays other rules than the training simulator: the same seed gives another session", async () => {
        const layout = generateLayout(9, 0);
        const persona = await simulateSessionAsync({ layout, seed: 3, persona: "curious", seconds: 10, trace: true });
        const simulator = await simulateSessionAsync({ layout, seed: 3, intent: "curious", seconds: 10, trace: true });
        expect(Array.from(persona.positions!)).not.toEqual(Array.from(simulator.positions!));
    });

    it("engages only from a few metres away, whatever the persona", async () => {
        for (const persona of PERSONAS) {
            const sim = await simulateSessionAsync({ layout: generateLayout(2, 0), seed: 8, persona, seconds: 60 });
            const { session } = await readSessionAsync(sim.lines, "e.jsonl");
            const distances = session!.ticks.flatMap((t) => t.events.filter((e) => e.type === "engage").map((e) => t.distance[Array.from(t.ids).indexOf(e.id)]));
            expect(distances.length, persona).toBeGreaterThan(0);
            expect(Math.max(...distances), persona).toBeLessThan(3.2);
        }
    });

    it("sends a social visitor to NPCs more often, and a task-driven one through more of the quest", async () => {
        const share = (runs: Awaited<ReturnType<typeof playLayoutsAsync>>) => {
            const all = runs.flatMap(({ layout, sim }) => sim.engagementLog!.map((e) => layout.entities[e.entity].kind));
            return all.filter((kind) => kind === "npc").length / Math.max(1, all.length);
        };
        const questDone = (runs: Awaited<ReturnType<typeof playLayoutsAsync>>) => runs.reduce((sum, { sim }) => sum + sim.lines.join("\n").split('"taskDone"').length - 1, 0);
        const social = await playLayoutsAsync("social");
        const taskDriven = await playLayoutsAsync("taskDriven");
        expect(share(social)).toBeGreaterThan(share(taskDriven) + 0.3);
        expect(questDone(taskDriven)).toBeGreaterThan(questDone(social) + 3);
    });

    it("lets a curious visitor's eyes wander from its goal more than a task-driven one's", async () => {
        const offGoal = (runs: Awaited<ReturnType<typeof playLayoutsAsync>>) => {
            let away = 0;
            let total = 0;
            for (const { sim } of runs) {
                for (const f of sim.fixations!) {
                    const goal = sim.goals![Math.min(sim.goals!.length - 1, Math.round(f.startS * 20))];
                    away += f.entity >= 0 && f.entity !== goal ? 1 : 0;
                    total++;
                }
            }
            return away / total;
        };
        expect(offGoal(await playLayoutsAsync("curious"))).toBeGreaterThan(offGoal(await playLayoutsAsync("taskDriven")) + 0.05);
    });

    it("turns the eyes to a speaking NPC outside the field of view, where a silent one draws no look", async () => {
        const layout = generateLayout(21, 1);
        const actions = stubActions();
        const dt = 0.05;
        let withSpeech = 0;
        let silent = 0;
        let trials = 0;
        for (let seed = 1; seed <= 60; seed++) {
            for (const speak of [true, false]) {
                const visitor = new PersonaVisitor(layout, new SeededRandom(seed), "social");
                let t = 0;
                for (; t < 0.5; t += dt) visitor.step(dt, t, actions);
                // The nearest unblocked NPC outside the head's view, the same one with and without
                // speech (the first half second is the same draws either way).
                const offView = (x: number, z: number) => Math.abs(Math.atan2(Math.sin(Math.atan2(x - visitor.x, z - visitor.z) - visitor.gaze.headYaw), Math.cos(Math.atan2(x - visitor.x, z - visitor.z) - visitor.gaze.headYaw))) > 1.3;
                const npc = layout.entities
                    .map((e, i) => ({ e, i, d: Math.hypot(e.x - visitor.x, e.z - visitor.z) }))
                    .filter(({ e }) => e.kind === "npc" && offView(e.x, e.z) && !lineBlocked(layout, visitor.x, visitor.z, e.x, e.z))
                    .sort((a, b) => a.d - b.d)[0];
                if (!npc || npc.d > 10) break;
                if (speak) {
                    trials++;
                    visitor.notifyEvent(npc.i, 1, t);
                }
                let looked = false;
                for (const end = t + 0.8; t < end; t += dt) {
                    visitor.step(dt, t, actions);
                    looked ||= visitor.gaze.fixatedEntity === npc.i;
                }
                if (looked) speak ? withSpeech++ : silent++;
            }
        }
        expect(trials).toBeGreaterThan(10);
        expect(withSpeech / trials).toBeGreaterThan(0.4);
        expect(silent / trials).toBeLessThan(0.1);
    });

    it("makes bigger saccades take longer (main sequence) and lets the head lag behind the eyes", () => {
        const flight = (degrees: number) => {
            const eyes = new PersonaEyes(new SeededRandom(1));
            eyes.lookAt(0, 0);
            const yaw = (degrees * Math.PI) / 180;
            eyes.lookTo({ x: Math.sin(yaw) * 10, y: 1.6, z: Math.cos(yaw) * 10, entity: 0, fixations: 1, meanS: 0.3 }, 0);
            const dt = 0.001;
            let t = 0;
            while (eyes.fixatedEntity !== 0 && t < 1) {
                eyes.step(dt, t, 0, 1.6, 0, NaN);
                t += dt;
            }
            return { seconds: t, headYawDeg: (eyes.headYaw * 180) / Math.PI };
        };
        const small = flight(5);
        const large = flight(50);
        // Even a 5 degree saccade takes over 20 ms: duration is not amplitude over a fixed peak speed.
        expect(small.seconds).toBeGreaterThan(0.02);
        expect(large.seconds).toBeGreaterThan(small.seconds * 2);
        // Small shifts are made by the eyes alone; when a large one lands, the head is still on its way.
        expect(Math.abs(small.headYawDeg)).toBeLessThan(0.5);
        expect(large.headYawDeg).toBeGreaterThan(0);
        expect(large.headYawDeg).toBeLessThan(50 * 0.75);
    });
});

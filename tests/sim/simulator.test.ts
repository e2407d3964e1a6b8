import { describe, expect, it } from "vitest";
import { readSessionAsync } from "../../plugin/recording/sessionReader";
import { generateLayout } from "../../models/sim/layout";
import { simulateSessionAsync } from "../../models/sim/simulateSession";

const DEG = 180 / Math.PI;

function angleBetween(a: Float32Array, b: Float32Array, i: number): number {
    const dot = a[i * 3] * b[i * 3] + a[i * 3 + 1] * b[i * 3 + 1] + a[i * 3 + 2] * b[i * 3 + 2];
    return Math.acos(Math.min(1, Math.max(-1, dot))) * DEG;
}

function median(values: number[]): number {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)];
}

describe("simulator", () => {
    it("generates the same layout for the same seed and a different one for another", () => {
        expect(generateLayout(5, 2)).toEqual(generateLayout(5, 2));
        expect(generateLayout(5, 2)).not.toEqual(generateLayout(5, 3));
        const layout = generateLayout(5, 2);
        expect(layout.entities.length).toBeGreaterThanOrEqual(8);
        expect(layout.entities.length).toBeLessThanOrEqual(20);
        expect(layout.entities.some((e) => e.kind === "task" && e.startsActive)).toBe(true);
    });

    it("writes identical bytes for the same seed, and different ones for another seed", async () => {
        const layout = generateLayout(9, 0);
        const run = (seed: number) => simulateSessionAsync({ layout, seed, intent: "curious", seconds: 8, hz: 20 });
        const [a, b, c] = [await run(1), await run(1), await run(2)];
        expect(a.lines.join("\n")).toBe(b.lines.join("\n"));
        expect(c.lines.join("\n")).not.toBe(a.lines.join("\n"));
        const { session, problems } = await readSessionAsync(a.lines, "a.jsonl", { strict: true });
        expect(problems).toEqual([]);
        expect(session!.ticks).toHaveLength(160);
        expect(session!.header.meta.intent).toBe("curious");
    });

    it("moves the eyes like eyes: fixations of a few hundred ms, fast saccades, 1-2 degrees of tracker noise", async () => {
        const layout = generateLayout(4, 1);
        const sim = await simulateSessionAsync({ layout, seed: 3, intent: "curious", seconds: 40, hz: 30, trace: true });
        const durations = sim.fixations!.map((f) => f.durationS * 1000);
        expect(durations.length).toBeGreaterThan(60);
        expect(median(durations)).toBeGreaterThan(180);
        expect(median(durations)).toBeLessThan(450);
        // tracker noise: angle between the tracker's reading and the true eye direction
        const ticks = sim.trueGaze!.length / 3;
        const noise = Array.from({ length: ticks }, (_, i) => angleBetween(sim.trueGaze!, sim.trackerGaze!, i));
        const meanNoise = noise.reduce((a, b) => a + b, 0) / ticks;
        expect(meanNoise).toBeGreaterThan(0.8);
        expect(meanNoise).toBeLessThan(2.5);
        // saccades: some ticks move the true gaze faster than 100 deg/s, most hold still
        const speeds = Array.from({ length: ticks - 1 }, (_, i) => {
            const a = sim.trueGaze!.subarray(i * 3, i * 3 + 3);
            const b = sim.trueGaze!.subarray(i * 3 + 3, i * 3 + 6);
            return angleBetween(a, b, 0) * 30;
        });
        const fast = speeds.filter((s) => s > 100).length / speeds.length;
        expect(fast).toBeGreaterThan(0.05);
        expect(fast).toBeLessThan(0.4);
    });

    it("finds fixations in the recorded (noisy) gaze with a dispersion detector", async () => {
        const layout = generateLayout(4, 1);
        const sim = await simulateSessionAsync({ layout, seed: 5, intent: "task", seconds: 40, hz: 30 });
        const { session } = await readSessionAsync(sim.lines, "t.jsonl");
        // I-DT: a window whose yaw + pitch spread stays under 5 degrees for at least 100 ms.
        const yaw = session!.ticks.map((t) => Math.atan2(t.player[6], t.player[8]) * DEG);
        const pitch = session!.ticks.map((t) => Math.asin(t.player[7]) * DEG);
        const durations: number[] = [];
        let start = 0;
        while (start < yaw.length - 3) {
            let end = start + 3;
            const spread = (a: number, b: number) => Math.max(...yaw.slice(a, b)) - Math.min(...yaw.slice(a, b)) + Math.max(...pitch.slice(a, b)) - Math.min(...pitch.slice(a, b));
            if (spread(start, end) > 5) {
                start++;
                continue;
            }
            while (end < yaw.length && spread(start, end + 1) <= 5) end++;
            durations.push(((end - start) * 1000) / 30);
            start = end;
        }
        expect(durations.length).toBeGreaterThan(30);
        expect(median(durations)).toBeGreaterThan(100);
        expect(median(durations)).toBeLessThan(800);
    });

    it("engages only when close: every engagement happens within a few metres of the target", async () => {
        const layout = generateLayout(2, 0);
        const sim = await simulateSessionAsync({ layout, seed: 8, intent: "task", seconds: 60, hz: 20 });
        const { session } = await readSessionAsync(sim.lines, "e.jsonl");
        const engagements = session!.ticks.flatMap((t) => t.events.filter((e) => e.type === "engage").map((e) => t.distance[Array.from(t.ids).indexOf(e.id)]));
        expect(engagements.length).toBeGreaterThan(0);
        expect(Math.max(...engagements)).toBeLessThan(3.2);
    });
});

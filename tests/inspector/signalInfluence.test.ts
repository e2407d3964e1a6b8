import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { describeSignalInfluence, measureSignalInfluence } from "../../plugin/inspector/signalInfluence";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

describe("each signal's share of the top entry's lead", () => {
    let world: ITestWorld;
    let attention: AttentionPlugin;

    beforeEach(async () => {
        world = createTestWorld();
        attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none" });
    });

    afterEach(() => {
        attention.dispose();
        world.dispose();
    });

    it("credits gaze with the lead of the entry looked at, counts proximity against it, and follows a weight change", async () => {
        // Far straight ahead, Near close by to the left; a task far to the right ranks last.
        attention.track(world.sphere("far", 0, 1.6, 20), { kind: "npc", label: "Far" });
        attention.track(world.sphere("near", -1.5, 1.6, 2.5), { kind: "npc", label: "Near" });
        attention.track(world.sphere("exhibit", 15, 1.6, 9), { kind: "task", label: "Exhibit" });
        await runTicks(attention, world.clock, 10);
        let influence = measureSignalInfluence(attention.ranking);
        expect(influence.top?.label).toBe("Far");
        expect(influence.runnerUp?.label).toBe("Near");
        expect(influence.lead.gaze).toBeGreaterThan(0.5);
        expect(influence.lead.proximity).toBeLessThan(0);
        // The shares add up to the heuristic's lead.
        const total = Object.values(influence.lead).reduce((a, b) => a + b, 0);
        expect(total).toBeCloseTo(influence.top!.score - influence.runnerUp!.score, 4);
        expect(describeSignalInfluence(influence, "gaze")).toMatch(/^\+\d\.\d\d to Far's lead over Near$/);
        expect(describeSignalInfluence(influence, "proximity")).toMatch(/^\u2212\d\.\d\d to Far's lead over Near$/);

        attention.weights = { gaze: 0 };
        await attention.tickAsync();
        influence = measureSignalInfluence(attention.ranking);
        expect(influence.top?.label).toBe("Near");
        expect(influence.lead.gaze).toBe(0);
        expect(influence.lead.proximity).toBeGreaterThan(0);
    });

    it("says so when fewer than two entries are ranked", async () => {
        attention.track(world.sphere("only", 0, 1.6, 5), { kind: "npc", label: "Only" });
        await runTicks(attention, world.clock, 2);
        const influence = measureSignalInfluence(attention.ranking);
        expect(influence.top).toBeNull();
        expect(describeSignalInfluence(influence, "gaze")).toBe("moves nothing yet: fewer than two entries ranked");
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { applyWeightsJson, MAX_WEIGHTS_MESSAGE_CHARS } from "../../plugin/inspector/weightsJson";
import { createTestWorld, type ITestWorld } from "../helpers/testScene";

describe("pasted weights JSON", () => {
    let world: ITestWorld;
    let attention: AttentionPlugin;

    beforeEach(async () => {
        world = createTestWorld();
        attention = await AttentionPlugin.CreateAsync(world.scene, { clock: world.clock.read, autoTick: false, backend: "heuristic", occlusion: "none" });
    });

    afterEach(() => {
        attention.dispose();
        world.dispose();
    });

    it("quotes a few dozen characters of a 20 MB key, naming its length", () => {
        const message = applyWeightsJson(attention, JSON.stringify({ ["k".repeat(20_000_000)]: 1 }))!;
        expect(message).toContain('unknown weight "kkkkkkkkkk');
        expect(message).toContain("(20000000 characters)");
        expect(message.length).toBeLessThan(400);
    });

    it("quotes a short preview of a 20 MB string value", () => {
        const message = applyWeightsJson(attention, JSON.stringify({ gaze: "1".repeat(20_000_000) }))!;
        expect(message).toMatch(/^invalid weights: weight "gaze" must be a number in \[0, 4\]; got "1{60}"\.\.\. \(20000000 characters\)$/);
    });

    it("lists five problems of 100,000 and counts the rest", () => {
        const many = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`w${i}`, 1]));
        const message = applyWeightsJson(attention, JSON.stringify(many))!;
        expect(message).toContain("and 99995 more problem(s)");
        expect(message.length).toBeLessThanOrEqual(MAX_WEIGHTS_MESSAGE_CHARS + 40);
        expect(attention.weights.gaze).toBe(1);
    });
});

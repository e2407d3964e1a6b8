import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InspectableType } from "@babylonjs/core/Misc/iInspectable";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import { FocusEffects } from "../../plugin/effects/focusEffects";
import {
    applyAttentionInspectableProperties,
    ATTENTION_BACKEND_PROPERTY,
    ATTENTION_LAST_ERROR_PROPERTY,
    ATTENTION_WEIGHTS_JSON_PROPERTY,
    type IAttentionInspectableHandle,
} from "../../plugin/inspector/attentionInspectableProperties";
import { createTestWorld, runTicks, type ITestWorld } from "../helpers/testScene";

/** The scene as the property grid sees it: any property by name. */
type Grid = Record<string, unknown>;

describe("applyAttentionInspectableProperties", () => {
    let world: ITestWorld;
    let attention: AttentionPlugin;
    let effects: FocusEffects;
    let handle: IAttentionInspectableHandle;
    let grid: Grid;

    beforeEach(async () => {
        world = createTestWorld();
        attention = await AttentionPlugin.CreateAsync(world.scene, { camera: world.camera, clock: world.clock.read, autoTick: false, backend: "heuristic" });
        effects = new FocusEffects(attention, { depthOfField: false });
        handle = applyAttentionInspectableProperties(attention, effects);
        grid = world.scene as unknown as Grid;
    });

    afterEach(() => {
        handle.dispose();
        world.dispose();
    });

    it("lists a slider per weight, hysteresis, rate and K, the guidance threshold and a switch per effect", () => {
        const byName = new Map(handle.properties.map((p) => [p.propertyName, p]));
        for (const name of ["Gaze", "Dwell", "Proximity", "Event", "Priority", "Novelty", "Visibility", "Approach"]) {
            expect(byName.get(`attentionWeight${name}`)).toMatchObject({ type: InspectableType.Slider, min: 0, max: 4 });
        }
        for (const name of ["attentionHysteresisSwitchMargin", "attentionHysteresisMinDwellMs", "attentionUpdateHz", "attentionCandidateLimit", "attentionGuidanceShowThreshold"]) {
            expect(byName.get(name)?.type).toBe(InspectableType.Slider);
        }
        // depthOfField was not created, so it gets no switch.
        expect(byName.get("attentionEffectDepthOfField")).toBeUndefined();
        for (const name of ["attentionEffectHighlight", "attentionEffectCameraAssist", "attentionEffectGuidanceHint"]) {
            expect(byName.get(name)?.type).toBe(InspectableType.Checkbox);
        }
        expect(byName.get(ATTENTION_BACKEND_PROPERTY)?.type).toBe(InspectableType.Tab);
        expect(grid[ATTENTION_BACKEND_PROPERTY]).toBe("heuristic");
        expect((world.scene as unknown as { inspectableCustomProperties: unknown[] }).inspectableCustomProperties).toEqual(handle.properties);
    });

    it("changes the plugin's weights, hysteresis, update rate and K when set through the grid", () => {
        grid.attentionWeightProximity = 2.5;
        grid.attentionHysteresisSwitchMargin = 0.3;
        grid.attentionHysteresisMinDwellMs = 600;
        grid.attentionUpdateHz = 12;
        grid.attentionCandidateLimit = 8;
        expect(attention.weights.proximity).toBe(2.5);
        expect(attention.hysteresis.switchMargin).toBe(0.3);
        expect(attention.hysteresis.minDwellMs).toBe(600);
        expect(attention.updateHz).toBeCloseTo(12, 10);
        expect(attention.candidateLimit).toBe(8);
        // The grid reads back what the plugin holds.
        expect(grid.attentionWeightProximity).toBe(2.5);
        expect(handle.lastError).toBe("");
    });

    it("switches effects and moves the guidance threshold with its hide threshold", () => {
        expect(effects.highlight?.enabled).toBe(true);
        grid.attentionEffectHighlight = false;
        grid.attentionEffectCameraAssist = true;
        expect(effects.highlight?.enabled).toBe(false);
        expect(effects.cameraAssist?.enabled).toBe(true);
        const options = effects.guidanceHint!.options;
        const gap = options.showThreshold - options.hideThreshold;
        grid.attentionGuidanceShowThreshold = 0.8;
        expect(options.showThreshold).toBe(0.8);
        expect(options.hideThreshold).toBeCloseTo(0.8 - gap, 10);
        grid.attentionGuidanceShowThreshold = 0.05;
        expect(options.hideThreshold).toBe(0);
    });

    it("makes the next tick rank with a weight set through the grid", async () => {
        // Near and far spheres, both straight ahead: with proximity weighted up the near one leads.
        const near = world.sphere("near", -1.5, 1.6, 3);
        const far = world.sphere("far", 0, 1.6, 12);
        attention.track(near, { kind: "npc", label: "near" });
        attention.track(far, { kind: "npc", label: "far" });
        for (const name of ["Gaze", "Dwell", "Proximity", "Event", "Priority", "Novelty", "Visibility", "Approach"]) {
            grid[`attentionWeight${name}`] = 0;
        }
        grid.attentionWeightGaze = 1;
        await runTicks(attention, world.clock, 2);
        expect(attention.ranking.npc[0].label).toBe("far");
        grid.attentionWeightGaze = 0;
        grid.attentionWeightProximity = 4;
        await runTicks(attention, world.clock, 1);
        expect(attention.ranking.npc[0].label).toBe("near");
        expect(attention.ranking.npc[0].why.proximity).toBeGreaterThan(attention.ranking.npc[1].why.proximity);
    });

    it("rejects out-of-range and wrongly typed values with a message and leaves the plugin unchanged", () => {
        const rejections: string[] = [];
        handle.onRejectedObservable.add((r) => rejections.push(`${r.propertyName}: ${r.message}`));
        grid.attentionWeightGaze = 7;
        expect(attention.weights.gaze).toBe(1);
        expect(handle.lastError).toBe("Gaze: must be a number in [0, 4]; got 7");
        expect(grid[ATTENTION_LAST_ERROR_PROPERTY]).toBe(handle.lastError);
        grid.attentionUpdateHz = 0;
        expect(attention.updateHz).toBeCloseTo(30, 10);
        grid.attentionCandidateLimit = 2.5;
        expect(attention.candidateLimit).toBe(64);
        expect(handle.lastError).toMatch(/Candidates \(K\): must be an integer in \[1, 4096\]; got 2.5/);
        grid.attentionHysteresisReleaseScore = 0.9;
        expect(attention.hysteresis.releaseScore).toBe(0.25);
        expect(handle.lastError).toMatch(/Release score: hysteresis: releaseScore \(0.9\) must not exceed acquireScore \(0.35\)/);
        grid.attentionEffectHighlight = "yes";
        expect(effects.highlight?.enabled).toBe(true);
        expect(handle.lastError).toMatch(/Highlight: must be true or false/);
        expect(rejections).toHaveLength(5);
        // A good value afterwards clears the error line.
        grid.attentionWeightGaze = 1.2;
        expect(handle.lastError).toBe("");
    });

    it("loads weights JSON through the grid, rejecting invalid JSON and out-of-range values whole", () => {
        const exported = grid[ATTENTION_WEIGHTS_JSON_PROPERTY] as string;
        expect(JSON.parse(exported)).toEqual(JSON.parse(attention.exportWeights()));
        grid[ATTENTION_WEIGHTS_JSON_PROPERTY] = '{"gaze": 2, "proximity": 1.5}';
        expect(attention.weights.gaze).toBe(2);
        expect(attention.weights.proximity).toBe(1.5);
        grid[ATTENTION_WEIGHTS_JSON_PROPERTY] = '{"gaze": 3,';
        expect(handle.lastError).toMatch(/weights JSON does not parse/);
        expect(attention.weights.gaze).toBe(2);
        grid[ATTENTION_WEIGHTS_JSON_PROPERTY] = '{"gaze": 3, "proximity": 9}';
        expect(handle.lastError).toMatch(/weight "proximity" must be a number in \[0, 4\]; got 9/);
        // Nothing applied, not even the valid field.
        expect(attention.weights.gaze).toBe(2);
    });

    it("removes its properties and entries on dispose, keeping the target's own", () => {
        const other = { label: "Mine", propertyName: "mine", type: InspectableType.Checkbox };
        handle.dispose();
        const host = world.scene as unknown as { inspectableCustomProperties?: unknown[] } & Grid;
        expect(host.inspectableCustomProperties).toBeUndefined();
        expect("attentionWeightGaze" in host).toBe(false);
        host.inspectableCustomProperties = [other];
        handle = applyAttentionInspectableProperties(attention, effects);
        expect(host.inspectableCustomProperties).toHaveLength(1 + handle.properties.length);
        handle.dispose();
        handle.dispose();
        expect(host.inspectableCustomProperties).toEqual([other]);
    });
});

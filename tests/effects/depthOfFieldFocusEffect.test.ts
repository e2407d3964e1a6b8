import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { DefaultRenderingPipeline } from "@babylonjs/core/PostProcesses/RenderPipeline/Pipelines/defaultRenderingPipeline";
import { DepthOfFieldFocusEffect } from "../../plugin/effects/depthOfFieldFocusEffect";
import { createEffectTestScene, makeEntry, type IEffectTestScene } from "./effectTestScene";

describe("DepthOfFieldFocusEffect", () => {
    let t: IEffectTestScene;
    let pipeline: DefaultRenderingPipeline;
    beforeEach(() => {
        t = createEffectTestScene();
        pipeline = new DefaultRenderingPipeline("pipeline", true, t.scene, [t.camera]);
    });
    afterEach(() => t.dispose());

    it("finds the scene's pipeline, turns depth of field on, and restores both values on dispose", () => {
        pipeline.depthOfField.focusDistance = 2500;
        const effect = new DepthOfFieldFocusEffect(t.source, { clock: t.clock });
        expect(effect.pipeline).toBe(pipeline);
        expect(pipeline.depthOfFieldEnabled).toBe(true);
        t.focus$.next(makeEntry(t.box("far", new Vector3(0, 0, 12)), "npc"));
        t.frames(10);
        expect(pipeline.depthOfField.focusDistance).not.toBe(2500);
        effect.dispose();
        expect(pipeline.depthOfField.focusDistance).toBe(2500);
        expect(pipeline.depthOfFieldEnabled).toBe(false);
    });

    it("eases focus toward the target's depth in millimetres, gradually", () => {
        const effect = new DepthOfFieldFocusEffect(t.source, { clock: t.clock, easeTimeMs: 300 });
        // 8 m ahead and 6 m to the side: view depth 8 m, not the 10 m straight-line distance.
        t.focus$.next(makeEntry(t.box("statue", new Vector3(6, 0, 8)), "npc"));
        t.frame(16);
        const afterOne = pipeline.depthOfField.focusDistance;
        expect(afterOne).toBeGreaterThan(2000);
        expect(afterOne).toBeLessThan(8000);
        t.frames(200, 16);
        expect(pipeline.depthOfField.focusDistance).toBeCloseTo(8000, 0);
        effect.enabled = false;
        expect(pipeline.depthOfField.focusDistance).toBe(2000);
    });

    it("eases back to the original distance when focus is lost", () => {
        const effect = new DepthOfFieldFocusEffect(t.source, { clock: t.clock });
        t.focus$.next(makeEntry(t.box("near", new Vector3(0, 0, 4)), "npc"));
        t.frames(200);
        expect(pipeline.depthOfField.focusDistance).toBeCloseTo(4000, 0);
        t.focus$.next(null);
        t.frames(200);
        expect(pipeline.depthOfField.focusDistance).toBeCloseTo(2000, 0);
        effect.dispose();
    });

    it("keeps depth of field as it was when told not to enable it", () => {
        const effect = new DepthOfFieldFocusEffect(t.source, { clock: t.clock, enableDepthOfField: false });
        expect(pipeline.depthOfFieldEnabled).toBe(false);
        effect.dispose();
        expect(pipeline.depthOfFieldEnabled).toBe(false);
    });

    it("idles without a pipeline", () => {
        pipeline.dispose();
        const effect = new DepthOfFieldFocusEffect(t.source, { clock: t.clock });
        expect(effect.pipeline).toBeNull();
        t.focus$.next(makeEntry(t.box("b", new Vector3(0, 0, 4)), "npc"));
        expect(() => t.frames(3)).not.toThrow();
        effect.dispose();
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { DefaultRenderingPipeline } from "@babylonjs/core/PostProcesses/RenderPipeline/Pipelines/defaultRenderingPipeline";
import { FocusEffects } from "../../plugin/effects/focusEffects";
import { createEffectTestScene, makeEntry, type IEffectTestScene } from "./effectTestScene";

describe("FocusEffects", () => {
    let t: IEffectTestScene;
    beforeEach(() => {
        t = createEffectTestScene();
    });
    afterEach(() => t.dispose());

    it("leaves the scene as it found it after running every effect and disposing", async () => {
        const pipeline = new DefaultRenderingPipeline("pipeline", true, t.scene, [t.camera]);
        t.camera.rotation.set(0.05, -0.1, 0);
        const box = t.box("npc", new Vector3(4, 1, 8));
        const material = box.material;
        const before = {
            rotation: t.camera.rotation.asArray(),
            layers: t.scene.effectLayers.length,
            focusDistance: pipeline.depthOfField.focusDistance,
            dof: pipeline.depthOfFieldEnabled,
            beforeRenderObservers: t.scene.onBeforeRenderObservable.observers.length,
            pointerObservers: t.scene.onPointerObservable.observers.length,
        };
        const effects = new FocusEffects(t.source, { clock: t.clock, cameraAssist: { enabled: true } });
        t.focus$.next(makeEntry(box, "npc"));
        t.ranking.hint.push(makeEntry(box, "hint", 0.9));
        t.frames(100, 20);
        expect(t.camera.rotation.asArray()).not.toEqual(before.rotation);
        expect(pipeline.depthOfField.focusDistance).not.toBe(before.focusDistance);
        expect(t.scene.effectLayers.length).toBe(before.layers + 1);
        effects.dispose();
        effects.dispose();
        // Babylon's Observable.remove() takes observers out on a zero-delay timeout.
        await new Promise((resolve) => setTimeout(resolve, 0));
        const after = {
            rotation: t.camera.rotation.asArray().map((v) => Number(v.toFixed(12))),
            layers: t.scene.effectLayers.length,
            focusDistance: pipeline.depthOfField.focusDistance,
            dof: pipeline.depthOfFieldEnabled,
            beforeRenderObservers: t.scene.onBeforeRenderObservable.observers.length,
            pointerObservers: t.scene.onPointerObservable.observers.length,
        };
        expect(after).toEqual({ ...before, rotation: before.rotation.map((v) => Number(v.toFixed(12))) });
        expect(box.material).toBe(material);
    });

    it("creates only the effects asked for, and disposes with the scene", () => {
        const effects = new FocusEffects(t.source, { clock: t.clock, depthOfField: false, guidanceHint: false });
        expect(effects.depthOfField).toBeNull();
        expect(effects.guidanceHint).toBeNull();
        expect(effects.cameraAssist?.enabled).toBe(false);
        expect(effects.highlight?.enabled).toBe(true);
        t.scene.dispose();
        expect(effects.highlight?.isDisposed).toBe(true);
        expect(effects.cameraAssist?.isDisposed).toBe(true);
    });
});

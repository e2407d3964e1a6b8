import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CameraAssistEffect } from "../../plugin/effects/cameraAssistEffect";
import { PluginTicking } from "../../sample-world/src/tour/pluginTicking";
import { createEffectTestScene, makeEntry, type IEffectTestScene } from "../effects/effectTestScene";

describe("PluginTicking (the sample world's plugin on/off switch for frame comparisons)", () => {
    let t: IEffectTestScene;
    beforeEach(() => {
        t = createEffectTestScene();
    });
    afterEach(() => t.dispose());

    const maxOffset = 0.35;

    /** Camera assist made inside capture(), as the sample world makes it, left out of addEffects. */
    function assistTowards(target: Vector3): { ticking: PluginTicking; assist: CameraAssistEffect } {
        const ticking = new PluginTicking(t.scene);
        const assist = ticking.capture(() => new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, strength: 5, maxAngularSpeed: 1, maxOffset, rampMs: 0 }));
        t.focus$.next(makeEntry(t.box("npc", target), "npc"));
        return { ticking, assist };
    }

    it("keeps camera assist's view while off: its frame step is muted, not undone", () => {
        const { ticking, assist } = assistTowards(new Vector3(3, 0, 10));
        // Mid-turn: the target is 0.29 rad away, the assist turns at most 0.02 rad a frame.
        t.frames(6, 20);
        const turned = t.camera.rotation.y;
        expect(turned).toBeGreaterThan(0.05);
        expect(turned).toBeLessThan(0.2);
        ticking.enabled = false;
        for (let i = 0; i < 50; i++) {
            t.frame(20);
            expect(t.camera.rotation.y).toBe(turned);
        }
        expect(assist.enabled).toBe(true);
        ticking.enabled = true;
        t.frames(100, 20);
        // On again, the assist goes on from where it was, toward the target.
        expect(t.camera.rotation.y).toBeGreaterThan(turned + 0.05);
        assist.dispose();
    });

    it("keeps camera assist's bound across off and on: a far target is turned to once, never further", () => {
        // 45 degrees away, beyond maxOffset (20 degrees): the assist stops at the bound.
        const { ticking, assist } = assistTowards(new Vector3(10, 0, 10));
        t.frames(150, 20);
        expect(t.camera.rotation.y).toBeCloseTo(maxOffset, 6);
        for (let cycle = 0; cycle < 3; cycle++) {
            ticking.enabled = false;
            t.frames(100, 20);
            ticking.enabled = true;
            for (let i = 0; i < 100; i++) {
                t.frame(20);
                expect(t.camera.rotation.y).toBeLessThanOrEqual(maxOffset + 1e-9);
            }
        }
        assist.dispose();
    });

    it("disables the effects it was given while off and restores each as it was", () => {
        const ticking = new PluginTicking(t.scene);
        const on = { enabled: true };
        const off = { enabled: false };
        ticking.addEffects([on, null, off]);
        ticking.enabled = false;
        expect([on.enabled, off.enabled]).toEqual([false, false]);
        ticking.enabled = true;
        expect([on.enabled, off.enabled]).toEqual([true, false]);
    });
});

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

    function assistedScene(): { ticking: PluginTicking; assist: CameraAssistEffect } {
        const ticking = new PluginTicking(t.scene);
        const assist = ticking.capture(() => new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, strength: 5, maxAngularSpeed: Math.PI, rampMs: 0 }));
        ticking.addEffects([assist]);
        t.focus$.next(makeEntry(t.box("npc", new Vector3(3, 0, 10)), "npc"));
        t.frames(120, 20);
        return { ticking, assist };
    }

    it("switching off keeps the view camera assist turned to, and switching on does not turn it again", () => {
        const { ticking, assist } = assistedScene();
        const turned = t.camera.rotation.y;
        expect(turned).toBeGreaterThan(0.1);

        ticking.enabled = false;
        t.frames(10, 20);
        expect(assist.enabled).toBe(false);
        expect(t.camera.rotation.y).toBe(turned);

        // Past the assist's quiet period: it is free to act, and has nothing left to turn.
        t.frames(100, 20);
        ticking.enabled = true;
        t.frames(60, 20);
        expect(assist.enabled).toBe(true);
        expect(t.camera.rotation.y).toBeCloseTo(turned, 2);
        assist.dispose();
    });

    it("hands the turn over only for effects that were on, once, when switching off", () => {
        const ticking = new PluginTicking(t.scene);
        const calls: string[] = [];
        const on = { enabled: true, notifyPlayerInput: () => calls.push(`on, told while enabled=${on.enabled}`) };
        const off = { enabled: false, notifyPlayerInput: () => calls.push("off, told") };
        ticking.addEffects([on, off]);
        ticking.enabled = false;
        expect(calls).toEqual(["on, told while enabled=true"]);
        expect([on.enabled, off.enabled]).toEqual([false, false]);
        ticking.enabled = true;
        expect(calls).toHaveLength(1);
        expect([on.enabled, off.enabled]).toEqual([true, false]);
    });
});

import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ArcRotateCamera } from "@babylonjs/core/Cameras/arcRotateCamera";
import { KeyboardEventTypes, KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents";
import type { IKeyboardEvent } from "@babylonjs/core/Events/deviceInputEvents";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CameraAssistEffect } from "../../plugin/effects/cameraAssistEffect";
import { createEffectTestScene, makeEntry, type IEffectTestScene } from "./effectTestScene";

const DEG = Math.PI / 180;

describe("CameraAssistEffect", () => {
    let t: IEffectTestScene;
    beforeEach(() => {
        t = createEffectTestScene();
    });
    afterEach(() => t.dispose());

    /** Angle between the camera's view direction and the direction to `target`, in radians. */
    function angleTo(target: Vector3): number {
        const forward = t.camera.getDirection(new Vector3(0, 0, t.scene.useRightHandedSystem ? -1 : 1));
        const to = target.subtract(t.camera.globalPosition).normalize();
        return Math.acos(Math.min(1, Vector3.Dot(forward, to)));
    }

    it("is off by default and leaves the camera alone", () => {
        const effect = new CameraAssistEffect(t.source, { clock: t.clock });
        expect(effect.enabled).toBe(false);
        t.focus$.next(makeEntry(t.box("npc", new Vector3(5, 0, 5)), "npc"));
        t.frames(60);
        expect(t.camera.rotation.asArray()).toEqual([0, 0, 0]);
        effect.dispose();
    });

    it("turns toward the target no faster than the speed limit and no further than the offset bound", () => {
        const maxAngularSpeed = 10 * DEG;
        const maxOffset = 15 * DEG;
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, maxAngularSpeed, maxOffset, strength: 5 });
        const target = new Vector3(10, 0, 10); // 45 degrees to the right
        t.focus$.next(makeEntry(t.box("npc", target), "npc"));
        const start = angleTo(target);
        let previous = t.camera.rotation.y;
        for (let i = 0; i < 300; i++) {
            t.frame(20);
            const turned = Math.abs(t.camera.rotation.y - previous);
            expect(turned).toBeLessThanOrEqual(maxAngularSpeed * 0.02 + 1e-9);
            previous = t.camera.rotation.y;
        }
        expect(angleTo(target)).toBeLessThan(start);
        expect(Math.hypot(t.camera.rotation.x, t.camera.rotation.y)).toBeCloseTo(maxOffset, 6);
        effect.dispose();
    });

    it("ramps in: the first frame turns less than a full-speed frame would", () => {
        const maxAngularSpeed = 10 * DEG;
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, maxAngularSpeed, strength: 5, rampMs: 500 });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(10, 0, 10)), "npc"));
        t.frame(20);
        expect(t.camera.rotation.y).toBeGreaterThan(0);
        expect(t.camera.rotation.y).toBeLessThan(maxAngularSpeed * 0.02 * 0.1);
        effect.dispose();
    });

    it("centres a target that lies within the offset bound, up to the dead zone", () => {
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, deadZone: 0.01 });
        const target = new Vector3(Math.tan(8 * DEG) * 10, -Math.tan(4 * DEG) * 10, 10);
        t.focus$.next(makeEntry(t.box("npc", target), "npc"));
        t.frames(600, 20);
        expect(angleTo(target)).toBeLessThan(0.011);
        expect(t.camera.rotation.x).toBeGreaterThan(0); // pitched down toward a low target
        effect.dispose();
    });

    it("stops at once on player input and resumes only after the quiet period", () => {
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, quietPeriodMs: 1000 });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(10, 0, 10)), "npc"));
        t.frames(20, 20);
        const moving = t.camera.rotation.y;
        expect(moving).toBeGreaterThan(0);
        effect.notifyPlayerInput();
        expect(effect.isYielding).toBe(true);
        t.frames(45, 20); // 900 ms
        expect(t.camera.rotation.y).toBe(moving);
        t.frames(20, 20);
        expect(effect.isYielding).toBe(false);
        expect(t.camera.rotation.y).toBeGreaterThan(moving);
        effect.dispose();
    });

    it("yields to keyboard events on the scene", () => {
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, quietPeriodMs: 1000 });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(10, 0, 10)), "npc"));
        t.frames(10, 20);
        const before = t.camera.rotation.y;
        const event = { type: "keydown", key: "w" } as unknown as IKeyboardEvent;
        t.scene.onKeyboardObservable.notifyObservers(new KeyboardInfo(KeyboardEventTypes.KEYDOWN, event));
        t.frames(10, 20);
        expect(t.camera.rotation.y).toBe(before);
        effect.dispose();
    });

    it("treats a turn it did not make as player input and never undoes it", () => {
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, quietPeriodMs: 1000 });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(10, 0, 10)), "npc"));
        t.frames(20, 20);
        t.camera.rotation.y = -0.5; // mouse look
        t.frame(20);
        expect(effect.isYielding).toBe(true);
        expect(t.camera.rotation.y).toBe(-0.5);
        expect(effect.offset.yaw).toBe(0);
        t.frames(100, 20); // resumes and turns from where the player left it
        expect(t.camera.rotation.y).toBeGreaterThan(-0.5);
        effect.dispose();
        expect(t.camera.rotation.y).toBeCloseTo(-0.5, 12);
    });

    it("restores the camera rotation exactly when disabled", () => {
        t.camera.rotation.set(0.1, 0.2, 0);
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(-10, 3, 10)), "npc"));
        t.frames(100, 20);
        expect(t.camera.rotation.y).not.toBeCloseTo(0.2, 3);
        effect.enabled = false;
        expect(t.camera.rotation.x).toBeCloseTo(0.1, 12);
        expect(t.camera.rotation.y).toBeCloseTo(0.2, 12);
        effect.dispose();
    });

    it("turns the right way in a right-handed scene", () => {
        t.scene.useRightHandedSystem = true;
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true, deadZone: 0.01 });
        t.frame(20);
        // 8 degrees to the side and 6 up of where the camera looks, inside the offset bound.
        const forward = t.camera.getDirection(new Vector3(0, 0, -1));
        const right = Vector3.Cross(forward, Vector3.Up()).normalize();
        const target = forward.scale(10).add(right.scale(Math.tan(8 * DEG) * 10)).add(new Vector3(0, Math.tan(6 * DEG) * 10, 0));
        t.focus$.next(makeEntry(t.box("npc", target), "npc"));
        const start = angleTo(target);
        expect(start).toBeGreaterThan(0.15);
        t.frames(600, 20);
        expect(angleTo(target)).toBeLessThan(0.011);
        effect.dispose();
    });

    it("leaves an ArcRotateCamera alone", () => {
        const arc = new ArcRotateCamera("arc", 1, 1, 10, Vector3.Zero(), t.scene);
        t.scene.activeCamera = arc;
        const effect = new CameraAssistEffect(t.source, { clock: t.clock, enabled: true });
        t.focus$.next(makeEntry(t.box("npc", new Vector3(10, 0, 10)), "npc"));
        t.frames(50, 20);
        expect([arc.alpha, arc.beta, arc.radius]).toEqual([1, 1, 10]);
        effect.dispose();
    });
});

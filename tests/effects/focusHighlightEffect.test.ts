import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HighlightLayer } from "@babylonjs/core/Layers/highlightLayer";
import { StandardMaterial } from "@babylonjs/core/Materials/standardMaterial";
import { Color3 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { FocusHighlightEffect } from "../../plugin/effects/focusHighlightEffect";
import type { IRanking } from "../../plugin/attentionTypes";
import { createEffectTestScene, makeEntry, type IEffectTestScene } from "./effectTestScene";

/** Counts the redraws of the effect's own layer: each frame that lets its main texture render once more. */
function countRedraws(effect: FocusHighlightEffect): { readonly redraws: number } {
    const texture = effect.layer!.mainTexture;
    const counter = { redraws: 0 };
    const reset = texture.resetRefreshCounter.bind(texture);
    texture.resetRefreshCounter = () => {
        counter.redraws++;
        reset();
    };
    return counter;
}

describe("FocusHighlightEffect", () => {
    let t: IEffectTestScene;
    beforeEach(() => {
        t = createEffectTestScene();
    });
    afterEach(() => t.dispose());

    it("creates its own layer when the scene has none and removes it when disabled", () => {
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock });
        expect(t.scene.effectLayers.length).toBe(1);
        expect(effect.layer).toBeInstanceOf(HighlightLayer);
        effect.enabled = false;
        expect(t.scene.effectLayers.length).toBe(0);
        effect.enabled = true;
        expect(t.scene.effectLayers.length).toBe(1);
        effect.dispose();
        expect(t.scene.effectLayers.length).toBe(0);
        expect(effect.isDisposed).toBe(true);
    });

    it("fades the focus glow in gradually, then fully, then out after focus leaves", () => {
        const box = t.box("statue", new Vector3(0, 0, 5));
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, fadeDurationMs: 320 });
        t.focus$.next(makeEntry(box, "npc"));
        t.frame(16);
        const layer = effect.layer!;
        expect(layer.hasMesh(box)).toBe(true);
        const afterOne = effect.getIntensity(box);
        expect(afterOne).toBeGreaterThan(0);
        expect(afterOne).toBeLessThan(1);
        t.frames(10, 16);
        const later = effect.getIntensity(box);
        expect(later).toBeGreaterThan(afterOne);
        expect(later).toBeLessThan(1);
        t.frames(20, 16);
        expect(effect.getIntensity(box)).toBe(1);

        t.focus$.next(null);
        t.frame(16);
        expect(effect.getIntensity(box)).toBeGreaterThan(0);
        expect(effect.getIntensity(box)).toBeLessThan(1);
        expect(layer.hasMesh(box)).toBe(true);
        t.frames(30, 16);
        expect(layer.hasMesh(box)).toBe(false);
        expect(effect.getIntensity(box)).toBe(0);
        effect.dispose();
    });

    it("redraws its own layer's glow only in frames where the view, a glowing mesh or a glow changed", () => {
        const box = t.box("statue", new Vector3(0, 0, 5));
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, fadeDurationMs: 100, maxGlowAgeMs: 1000 });
        t.focus$.next(makeEntry(box, "npc"));
        t.frames(20, 16); // fully faded in
        const drawn = countRedraws(effect);
        const texture = effect.layer!.mainTexture;
        t.frames(10, 16);
        expect(drawn.redraws, "nothing changed").toBe(0);
        expect(texture.refreshRate).toBe(0);
        // The texture draws the glowing mesh, not every mesh of the scene.
        t.box("bystander", new Vector3(3, 0, 5));
        t.frame(16);
        expect(texture.renderList!.length).toBe(1);
        expect(texture.renderList![0]).toBe(box);

        t.camera.rotation.y += 0.05;
        t.frame(16);
        expect(drawn.redraws, "the camera turned").toBe(1);
        t.frames(5, 16);
        expect(drawn.redraws).toBe(1);

        box.position.x += 0.5;
        t.frame(16);
        expect(drawn.redraws, "the glowing mesh moved").toBe(2);

        t.frames(70, 16); // past maxGlowAgeMs
        expect(drawn.redraws, "at least once per maxGlowAgeMs").toBe(3);

        t.focus$.next(null);
        t.frame(16);
        expect(drawn.redraws, "the glow fades").toBe(4);
        effect.dispose();
    });

    it("redraws when a glowing mesh is hidden, shown, faded or given another material, and otherwise not for seconds", () => {
        const box = t.box("statue", new Vector3(0, 0, 5));
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, fadeDurationMs: 100 });
        t.focus$.next(makeEntry(box, "npc"));
        t.frames(20, 16); // fully faded in
        const drawn = countRedraws(effect);
        t.frames(250, 16); // 4 s: within the default maxGlowAgeMs, nothing changed
        expect(drawn.redraws, "nothing changed").toBe(0);

        box.isVisible = false;
        t.frame(16);
        expect(drawn.redraws, "hidden").toBe(1);
        box.isVisible = true;
        t.frame(16);
        expect(drawn.redraws, "shown again").toBe(2);
        box.setEnabled(false);
        t.frame(16);
        expect(drawn.redraws, "disabled").toBe(3);
        box.setEnabled(true);
        t.frame(16);
        box.visibility = 0.5;
        t.frame(16);
        expect(drawn.redraws, "enabled again, then half faded").toBe(5);
        box.material = new StandardMaterial("other", box.getScene());
        t.frame(16);
        expect(drawn.redraws, "another material").toBe(6);
        box.geometry!.copy("copy").applyToMesh(box);
        t.frame(16);
        expect(drawn.redraws, "another geometry").toBe(7);
        t.frames(5, 16);
        expect(drawn.redraws).toBe(7);

        // A change in a frame that redraws for another reason is still seen on the next frame.
        box.isVisible = false;
        t.camera.rotation.y += 0.05;
        t.frame(16);
        expect(drawn.redraws, "hidden while the view turned").toBe(8);
        box.isVisible = true;
        t.frame(16);
        expect(drawn.redraws, "shown again, the view still").toBe(9);
        effect.dispose();
    });

    it("leaves the scene's other materials clean while glows fade and move from mesh to mesh", () => {
        const bystander = t.box("bystander", new Vector3(3, 0, 5));
        const statue = t.box("statue", new Vector3(0, 0, 5));
        const bust = t.box("bust", new Vector3(-3, 0, 5));
        let lightDirtied = 0;
        const mark = bystander._markSubMeshesAsLightDirty.bind(bystander);
        bystander._markSubMeshesAsLightDirty = (dispose?: boolean) => {
            lightDirtied++;
            mark(dispose);
        };
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, fadeDurationMs: 100 });
        t.focus$.next(makeEntry(statue, "npc"));
        t.frames(3, 16); // fading in
        t.focus$.next(makeEntry(bust, "npc"));
        t.frames(20, 16); // one fades out, the other in
        t.focus$.next(null);
        t.frames(20, 16); // every glow gone
        t.focus$.next(makeEntry(statue, "npc"));
        t.frames(3, 16);
        // Each rebuild of a material's defines costs a shader key and its uniform lists per mesh.
        expect(lightDirtied).toBe(0);
        const drawn = effect.layer!.mainTexture.renderList!;
        expect(drawn.length).toBe(1);
        expect(drawn[0]).toBe(statue);
        effect.dispose();
    });

    it("redraws every frame with skipUnchangedFrames false, and leaves a shared layer's refresh alone", () => {
        const box = t.box("statue", new Vector3(0, 0, 5));
        const own = new FocusHighlightEffect(t.source, { clock: t.clock, skipUnchangedFrames: false });
        t.focus$.next(makeEntry(box, "npc"));
        t.frames(3, 16);
        expect(own.layer!.mainTexture.refreshRate).toBe(1);
        own.dispose();

        const shared = new HighlightLayer("shared", t.scene);
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, layer: shared });
        t.frames(3, 16);
        expect(shared.mainTexture.refreshRate).toBe(1);
        effect.dispose();
        shared.dispose();
    });

    it("glows the top hint dimmer than the focus", () => {
        const npc = t.box("npc", new Vector3(0, 0, 5));
        const sign = t.box("sign", new Vector3(2, 0, 5));
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, hintIntensity: 0.4 });
        t.focus$.next(makeEntry(npc, "npc"));
        t.ranking.hint.push(makeEntry(sign, "hint"));
        t.frames(60, 16);
        expect(effect.getIntensity(npc)).toBe(1);
        expect(effect.getIntensity(sign)).toBeCloseTo(0.4, 6);
        effect.dispose();
    });

    it("keeps one hint glowing while two hints trade first place, and moves the glow once a new best holds", () => {
        const left = makeEntry(t.box("left", new Vector3(-2, 0, 5)), "hint");
        const right = makeEntry(t.box("right", new Vector3(2, 0, 5)), "hint");
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock, hintSwitchDelayMs: 300 });
        t.ranking.hint.push(left, right);
        t.frames(30, 16);
        const layer = effect.layer!;
        for (let i = 0; i < 20; i++) {
            t.ranking.hint.reverse(); // a tie broken differently every frame
            t.frame(16);
            expect(layer.hasMesh(right.node as never), `frame ${i}`).toBe(false);
        }
        t.ranking.hint.length = 0;
        t.ranking.hint.push(right, left);
        t.frames(30, 16); // 480 ms with right first
        expect(layer.hasMesh(right.node as never)).toBe(true);
        t.frames(30, 16);
        expect(layer.hasMesh(left.node as never)).toBe(false);
        effect.dispose();
    });

    it("reads a source's live ranking each frame instead of subscribing to ranking$", () => {
        const npc = t.box("npc", new Vector3(0, 0, 5));
        const sign = t.box("sign", new Vector3(2, 0, 5));
        const live: IRanking = { npc: [], task: [], hint: [], time: 0 };
        const effect = new FocusHighlightEffect({ ...t.source, ranking: live }, { clock: t.clock, fadeDurationMs: 100 });
        expect(t.ranking$.observed).toBe(false);
        t.focus$.next(makeEntry(npc, "npc"));
        t.frames(10);
        expect(effect.getIntensity(sign)).toBe(0);
        // Updated in place, as the plugin does; no emission.
        live.hint.push(makeEntry(sign, "hint"));
        t.frames(20);
        expect(effect.getIntensity(sign)).toBeCloseTo(effect.options.hintIntensity, 6);
        // What the Subject carries is not read.
        t.ranking.hint.length = 0;
        live.hint.length = 0;
        t.frames(40); // hintSwitchDelayMs, then the fade
        expect(effect.getIntensity(sign)).toBe(0);
        effect.dispose();
    });

    it("highlights a transform node through its child meshes", () => {
        const root = new TransformNode("root", t.scene);
        const part = t.box("part", new Vector3(0, 0, 5));
        part.parent = root;
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock });
        t.focus$.next(makeEntry(root, "task"));
        t.frame();
        expect(effect.layer!.hasMesh(part)).toBe(true);
        effect.dispose();
    });

    it("uses the scene's layer and leaves meshes others added, and their colours, untouched", () => {
        const theirs = t.box("theirs", new Vector3(0, 0, 5));
        const mine = t.box("mine", new Vector3(1, 0, 5));
        const layer = new HighlightLayer("game", t.scene);
        const theirColor = new Color3(0, 1, 0);
        layer.addMesh(theirs, theirColor);
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock });
        expect(effect.layer).toBe(layer);
        expect(t.scene.effectLayers.length).toBe(1);

        t.focus$.next(makeEntry(theirs, "npc"));
        t.frames(40);
        t.focus$.next(makeEntry(mine, "npc"));
        t.frames(40);
        expect(layer.hasMesh(mine)).toBe(true);
        expect(theirColor.asArray()).toEqual([0, 1, 0]);

        effect.dispose();
        expect(t.scene.effectLayers).toEqual([layer]);
        expect(layer.hasMesh(theirs)).toBe(true);
        expect(layer.hasMesh(mine)).toBe(false);
        expect(layer.isEnabled).toBe(true);
    });

    it("leaves mesh materials as they were", () => {
        const box = t.box("box", new Vector3(0, 0, 5));
        const before = box.material;
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock });
        t.focus$.next(makeEntry(box, "npc"));
        t.frames(5);
        effect.dispose();
        expect(box.material).toBe(before);
    });

    it("drops a glow whose node is disposed", () => {
        const box = t.box("box", new Vector3(0, 0, 5));
        const effect = new FocusHighlightEffect(t.source, { clock: t.clock });
        t.focus$.next(makeEntry(box, "npc"));
        t.frames(5);
        box.dispose();
        expect(() => t.frames(3)).not.toThrow();
        expect(effect.getIntensity(box)).toBe(0);
        effect.dispose();
    });

    describe('style "overlay"', () => {
        it("tints the focus through the mesh's overlay, with no effect layer, fading in and out", () => {
            const box = t.box("statue", new Vector3(0, 0, 5));
            const effect = new FocusHighlightEffect(t.source, { clock: t.clock, style: "overlay", overlayAlpha: 0.5, fadeDurationMs: 320 });
            expect(effect.style).toBe("overlay");
            expect(effect.layer).toBeNull();
            expect(t.scene.effectLayers.length).toBe(0);
            t.focus$.next(makeEntry(box, "npc"));
            t.frame(16);
            expect(box.renderOverlay).toBe(true);
            expect(box.overlayAlpha).toBeGreaterThan(0);
            expect(box.overlayAlpha).toBeLessThan(0.5);
            expect(box.overlayColor.asArray()).toEqual(effect.options.focusColor.asArray());
            t.frames(30, 16);
            expect(box.overlayAlpha).toBeCloseTo(0.5, 6);
            expect(effect.getIntensity(box)).toBe(1);

            t.focus$.next(null);
            t.frame(16);
            expect(box.overlayAlpha).toBeGreaterThan(0);
            expect(box.overlayAlpha).toBeLessThan(0.5);
            t.frames(30, 16);
            expect(box.renderOverlay).toBe(false);
            expect(effect.getIntensity(box)).toBe(0);
            expect(t.scene.effectLayers.length).toBe(0);
            effect.dispose();
        });

        it("tints the top hint in its colour at hintIntensity of the focus's opacity", () => {
            const npc = t.box("npc", new Vector3(0, 0, 5));
            const sign = t.box("sign", new Vector3(2, 0, 5));
            const effect = new FocusHighlightEffect(t.source, { clock: t.clock, style: "overlay", overlayAlpha: 0.5, hintIntensity: 0.4 });
            t.focus$.next(makeEntry(npc, "npc"));
            t.ranking.hint.push(makeEntry(sign, "hint"));
            t.frames(60, 16);
            expect(npc.overlayAlpha).toBeCloseTo(0.5, 6);
            expect(sign.overlayAlpha).toBeCloseTo(0.2, 6);
            expect(sign.overlayColor.r).toBeCloseTo(effect.options.hintColor.r, 6);
            expect(sign.overlayColor.b).toBeCloseTo(effect.options.hintColor.b, 6);
            effect.dispose();
        });

        it("gives meshes back their overlay colour and alpha, and leaves an overlay someone else turned on alone", () => {
            const mine = t.box("mine", new Vector3(0, 0, 5));
            const theirs = t.box("theirs", new Vector3(1, 0, 5));
            const myColor = mine.overlayColor;
            mine.overlayAlpha = 0.25;
            const theirColor = new Color3(0, 1, 0);
            theirs.overlayColor = theirColor;
            theirs.overlayAlpha = 0.7;
            theirs.renderOverlay = true;
            const effect = new FocusHighlightEffect(t.source, { clock: t.clock, style: "overlay" });
            t.focus$.next(makeEntry(theirs, "npc"));
            t.frames(40);
            expect(theirs.overlayColor).toBe(theirColor);
            expect(theirs.overlayAlpha).toBe(0.7);
            t.focus$.next(makeEntry(mine, "npc"));
            t.frames(40);
            expect(mine.renderOverlay).toBe(true);
            effect.dispose();
            expect(mine.renderOverlay).toBe(false);
            expect(mine.overlayColor).toBe(myColor);
            expect(mine.overlayAlpha).toBe(0.25);
            expect(theirs.renderOverlay).toBe(true);
            expect(theirs.overlayColor).toBe(theirColor);
            expect(theirs.overlayAlpha).toBe(0.7);
        });

        it("switches style when disabled and enabled again", () => {
            const box = t.box("box", new Vector3(0, 0, 5));
            const effect = new FocusHighlightEffect(t.source, { clock: t.clock, style: "overlay" });
            t.focus$.next(makeEntry(box, "npc"));
            t.frames(5);
            effect.options.style = "glow";
            effect.enabled = false;
            expect(box.renderOverlay).toBe(false);
            effect.enabled = true;
            t.frames(5);
            expect(effect.style).toBe("glow");
            expect(effect.layer!.hasMesh(box)).toBe(true);
            expect(box.renderOverlay).toBe(false);
            effect.dispose();
        });
    });
});

import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Matrix } from "@babylonjs/core/Maths/math.vector";
import { GuidanceHintEffect } from "../../plugin/effects/guidanceHintEffect";
import { LayerGuidanceHintView, writeScreenToTextureMatrix } from "../../plugin/effects/guidanceHintLayerView";
import { createEffectTestScene, type IEffectTestScene } from "./effectTestScene";

/** What the layer shader does with the matrix: screen pixel (y down) to texture UV. */
function textureUvAt(m: Matrix, px: number, py: number, screenWidth: number, screenHeight: number): [number, number] {
    const sx = px / screenWidth;
    const sy = 1 - py / screenHeight;
    const a = m.m;
    return [a[0] * sx + a[4] * sy + a[8], a[1] * sx + a[5] * sy + a[9]];
}

describe("writeScreenToTextureMatrix", () => {
    it("shows each texel at its place in the turned rectangle", () => {
        const m = new Matrix();
        fc.assert(
            fc.property(
                fc.integer({ min: 320, max: 2560 }),
                fc.integer({ min: 240, max: 1440 }),
                fc.integer({ min: 8, max: 400 }),
                fc.integer({ min: 8, max: 120 }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                fc.double({ min: 0, max: 1, noNaN: true }),
                fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }),
                fc.double({ min: -0.5, max: 0.5, noNaN: true }),
                fc.double({ min: -0.5, max: 0.5, noNaN: true }),
                (screenWidth, screenHeight, width, height, fx, fy, angle, du, dv) => {
                    const cx = fx * screenWidth;
                    const cy = fy * screenHeight;
                    writeScreenToTextureMatrix(cx, cy, angle, width, height, screenWidth, screenHeight, m);
                    // A texel (du, dv) of the way from the texture's centre (dv down the canvas) ...
                    const tx = du * width;
                    const ty = dv * height;
                    // ... sits on screen at the centre plus that offset turned by the angle (y down).
                    const px = cx + Math.cos(angle) * tx - Math.sin(angle) * ty;
                    const py = cy + Math.sin(angle) * tx + Math.cos(angle) * ty;
                    const [u, v] = textureUvAt(m, px, py, screenWidth, screenHeight);
                    // Babylon matrices hold float32: a thousandth of the texture is well under a texel here.
                    expect(u).toBeCloseTo(0.5 + du, 3);
                    // The canvas's top row is at v = 1.
                    expect(v).toBeCloseTo(0.5 - dv, 3);
                }
            )
        );
    });

    it("points an arrow drawn to the right along the angle", () => {
        const m = new Matrix();
        // Turned a quarter clockwise on screen (y down): the glyph's tip (right edge) is below the centre.
        writeScreenToTextureMatrix(400, 300, Math.PI / 2, 40, 40, 800, 600, m);
        const [u, v] = textureUvAt(m, 400, 320, 800, 600);
        expect(u).toBeCloseTo(1, 6);
        expect(v).toBeCloseTo(0.5, 6);
    });
});

describe("LayerGuidanceHintView", () => {
    let t: IEffectTestScene;
    beforeEach(() => {
        t = createEffectTestScene();
    });
    afterEach(() => t.dispose());

    // NullEngine cannot draw into a canvas texture in Node, so drawing is checked in the browser
    // layer (tests/browser/effects.test.ts). Here: a hint that never shows costs nothing.
    it("creates no texture or layer until a hint is shown", () => {
        const view = new LayerGuidanceHintView(t.scene);
        const effect = new GuidanceHintEffect(t.source, { clock: t.clock, view });
        t.frames(3);
        expect(view.labelRect).toBeNull();
        expect(view.arrowRect).toBeNull();
        expect(t.scene.textures.length).toBe(0);
        expect(t.scene.layers.length).toBe(0);
        effect.dispose();
    });
});

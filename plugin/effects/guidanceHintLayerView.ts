import { Layer } from "@babylonjs/core/Layers/layer.js";
import { DynamicTexture } from "@babylonjs/core/Materials/Textures/dynamicTexture.js";
import { Texture } from "@babylonjs/core/Materials/Textures/texture.js";
import { Matrix } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { IGuidanceHintState, IGuidanceHintView } from "./guidanceHintEffect.js";
import { HINT_STYLE_DEFAULTS } from "./hintStyle.js";

/** Options of {@link LayerGuidanceHintView}. */
export interface ILayerGuidanceHintViewOptions {
    /** Label font size, render pixels. @default 20 */
    fontSize: number;
    /** Label font family (CSS). @default "sans-serif" */
    fontFamily: string;
    /** Label text colour (CSS). @default "#ffffff" */
    color: string;
    /** Label background (CSS). @default "#000000b3" */
    background: string;
    /** Arrow colour (CSS). @default "#ffd34d" */
    arrowColor: string;
    /** Arrow glyph, pointing right at rotation 0. @default "➤" */
    arrowGlyph: string;
    /** Label offset from the target's projected centre when on screen, render pixels (negative: up). @default -70 */
    linkOffsetY: number;
    /** Off screen: the gap between the arrow and the label beside it, toward the screen centre. px @default 8 */
    labelGap: number;
}

/** Defaults of {@link LayerGuidanceHintView}. */
export const LAYER_GUIDANCE_HINT_VIEW_DEFAULTS: Readonly<ILayerGuidanceHintViewOptions> = Object.freeze({
    ...HINT_STYLE_DEFAULTS,
    fontFamily: "sans-serif",
    labelGap: 8,
});

/** How many drawn labels the view keeps (each a small texture and a layer). */
const KEPT_LABELS = 4;

/** A rectangle on screen, render pixels, y down. */
export interface IScreenRect {
    left: number;
    top: number;
    width: number;
    height: number;
}

/**
 * Draws a guidance hint as two small textured quads over the frame: the label (a rounded box
 * with the entry's label) and, while the target is off screen, an arrow on the screen edge.
 * Babylon core only (a `Layer` and a `DynamicTexture` each), no GUI package.
 *
 * Each texture is drawn once, when its text changes; following the target moves and turns
 * the quad through its layer's placement and texture matrix, which costs a few uniforms per
 * frame. A full-screen GUI texture, by contrast, is redrawn and uploaded whole every frame its
 * label moves, which is every frame the view turns. Drawn after post-processes, so depth of
 * field never blurs it.
 */
export class LayerGuidanceHintView implements IGuidanceHintView {
    public readonly options: ILayerGuidanceHintViewOptions;

    private readonly _scene: Scene;
    /** The label on show (null: none yet, or hidden and never shown). */
    private _label: ScreenQuad | null = null;
    /**
     * Drawn labels by text, least recently shown first: the hint can move back and forth between
     * a few targets as the ranking shifts, and each comes back without a redraw.
     */
    private readonly _labels = new Map<string, ScreenQuad>();
    private _arrow: ScreenQuad | null = null;
    private _labelDrawCount = 0;
    private _isDisposed = false;

    constructor(scene: Scene, options: Partial<ILayerGuidanceHintViewOptions> = {}) {
        this._scene = scene;
        this.options = { ...LAYER_GUIDANCE_HINT_VIEW_DEFAULTS, ...options };
    }

    /** How many times a label texture has been drawn: once per new text, never for moving it. */
    public get labelDrawCount(): number {
        return this._labelDrawCount;
    }

    /** Where the label is drawn now (render pixels), or null while hidden. */
    public get labelRect(): IScreenRect | null {
        return this._label?.isShown ? this._label.rect() : null;
    }

    /** Where the arrow is drawn now (render pixels), or null while hidden. */
    public get arrowRect(): IScreenRect | null {
        return this._arrow?.isShown ? this._arrow.rect() : null;
    }

    public update(state: Readonly<IGuidanceHintState>): void {
        if (this._isDisposed) {
            return;
        }
        if (!state.visible || !state.entry) {
            this._label?.hide();
            this._arrow?.hide();
            return;
        }
        const label = this._showLabel(state.entry.label);
        const engine = this._scene.getEngine();
        const width = Math.max(engine.getRenderWidth(), 1);
        const height = Math.max(engine.getRenderHeight(), 1);
        if (state.onScreen) {
            this._arrow?.hide();
            label.place(state.screenX, state.screenY + this.options.linkOffsetY, 0, width, height);
            return;
        }
        const arrow = (this._arrow ??= this._createArrow());
        arrow.place(state.screenX, state.screenY, state.arrowAngle, width, height);
        // The label beside the arrow, toward the screen centre: its nearest side clear of the
        // arrow by the gap, whichever way the arrow points, and kept on screen.
        const c = Math.cos(state.arrowAngle);
        const s = Math.sin(state.arrowAngle);
        const reach = arrow.width / 2 + this.options.labelGap + (Math.abs(c) * label.width) / 2 + (Math.abs(s) * label.height) / 2;
        const x = clamp(state.screenX - c * reach, label.width / 2, width - label.width / 2);
        const y = clamp(state.screenY - s * reach, label.height / 2, height - label.height / 2);
        label.place(x, y, 0, width, height);
    }

    public dispose(): void {
        if (this._isDisposed) {
            return;
        }
        this._isDisposed = true;
        for (const quad of this._labels.values()) {
            quad.dispose();
        }
        this._labels.clear();
        this._arrow?.dispose();
        this._label = this._arrow = null;
    }

    /** Makes the label for `text` the one on show, drawing it only if it is not among the kept ones. */
    private _showLabel(text: string): ScreenQuad {
        const current = this._label;
        if (current && this._labels.get(text) === current) {
            return current;
        }
        current?.hide();
        let label = this._labels.get(text);
        if (label) {
            // Most recently shown last.
            this._labels.delete(text);
        } else if (this._labels.size < KEPT_LABELS) {
            label = new ScreenQuad("attention.guidanceHint.label", this._scene);
            this._drawLabel(label, text);
        } else {
            const [oldest, reused] = this._labels.entries().next().value!;
            this._labels.delete(oldest);
            label = reused;
            this._drawLabel(label, text);
        }
        this._labels.set(text, label);
        this._label = label;
        return label;
    }

    private _drawLabel(quad: ScreenQuad, text: string): void {
        this._labelDrawCount++;
        const o = this.options;
        const font = `${o.fontSize}px ${o.fontFamily}`;
        const padding = Math.round(o.fontSize * 0.7);
        const height = Math.round(o.fontSize * 2);
        const textWidth = quad.measure(font, text);
        const width = Math.ceil(textWidth) + 2 * padding;
        quad.draw(width, height, (ctx) => {
            const radius = Math.min(Math.round(o.fontSize * 0.6), height / 2);
            ctx.fillStyle = o.background;
            ctx.beginPath();
            ctx.moveTo(radius, 0);
            ctx.arcTo(width, 0, width, height, radius);
            ctx.arcTo(width, height, 0, height, radius);
            ctx.arcTo(0, height, 0, 0, radius);
            ctx.arcTo(0, 0, width, 0, radius);
            ctx.closePath();
            ctx.fill();
            ctx.font = font;
            ctx.fillStyle = o.color;
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.fillText(text, width / 2, height / 2);
        });
    }

    private _createArrow(): ScreenQuad {
        const o = this.options;
        const arrow = new ScreenQuad("attention.guidanceHint.arrow", this._scene);
        // Square, with the glyph inside its inscribed circle, so it stays whole when turned.
        const size = Math.round(o.fontSize * 2);
        arrow.draw(size, size, (ctx) => {
            ctx.font = `${Math.round(o.fontSize * 1.4)}px ${o.fontFamily}`;
            ctx.fillStyle = o.arrowColor;
            ctx.textAlign = "center";
            ctx.textBaseline = "middle";
            ctx.fillText(o.arrowGlyph, size / 2, size / 2);
        });
        return arrow;
    }
}

/** `value` within [min, max]; the middle of the range when it is empty (a label wider than the screen). */
function clamp(value: number, min: number, max: number): number {
    return min > max ? (min + max) / 2 : value < min ? min : value > max ? max : value;
}

/**
 * The texture matrix that shows a `width` x `height` texture centred at (`centerX`, `centerY`)
 * on a `screenWidth` x `screenHeight` screen (render pixels, y down), turned by `angle`
 * (radians, clockwise on screen): it maps a point's screen UV (y up, as the layer shader gives
 * it) to texture UV. A screen point p sits at q = p - centre; turned back by the angle it is
 * texel R(-angle) q from the texture's centre, and the texture's top row is at v = 1 (uploaded
 * with Y inverted).
 */
export function writeScreenToTextureMatrix(centerX: number, centerY: number, angle: number, width: number, height: number, screenWidth: number, screenHeight: number, out: Matrix): void {
    const c = Math.cos(angle);
    const s = Math.sin(angle);
    const fromTop = screenHeight - centerY;
    const W = screenWidth;
    const H = screenHeight;
    Matrix.FromValuesToRef(
        (c * W) / width,
        (s * W) / height,
        0,
        0,
        (-s * H) / width,
        (c * H) / height,
        0,
        0,
        (-c * centerX + s * fromTop) / width + 0.5,
        (-s * centerX - c * fromTop) / height + 0.5,
        1,
        0,
        0,
        0,
        0,
        1,
        out
    );
}

/** A canvas-drawn texture with its own texture matrix: the layer asks for it to map screen to texture. */
class ScreenRectTexture extends DynamicTexture {
    public readonly screenToTexture = Matrix.Identity();

    public override getTextureMatrix(): Matrix {
        return this.screenToTexture;
    }
}

type DrawContext = CanvasRenderingContext2D;

/**
 * One quad over the frame: a foreground `Layer` drawing a small texture at a rectangle of the
 * screen, optionally turned about its centre. The layer's shader spans the full screen and maps
 * each point's screen UV through the texture matrix, so placing the quad is setting the layer's
 * scale and offset (which rectangle is drawn) and that matrix (what it shows there).
 */
class ScreenQuad {
    public isShown = false;
    /** The texture's size, px: the quad's size on screen. */
    public width = 1;
    public height = 1;
    private readonly _texture: ScreenRectTexture;
    private readonly _layer: Layer;
    private _centerX = NaN;
    private _centerY = NaN;
    private _angle = NaN;
    private _screenWidth = 0;
    private _screenHeight = 0;

    public constructor(name: string, scene: Scene) {
        // A canvas whose 2D context lives in memory, not on the GPU: uploading a GPU-backed
        // canvas makes WebGPU read it back first, over 100 ms for a label on a software adapter.
        const canvas = scene.getEngine().createCanvas(1, 1);
        canvas.getContext("2d", { willReadFrequently: true });
        this._texture = new ScreenRectTexture(name, canvas, scene, false, Texture.BILINEAR_SAMPLINGMODE);
        this._texture.hasAlpha = true;
        this._texture.wrapU = this._texture.wrapV = Texture.CLAMP_ADDRESSMODE;
        this._layer = new Layer(name, null, scene, false);
        this._layer.texture = this._texture;
        // After post-processes, like the GUI: depth of field must not blur the hint.
        this._layer.applyPostProcess = false;
        this._layer.isEnabled = false;
    }

    /** The width `text` takes in `font`, px. */
    public measure(font: string, text: string): number {
        const ctx = this._texture.getContext() as DrawContext;
        ctx.font = font;
        return ctx.measureText(text).width;
    }

    /** Resizes the texture to `width` x `height` px, clears it, lets `paint` draw and uploads it. */
    public draw(width: number, height: number, paint: (ctx: DrawContext) => void): void {
        if (this.width !== width || this.height !== height) {
            this._texture.scaleTo(width, height);
            this.width = width;
            this.height = height;
            this._centerX = NaN; // the texture matrix depends on the size
        }
        const ctx = this._texture.getContext() as DrawContext;
        ctx.clearRect(0, 0, width, height);
        paint(ctx);
        this._texture.update();
    }

    /** Shows the quad centred at (x, y), render pixels y down, turned by `angle` (radians, clockwise on screen). */
    public place(x: number, y: number, angle: number, screenWidth: number, screenHeight: number): void {
        this.isShown = this._layer.isEnabled = true;
        // Whole pixels for an unturned quad, so its texels land on pixels and the text stays sharp.
        const cx = angle === 0 ? Math.round(x - this.width / 2) + this.width / 2 : x;
        const cy = angle === 0 ? Math.round(y - this.height / 2) + this.height / 2 : y;
        if (cx === this._centerX && cy === this._centerY && angle === this._angle && screenWidth === this._screenWidth && screenHeight === this._screenHeight) {
            return;
        }
        this._centerX = cx;
        this._centerY = cy;
        this._angle = angle;
        this._screenWidth = screenWidth;
        this._screenHeight = screenHeight;
        const w = this.width;
        const h = this.height;
        const W = screenWidth;
        const H = screenHeight;
        // Which rectangle: the layer's unit quad, scaled and moved in clip space (y up).
        this._layer.scale.set(w / W, h / H);
        this._layer.offset.set((2 * cx) / W - 1, 1 - (2 * cy) / H);
        // What it shows there.
        writeScreenToTextureMatrix(cx, cy, angle, w, h, W, H, this._texture.screenToTexture);
    }

    public hide(): void {
        this.isShown = this._layer.isEnabled = false;
    }

    public rect(): IScreenRect {
        return { left: this._centerX - this.width / 2, top: this._centerY - this.height / 2, width: this.width, height: this.height };
    }

    public dispose(): void {
        this._layer.dispose();
        this._texture.dispose();
    }
}

import { HighlightLayer } from "@babylonjs/core/Layers/highlightLayer.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { IAttentionSource } from "./attentionSource.js";
import { FOCUS_EFFECT_DEFAULTS, FocusEffect, type IFocusEffectOptions } from "./focusEffect.js";
import { moveToward } from "./effectMath.js";

/** Options of {@link FocusHighlightEffect}. */
export interface IFocusHighlightOptions extends IFocusEffectOptions {
    /**
     * Layer to draw into. When omitted, the first HighlightLayer already on the scene is used;
     * if there is none, the effect creates its own while enabled and disposes it when disabled.
     * @default undefined
     */
    layer?: HighlightLayer;
    /** Glow colour of the focus target, linear RGB. @default (1, 0.8, 0.3) */
    focusColor: Color3;
    /** Glow colour of the top hint, linear RGB. @default (0.35, 0.75, 1) */
    hintColor: Color3;
    /** Brightness of the hint glow relative to its colour. [0, 1] @default 0.45 */
    hintIntensity: number;
    /** Whether the best-ranked hint is highlighted too (unless it is the focus). @default true */
    highlightTopHint: boolean;
    /** Time for a glow to fade fully in or out, in milliseconds. @default 350 */
    fadeDurationMs: number;
}

/** Defaults of {@link FocusHighlightEffect}. */
export const FOCUS_HIGHLIGHT_DEFAULTS: Readonly<IFocusHighlightOptions> = Object.freeze({
    ...FOCUS_EFFECT_DEFAULTS,
    focusColor: Object.freeze(new Color3(1, 0.8, 0.3)) as Color3,
    hintColor: Object.freeze(new Color3(0.35, 0.75, 1)) as Color3,
    hintIntensity: 0.45,
    highlightTopHint: true,
    fadeDurationMs: 350,
});

/** One highlighted node and its fade. Pooled: created only when a new node starts to glow. */
interface IGlow {
    node: TransformNode | null;
    meshes: Mesh[];
    /** The colour object handed to the layer; the layer keeps the reference, so fades write into it. */
    colors: Color3[];
    /** Whether this effect added meshes[i] to the layer (others' meshes are never touched). */
    owned: boolean[];
    /** Current tint, eased toward the focus or hint colour so a hint that becomes the focus shifts smoothly. */
    tint: Color3;
    /** Drawn intensity [0, 1]; moves linearly toward `target` at 1 / fadeDurationMs. */
    level: number;
    /** 1 for the focus, hintIntensity for the hint, 0 while fading out. */
    target: number;
}

/**
 * Glows the focus target and, dimmer, the best hint through a HighlightLayer, fading in and
 * out instead of popping. Works wherever HighlightLayer does (WebGL2 and WebGPU; the engine
 * needs a stencil buffer). Meshes that someone else already put in the layer are left alone.
 */
export class FocusHighlightEffect extends FocusEffect<IFocusHighlightOptions> {
    private _layer: HighlightLayer | null = null;
    private _ownsLayer = false;
    private readonly _glows: IGlow[] = [];
    private readonly _pool: IGlow[] = [];

    constructor(source: IAttentionSource, options: Partial<IFocusHighlightOptions> = {}) {
        super(source, {
            ...FOCUS_HIGHLIGHT_DEFAULTS,
            ...options,
            // Own copies, so tuning `effect.options.focusColor` never mutates the frozen defaults.
            focusColor: (options.focusColor ?? FOCUS_HIGHLIGHT_DEFAULTS.focusColor).clone(),
            hintColor: (options.hintColor ?? FOCUS_HIGHLIGHT_DEFAULTS.hintColor).clone(),
        });
        this._start();
    }

    /** The layer in use while enabled, or null. */
    public get layer(): HighlightLayer | null {
        return this._layer;
    }

    /** Current drawn intensity of a node's glow [0, 1] (0 when it does not glow). */
    public getIntensity(node: TransformNode): number {
        const glow = this._find(node);
        return glow ? glow.level : 0;
    }

    protected _onEnable(): void {
        let layer = this.options.layer ?? null;
        if (!layer) {
            for (const candidate of this._scene.effectLayers) {
                if (candidate instanceof HighlightLayer) {
                    layer = candidate;
                    break;
                }
            }
        }
        this._ownsLayer = !layer;
        this._layer = layer ?? new HighlightLayer("attention.focusHighlight", this._scene);
    }

    protected _onDisable(): void {
        for (let i = this._glows.length - 1; i >= 0; i--) {
            this._release(i);
        }
        if (this._ownsLayer && this._layer) {
            this._layer.dispose();
        }
        this._layer = null;
        this._ownsLayer = false;
    }

    protected _onFrame(dtMs: number): void {
        const focus = this._liveFocus();
        let hint: TransformNode | null = null;
        if (this.options.highlightTopHint && this._ranking) {
            const top = this._ranking.hint[0];
            if (top && top.node !== focus && !top.node.isDisposed()) {
                hint = top.node;
            }
        }
        if (focus && !this._find(focus)) {
            this._acquire(focus);
        }
        if (hint && !this._find(hint)) {
            this._acquire(hint);
        }

        const duration = this.options.fadeDurationMs;
        const step = duration <= 0 ? 1 : dtMs / duration;
        for (let i = this._glows.length - 1; i >= 0; i--) {
            const glow = this._glows[i]!;
            const isFocus = glow.node === focus;
            // Every glow fades toward 0 unless it is the current focus or hint.
            glow.target = isFocus ? 1 : glow.node === hint ? this.options.hintIntensity : 0;
            glow.level = moveToward(glow.level, glow.target, step);
            if ((glow.level <= 0 && glow.target <= 0) || glow.node!.isDisposed()) {
                this._release(i);
                continue;
            }
            if (glow.target > 0) {
                Color3.LerpToRef(glow.tint, isFocus ? this.options.focusColor : this.options.hintColor, Math.min(1, step * 2), glow.tint);
            }
            for (let m = 0; m < glow.meshes.length; m++) {
                glow.tint.scaleToRef(glow.level, glow.colors[m]!);
            }
        }
    }

    private _find(node: TransformNode): IGlow | null {
        for (let i = 0; i < this._glows.length; i++) {
            if (this._glows[i]!.node === node) {
                return this._glows[i]!;
            }
        }
        return null;
    }

    /** Starts a glow at zero intensity; runs only when a new node starts to glow. */
    private _acquire(node: TransformNode): void {
        const layer = this._layer!;
        const glow = this._pool.pop() ?? { node: null, meshes: [], colors: [], owned: [], tint: new Color3(), level: 0, target: 0 };
        glow.node = node;
        glow.level = 0;
        glow.target = 0;
        glow.tint.copyFrom(node === this._focusNode ? this.options.focusColor : this.options.hintColor);
        // HighlightLayer takes Mesh only (not instances); a plain TransformNode glows through its child meshes.
        const candidates = node instanceof Mesh ? [node, ...node.getChildMeshes(false)] : node.getChildMeshes(false);
        for (const mesh of candidates) {
            if (!(mesh instanceof Mesh)) {
                continue;
            }
            const owned = !layer.hasMesh(mesh);
            const color = glow.colors[glow.meshes.length] ?? new Color3();
            color.set(0, 0, 0);
            glow.meshes.push(mesh);
            glow.owned.push(owned);
            if (glow.colors.length < glow.meshes.length) {
                glow.colors.push(color);
            }
            if (owned) {
                layer.addMesh(mesh, color);
            }
        }
        this._glows.push(glow);
    }

    /** Removes the meshes this effect added and returns the glow to the pool (swap-remove). */
    private _release(index: number): void {
        const glow = this._glows[index]!;
        const layer = this._layer;
        for (let m = 0; m < glow.meshes.length; m++) {
            const mesh = glow.meshes[m]!;
            if (glow.owned[m] && layer && !mesh.isDisposed()) {
                layer.removeMesh(mesh);
            }
        }
        glow.node = null;
        glow.meshes.length = 0;
        glow.owned.length = 0;
        const last = this._glows.pop()!;
        if (last !== glow) {
            this._glows[index] = last;
        }
        this._pool.push(glow);
    }
}

import { HighlightLayer } from "@babylonjs/core/Layers/highlightLayer.js";
import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import { Color3 } from "@babylonjs/core/Maths/math.color.js";
import { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { RegisterOutlineRenderer } from "@babylonjs/core/Rendering/outlineRenderer.pure.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { IAttentionSource } from "./attentionSource.js";
import { FOCUS_EFFECT_DEFAULTS, FocusEffect, type IFocusEffectOptions } from "./focusEffect.js";
import { moveToward } from "./effectMath.js";

/**
 * How the highlight is drawn: `"glow"` through Babylon's `HighlightLayer` (a blurred halo round
 * the mesh; its own render target, two blur passes and a composite), `"overlay"` as a
 * translucent tint drawn over the mesh itself by Babylon's `OutlineRenderer` (`renderOverlay`:
 * one extra draw per glowing mesh inside the main pass, no render target, no blur).
 */
export type FocusHighlightStyle = "glow" | "overlay";

/** Options of {@link FocusHighlightEffect}. */
export interface IFocusHighlightOptions extends IFocusEffectOptions {
    /**
     * `"glow"`: a halo through a HighlightLayer (needs a stencil buffer). `"overlay"`: a tint over
     * the mesh (`mesh.renderOverlay`), much cheaper per frame; the layer options below do not
     * apply to it. Read when the effect is enabled: to switch, disable and enable it. @default "glow"
     */
    style: FocusHighlightStyle;
    /** With `style: "overlay"`, the tint's opacity at full intensity (the focus; the hint gets `hintIntensity` of it). [0, 1] @default 0.4 */
    overlayAlpha: number;
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
    /**
     * Once a hint glows, another hint takes its glow only after being the best-ranked hint this
     * long, so two near-equal hints trading first place tick by tick do not make both glows
     * flicker. A glowing hint that is disposed or becomes the focus gives way at once. ms @default 300
     */
    hintSwitchDelayMs: number;
    /** Time for a glow to fade fully in or out, in milliseconds. @default 350 */
    fadeDurationMs: number;
    /**
     * Redraw the glow (the layer's mask and blur passes) only in frames where it can have
     * changed: the camera's view or projection, a glowing mesh's world matrix, whether it is
     * shown (enabled, `isVisible`, `visibility`), its material or geometry object, a glow's
     * colour, which meshes glow, or the render size; a skinned or morphing mesh counts as changed
     * every frame, and the glow is redrawn at least every `maxGlowAgeMs` for what it cannot see
     * (vertices or a material's properties changed in place). The layer
     * still composites the last glow over every frame. Applies only to a layer the effect created
     * itself (a shared layer may hold meshes this effect cannot see change). false: the layer
     * redraws every frame, Babylon's default. @default true
     */
    skipUnchangedFrames: boolean;
    /** With `skipUnchangedFrames`, the longest a glow goes without a redraw, in milliseconds. @default 5000 */
    maxGlowAgeMs: number;
}

/** Defaults of {@link FocusHighlightEffect}. */
export const FOCUS_HIGHLIGHT_DEFAULTS: Readonly<IFocusHighlightOptions> = Object.freeze({
    ...FOCUS_EFFECT_DEFAULTS,
    style: "glow" as FocusHighlightStyle,
    overlayAlpha: 0.4,
    focusColor: Object.freeze(new Color3(1, 0.8, 0.3)) as Color3,
    hintColor: Object.freeze(new Color3(0.35, 0.75, 1)) as Color3,
    hintIntensity: 0.45,
    highlightTopHint: true,
    hintSwitchDelayMs: 300,
    fadeDurationMs: 350,
    skipUnchangedFrames: true,
    maxGlowAgeMs: 5000,
});

/** One highlighted node and its fade. Pooled: created only when a new node starts to glow. */
interface IGlow {
    node: TransformNode | null;
    meshes: Mesh[];
    /** The colour object handed to the layer; the layer keeps the reference, so fades write into it. */
    colors: Color3[];
    /** Whether this effect added meshes[i] to the layer, or turned its overlay on (others' meshes are never touched). */
    owned: boolean[];
    /** Overlay style: the overlay colour and alpha meshes[i] had before, restored on release. */
    savedColors: Color3[];
    savedAlphas: number[];
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
    /** The style in use while enabled (options.style as of enabling). */
    private _style: FocusHighlightStyle = "glow";
    private readonly _glows: IGlow[] = [];
    private readonly _pool: IGlow[] = [];
    /** The hint that glows, the best-ranked hint now, and since when it has been (see hintSwitchDelayMs). */
    private _hint: TransformNode | null = null;
    private _topHint: TransformNode | null = null;
    private _topHintSinceMs = 0;
    /** The view and projection the glow was last drawn with. */
    private readonly _drawnView = new Float64Array(32);
    /** Per glowing mesh when the glow was last drawn: its world matrix and how visible it was (MESH_STATE floats each). */
    private _drawnMeshes = new Float64Array(MESH_STATE * 8);
    /** Per glowing mesh when the glow was last drawn: its material and geometry, which shape its mask. */
    private readonly _drawnLooks: unknown[] = [];
    private _drawnWidth = 0;
    private _drawnHeight = 0;
    private _drawnAtMs = -Infinity;
    /** Set when glows are added, removed or change colour. */
    private _glowChanged = true;
    /** Set when a mesh starts or stops glowing: the owned layer's render list must change. */
    private _membershipChanged = true;
    /**
     * What the owned layer's main texture draws: the glowing meshes, not the whole scene. Two
     * lists, filled in turn: Babylon watches the list a texture holds, and a push into it that
     * takes it from empty marks the lights of every mesh in the scene dirty, so every material
     * rebuilds its shader defines on the next frame. The list being filled is one the texture
     * does not hold, and the texture only ever receives it whole.
     */
    private readonly _renderLists: [Mesh[], Mesh[]] = [[], []];
    private _renderList: Mesh[] = this._renderLists[0];

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

    /** The style in use while enabled. */
    public get style(): FocusHighlightStyle {
        return this._style;
    }

    /** The layer in use while enabled with the glow style, or null. */
    public get layer(): HighlightLayer | null {
        return this._layer;
    }

    /** Current drawn intensity of a node's glow [0, 1] (0 when it does not glow). */
    public getIntensity(node: TransformNode): number {
        const glow = this._find(node);
        return glow ? glow.level : 0;
    }

    protected _onEnable(): void {
        this._style = this.options.style === "overlay" ? "overlay" : "glow";
        this._glowChanged = true;
        if (this._style === "overlay") {
            // Babylon's mesh.renderOverlay and scene.getOutlineRenderer, registered here rather
            // than by an import: nothing happens on import of this package.
            RegisterOutlineRenderer();
            return;
        }
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
        this._glowChanged = true;
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
        this._hint = this._topHint = null;
    }

    protected _onFrame(dtMs: number, nowMs: number): void {
        const focus = this._liveFocus();
        const hint = this._chooseHint(focus, nowMs);
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
            if (this._style === "overlay") {
                const alpha = glow.level * this.options.overlayAlpha;
                for (let m = 0; m < glow.meshes.length; m++) {
                    if (glow.owned[m]) {
                        glow.colors[m]!.copyFrom(glow.tint);
                        glow.meshes[m]!.overlayAlpha = alpha;
                    }
                }
                continue;
            }
            for (let m = 0; m < glow.meshes.length; m++) {
                const color = glow.colors[m]!;
                const r = color.r;
                const g = color.g;
                const b = color.b;
                glow.tint.scaleToRef(glow.level, color);
                if (color.r !== r || color.g !== g || color.b !== b) {
                    this._glowChanged = true;
                }
            }
        }
        this._scheduleRedraw(nowMs);
    }

    /** Lets the owned layer's main texture (and its blur) render this frame only if the glow can have changed. */
    private _scheduleRedraw(nowMs: number): void {
        const layer = this._layer;
        const texture = this._ownsLayer && layer ? layer.mainTexture : null;
        if (!texture) {
            return;
        }
        // Left to itself the texture walks every mesh of the scene each time it renders, only to
        // draw the glowing ones: give it just those. A resize makes a new texture: set it again.
        if (this._membershipChanged) {
            const next = this._renderList === this._renderLists[0] ? this._renderLists[1] : this._renderLists[0];
            next.length = 0;
            for (let i = 0; i < this._glows.length; i++) {
                const meshes = this._glows[i]!.meshes;
                for (let m = 0; m < meshes.length; m++) {
                    next.push(meshes[m]!);
                }
            }
            this._renderList = next;
            this._membershipChanged = false;
        }
        if (texture.renderList !== this._renderList) {
            texture.renderList = this._renderList;
        }
        if (!this.options.skipUnchangedFrames) {
            texture.refreshRate = 1;
            return;
        }
        // A resize makes the layer a new texture (refresh rate back to every frame): set it again.
        if (texture.refreshRate !== 0) {
            texture.refreshRate = 0;
            this._glowChanged = true;
        }
        // Every check runs every frame, never cut short: each keeps the state it compares
        // against, and one skipped in a frame that redraws anyway would miss a later change.
        const viewChanged = this._viewChanged(this._scene.activeCamera);
        const meshesChanged = this._meshesChanged();
        let changed = viewChanged || meshesChanged || this._glowChanged || nowMs - this._drawnAtMs >= this.options.maxGlowAgeMs;
        const engine = this._scene.getEngine();
        const width = engine.getRenderWidth();
        const height = engine.getRenderHeight();
        if (width !== this._drawnWidth || height !== this._drawnHeight) {
            this._drawnWidth = width;
            this._drawnHeight = height;
            changed = true;
        }
        if (changed && this._glows.length > 0) {
            texture.resetRefreshCounter();
            this._drawnAtMs = nowMs;
            this._glowChanged = false;
        }
    }

    /** Compares the camera's view and projection with the last drawn ones, and keeps the new ones. */
    private _viewChanged(camera: Camera | null): boolean {
        if (!camera) {
            return false;
        }
        // The same calls the render makes for this frame; Babylon recomputes only what is stale.
        const view = copyIfChanged(camera.getViewMatrix().m, this._drawnView, 0);
        const projection = copyIfChanged(camera.getProjectionMatrix().m, this._drawnView, 16);
        return view || projection;
    }

    private _meshesChanged(): boolean {
        let count = 0;
        for (let i = 0; i < this._glows.length; i++) {
            count += this._glows[i]!.meshes.length;
        }
        if (this._drawnMeshes.length < count * MESH_STATE) {
            this._drawnMeshes = new Float64Array(count * 2 * MESH_STATE); // grows with the glowing meshes, rarely
        }
        const looks = this._drawnLooks;
        let changed = false;
        let k = 0; // the mesh's place among all glowing meshes
        for (let i = 0; i < this._glows.length; i++) {
            const meshes = this._glows[i]!.meshes;
            for (let m = 0; m < meshes.length; m++, k++) {
                const mesh = meshes[m]!;
                const offset = k * MESH_STATE;
                // A skeleton or morph targets change the silhouette without moving the mesh.
                if (mesh.skeleton || mesh.morphTargetManager) {
                    changed = true;
                }
                if (copyIfChanged(mesh.computeWorldMatrix().m, this._drawnMeshes, offset)) {
                    changed = true;
                }
                // Hidden, disabled or faded out: the mask loses it (-1), or draws it fainter.
                const shown = mesh.isEnabled() && mesh.isVisible ? mesh.visibility : -1;
                if (this._drawnMeshes[offset + 16] !== shown) {
                    this._drawnMeshes[offset + 16] = shown;
                    changed = true;
                }
                if (looks[2 * k] !== mesh.material || looks[2 * k + 1] !== mesh.geometry) {
                    looks[2 * k] = mesh.material;
                    looks[2 * k + 1] = mesh.geometry;
                    changed = true;
                }
            }
        }
        // Let go of the materials and geometries of meshes that no longer glow.
        looks.length = 2 * count;
        return changed;
    }

    /** The best-ranked hint, unless it is the focus; a glowing hint keeps its glow for hintSwitchDelayMs against a new best. */
    private _chooseHint(focus: TransformNode | null, nowMs: number): TransformNode | null {
        let top: TransformNode | null = null;
        if (this.options.highlightTopHint && this._ranking) {
            const entry = this._ranking.hint[0];
            if (entry && entry.node !== focus && !entry.node.isDisposed()) {
                top = entry.node;
            }
        }
        if (top !== this._topHint) {
            this._topHint = top;
            this._topHintSinceMs = nowMs;
        }
        const shown = this._hint;
        const shownGone = shown === null || shown === focus || shown.isDisposed() || !this.options.highlightTopHint;
        if (shownGone || nowMs - this._topHintSinceMs >= this.options.hintSwitchDelayMs) {
            this._hint = top;
        }
        return this._hint;
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
        const layer = this._layer;
        const overlay = this._style === "overlay";
        const glow = this._pool.pop() ?? { node: null, meshes: [], colors: [], owned: [], savedColors: [], savedAlphas: [], tint: new Color3(), level: 0, target: 0 };
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
            // A mesh whose overlay someone else turned on keeps it as it is.
            const owned = overlay ? !mesh.renderOverlay : !layer!.hasMesh(mesh);
            const index = glow.meshes.length;
            const color = glow.colors[index] ?? new Color3();
            color.set(0, 0, 0);
            glow.meshes.push(mesh);
            glow.owned.push(owned);
            if (glow.colors.length < glow.meshes.length) {
                glow.colors.push(color);
            }
            if (!owned) {
                continue;
            }
            if (overlay) {
                glow.savedColors[index] = mesh.overlayColor;
                glow.savedAlphas[index] = mesh.overlayAlpha;
                color.copyFrom(glow.tint);
                // The mesh draws our colour object: fades and tint shifts write into it.
                mesh.overlayColor = color;
                mesh.overlayAlpha = 0;
                mesh.renderOverlay = true;
            } else {
                layer!.addMesh(mesh, color);
            }
        }
        this._glows.push(glow);
        this._glowChanged = true;
        this._membershipChanged = true;
    }

    /** Removes the meshes this effect added and returns the glow to the pool (swap-remove). */
    private _release(index: number): void {
        const glow = this._glows[index]!;
        const layer = this._layer;
        for (let m = 0; m < glow.meshes.length; m++) {
            const mesh = glow.meshes[m]!;
            if (!glow.owned[m]) {
                continue;
            }
            if (this._style === "overlay") {
                mesh.renderOverlay = false;
                mesh.overlayColor = glow.savedColors[m]!;
                mesh.overlayAlpha = glow.savedAlphas[m]!;
            } else if (layer && !mesh.isDisposed()) {
                layer.removeMesh(mesh);
            }
        }
        glow.node = null;
        glow.meshes.length = 0;
        glow.owned.length = 0;
        glow.savedColors.length = 0;
        glow.savedAlphas.length = 0;
        const last = this._glows.pop()!;
        if (last !== glow) {
            this._glows[index] = last;
        }
        this._pool.push(glow);
        this._glowChanged = true;
        this._membershipChanged = true;
    }
}

/** Floats kept per glowing mesh to tell whether its glow can have changed: its world matrix, then how visible it is. */
const MESH_STATE = 17;

/** Copies 16 floats into `target` at `offset`; true if any differed. */
function copyIfChanged(source: ArrayLike<number>, target: Float64Array, offset: number): boolean {
    let changed = false;
    for (let i = 0; i < 16; i++) {
        const value = source[i]!;
        if (target[offset + i] !== value) {
            target[offset + i] = value;
            changed = true;
        }
    }
    return changed;
}

import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { AdvancedDynamicTexture } from "@babylonjs/gui/2D/advancedDynamicTexture.js";
import { Control } from "@babylonjs/gui/2D/controls/control.pure.js";
import { Rectangle } from "@babylonjs/gui/2D/controls/rectangle.pure.js";
import { TextBlock } from "@babylonjs/gui/2D/controls/textBlock.pure.js";
import type { IGuidanceHintState, IGuidanceHintView } from "./guidanceHintEffect.js";
import { HINT_STYLE_DEFAULTS } from "./hintStyle.js";

/** Options of {@link GuiGuidanceHintView}. */
export interface IGuiGuidanceHintViewOptions {
    /** Fullscreen GUI texture to draw in; when omitted the view creates one on first show and disposes it. @default undefined */
    texture?: AdvancedDynamicTexture;
    /** Label font size. px @default 20 */
    fontSize: number;
    /** Label text colour (CSS). @default "#ffffff" */
    color: string;
    /** Label background (CSS). @default "#000000b3" */
    background: string;
    /** Arrow colour (CSS). @default "#ffd34d" */
    arrowColor: string;
    /** Arrow glyph, pointing right at rotation 0. @default "➤" */
    arrowGlyph: string;
    /** Label offset above the target's centre when on screen. px @default -70 */
    linkOffsetY: number;
    /** Distance of the label from the arrow, toward the screen centre, when off screen. px @default 80 */
    labelInset: number;
}

/** Defaults of {@link GuiGuidanceHintView}. */
export const GUI_GUIDANCE_HINT_VIEW_DEFAULTS: Readonly<IGuiGuidanceHintViewOptions> = Object.freeze({
    ...HINT_STYLE_DEFAULTS,
    labelInset: 80,
});

/**
 * Babylon GUI drawing of a guidance hint: a rounded label linked to the target while it is on
 * screen, and an arrow on the screen edge (with the label beside it) while it is not. Imports
 * @babylonjs/gui (deep paths only); keep it out of bundles that do not want the GUI.
 */
export class GuiGuidanceHintView implements IGuidanceHintView {
    public readonly options: IGuiGuidanceHintViewOptions;

    private readonly _scene: Scene;
    private _texture: AdvancedDynamicTexture | null;
    private readonly _ownsTexture: boolean;
    private _label: Rectangle | null = null;
    private _text: TextBlock | null = null;
    private _arrow: TextBlock | null = null;
    private _linkedNode: TransformNode | null = null;
    private _isDisposed = false;

    constructor(scene: Scene, options: Partial<IGuiGuidanceHintViewOptions> = {}) {
        this._scene = scene;
        this.options = { ...GUI_GUIDANCE_HINT_VIEW_DEFAULTS, ...options };
        this._texture = options.texture ?? null;
        this._ownsTexture = !options.texture;
    }

    /** The GUI texture in use, once the hint has been shown. */
    public get texture(): AdvancedDynamicTexture | null {
        return this._texture;
    }

    public update(state: Readonly<IGuidanceHintState>): void {
        if (this._isDisposed) {
            return;
        }
        if (!state.visible || !state.entry) {
            if (this._label) {
                this._label.isVisible = false;
                this._arrow!.isVisible = false;
                this._link(null);
            }
            return;
        }
        this._ensureControls();
        const label = this._label!;
        const arrow = this._arrow!;
        this._text!.text = state.entry.label; // the setter returns early when unchanged
        label.isVisible = true;
        if (state.onScreen) {
            arrow.isVisible = false;
            this._link(state.entry.node);
            return;
        }
        this._link(null);
        // GUI pixels differ from render pixels when the texture is scaled (renderScale, idealWidth).
        const engine = this._scene.getEngine();
        const size = this._texture!.getSize();
        const sx = size.width / Math.max(engine.getRenderWidth(), 1);
        const sy = size.height / Math.max(engine.getRenderHeight(), 1);
        const x = state.screenX * sx;
        const y = state.screenY * sy;
        arrow.isVisible = true;
        arrow.rotation = state.arrowAngle;
        setPixels(arrow, x - arrow.widthInPixels / 2, y - arrow.heightInPixels / 2);
        const inset = this.options.labelInset;
        const lx = x - Math.cos(state.arrowAngle) * inset;
        const ly = y - Math.sin(state.arrowAngle) * inset;
        setPixels(label, lx - label.widthInPixels / 2, ly - label.heightInPixels / 2);
    }

    public dispose(): void {
        if (this._isDisposed) {
            return;
        }
        this._isDisposed = true;
        this._link(null);
        this._label?.dispose();
        this._arrow?.dispose();
        if (this._ownsTexture) {
            this._texture?.dispose();
        }
        this._texture = null;
        this._label = this._text = this._arrow = null;
    }

    private _ensureControls(): void {
        if (this._label) {
            return;
        }
        const o = this.options;
        this._texture ??= AdvancedDynamicTexture.CreateFullscreenUI("attention.guidanceHint", true, this._scene);
        const label = new Rectangle("attention.guidanceHint.label");
        label.adaptWidthToChildren = true;
        label.height = `${Math.round(o.fontSize * 2)}px`;
        label.cornerRadius = Math.round(o.fontSize * 0.6);
        label.thickness = 0;
        label.background = o.background;
        label.isPointerBlocker = false;
        label.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
        label.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
        label.linkOffsetY = o.linkOffsetY;
        const text = new TextBlock("attention.guidanceHint.text");
        text.resizeToFit = true;
        text.fontSize = o.fontSize;
        text.color = o.color;
        text.paddingLeft = text.paddingRight = `${Math.round(o.fontSize * 0.7)}px`;
        label.addControl(text);
        const arrow = new TextBlock("attention.guidanceHint.arrow", o.arrowGlyph);
        arrow.width = arrow.height = `${Math.round(o.fontSize * 2)}px`;
        arrow.fontSize = Math.round(o.fontSize * 1.6);
        arrow.color = o.arrowColor;
        arrow.horizontalAlignment = Control.HORIZONTAL_ALIGNMENT_LEFT;
        arrow.verticalAlignment = Control.VERTICAL_ALIGNMENT_TOP;
        arrow.isPointerBlocker = false;
        arrow.isVisible = false;
        this._texture.addControl(label);
        this._texture.addControl(arrow);
        this._label = label;
        this._text = text;
        this._arrow = arrow;
    }

    private _link(node: TransformNode | null): void {
        if (this._linkedNode === node || !this._label) {
            return;
        }
        this._label.linkWithMesh(node);
        this._linkedNode = node;
    }
}

/** Moves a top-left-aligned control, skipping sub-pixel changes (each write builds a "px" string). */
function setPixels(control: Control, left: number, top: number): void {
    if (Math.abs(control.leftInPixels - left) >= 0.5) {
        control.leftInPixels = left;
    }
    if (Math.abs(control.topInPixels - top) >= 0.5) {
        control.topInPixels = top;
    }
}

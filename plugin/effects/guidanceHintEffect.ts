import { Observable } from "@babylonjs/core/Misc/observable.js";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import { Viewport } from "@babylonjs/core/Maths/math.viewport.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { IRankingEntry, TargetKind } from "../attentionTypes.js";
import type { IAttentionSource } from "./attentionSource.js";
import { FOCUS_EFFECT_DEFAULTS, FocusEffect, type IFocusEffectOptions } from "./focusEffect.js";
import { getNodeCenterToRef } from "./effectMath.js";

/** What the hint shows now. One object, updated in place every frame: copy what you keep. */
export interface IGuidanceHintState {
    /** Whether the hint is shown. */
    visible: boolean;
    /** The entry the hint points at (reused in place by the plugin), or null. */
    entry: IRankingEntry | null;
    /** The entry's guidance when last updated. [0, 1] */
    guidance: number;
    /** Whether the target projects inside the screen (minus the edge margin) in front of the camera. */
    onScreen: boolean;
    /** On screen: the target's projected position; off screen: the arrow's anchor on the screen edge. Render pixels, y down. */
    screenX: number;
    screenY: number;
    /** Direction from the screen centre toward the target, in radians, screen space (0 = right, PI/2 = down). */
    arrowAngle: number;
    /** Angle between the camera's view direction and the target, in radians. */
    gazeAngle: number;
}

/** Draws the hint. The effect calls update() every frame while the hint shows, and once when it hides. */
export interface IGuidanceHintView {
    update(state: Readonly<IGuidanceHintState>): void;
    dispose(): void;
}

/** Options of {@link GuidanceHintEffect}. */
export interface IGuidanceHintOptions extends IFocusEffectOptions {
    /**
     * Draws the hint; the effect disposes it with itself. Without one the effect is headless:
     * read `state` or `onHintChangedObservable` and draw your own. Pass a GuiGuidanceHintView
     * (from guidanceHintGuiView, which needs @babylonjs/gui) for a Babylon GUI label and arrow.
     * @default undefined
     */
    view?: IGuidanceHintView;
    /** The kinds whose top entry may be hinted; the one with the highest guidance wins. @default ["hint", "task"] */
    kinds: readonly TargetKind[];
    /** Guidance at or above which the hint appears. [0, 1] @default 0.5 */
    showThreshold: number;
    /** Guidance below which a shown hint disappears (hysteresis: below showThreshold). [0, 1] @default 0.35 */
    hideThreshold: number;
    /** The hint hides once the target is within this angle of the view direction. rad @default 0.21 (12 degrees) */
    gazeAngle: number;
    /** After the player has looked at the target, the hint stays away this long unless guidance drops and rises again. ms @default 8000 */
    rearmDelayMs: number;
    /** Distance from the screen edge inside which a target counts as off screen, and where the arrow sits. px @default 48 */
    edgeMargin: number;
}

/** Defaults of {@link GuidanceHintEffect}. */
export const GUIDANCE_HINT_DEFAULTS: Readonly<IGuidanceHintOptions> = Object.freeze({
    ...FOCUS_EFFECT_DEFAULTS,
    kinds: Object.freeze(["hint", "task"] as const),
    showThreshold: 0.5,
    hideThreshold: 0.35,
    gazeAngle: (12 * Math.PI) / 180,
    rearmDelayMs: 8000,
    edgeMargin: 48,
});

/**
 * Shows a hint toward the best hint or task when the ranking says the player needs guidance
 * (an entry's `guidance` crosses `showThreshold`, with hysteresis), as a label on the target
 * or an arrow at the screen edge when it is off screen, and hides it once the player turns
 * toward the target. The decision logic is engine-only; drawing is delegated to a view.
 */
export class GuidanceHintEffect extends FocusEffect<IGuidanceHintOptions> {
    /** Fires when the hint appears, disappears or changes target. */
    public readonly onHintChangedObservable = new Observable<Readonly<IGuidanceHintState>>();

    private readonly _state: IGuidanceHintState = {
        visible: false,
        entry: null,
        guidance: 0,
        onScreen: false,
        screenX: 0,
        screenY: 0,
        arrowAngle: 0,
        gazeAngle: Math.PI,
    };
    private _dismissedNode: TransformNode | null = null;
    private _dismissedAt = 0;
    private readonly _center = new Vector3();
    private readonly _toTarget = new Vector3();
    private readonly _forward = new Vector3();
    private readonly _localForward = new Vector3(0, 0, 1);
    private readonly _viewSpace = new Vector3();
    private readonly _projected = new Vector3();
    private readonly _viewport = new Viewport(0, 0, 1, 1);

    constructor(source: IAttentionSource, options: Partial<IGuidanceHintOptions> = {}) {
        super(source, { ...GUIDANCE_HINT_DEFAULTS, ...options });
        this._start();
    }

    /** The hint as of the last frame. */
    public get state(): Readonly<IGuidanceHintState> {
        return this._state;
    }

    protected _onEnable(): void {}

    protected _onDisable(): void {
        this._setHidden();
        this._dismissedNode = null;
    }

    protected override _onDispose(): void {
        this.options.view?.dispose();
        this.onHintChangedObservable.clear();
    }

    protected _onFrame(_dtMs: number, nowMs: number): void {
        const options = this.options;
        const state = this._state;
        const camera = this._scene.activeCamera;
        const candidate = this._pickCandidate();
        if (!candidate || !camera) {
            this._setHidden();
            return;
        }
        const guidance = candidate.guidance;
        // By node, not by object: a ranking may hand out a fresh entry for the same entity.
        const isCurrent = state.visible && state.entry !== null && state.entry.node === candidate.node;
        if (this._dismissedNode !== null && (this._dismissedNode !== candidate.node || guidance < options.hideThreshold || nowMs - this._dismissedAt >= options.rearmDelayMs)) {
            this._dismissedNode = null;
        }
        let show = isCurrent ? guidance >= options.hideThreshold : guidance >= options.showThreshold;
        if (show && this._dismissedNode === candidate.node) {
            show = false;
        }
        if (!show) {
            this._setHidden();
            return;
        }
        const gazeAngle = this._measure(candidate);
        if (gazeAngle <= options.gazeAngle) {
            // The player has turned toward it: the hint did its job.
            this._dismissedNode = candidate.node;
            this._dismissedAt = nowMs;
            this._setHidden();
            return;
        }
        const changed = !isCurrent;
        state.visible = true;
        state.entry = candidate;
        state.guidance = guidance;
        state.gazeAngle = gazeAngle;
        options.view?.update(state);
        if (changed) {
            this.onHintChangedObservable.notifyObservers(state);
        }
    }

    /** The top entry of the configured kinds with the highest guidance; a shown hint keeps its target while it stays top of its kind. */
    private _pickCandidate(): IRankingEntry | null {
        const ranking = this._ranking;
        if (!ranking) {
            return null;
        }
        const current = this._state.visible && this._state.entry ? this._state.entry.node : null;
        let best: IRankingEntry | null = null;
        const kinds = this.options.kinds;
        for (let i = 0; i < kinds.length; i++) {
            const top = ranking[kinds[i]!][0];
            if (!top || top.node.isDisposed()) {
                continue;
            }
            if (top.node === current) {
                return top;
            }
            if (!best || top.guidance > best.guidance) {
                best = top;
            }
        }
        return best;
    }

    /** Fills the screen placement of the state; returns the gaze angle to the target. */
    private _measure(entry: IRankingEntry): number {
        const state = this._state;
        const camera = this._scene.activeCamera!;
        const engine = this._scene.getEngine();
        const width = engine.getRenderWidth();
        const height = engine.getRenderHeight();
        const margin = this.options.edgeMargin;
        const rightHanded = this._scene.useRightHandedSystem;

        getNodeCenterToRef(entry.node, this._center);
        this._localForward.z = rightHanded ? -1 : 1;
        camera.getDirectionToRef(this._localForward, this._forward);
        this._center.subtractToRef(camera.globalPosition, this._toTarget);
        const distance = this._toTarget.length();
        const gazeAngle = distance > 1e-6 ? Math.acos(Math.min(1, Math.max(-1, Vector3.Dot(this._forward, this._toTarget) / distance))) : 0;

        Vector3.TransformCoordinatesToRef(this._center, camera.getViewMatrix(), this._viewSpace);
        const depth = rightHanded ? -this._viewSpace.z : this._viewSpace.z;
        const cx = width / 2;
        const cy = height / 2;
        let dx = this._viewSpace.x;
        let dy = -this._viewSpace.y;
        state.onScreen = false;
        if (depth > camera.minZ) {
            camera.viewport.toGlobalToRef(width, height, this._viewport);
            Vector3.ProjectToRef(this._center, Matrix.IdentityReadOnly, camera.getTransformationMatrix(), this._viewport, this._projected);
            const x = this._projected.x;
            const y = this._projected.y;
            dx = x - cx;
            dy = y - cy;
            if (x >= margin && x <= width - margin && y >= margin && y <= height - margin) {
                state.onScreen = true;
                state.screenX = x;
                state.screenY = y;
            }
        }
        if (Math.abs(dx) < 1e-9 && Math.abs(dy) < 1e-9) {
            // Straight behind: any side will do; turn right.
            dx = 1;
        }
        state.arrowAngle = Math.atan2(dy, dx);
        if (!state.onScreen) {
            // Where the ray from the centre toward the target leaves the inset screen rectangle.
            const halfW = Math.max(cx - margin, 0);
            const halfH = Math.max(cy - margin, 0);
            const scale = Math.min(Math.abs(dx) > 1e-9 ? halfW / Math.abs(dx) : Infinity, Math.abs(dy) > 1e-9 ? halfH / Math.abs(dy) : Infinity);
            state.screenX = cx + dx * scale;
            state.screenY = cy + dy * scale;
        }
        return gazeAngle;
    }

    private _setHidden(): void {
        const state = this._state;
        if (!state.visible) {
            return;
        }
        state.visible = false;
        this.options.view?.update(state);
        this.onHintChangedObservable.notifyObservers(state);
        state.entry = null;
    }
}

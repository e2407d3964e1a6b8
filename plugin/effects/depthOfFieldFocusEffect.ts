import { DefaultRenderingPipeline } from "@babylonjs/core/PostProcesses/RenderPipeline/Pipelines/defaultRenderingPipeline.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IAttentionSource } from "./attentionSource.js";
import { FOCUS_EFFECT_DEFAULTS, FocusEffect, type IFocusEffectOptions } from "./focusEffect.js";
import { easeFactor, getNodeCenterToRef } from "./effectMath.js";

/** Options of {@link DepthOfFieldFocusEffect}. */
export interface IDepthOfFieldFocusOptions extends IFocusEffectOptions {
    /**
     * Pipeline whose depth of field follows the focus. When omitted, the first
     * DefaultRenderingPipeline on the scene at enable time is used; without one the effect idles.
     * @default undefined
     */
    pipeline?: DefaultRenderingPipeline;
    /** Turn the pipeline's depth of field on while enabled (restored when disabled). @default true */
    enableDepthOfField: boolean;
    /** Time constant of the focus pull, in milliseconds (63 % of the way after this long). @default 300 */
    easeTimeMs: number;
    /** With no focus, ease back to the focus distance the pipeline had before. @default true */
    restWithoutFocus: boolean;
    /** Nearest focus distance, in scene units (Babylon's focusDistance is scene units x 1000). @default 0.3 */
    minDistance: number;
}

/** Defaults of {@link DepthOfFieldFocusEffect}. */
export const DEPTH_OF_FIELD_FOCUS_DEFAULTS: Readonly<IDepthOfFieldFocusOptions> = Object.freeze({
    ...FOCUS_EFFECT_DEFAULTS,
    enableDepthOfField: true,
    easeTimeMs: 300,
    restWithoutFocus: true,
    minDistance: 0.3,
});

/**
 * Eases a DefaultRenderingPipeline's depth-of-field focus distance to the focus target, like a
 * camera operator pulling focus. The distance is the target's depth along the camera's view
 * axis (what the circle-of-confusion shader compares against), in scene units x 1000.
 */
export class DepthOfFieldFocusEffect extends FocusEffect<IDepthOfFieldFocusOptions> {
    private _pipeline: DefaultRenderingPipeline | null = null;
    private _savedFocusDistance = 0;
    private _savedDepthOfFieldEnabled = false;
    private _changedEnabled = false;
    private readonly _center = new Vector3();
    private readonly _forward = new Vector3();
    private readonly _localForward = new Vector3(0, 0, 1);

    constructor(source: IAttentionSource, options: Partial<IDepthOfFieldFocusOptions> = {}) {
        super(source, { ...DEPTH_OF_FIELD_FOCUS_DEFAULTS, ...options });
        this._start();
    }

    /** The pipeline being driven, or null (disabled, or no pipeline found). */
    public get pipeline(): DefaultRenderingPipeline | null {
        return this._pipeline;
    }

    /** Focus distance the effect eases toward now, in millimetres (scene units x 1000); NaN when idle. */
    public get targetFocusDistance(): number {
        return this._computeTarget();
    }

    protected _onEnable(): void {
        let pipeline = this.options.pipeline ?? null;
        if (!pipeline) {
            // supportedPipelines builds a fresh array: looked up here, never per frame.
            for (const candidate of this._scene.postProcessRenderPipelineManager.supportedPipelines) {
                if (candidate instanceof DefaultRenderingPipeline) {
                    pipeline = candidate;
                    break;
                }
            }
        }
        this._pipeline = pipeline;
        if (!pipeline) {
            return;
        }
        this._savedFocusDistance = pipeline.depthOfField.focusDistance;
        this._savedDepthOfFieldEnabled = pipeline.depthOfFieldEnabled;
        this._changedEnabled = this.options.enableDepthOfField && !pipeline.depthOfFieldEnabled;
        if (this._changedEnabled) {
            // Rebuilds the pipeline's post-processes: done on enable only, never per frame.
            pipeline.depthOfFieldEnabled = true;
        }
    }

    protected _onDisable(): void {
        const pipeline = this._pipeline;
        this._pipeline = null;
        if (!pipeline) {
            return;
        }
        pipeline.depthOfField.focusDistance = this._savedFocusDistance;
        if (this._changedEnabled) {
            pipeline.depthOfFieldEnabled = this._savedDepthOfFieldEnabled;
        }
        this._changedEnabled = false;
    }

    protected _onFrame(dtMs: number): void {
        const pipeline = this._pipeline;
        if (!pipeline) {
            return;
        }
        const target = this._computeTarget();
        if (!(target > 0)) {
            return;
        }
        const current = pipeline.depthOfField.focusDistance;
        // Ease in log-distance: a pull from 1 m to 50 m spends as long near the camera, where
        // blur changes fastest, as far away, instead of leaping through the near range.
        const k = easeFactor(dtMs, this.options.easeTimeMs);
        const eased = current > 0 ? Math.exp(Math.log(current) + (Math.log(target) - Math.log(current)) * k) : target;
        pipeline.depthOfField.focusDistance = eased;
    }

    private _computeTarget(): number {
        const pipeline = this._pipeline;
        const camera = this._scene.activeCamera;
        if (!pipeline || !camera) {
            return NaN;
        }
        const node = this._liveFocus();
        if (!node) {
            return this.options.restWithoutFocus ? this._savedFocusDistance : NaN;
        }
        getNodeCenterToRef(node, this._center);
        this._localForward.z = this._scene.useRightHandedSystem ? -1 : 1;
        camera.getDirectionToRef(this._localForward, this._forward);
        const depth = this._center.subtractInPlace(camera.globalPosition).dot(this._forward);
        // The CoC shader divides by (focusDistance - focalLength): stay clear of that pole.
        const floor = Math.max(this.options.minDistance * 1000, pipeline.depthOfField.focalLength + 1);
        return Math.max(depth * 1000, floor);
    }
}

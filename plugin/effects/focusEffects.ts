import type { IAttentionSource } from "./attentionSource.js";
import { CameraAssistEffect, type ICameraAssistOptions } from "./cameraAssistEffect.js";
import { DepthOfFieldFocusEffect, type IDepthOfFieldFocusOptions } from "./depthOfFieldFocusEffect.js";
import { FocusHighlightEffect, type IFocusHighlightOptions } from "./focusHighlightEffect.js";
import { GuidanceHintEffect, type IGuidanceHintOptions } from "./guidanceHintEffect.js";

/** Options of {@link FocusEffects}: per effect, its options, or false to not create it. */
export interface IFocusEffectsOptions {
    /** @default {} (created, enabled) */
    highlight?: Partial<IFocusHighlightOptions> | false;
    /** @default {} (created, enabled; idles without a DefaultRenderingPipeline) */
    depthOfField?: Partial<IDepthOfFieldFocusOptions> | false;
    /** @default {} (created, disabled: camera assist is opt-in) */
    cameraAssist?: Partial<ICameraAssistOptions> | false;
    /** @default {} (created, enabled, headless unless a `view` is given) */
    guidanceHint?: Partial<IGuidanceHintOptions> | false;
    /** Clock for every effect unless an effect's own options set one. ms @default performance.now */
    clock?: () => number;
}

/**
 * The four scene focus effects over one attention source, each still enabled, tuned and
 * disposed on its own. Pulls in no GUI code: the guidance hint draws only through the view
 * passed in its options.
 */
export class FocusEffects {
    public readonly highlight: FocusHighlightEffect | null;
    public readonly depthOfField: DepthOfFieldFocusEffect | null;
    public readonly cameraAssist: CameraAssistEffect | null;
    public readonly guidanceHint: GuidanceHintEffect | null;

    constructor(source: IAttentionSource, options: IFocusEffectsOptions = {}) {
        const clock = options.clock ? { clock: options.clock } : {};
        this.highlight = options.highlight === false ? null : new FocusHighlightEffect(source, { ...clock, ...options.highlight });
        this.depthOfField = options.depthOfField === false ? null : new DepthOfFieldFocusEffect(source, { ...clock, ...options.depthOfField });
        this.cameraAssist = options.cameraAssist === false ? null : new CameraAssistEffect(source, { ...clock, ...options.cameraAssist });
        this.guidanceHint = options.guidanceHint === false ? null : new GuidanceHintEffect(source, { ...clock, ...options.guidanceHint });
    }

    /** Disposes every effect (each restores what it changed). Safe to call twice. */
    public dispose(): void {
        this.guidanceHint?.dispose();
        this.cameraAssist?.dispose();
        this.depthOfField?.dispose();
        this.highlight?.dispose();
    }
}

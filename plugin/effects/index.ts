// Scene focus effects. GUI-free: the Babylon GUI drawing of hints lives in
// ./guidanceHintGuiView (imports @babylonjs/gui), exported separately; the layer drawing
// below needs only the core.
export type { IAttentionSource } from "./attentionSource.js";
export { FocusEffect, FOCUS_EFFECT_DEFAULTS, type IFocusEffectOptions } from "./focusEffect.js";
export { FocusHighlightEffect, FOCUS_HIGHLIGHT_DEFAULTS, type FocusHighlightStyle, type IFocusHighlightOptions } from "./focusHighlightEffect.js";
export { DepthOfFieldFocusEffect, DEPTH_OF_FIELD_FOCUS_DEFAULTS, type IDepthOfFieldFocusOptions } from "./depthOfFieldFocusEffect.js";
export { CameraAssistEffect, CAMERA_ASSIST_DEFAULTS, type ICameraAssistOptions } from "./cameraAssistEffect.js";
export {
    GuidanceHintEffect,
    GUIDANCE_HINT_DEFAULTS,
    type IGuidanceHintOptions,
    type IGuidanceHintState,
    type IGuidanceHintView,
} from "./guidanceHintEffect.js";
export { LayerGuidanceHintView, LAYER_GUIDANCE_HINT_VIEW_DEFAULTS, type ILayerGuidanceHintViewOptions, type IScreenRect } from "./guidanceHintLayerView.js";
export { FocusEffects, type IFocusEffectsOptions } from "./focusEffects.js";

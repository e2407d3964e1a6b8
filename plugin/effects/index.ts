// Scene focus effects. GUI-free: the Babylon GUI drawing of hints lives in
// ./guidanceHintGuiView (imports @babylonjs/gui), exported separately.
export type { IAttentionSource } from "./attentionSource";
export { FocusEffect, FOCUS_EFFECT_DEFAULTS, type IFocusEffectOptions } from "./focusEffect";
export { FocusHighlightEffect, FOCUS_HIGHLIGHT_DEFAULTS, type IFocusHighlightOptions } from "./focusHighlightEffect";
export { DepthOfFieldFocusEffect, DEPTH_OF_FIELD_FOCUS_DEFAULTS, type IDepthOfFieldFocusOptions } from "./depthOfFieldFocusEffect";
export { CameraAssistEffect, CAMERA_ASSIST_DEFAULTS, type ICameraAssistOptions } from "./cameraAssistEffect";
export {
    GuidanceHintEffect,
    GUIDANCE_HINT_DEFAULTS,
    type IGuidanceHintOptions,
    type IGuidanceHintState,
    type IGuidanceHintView,
} from "./guidanceHintEffect";
export { FocusEffects, type IFocusEffectsOptions } from "./focusEffects";

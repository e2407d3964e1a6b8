// The public surface of babylon-attention. Optional heavy parts (navigation, inspector) are
// subpath exports so that importing this entry pulls in neither recast nor React.

// Plugin and targets
export { AttentionPlugin, type IAttentionNavigatorLike, type IFocusChange } from "./attentionPlugin";
export type { IAttentionPluginOptions, OcclusionMode } from "./attentionPluginOptions";
export { AttentionTargetBehavior } from "./attentionTargetBehavior";
export { TARGET_KINDS, type IAttentionEvent, type IRanking, type IRankingEntry, type IScoreBreakdown, type ITargetOptions, type TargetKind } from "./attentionTypes";

// Signals
export { CameraGazeProvider } from "./signals/cameraGazeProvider";
export { PointerGazeProvider } from "./signals/pointerGazeProvider";
export { XREyeGazeProvider } from "./signals/xrEyeGazeProvider";
export { FallbackGazeProvider } from "./signals/fallbackGazeProvider";
export { ObservableGazeProvider } from "./signals/observableGazeProvider";
export { fromBabylonObservable } from "./signals/fromBabylonObservable";
export type { IGazeProvider, IGazeSample, IVec3 } from "./signals/gazeSample";

// Features
export { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "./features/featureSchema";
export { DEFAULT_FEATURE_OPTIONS, type IFeatureOptions } from "./features/featureOptions";
export { BoxOccluders } from "./features/boxOccluders";
export { DEFAULT_OCCLUSION_BUDGET, type IOcclusionBudget } from "./features/occlusionScheduler";
export { DEFAULT_REFRESH_OPTIONS, type IRefreshOptions } from "./features/refreshPlanner";
export type { IOcclusionTester } from "./features/occlusionTester";

// Scoring and ranking
export { DEFAULT_WEIGHTS, WEIGHT_NAMES, validateWeights, type IAttentionWeights } from "./model/attentionWeights";
export { HeuristicScorer } from "./model/heuristicScorer";
export type { IAttentionScorer, IScorerInput, IScorerOutput, ScorerBackend } from "./model/scorer";
export { createScorerAsync, type BackendPreference, type ICreateScorerOptions } from "./model/backendSelection";
export type { IBackendChoice, IBackendTiming } from "./model/backendChoice";
export { OnnxScorer, type IOnnxScorerOptions } from "./model/onnxScorer";
export { OnnxModelError } from "./model/onnxModelError";
export type { ModelSource } from "./model/onnxRuntime";
export { DEFAULT_MODEL_LOAD_OPTIONS, readModelBytesAsync, type IModelLoadOptions } from "./model/modelDownload";
export { PACKAGED_MODEL_SHA256 } from "./model/packagedModelHash";
export { defaultModelUrl } from "./model/defaultModel";
export { DEFAULT_FOCUS_HYSTERESIS, type FocusChangeReason, type IFocusHysteresis } from "./ranking/focusSelector";

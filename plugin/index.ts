// The public surface of babylon-attention. Optional heavy parts (navigation, inspector) are
// subpath exports so that importing this entry pulls in neither recast nor React.

// Plugin and targets
export { AttentionPlugin, type IAttentionNavigatorLike, type IFocusChange } from "./attentionPlugin.js";
export { PLUGIN_NUMBER_RANGES, type IAttentionPluginOptions, type IPluginNumbers, type OcclusionMode } from "./attentionPluginOptions.js";
export { checkNumber, describeRange, type INumberRange, type OptionRanges } from "./optionRanges.js";
export { AttentionTargetBehavior } from "./attentionTargetBehavior.js";
export { TARGET_KINDS, type IAttentionEvent, type IRanking, type IRankingEntry, type IScoreBreakdown, type ITargetOptions, type TargetKind } from "./attentionTypes.js";

// Signals
export { CameraGazeProvider } from "./signals/cameraGazeProvider.js";
export { PointerGazeProvider } from "./signals/pointerGazeProvider.js";
export { XREyeGazeProvider } from "./signals/xrEyeGazeProvider.js";
export { FallbackGazeProvider } from "./signals/fallbackGazeProvider.js";
export { ObservableGazeProvider } from "./signals/observableGazeProvider.js";
export { fromBabylonObservable } from "./signals/fromBabylonObservable.js";
export type { IGazeProvider, IGazeSample, IVec3 } from "./signals/gazeSample.js";

// Features
export { CONTEXT_COUNT, CONTEXT_NAMES, FEATURE_COUNT, FEATURE_NAMES, FEATURE_SCHEMA_VERSION } from "./features/featureSchema.js";
export { DEFAULT_FEATURE_OPTIONS, FEATURE_OPTION_RANGES, type IFeatureOptions } from "./features/featureOptions.js";
export { BoxOccluders, type IPoint3 } from "./features/boxOccluders.js";
export { DEFAULT_OCCLUSION_BUDGET, OCCLUSION_BUDGET_RANGES, type IOcclusionBudget } from "./features/occlusionScheduler.js";
export { DEFAULT_REFRESH_OPTIONS, REFRESH_OPTION_RANGES, type IRefreshOptions } from "./features/refreshPlanner.js";
export type { IOcclusionTester } from "./features/occlusionTester.js";

// Scoring and ranking
export { DEFAULT_WEIGHTS, WEIGHT_NAMES, WEIGHT_RANGES, validateWeights, type IAttentionWeights, type WeightName } from "./model/attentionWeights.js";
export { HeuristicScorer } from "./model/heuristicScorer.js";
export type { IAttentionScorer, IScorerInput, IScorerOutput, ScorerBackend } from "./model/scorer.js";
export { createScorerAsync, type BackendPreference, type IBackendFailure, type ICreateScorerOptions, type ICreateScorerResult } from "./model/backendSelection.js";
export type { IBackendChoice, IBackendTiming } from "./model/backendChoice.js";
export { OnnxScorer, type IOnnxScorerOptions, type IOnnxRunStats } from "./model/onnxScorer.js";
export type { RunHandOver } from "./model/modelRunner.js";
export { OnnxModelError, type OnnxModelErrorKind } from "./model/onnxModelError.js";
export type { IModelIoSpec } from "./model/modelManifest.js";
export type { IWasmProxyState, WasmProxyPreference, WorkerTransport } from "./model/wasmProxy.js";
export type { ModelSource, OrtBuild } from "./model/onnxRuntime.js";
export { DEFAULT_MODEL_LOAD_OPTIONS, readModelBytesAsync, type IModelLoadOptions } from "./model/modelDownload.js";
export { PACKAGED_MODEL_SHA256 } from "./model/packagedModelHash.js";
export { defaultModelUrl } from "./model/defaultModel.js";
export { DEFAULT_FOCUS_HYSTERESIS, FOCUS_HYSTERESIS_RANGES, type FocusChangeReason, type IFocusHysteresis } from "./ranking/focusSelector.js";

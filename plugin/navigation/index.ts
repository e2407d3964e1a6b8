// Auto-navigation: a subpath export ("babylon-attention/navigation") so that importing the
// plugin's main entry never pulls in recast-navigation or Babylon's addons.

// The navigator
export { AttentionNavigator, type IAttentionNavigatorOptions } from "./attentionNavigator.js";

// States, options and their defaults
export {
    DEFAULT_CHARACTER_OPTIONS,
    DEFAULT_NAVIGATOR_TUNING,
    type IFocusLike,
    type INavigatorCharacterOptions,
    type INavigatorTuning,
    type IPlannedPath,
    type NavigationEndState,
    type NavigationFailureReason,
    type NavigationState,
    type NavigationStateName,
    type NavigationTarget,
} from "./navigationTypes.js";
export { DEFAULT_CANCEL_KEYS } from "./inputCancelWatcher.js";

// Building blocks, for custom set-ups
export { LoadRecastAsync } from "./recastLoader.js";
export { BuildNavMeshAsync, NavMeshParametersForAgent, type INavMeshAgentSize, type NavMeshBuildResult } from "./navMeshBuilder.js";
export { FollowFocus } from "./followFocus.js";

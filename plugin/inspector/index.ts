// babylon-attention/inspector: the Inspector V2 "Attention" pane and property-grid tunables.
// This subpath imports @babylonjs/inspector and React; the main entry imports neither.

export { ShowAttentionInspector, type IShowAttentionInspectorOptions } from "./showAttentionInspector.js";
export { CreateAttentionPaneServiceDefinition, ATTENTION_PANE_KEY, type IAttentionPaneServiceOptions } from "./attentionPaneService.js";
export { AttentionPane, type IAttentionPaneProps } from "./attentionPane.js";
export { RankingList, SIGNAL_COLOURS } from "./rankingList.js";
export {
    applyAttentionInspectableProperties,
    ATTENTION_BACKEND_PROPERTY,
    ATTENTION_LAST_ERROR_PROPERTY,
    ATTENTION_WEIGHTS_JSON_PROPERTY,
    type IAttentionInspectableHandle,
    type IAttentionInspectableSource,
    type IAttentionPropertyRejection,
    type IInspectableHost,
} from "./attentionInspectableProperties.js";
export {
    createAttentionTunables,
    tryApplyTunable,
    type AttentionTunable,
    type IBooleanTunable,
    type INumberTunable,
    type IAttentionTunableTarget,
    type IFocusEffectsTunableTarget,
    type TunableGroup,
} from "./attentionTunables.js";
export { applyWeightsJson, copyWeightsJsonAsync, downloadWeightsJson, WEIGHTS_FILE_NAME, type IWeightsJsonTarget } from "./weightsJson.js";
export type { IInspectorDisposable, IShellConsumerServiceDefinition, ISidePaneDefinition, IShellServiceLike } from "./inspectorApi.js";

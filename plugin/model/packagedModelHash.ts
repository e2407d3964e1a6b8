// Written with models/attention-ranker.onnx by `npm run train` and `npm run build:model` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "d1578c89cf659b24189961f1cf4ca079318c5e6c94b5af57d3163d59f76ce114";

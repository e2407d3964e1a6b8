// Written with models/attention-ranker.onnx by `npm run train` and `npm run build:model` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "890bb48ab38585343147a887a43c273c40592f8b0b5c54da97c10466dfa702eb";

// Written with models/attention-ranker.onnx by `npm run train` and `npm run build:model` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "f08e1789da94a3dab48f78cb87c35dc1cc63437b1d0ad20363bc82da20aabae4";

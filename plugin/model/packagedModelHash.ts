// Written with models/attention-ranker.onnx by `npm run train` and `npm run build:model` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "42d04d6ab6560107ca4422fc88d47e1ae6e3b3fbbef7925737c6d7d9580551ba";

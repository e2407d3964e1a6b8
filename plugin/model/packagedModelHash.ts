// Written by `npm run build:model` (models/buildModel.ts) with models/attention-ranker.onnx.
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "640babc3b2d5821f07acab68ae34fb16667630021ab9d5ef0f91602691383207";

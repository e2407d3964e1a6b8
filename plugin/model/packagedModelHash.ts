// Written with models/attention-ranker.onnx by `npm run train` and `npm run build:model` (models/buildModel.ts).
/** SHA-256 of the packaged models/attention-ranker.onnx: the plugin checks the default model against it. */
export const PACKAGED_MODEL_SHA256 = "b65cc1672b89dd5428f56cfddd91bbd9769ec90c004d0c121ac2d58e1ef1ed7d";

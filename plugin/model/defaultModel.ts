/**
 * Where the packaged attention model lives: models/attention-ranker.onnx at the package root.
 * `new URL(..., import.meta.url)` lets bundlers (Vite, webpack 5, esbuild) emit the file as an
 * asset, and in Node it resolves to a file:// URL that the model loader reads from disk.
 */
export function defaultModelUrl(): string {
    return new URL("../../models/attention-ranker.onnx", import.meta.url).href;
}

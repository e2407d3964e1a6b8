/**
 * The probe worker of `wasmProxy.ts`: it answers at once, which proves that this page may start
 * a same-origin module worker (its Content-Security-Policy allows it, the bundler emitted it).
 * Nothing else: onnxruntime-web's own worker is its module file, started only once this answers.
 */
(self as unknown as { postMessage(message: unknown): void }).postMessage("ready");

export {};

/**
 * Watches onnxruntime-web's proxy worker from the page: imported before onnxruntime loads, it
 * wraps the page's `Worker` constructor so the worker named "ort-wasm-proxy-worker" is counted
 * and timed. Two timestamps bound the main thread's part of a proxied run: just after the run's
 * inputs were posted (the structured clone happens inside postMessage), and just before
 * onnxruntime's own message handler sees the result (this listener is added first, so it runs
 * first in the same task). Test pages only: the plugin never touches `Worker`.
 */
const ORT_PROXY_WORKER_NAME = "ort-wasm-proxy-worker";

export interface IProxyWorkerMeter {
    /** onnxruntime proxy workers created on this page. */
    readonly workers: number;
    /** Messages from the worker: one per run, session creation and release. */
    readonly messages: number;
    /** performance.now() just after the last message was posted to the worker. */
    readonly lastPostedMs: number;
    /** performance.now() when the last message from the worker was dispatched, before onnxruntime read it. */
    readonly lastArrivedMs: number;
}

const meter = { workers: 0, messages: 0, lastPostedMs: -1, lastArrivedMs: -1 };

const PageWorker = globalThis.Worker;
if (typeof PageWorker === "function") {
    class MeteredWorker extends PageWorker {
        private readonly _isOrtProxy: boolean;

        public constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            this._isOrtProxy = options?.name === ORT_PROXY_WORKER_NAME;
            if (this._isOrtProxy) {
                meter.workers++;
                this.addEventListener("message", () => {
                    meter.lastArrivedMs = performance.now();
                    meter.messages++;
                });
            }
        }

        public override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
            super.postMessage(message, transfer as Transferable[]);
            if (this._isOrtProxy) {
                meter.lastPostedMs = performance.now();
            }
        }
    }
    globalThis.Worker = MeteredWorker;
}

export const proxyWorkerMeter: IProxyWorkerMeter = meter;

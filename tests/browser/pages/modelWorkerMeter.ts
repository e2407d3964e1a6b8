/**
 * Watches the plugin's model worker from the page: imported before the plugin starts one, it
 * wraps the page's `Worker` constructor so the worker named `ONNX_WORKER_NAME` is counted and
 * timed. Two timestamps bound the main thread's part of a run in the worker: just after the run's
 * buffer was posted, and just before the plugin's own message handler sees the result (this
 * listener is added in the constructor, before the plugin sets `onmessage`, so it runs first in
 * the same task). Test pages only: the plugin never touches `Worker`'s prototype.
 */
import { ONNX_WORKER_NAME } from "../../../plugin/model/onnxWorkerProtocol.js";

export interface IProxyWorkerMeter {
    /** Model workers created on this page. */
    readonly workers: number;
    /** Messages from the worker: one per run, plus "loaded" and "ready". */
    readonly messages: number;
    /** performance.now() just after the last message was posted to the worker. */
    readonly lastPostedMs: number;
    /** performance.now() when the last message from the worker was dispatched, before the plugin read it. */
    readonly lastArrivedMs: number;
}

const meter = { workers: 0, messages: 0, lastPostedMs: -1, lastArrivedMs: -1 };

const PageWorker = globalThis.Worker;
if (typeof PageWorker === "function") {
    class MeteredWorker extends PageWorker {
        private readonly _isModelWorker: boolean;

        public constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            this._isModelWorker = options?.name === ONNX_WORKER_NAME;
            if (this._isModelWorker) {
                meter.workers++;
                this.addEventListener("message", () => {
                    meter.lastArrivedMs = performance.now();
                    meter.messages++;
                });
            }
        }

        public override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
            super.postMessage(message, transfer as Transferable[]);
            if (this._isModelWorker) {
                meter.lastPostedMs = performance.now();
            }
        }
    }
    globalThis.Worker = MeteredWorker;
}

export const modelWorkerMeter: IProxyWorkerMeter = meter;

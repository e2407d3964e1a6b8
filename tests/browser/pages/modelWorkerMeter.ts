/**
 * Watches the plugin's model worker from the page: imported before the plugin starts one, it
 * wraps the page's `Worker` constructor so the worker named `ONNX_WORKER_NAME` is counted and
 * timed, and `Atomics.add`, `Atomics.notify`, `Atomics.load` and `Atomics.waitAsync` so runs through shared
 * memory are seen too. Two timestamps bound the main thread's part of a run in the worker:
 * - just after the run was handed over: the buffer posted (message transport), or the control
 *   block's `seq` bumped and, if the worker was asleep, notified (shared memory);
 * - just before the plugin's own code sees the result: the worker's message dispatched (this
 *   listener is added in the constructor, before the plugin sets `onmessage`, so it runs first in
 *   the same task). Through shared memory the plugin sees a result by reading `done`, so this
 *   counts those reads that find it moved, and every `Atomics.waitAsync` on it (the render loop
 *   makes none).
 * Test pages only: the plugin never touches `Worker`'s prototype or `Atomics`.
 *
 * `?meter=workers` leaves `Atomics` alone and counts only the worker and its messages: for
 * timing runs through shared memory, where the wrappers' own work (a timestamp, a WeakMap) would
 * sit inside the spans being timed, and the wrapped calls may keep V8 from inlining the plugin's
 * atomic operations.
 */
import { ONNX_WORKER_NAME, SHARED_CONTROL } from "../../../plugin/model/onnxWorkerProtocol.js";

export interface IProxyWorkerMeter {
    /** Model workers created on this page. */
    readonly workers: number;
    /** Messages from the worker: one per run on the message transport, plus "loaded" and "ready". */
    readonly messages: number;
    /** Run results that reached the main thread as messages (message transport). */
    readonly resultsByMessage: number;
    /** Run results that reached the main thread through shared memory (a read of `done` found it moved). */
    readonly resultsBySharedMemory: number;
    /** `Atomics.waitAsync` calls on the control block's `done`: made only for callers that await a run. */
    readonly waitsOnDone: number;
    /** performance.now() just after the last run was handed to the worker. */
    readonly lastPostedMs: number;
    /** performance.now() when the last result from the worker reached the main thread, before the plugin read it. */
    readonly lastArrivedMs: number;
    /** Whether `Atomics` is wrapped: false with `?meter=workers`, and then the shared-memory counts and stamps stay at their start. */
    readonly metersAtomics: boolean;
    /** Runs announced through shared memory (`Atomics.add` on the control block's `seq`). */
    readonly runsAnnounced: number;
    /** `Atomics.notify` calls on the control block's `seq`: wake-ups of the worker. */
    readonly seqNotifies: number;
}

const metersAtomics = new URLSearchParams(location.search).get("meter") !== "workers";
const meter = { metersAtomics, workers: 0, messages: 0, resultsByMessage: 0, resultsBySharedMemory: 0, waitsOnDone: 0, lastPostedMs: -1, lastArrivedMs: -1, runsAnnounced: 0, seqNotifies: 0 };

const PageWorker = globalThis.Worker;
if (typeof PageWorker === "function") {
    class MeteredWorker extends PageWorker {
        private readonly _isModelWorker: boolean;

        public constructor(url: string | URL, options?: WorkerOptions) {
            super(url, options);
            this._isModelWorker = options?.name === ONNX_WORKER_NAME;
            if (this._isModelWorker) {
                meter.workers++;
                this.addEventListener("message", (e: MessageEvent) => {
                    meter.lastArrivedMs = performance.now();
                    meter.messages++;
                    if (e.data instanceof ArrayBuffer) {
                        meter.resultsByMessage++;
                    }
                });
            }
        }

        public override postMessage(message: unknown, transfer?: Transferable[] | StructuredSerializeOptions): void {
            super.postMessage(message, transfer as Transferable[]);
            if (this._isModelWorker && message instanceof ArrayBuffer) {
                meter.lastPostedMs = performance.now();
            }
        }
    }
    globalThis.Worker = MeteredWorker;
}

interface IPageAtomics {
    add(array: Int32Array, index: number, value: number): number;
    notify(array: Int32Array, index: number, count?: number): number;
    load(array: Int32Array, index: number): number;
    waitAsync?(array: Int32Array, index: number, value: number, timeout?: number): { async: boolean; value: unknown };
}

/** The plugin's control block, told from onnxruntime's own use of Atomics by its length. */
function isControlBlock(array: Int32Array): boolean {
    return array.length === SHARED_CONTROL.length && array.buffer instanceof SharedArrayBuffer;
}

function meterAtomics(): void {
    const pageAtomics = Atomics as unknown as IPageAtomics;
    const add = pageAtomics.add;
    const notify = pageAtomics.notify;
    const load = pageAtomics.load;
    const waitAsync = pageAtomics.waitAsync;
    /** `done` as the plugin last read it, per control block. */
    const doneSeen = new WeakMap<ArrayBufferLike, number>();
    pageAtomics.add = (array, index, value) => {
        const previous = add.call(Atomics, array, index, value);
        if (index === SHARED_CONTROL.seq && isControlBlock(array)) {
            meter.runsAnnounced++;
            meter.lastPostedMs = performance.now();
        }
        return previous;
    };
    pageAtomics.notify = (array, index, count) => {
        const woken = notify.call(Atomics, array, index, count);
        if (index === SHARED_CONTROL.seq && isControlBlock(array)) {
            meter.seqNotifies++;
            meter.lastPostedMs = performance.now();
        }
        return woken;
    };
    pageAtomics.load = (array, index) => {
        const value = load.call(Atomics, array, index);
        if (index === SHARED_CONTROL.done && array instanceof Int32Array && isControlBlock(array)) {
            if (value !== (doneSeen.get(array.buffer) ?? 0)) {
                meter.lastArrivedMs = performance.now();
                meter.resultsBySharedMemory++;
            }
            doneSeen.set(array.buffer, value);
        }
        return value;
    };
    if (waitAsync) {
        pageAtomics.waitAsync = (array, index, value, timeout) => {
            if (index === SHARED_CONTROL.done && isControlBlock(array)) {
                meter.waitsOnDone++;
            }
            return waitAsync.call(Atomics, array, index, value, timeout);
        };
    }
}

if (metersAtomics) {
    meterAtomics();
}

export const modelWorkerMeter: IProxyWorkerMeter = meter;

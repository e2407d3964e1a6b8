import { afterEach, describe, expect, it, vi } from "vitest";
import { bucketLayout, bucketSizeOf } from "../../plugin/model/bucketLayout";
import { OnnxModelError } from "../../plugin/model/onnxModelError";
import { SHARED_CONTROL, STAMP_WRAP_US, type MainToWorkerMessage } from "../../plugin/model/onnxWorkerProtocol";
import { sharedMemoryUnavailableReason } from "../../plugin/model/sharedRunChannel";
import { OnnxWorkerSession } from "../../plugin/model/workerSession";

// The main thread's side of model runs through shared memory, in Node: the model worker is a
// stand-in on this thread that answers through the same control block as the real one
// (tests/browser/model.test.ts runs the real worker in Chromium).

afterEach(() => {
    vi.unstubAllGlobals();
    vi.restoreAllMocks();
});

/** A model worker that has loaded; the test reads what was posted to it and answers for it. */
class FakeWorker {
    public static last: FakeWorker | null = null;
    public readonly posted: MainToWorkerMessage[] = [];
    public onmessage: ((e: { data: unknown }) => void) | null = null;
    public onerror: ((e: { message: string; preventDefault(): void }) => void) | null = null;
    public onmessageerror: (() => void) | null = null;
    public terminated = false;

    public constructor() {
        FakeWorker.last = this;
        setTimeout(() => this.answer({ type: "loaded" }), 1);
    }

    public postMessage(message: MainToWorkerMessage): void {
        this.posted.push(message);
    }

    public terminate(): void {
        this.terminated = true;
    }

    public answer(data: unknown): void {
        this.onmessage?.({ data });
    }
}

/** A page with `Worker` (the fake), isolated or not. */
async function startSessionAsync(crossOriginIsolated: boolean): Promise<{ session: OnnxWorkerSession; worker: FakeWorker }> {
    vi.stubGlobal("document", { baseURI: "http://localhost/", addEventListener: () => undefined, removeEventListener: () => undefined });
    vi.stubGlobal("Worker", FakeWorker);
    vi.stubGlobal("crossOriginIsolated", crossOriginIsolated);
    const session = await OnnxWorkerSession.StartAsync();
    if (typeof session === "string") {
        throw new Error(session);
    }
    const worker = FakeWorker.last!;
    const created = session.createSessionAsync(new Uint8Array(4), { build: "wasm", wasmPaths: undefined, numThreads: 1, inputNames: ["features", "mask", "context", "weights"] });
    worker.answer({ type: "ready", io: { inputNames: [], outputNames: [] } });
    await created;
    return { session, worker };
}

/** What the real worker does for an announced run, here: each output row is the first input's value plus its row. */
function answerRun(control: Int32Array, buffers: ReadonlyMap<number, Float32Array>): number {
    const size = Atomics.load(control, SHARED_CONTROL.size);
    const data = buffers.get(size)!;
    const layout = bucketLayout(size);
    for (const [o, offset] of layout.outputs.entries()) {
        for (let i = 0; i < size; i++) {
            data[offset + i] = data[0] + o * 100 + i;
        }
    }
    Atomics.add(control, SHARED_CONTROL.done, 1);
    Atomics.notify(control, SHARED_CONTROL.done);
    return size;
}

/** The control block and the buckets' buffers the worker was given. */
function sharedOf(worker: FakeWorker): { control: Int32Array; buffers: Map<number, Float32Array> } {
    const init = worker.posted.find((m): m is Extract<MainToWorkerMessage, { type: "init" }> => !(m instanceof ArrayBuffer) && m.type === "init")!;
    const buffers = new Map<number, Float32Array>();
    for (const m of worker.posted) {
        if (!(m instanceof ArrayBuffer) && m.type === "bucket") {
            const data = new Float32Array(m.buffer);
            buffers.set(bucketSizeOf(data.length), data);
        }
    }
    return { control: new Int32Array(init.control!), buffers };
}

/** Lets the tasks queued so far run: `start` hands its run to the worker in one of them. */
function nextTaskAsync(): Promise<void> {
    return new Promise((resolve) => setTimeout(resolve, 0));
}

/** True once `promise` has settled, after the tasks queued so far have run. */
async function hasSettled(promise: Promise<unknown>): Promise<boolean> {
    let settled = false;
    promise.then(
        () => (settled = true),
        () => (settled = true),
    );
    await new Promise((resolve) => setTimeout(resolve, 5));
    return settled;
}

describe("model runs through shared memory", () => {
    it("needs a cross-origin-isolated page with SharedArrayBuffer and Atomics.waitAsync, and says which is missing", () => {
        vi.stubGlobal("crossOriginIsolated", undefined);
        expect(sharedMemoryUnavailableReason()).toBe(
            "the page is not cross-origin isolated (serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp)",
        );
        vi.stubGlobal("crossOriginIsolated", true);
        expect(sharedMemoryUnavailableReason()).toBeNull();
        vi.stubGlobal("Atomics", Object.create(Atomics, { waitAsync: { value: undefined } }));
        expect(sharedMemoryUnavailableReason()).toBe("this browser has no Atomics.waitAsync");
    });

    it("on an isolated page, hands the worker a control block and each bucket's buffer once, and posts nothing per run", async () => {
        const { session, worker } = await startSessionAsync(true);
        expect(session.transport).toBe("shared-memory");
        expect(session.sharedMemoryUnavailable).toBeNull();
        const data = session.bufferFor(8);
        expect(session.bufferFor(8)).toBe(data);
        const { control, buffers } = sharedOf(worker);
        expect(data.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(buffers.get(8)?.buffer).toBe(data.buffer);
        const postedBeforeRuns = worker.posted.length;

        for (const first of [3, 4]) {
            data[0] = first;
            const run = session.runAsync(8);
            // Announced, and waiting for the worker.
            expect(Atomics.load(control, SHARED_CONTROL.size)).toBe(8);
            expect(await hasSettled(run)).toBe(false);
            answerRun(control, buffers);
            await run;
            const layout = bucketLayout(8);
            expect(data[layout.outputs[0]]).toBe(first);
            expect(data[layout.outputs[3] + 7]).toBe(first + 307);
        }
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(2);
        expect(worker.posted).toHaveLength(postedBeforeRuns);
        session.release();
    });

    it("starts a run without waiting on it, and a later poll takes its outputs, stamped with when the worker ended it", async () => {
        const { session, worker } = await startSessionAsync(true);
        const data = session.bufferFor(8);
        const { control, buffers } = sharedOf(worker);
        const waitAsync = vi.spyOn(Atomics as unknown as { waitAsync: (...args: unknown[]) => unknown }, "waitAsync");
        data[0] = 5;
        session.start(8);
        expect(() => session.start(8)).toThrow(/already running a bucket/);
        expect(session.poll()).toBe(false);
        await nextTaskAsync();
        // The worker stamps its clock as it ends the run; this thread reads it on its own clock.
        const endedAt = performance.now();
        Atomics.store(control, SHARED_CONTROL.endedAtUs, Math.floor((performance.timeOrigin + endedAt) * 1000) % STAMP_WRAP_US);
        answerRun(control, buffers);
        await new Promise((resolve) => setTimeout(resolve, 20));
        expect(session.poll()).toBe(true);
        expect(session.poll()).toBe(false); // taken once
        expect(data[bucketLayout(8).outputs[0]]).toBe(5);
        expect(Math.abs(session.endedAtMs - endedAt)).toBeLessThan(0.01);
        expect(waitAsync).not.toHaveBeenCalled();
        // A caller that does wait gets a wait on `done`; with no run in flight, nothing to wait for.
        await session.whenRunEndsAsync();
        session.start(8);
        const ended = session.whenRunEndsAsync();
        expect(waitAsync).toHaveBeenCalledTimes(1);
        answerRun(control, buffers);
        await ended;
        expect(session.poll()).toBe(true);
        session.release();
    });

    it("hands a started run to the worker in a task after the caller's, or at once for a caller that waits", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        const { control, buffers } = sharedOf(worker);
        // Waking the worker is left out of the caller's task (the render loop's frame).
        session.start(8);
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(0);
        expect(session.poll()).toBe(false);
        await expect(session.runAsync(8)).rejects.toThrow(/already running a bucket/);
        expect(() => session.start(8)).toThrow(/already running a bucket/);
        // The caller's task goes on for a while (the rest of a frame): the run waits that long,
        // and says so, so that the scorer does not charge the wait to the run.
        const busyUntil = performance.now() + 20;
        while (performance.now() < busyUntil) {
            // the rest of the caller's task
        }
        await nextTaskAsync();
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(1);
        expect(session.handOverDelayMs).toBeGreaterThanOrEqual(20);
        answerRun(control, buffers);
        expect(session.poll()).toBe(true);
        // A caller that waits for the run gets it handed over at once.
        session.start(8);
        const ended = session.whenRunEndsAsync();
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(2);
        answerRun(control, buffers);
        await ended;
        expect(session.poll()).toBe(true);
        // Released before the hand-over: the run is never announced, and poll says why it failed.
        session.start(8);
        session.release();
        await nextTaskAsync();
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(2);
        expect(() => session.poll()).toThrow("the model worker was released");
        expect(session.poll()).toBe(false);
    });

    it("announces a run without a notify to a worker that looks for runs itself, and wakes one that sleeps", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        const { control, buffers } = sharedOf(worker);
        // Each notify of `seq` records the count it saw: the run must be announced before the
        // worker's sleep is read, or a worker falling asleep in between would miss it.
        const seqAtNotify: number[] = [];
        const realNotify = Atomics.notify.bind(Atomics);
        vi.spyOn(Atomics, "notify").mockImplementation((array, index, count) => {
            if (array.buffer === control.buffer && index === SHARED_CONTROL.seq) {
                seqAtNotify.push(Atomics.load(control, SHARED_CONTROL.seq));
            }
            return realNotify(array as unknown as Int32Array, index, count);
        });
        const seqNotifies = (): number => seqAtNotify.length;
        // Until the worker's loop runs, it counts as asleep.
        expect(Atomics.load(control, SHARED_CONTROL.asleep)).toBe(1);
        // The worker is between two looks at `seq`, as after a run: the run is announced in the
        // task after the caller's, as always, and nothing wakes the worker.
        Atomics.store(control, SHARED_CONTROL.asleep, 0);
        session.start(8);
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(0);
        await nextTaskAsync();
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(1);
        expect(seqNotifies()).toBe(0);
        answerRun(control, buffers);
        expect(session.poll()).toBe(true);
        // A caller that waits does not wait for the worker's next look: it wakes the worker.
        const awaited = session.runAsync(8);
        expect(seqNotifies()).toBe(1);
        answerRun(control, buffers);
        await awaited;
        // The worker fell asleep: the run waits for a task after the caller's, then wakes it.
        Atomics.store(control, SHARED_CONTROL.asleep, 1);
        session.start(8);
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(2);
        await nextTaskAsync();
        expect(Atomics.load(control, SHARED_CONTROL.seq)).toBe(3);
        expect(seqNotifies()).toBe(2);
        expect(seqAtNotify).toEqual([2, 3]);
        answerRun(control, buffers);
        expect(session.poll()).toBe(true);
        session.release();
    });

    it("throws a started run's failure from poll, and the next run starts", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        session.start(8);
        await nextTaskAsync();
        worker.answer({ type: "error", stage: "run", message: "bad", outputProblems: ['model output "dwell" has shape [1, 3] for 8 candidates: expected float32 [1, N]'] });
        expect(() => session.poll()).toThrow(OnnxModelError);
        expect(session.poll()).toBe(false);
        session.start(8);
        await nextTaskAsync();
        const { control, buffers } = sharedOf(worker);
        answerRun(control, buffers);
        expect(session.poll()).toBe(true);
        session.release();
    });

    it("refuses a second run while one is in flight, and a run of a bucket it was never given", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        const run = session.runAsync(8);
        await expect(session.runAsync(8)).rejects.toThrow(/already running a bucket/);
        await expect(session.runAsync(16)).rejects.toThrow(/already running a bucket/);
        const { control, buffers } = sharedOf(worker);
        answerRun(control, buffers);
        await run;
        await expect(session.runAsync(16)).rejects.toThrow(/was given none of 16/);
        session.release();
    });

    it("rejects a run whose outputs do not fit with OnnxModelError, and the next run still goes through", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        const failed = session.runAsync(8);
        worker.answer({ type: "error", stage: "run", message: "bad", outputProblems: ['model output "dwell" has shape [1, 3] for 8 candidates: expected float32 [1, N]'] });
        const error = await failed.catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OnnxModelError);
        expect(error).toMatchObject({ kind: "probe-failed" });

        const run = session.runAsync(8);
        const { control, buffers } = sharedOf(worker);
        answerRun(control, buffers);
        await expect(run).resolves.toBeUndefined();
        session.release();
    });

    it("fails the run in flight, and every later one, when the worker dies", async () => {
        const { session, worker } = await startSessionAsync(true);
        session.bufferFor(8);
        const run = session.runAsync(8);
        worker.onerror!({ message: "out of memory", preventDefault: () => undefined });
        await expect(run).rejects.toThrow("the model worker failed: out of memory");
        await expect(session.runAsync(8)).rejects.toThrow("the model worker failed: out of memory");
        session.release();
        expect(worker.terminated).toBe(true);
    });

    it("ends the run in flight when released", async () => {
        const { session } = await startSessionAsync(true);
        session.bufferFor(8);
        const run = session.runAsync(8);
        session.release();
        await expect(run).rejects.toThrow("the model worker was released");
    });

    it("on a page that is not isolated, posts each run's buffer and says why", async () => {
        const { session, worker } = await startSessionAsync(false);
        expect(session.transport).toBe("message");
        expect(session.sharedMemoryUnavailable).toMatch(/^the page is not cross-origin isolated/);
        const init = worker.posted[0] as Extract<MainToWorkerMessage, { type: "init" }>;
        expect(init.control).toBeUndefined();
        const data = session.bufferFor(8);
        expect(data.buffer).toBeInstanceOf(ArrayBuffer);
        const run = session.runAsync(8);
        const posted = worker.posted.at(-1);
        expect(posted).toBeInstanceOf(ArrayBuffer);
        worker.answer(posted);
        await run;
        // A started run's buffer is posted in a later task, not the caller's; a second start is
        // refused at once, whether or not the first has been handed over yet.
        const postedBefore = worker.posted.length;
        session.start(8);
        expect(worker.posted).toHaveLength(postedBefore);
        expect(session.poll()).toBe(false);
        await nextTaskAsync();
        expect(worker.posted).toHaveLength(postedBefore + 1);
        expect(() => session.start(8)).toThrow(/already in flight/);
        worker.answer(worker.posted.at(-1));
        await nextTaskAsync();
        expect(session.poll()).toBe(true);
        session.release();
    });
});

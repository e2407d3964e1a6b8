/**
 * A Node worker thread that waits for runs as the model worker does (`waitForRun`), with a
 * shortened `WORKER_POLL` from `workerData`. For each run it sees it bumps `done` and notifies,
 * as the real worker does once a run's outputs are written; it stops when `stop` is set in its
 * report block and `seq` is bumped.
 */
import { workerData } from "node:worker_threads";
import { SHARED_CONTROL } from "../../../plugin/model/onnxWorkerProtocol";
import { waitForRun, type IWorkerPoll } from "../../../plugin/model/workerRunWait";
import { RUN_WAIT_REPORT } from "./runWaitReport";

const { control: controlBuffer, report: reportBuffer, poll } = workerData as { control: SharedArrayBuffer; report: SharedArrayBuffer; poll: IWorkerPoll };
const control = new Int32Array(controlBuffer);
const report = new Int32Array(reportBuffer);

let seen = Atomics.load(control, SHARED_CONTROL.seq);
let lastEndedMs = -Infinity;
Atomics.store(report, RUN_WAIT_REPORT.started, 1);
Atomics.notify(report, RUN_WAIT_REPORT.started);
while (Atomics.load(report, RUN_WAIT_REPORT.stop) === 0) {
    Atomics.add(report, RUN_WAIT_REPORT.waits, 1);
    waitForRun(control, seen, lastEndedMs, poll);
    const latest = Atomics.load(control, SHARED_CONTROL.seq);
    if (latest === seen) {
        continue;
    }
    seen = latest;
    Atomics.add(control, SHARED_CONTROL.done, 1);
    Atomics.notify(control, SHARED_CONTROL.done);
    lastEndedMs = performance.now();
}

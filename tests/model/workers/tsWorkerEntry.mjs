// Starts a TypeScript worker thread: registers tsx's loader in this thread, then imports the
// script named in workerData. (Node's worker `execArgv` does not carry `--import` loaders here.)
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.script);

import { fork } from "node:child_process";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { FileSessionSink } from "./fileSessionSink";
import { generateLayout } from "./layout";
import type { PlayerIntent } from "./playerAgent";
import { hashSeed } from "./random";
import { simulateSessionAsync } from "./simulateSession";

/**
 * `npm run simulate -- --out <dir> [--seed 1] [--layouts 10] [--sessions 6] [--seconds 60]
 * [--hz 20] [--workers 2]`: writes one session file per simulated visit (docs/recording.md),
 * named `<layout>-s<k>-<intent>.jsonl`. The same arguments write the same bytes, whatever the
 * number of workers.
 */
interface ICliOptions {
    out: string;
    seed: number;
    layouts: number;
    sessions: number;
    seconds: number;
    hz: number;
    workers: number;
    /** Internal: this process simulates jobs first, first + workers, ... */
    worker: number;
}

const INTENTS: PlayerIntent[] = ["task", "curious", "lost"];

function parse(argv: string[]): ICliOptions {
    const options: ICliOptions = { out: "", seed: 1, layouts: 10, sessions: 6, seconds: 60, hz: 20, workers: 2, worker: -1 };
    for (let i = 0; i < argv.length; i++) {
        const key = argv[i].replace(/^--/, "");
        const value = argv[i + 1];
        if (!(key in options) || value === undefined) {
            throw new Error(`simulate: unknown or incomplete option ${argv[i]}; usage: --out <dir> [--seed N] [--layouts N] [--sessions N per layout] [--seconds S] [--hz N] [--workers N]`);
        }
        i++;
        if (key === "out") {
            options.out = value;
        } else {
            const number = Number(value);
            if (!Number.isFinite(number)) {
                throw new Error(`simulate: --${key} needs a number; got ${value}`);
            }
            (options as unknown as Record<string, number>)[key] = number;
        }
    }
    if (!options.out) {
        throw new Error("simulate: --out <dir> is required");
    }
    return options;
}

async function runJobsAsync(options: ICliOptions, worker: number, workers: number): Promise<number> {
    let written = 0;
    const total = options.layouts * options.sessions;
    for (let job = worker; job < total; job += workers) {
        const l = Math.floor(job / options.sessions);
        const s = job % options.sessions;
        const layout = generateLayout(options.seed, l);
        const intent = INTENTS[(s + l) % INTENTS.length];
        const sessionId = `${layout.id}-s${s}-${intent}`;
        const sink = new FileSessionSink(join(options.out, `${sessionId}.jsonl`));
        try {
            // Same seeding as simulateDatasetAsync, so files and in-memory datasets agree.
            await simulateSessionAsync({ layout, seed: hashSeed(options.seed, l, s), intent, seconds: options.seconds, hz: options.hz, sessionId, sink });
        } finally {
            sink.close();
        }
        written++;
    }
    return written;
}

async function main(): Promise<void> {
    const options = parse(process.argv.slice(2));
    mkdirSync(options.out, { recursive: true });
    if (options.worker >= 0) {
        await runJobsAsync(options, options.worker, options.workers);
        return;
    }
    const started = performance.now();
    const total = options.layouts * options.sessions;
    const workers = Math.max(1, Math.min(options.workers, total));
    if (workers === 1) {
        await runJobsAsync(options, 0, 1);
    } else {
        const base = process.argv.slice(2);
        await Promise.all(
            Array.from({ length: workers }, (_, w) =>
                new Promise<void>((resolve, reject) => {
                    const child = fork(process.argv[1], [...base, "--worker", String(w), "--workers", String(workers)], { execArgv: process.execArgv, stdio: ["ignore", "ignore", "inherit", "ipc"] });
                    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`simulate: worker ${w} exited with ${code}`))));
                })
            )
        );
    }
    const seconds = (performance.now() - started) / 1000;
    console.log(`simulate: ${total} sessions (${options.layouts} layouts x ${options.sessions}, ${options.seconds} s at ${options.hz} Hz) in ${seconds.toFixed(1)} s with ${workers} worker(s) -> ${options.out}`);
}

main().catch((error: Error) => {
    console.error(error.message);
    process.exit(1);
});

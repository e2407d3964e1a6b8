/**
 * `node --expose-gc --import tsx tests/bench/sessionLoad.ts [files] [runs]`
 *
 * Loads `files` ordinary session files (default 1,000) through `loadSessionFilesAsync` and
 * prints the median wall and CPU time of `runs` loads (default 5). The files are 8 simulated 30 s
 * sessions at 20 Hz (chunks of 50 ticks) copied round-robin into a temporary folder, written
 * once per run of this script, so every load reads the same bytes. Each load starts after a
 * full collection (with --expose-gc), so one load's garbage is not charged to the next.
 */
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadSessionFilesAsync } from "../../models/labels/loadSessions";
import { FileSessionSink } from "../../models/sim/fileSessionSink";
import { generateLayout } from "../../models/sim/layout";
import { simulateSessionAsync } from "../../models/sim/simulateSession";

const SOURCES = 8;

async function main(): Promise<void> {
    const files = Number(process.argv[2] ?? 1000);
    const runs = Number(process.argv[3] ?? 5);
    const dir = mkdtempSync(join(tmpdir(), "session-load-bench-"));
    try {
        const sources: string[] = [];
        for (let i = 0; i < SOURCES; i++) {
            const path = join(dir, `source-${i}.jsonl`);
            const sink = new FileSessionSink(path);
            await simulateSessionAsync({ layout: generateLayout(1, i), seed: i + 1, intent: i % 2 === 0 ? "curious" : "task", seconds: 30, hz: 20, chunkTicks: 50, sink });
            sink.close();
            sources.push(path);
        }
        const paths: string[] = [];
        let bytes = 0;
        for (let i = 0; i < files; i++) {
            const path = join(dir, `session-${i}.jsonl`);
            copyFileSync(sources[i % SOURCES], path);
            bytes += statSync(path).size;
            paths.push(path);
        }
        // Read every file once so the page cache is warm for each measured run.
        for (const path of paths) readFileSync(path);
        const times: number[] = [];
        const cpuTimes: number[] = [];
        let ticks = 0;
        const gc = (globalThis as { gc?: () => void }).gc;
        for (let r = 0; r < runs; r++) {
            gc?.();
            const start = performance.now();
            const cpuStart = process.cpuUsage();
            const { sessions, problems } = await loadSessionFilesAsync(paths, { quiet: true });
            times.push(performance.now() - start);
            const cpu = process.cpuUsage(cpuStart);
            cpuTimes.push((cpu.user + cpu.system) / 1000);
            if (problems.length > 0 || sessions.length !== files) throw new Error(`unexpected problems: ${problems.length}, sessions ${sessions.length}`);
            ticks = sessions.reduce((sum, s) => sum + s.ticks.length, 0);
        }
        const seconds = (ms: number[]) => {
            const sorted = [...ms].sort((a, b) => a - b);
            return `median ${(sorted[Math.floor(sorted.length / 2)] / 1000).toFixed(2)} s (min ${(sorted[0] / 1000).toFixed(2)}, max ${(sorted[sorted.length - 1] / 1000).toFixed(2)})`;
        };
        // CPU time (this process, all threads) moves less than wall time on a shared machine.
        console.log(`${files} files, ${(bytes / 1048576).toFixed(1)} MiB, ${ticks} ticks, ${runs} loads: wall ${seconds(times)}; CPU ${seconds(cpuTimes)}`);
    } finally {
        rmSync(dir, { recursive: true, force: true });
    }
}

void main();

import { createReadStream } from "node:fs";
import { formatSessionProblem, readSessionAsync, type IReadSessionOptions, type ISessionProblem } from "../../plugin/recording/sessionReader";
import type { IRecordedSession } from "../../plugin/recording/sessionFormat";
import { DEFAULT_LOAD_MAX_BYTES, DEFAULT_LOAD_MAX_TICKS, resolveSessionLimits, SessionLoadBudget } from "../../plugin/recording/sessionLimits";

export interface ILoadedSessions {
    sessions: IRecordedSession[];
    problems: ISessionProblem[];
}

export interface ILoadSessionFilesOptions extends Omit<IReadSessionOptions, "budget"> {
    /** Print each problem to stderr as it is found. @default false (print them) */
    quiet: boolean;
    /** Ticks the whole load keeps; files past it are reported and not read. @default 5,000,000 */
    maxLoadTicks: number;
    /** Bytes of session files the whole load keeps. @default 4 GiB (4,294,967,296) */
    maxLoadBytes: number;
}

/**
 * Reads session files (Node), streaming each as bytes so that no line longer than
 * `maxLineBytes` is ever held. Damaged chunks are skipped and mismatched or oversized files
 * rejected by `readSessionAsync`; a file that cannot be opened or read is rejected with the
 * system's reason; once the load's budget is spent the files left are reported as not read.
 * One bad file never ends the load: every problem is returned and, unless `quiet`, printed to
 * stderr as `file:line (chunk c): action: message`.
 */
export async function loadSessionFilesAsync(paths: readonly string[], options: Partial<ILoadSessionFilesOptions> = {}): Promise<ILoadedSessions> {
    const { quiet = false, maxLoadTicks = DEFAULT_LOAD_MAX_TICKS, maxLoadBytes = DEFAULT_LOAD_MAX_BYTES, ...readOptions } = options;
    // Invalid options throw here, once, rather than being reported against every file.
    resolveSessionLimits(readOptions, "loadSessionFilesAsync");
    const budget = new SessionLoadBudget(maxLoadTicks, maxLoadBytes);
    const sessions: IRecordedSession[] = [];
    const problems: ISessionProblem[] = [];
    const report = (problem: ISessionProblem) => {
        problems.push(problem);
        if (!quiet) {
            console.warn(formatSessionProblem(problem));
        }
    };
    for (let i = 0; i < paths.length; i++) {
        const path = paths[i];
        if (budget.isSpent) {
            report({ file: path, line: 0, chunk: -1, action: "rejected", message: `not read: the load's budget (${budget.maxTicks} ticks, ${budget.maxBytes} bytes) is spent` });
            continue;
        }
        const stream = createReadStream(path);
        try {
            const result = await readSessionAsync(stream, path, { ...readOptions, budget });
            result.problems.forEach(report);
            if (result.session) {
                sessions.push(result.session);
            }
        } catch (error) {
            report({ file: path, line: 0, chunk: -1, action: "rejected", message: `could not be read: ${(error as Error).message}` });
        } finally {
            stream.destroy();
        }
    }
    return { sessions, problems };
}

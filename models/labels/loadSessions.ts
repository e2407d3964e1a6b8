import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { formatSessionProblem, readSessionAsync, type IReadSessionOptions, type ISessionProblem } from "../../plugin/recording/sessionReader";
import type { IRecordedSession } from "../../plugin/recording/sessionFormat";

export interface ILoadedSessions {
    sessions: IRecordedSession[];
    problems: ISessionProblem[];
}

/**
 * Reads session files (Node), streaming line by line. Damaged chunks are skipped and mismatched
 * files rejected by `readSessionAsync`; every problem is returned and, unless `quiet`, printed
 * to stderr as `file:line (chunk c): action: message`.
 */
export async function loadSessionFilesAsync(paths: readonly string[], options: Partial<IReadSessionOptions> & { quiet?: boolean } = {}): Promise<ILoadedSessions> {
    const sessions: IRecordedSession[] = [];
    const problems: ISessionProblem[] = [];
    for (const path of paths) {
        const lines = createInterface({ input: createReadStream(path, { encoding: "utf8" }), crlfDelay: Infinity });
        const result = await readSessionAsync(lines, path, options);
        for (const problem of result.problems) {
            problems.push(problem);
            if (!options.quiet) {
                console.warn(formatSessionProblem(problem));
            }
        }
        if (result.session) {
            sessions.push(result.session);
        }
    }
    return { sessions, problems };
}

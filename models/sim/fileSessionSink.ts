import { closeSync, openSync, writeSync } from "node:fs";
import type { ISessionSink } from "../../plugin/recording/sessionSink";

/** Appends each line to a file as it comes (Node), so a crash loses at most the chunk being filled. */
export class FileSessionSink implements ISessionSink {
    private _fd: number | null;

    public constructor(public readonly path: string) {
        this._fd = openSync(path, "w");
    }

    public write(line: string): void {
        if (this._fd === null) {
            throw new Error(`FileSessionSink: ${this.path} is closed`);
        }
        writeSync(this._fd, `${line}\n`);
    }

    public close(): void {
        if (this._fd !== null) {
            closeSync(this._fd);
            this._fd = null;
        }
    }
}

/**
 * Where a recorder's lines go. Lines arrive whole and in order (a header, then one per chunk),
 * and are never rewritten, so a sink can append them to a file, IndexedDB or a network queue
 * as they come: a crash then loses at most the chunk being filled.
 */
export interface ISessionSink {
    write(line: string): void;
}

/** Keeps the lines in memory; `toText()` or `toBlob()` when the session ends. */
export class MemorySessionSink implements ISessionSink {
    public readonly lines: string[] = [];

    public write(line: string): void {
        this.lines.push(line);
    }

    /** The session file's text: one line per header or chunk, newline-terminated. */
    public toText(): string {
        return this.lines.length > 0 ? `${this.lines.join("\n")}\n` : "";
    }

    /** The session file as a Blob (`application/x-ndjson`), e.g. for a download link. */
    public toBlob(): Blob {
        return new Blob([this.toText()], { type: "application/x-ndjson" });
    }
}

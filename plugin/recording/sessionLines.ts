/**
 * Splits a session source into lines without ever holding a line longer than the cap: a longer
 * one is passed over byte by byte and reported by its size and first characters. Text and
 * line sources are accepted as they are; a byte stream (a Node read stream, `Blob.stream()`, a
 * fetch body) is split at newline bytes, which never occur inside a UTF-8 sequence.
 */

/** A line over the cap: its size and start (enough to name the chunk), never its text. */
export class OverlongLine {
    public constructor(
        /** Its length, bytes (characters for text). */
        public readonly length: number,
        /** Its first characters. */
        public readonly head: string
    ) {}
}

/** A line read, and its size as counted against the file's budget. */
export type SessionLine = string | OverlongLine;

/** Where a session is read from: its whole text, its lines, or its bytes. */
export type SessionSource = string | Iterable<string> | AsyncIterable<string | Uint8Array> | ReadableStream<Uint8Array>;

const HEAD_CHARS = 64;
const NEWLINE = 10;

export async function* splitSessionLines(source: SessionSource, maxLineBytes: number): AsyncGenerator<SessionLine> {
    if (typeof source === "string") {
        let start = 0;
        while (start < source.length) {
            let end = source.indexOf("\n", start);
            if (end < 0) end = source.length;
            yield end - start > maxLineBytes ? new OverlongLine(end - start, source.slice(start, start + HEAD_CHARS)) : source.slice(start, end);
            start = end + 1;
        }
        return;
    }
    const bytes = new ByteLineSplitter(maxLineBytes);
    for await (const item of iterate(source)) {
        if (typeof item === "string") {
            yield item.length > maxLineBytes ? new OverlongLine(item.length, item.slice(0, HEAD_CHARS)) : item;
        } else if (item instanceof Uint8Array) {
            yield* bytes.push(item);
        } else {
            throw new TypeError(`a session source yields strings (lines) or Uint8Array (bytes); got ${item === null ? "null" : typeof item}`);
        }
    }
    yield* bytes.end();
}

/** Some browsers' ReadableStream is not async-iterable yet: read it through its reader. */
async function* readStream(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
    const reader = stream.getReader();
    try {
        for (;;) {
            const { done, value } = await reader.read();
            if (done) return;
            yield value;
        }
    } finally {
        // Stopping early (a rejected file) cancels the rest of the stream.
        await reader.cancel().catch(() => undefined);
    }
}

function iterate(source: Exclude<SessionSource, string>): AsyncIterable<string | Uint8Array> | Iterable<string> {
    const isIterable = Symbol.asyncIterator in source || Symbol.iterator in source;
    return isIterable ? (source as AsyncIterable<string | Uint8Array>) : readStream(source as ReadableStream<Uint8Array>);
}

class ByteLineSplitter {
    private readonly _decoder = new TextDecoder("utf-8");
    private _pieces: Uint8Array[] = [];
    private _pending = 0;
    /** Bytes of the overlong line being passed over, or -1 when none is. */
    private _skipped = -1;
    private _head = "";
    private _sawBytes = false;

    public constructor(private readonly _maxLineBytes: number) {}

    public *push(chunk: Uint8Array): Generator<SessionLine> {
        this._sawBytes = true;
        let start = 0;
        for (;;) {
            const newline = chunk.indexOf(NEWLINE, start);
            const end = newline < 0 ? chunk.length : newline;
            this._take(chunk, start, end);
            if (newline < 0) {
                return;
            }
            yield this._line(chunk, start, end);
            start = newline + 1;
        }
    }

    public *end(): Generator<SessionLine> {
        if (this._sawBytes && (this._pending > 0 || this._skipped >= 0)) {
            yield this._line(null, 0, 0);
        }
    }

    private _take(chunk: Uint8Array, start: number, end: number): void {
        const length = end - start;
        if (this._skipped >= 0) {
            this._skipped += length;
        } else if (this._pending + length > this._maxLineBytes) {
            const first = this._pieces.length > 0 ? this._pieces[0] : chunk.subarray(start, end);
            this._head = this._decoder.decode(first.subarray(0, HEAD_CHARS));
            this._skipped = this._pending + length;
            this._pieces = [];
            this._pending = 0;
        } else if (length > 0) {
            this._pieces.push(chunk.subarray(start, end));
            this._pending += length;
        }
    }

    private _line(chunk: Uint8Array | null, start: number, end: number): SessionLine {
        if (this._skipped >= 0) {
            const line = new OverlongLine(this._skipped, this._head);
            this._skipped = -1;
            return line;
        }
        let text: string;
        // The common case, a line inside one read, decodes straight from the chunk.
        if (this._pieces.length === 1 && chunk !== null && this._pending === end - start) {
            text = this._decoder.decode(chunk.subarray(start, end));
        } else {
            const joined = new Uint8Array(this._pending);
            let at = 0;
            for (const piece of this._pieces) {
                joined.set(piece, at);
                at += piece.length;
            }
            text = this._decoder.decode(joined);
        }
        this._pieces = [];
        this._pending = 0;
        return text;
    }
}

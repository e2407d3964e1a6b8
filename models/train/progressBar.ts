/**
 * A one-line progress bar with loss and ETA, redrawn with "\r" (no dependency). Writes to stderr
 * so a JSON report on stdout stays clean; `finish()` ends the line.
 */
export interface IProgressStream {
    write(text: string): unknown;
}

function formatSeconds(seconds: number): string {
    if (!Number.isFinite(seconds)) return "--";
    const s = Math.max(0, Math.round(seconds));
    return s >= 60 ? `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s` : `${s}s`;
}

export class ProgressBar {
    private readonly _startMs = performance.now();
    private _lastDrawMs = -Infinity;
    private _lastLength = 0;

    constructor(
        private readonly _total: number,
        private readonly _stream: IProgressStream | null,
        private readonly _width = 24,
    ) {}

    /** Redraws at most every 100 ms (and always at the end). */
    public update(done: number, label: string): void {
        const now = performance.now();
        if (!this._stream || (done < this._total && now - this._lastDrawMs < 100)) return;
        this._lastDrawMs = now;
        const fraction = this._total > 0 ? Math.min(1, done / this._total) : 1;
        const filled = Math.round(fraction * this._width);
        const elapsed = (now - this._startMs) / 1000;
        const eta = done > 0 ? (elapsed / done) * (this._total - done) : Infinity;
        const line = `[${"#".repeat(filled)}${".".repeat(this._width - filled)}] ${String(Math.round(fraction * 100)).padStart(3)}% ${label} | ${formatSeconds(elapsed)} elapsed, ETA ${formatSeconds(eta)}`;
        this._stream.write("\r" + line + " ".repeat(Math.max(0, this._lastLength - line.length)));
        this._lastLength = line.length;
    }

    public finish(): void {
        this._stream?.write("\n");
    }
}

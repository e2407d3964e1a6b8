/**
 * `IModelRunner`'s start and poll over a runner whose runs are promises (a session on this
 * thread, the model worker by message): each run is its promise and one reaction, which notes
 * when and how it ended for `poll` to report.
 */
export class PromisedRuns {
    private _pending: Promise<void> | null = null;
    private _ended = false;
    private _error: unknown = null;
    private _endedAtMs = 0;
    private readonly _resolved = Promise.resolve();
    /** Made once: closures per run would allocate two more objects. */
    private readonly _onEnded = (): void => {
        this._ended = true;
        this._endedAtMs = performance.now();
    };
    private readonly _onFailed = (error: unknown): void => {
        this._error = error;
        this._onEnded();
    };

    public constructor(private readonly _runAsync: (size: number) => Promise<void>) {}

    public get endedAtMs(): number {
        return this._endedAtMs;
    }

    /** Throws what `start(size)` would: a run is in flight. */
    public checkCanStart(size: number): void {
        if (this._pending) {
            throw new Error(`a model run is already in flight: one run at a time (poll() until it ends before starting a bucket of ${size})`);
        }
    }

    public start(size: number): void {
        this.checkCanStart(size);
        this._ended = false;
        this._pending = this._runAsync(size).then(this._onEnded, this._onFailed);
    }

    public poll(): boolean {
        if (!this._pending || !this._ended) {
            return false;
        }
        this._pending = null;
        const error = this._error;
        if (error !== null) {
            this._error = null;
            throw error;
        }
        return true;
    }

    public whenRunEndsAsync(): Promise<void> {
        return this._pending ?? this._resolved;
    }
}

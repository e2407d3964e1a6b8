/** Runs the budget judges over: the last this many. */
export const BUDGET_WINDOW_RUNS = 8;
/** Over-budget runs among the last `BUDGET_WINDOW_RUNS` at which a backend is too slow: a majority. */
export const OVER_BUDGET_RUNS_TO_FALL_BACK = 5;

/**
 * The least budget a run through the plugin's model worker (`wasmProxy`) is held to, ms: two
 * frames at 60 Hz. Such a run blocks the main thread for a fraction of a millisecond however
 * long it takes; what its time decides is only how fresh its result is when it lands.
 */
export const PROXIED_RUN_BUDGET_MS = 33;

/** The budget a run is judged against: `runBudgetMs`, or at least `PROXIED_RUN_BUDGET_MS` for a run off the main thread. */
export function effectiveRunBudgetMs(runBudgetMs: number, offMainThread: boolean): number {
    return offMainThread ? Math.max(runBudgetMs, PROXIED_RUN_BUDGET_MS) : runBudgetMs;
}

/**
 * Judges a backend's speed by its recent runs, not its worst ones. A model run's wall time on a
 * shared machine has spikes (a garbage collection, another process taking the core) that say
 * nothing about the backend; only when most of the last runs are over budget is the backend
 * itself too slow. Kept as a bit mask, so recording a run allocates nothing.
 */
export class RunBudgetWindow {
    /** Bit i set: the run i runs ago was over budget. */
    private _mask = 0;
    private _over = 0;

    public constructor(public readonly budgetMs: number) {}

    /** Records one run's duration. */
    public record(ms: number): void {
        const leaving = (this._mask >>> (BUDGET_WINDOW_RUNS - 1)) & 1;
        const over = ms > this.budgetMs ? 1 : 0;
        this._mask = ((this._mask << 1) | over) & ((1 << BUDGET_WINDOW_RUNS) - 1);
        this._over += over - leaving;
    }

    /** Over-budget runs among the last `BUDGET_WINDOW_RUNS`. */
    public get overBudgetRuns(): number {
        return this._over;
    }

    /** True when most recent runs were over budget: the backend, not a spike, is too slow. */
    public get isOverBudget(): boolean {
        return this._over >= OVER_BUDGET_RUNS_TO_FALL_BACK;
    }
}

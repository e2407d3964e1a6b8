/**
 * The current tick's time, shared by reference with every stage. Passing one object instead of
 * `nowMs, dtSeconds` numbers matters on the hot path: V8 boxes a fractional number into a
 * fresh heap object whenever it crosses a call boundary that was not inlined, so a clock in
 * fractional milliseconds would allocate at every stage, every tick.
 */
export interface ITickTime {
    /** Clock time of this tick, ms. */
    nowMs: number;
    /** Seconds since the previous tick (0 for the first), clamped to [0, 0.5]. */
    dtSeconds: number;
}

/** A class, not a literal, so no other code's literals can share (and widen) its fields: see gazeSample.ts. */
class TickTime implements ITickTime {
    public nowMs = 0;
    public dtSeconds = 0;
}

export function createTickTime(): ITickTime {
    return new TickTime();
}

/**
 * How fast the core running the bench is right now, as the time of a fixed arithmetic loop.
 * On a shared virtual machine the same code runs at different speeds from one minute to the
 * next: on this project's 2-core machine one core ran this loop in about two thirds of the
 * other's time, and which core was the slow one changed over the day. Every timed figure of
 * the bench moves with it, so the bench prints this beside them: a reader can then tell a
 * change of the machine from a change of the code.
 */
export function timeReferenceLoopMs(): number {
    const values = REFERENCE_VALUES;
    let best = Infinity;
    let sum = 0;
    // The fastest of five rounds, after one that only gets the loop optimised: the core's speed,
    // not a round another thread happened to interrupt.
    for (let round = 0; round < 6; round++) {
        const start = performance.now();
        for (let r = 0; r < 400; r++) {
            for (let i = 0; i < values.length; i++) {
                sum += values[i] * 1.0001;
            }
        }
        const ms = performance.now() - start;
        if (round > 0 && ms < best) {
            best = ms;
        }
    }
    // Checked so that the loop cannot be optimised away.
    if (!(sum > 0)) {
        throw new Error("referenceLoop: the loop's sum is not positive");
    }
    return Math.round(best * 10) / 10;
}

const REFERENCE_VALUES = Float64Array.from({ length: 1 << 16 }, (_, i) => i * 0.5);

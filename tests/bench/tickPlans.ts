import type { ITickPlan } from "./tickBench";

/**
 * Iterations per size, chosen to keep the whole run near two minutes on a 2-core machine.
 * The naive baseline gets few ticks at large n: one naive tick at 10,000 entities takes ~1 s.
 */
export const TICK_PLANS: readonly ITickPlan[] = [
    { n: 10, warmup: 500, ticks: 3000, naiveWarmup: 100, naiveTicks: 1000, allocationTicks: 1000 },
    { n: 100, warmup: 300, ticks: 2000, naiveWarmup: 30, naiveTicks: 300, allocationTicks: 1000 },
    { n: 1000, warmup: 100, ticks: 600, naiveWarmup: 5, naiveTicks: 40, allocationTicks: 200 },
    { n: 10000, warmup: 20, ticks: 150, naiveWarmup: 1, naiveTicks: 5, allocationTicks: 20 },
];

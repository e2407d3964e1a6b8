/**
 * How much of the approach metric is knowable at all: in how many approach moments (3 s or less
 * before an engagement by default, `--horizon` seconds otherwise; the visitor more than 3 m from
 * what it engages) the simulated visitor's
 * own goal, which no ranker sees, already is the candidate it then engages. A miss there would
 * be a change of mind no input could have foretold; a hit is intent a ranker could in principle
 * read from how the visitor looks and walks. The condition is computed from the simulator's own
 * positions and engagement log, every 3rd tick as the dataset samples them.
 *
 *   npx tsx models/sim/goalOracle.ts               (the common seed-2 set: 24 layouts x 3 sessions x 60 s)
 *   npx tsx models/sim/goalOracle.ts --evaluation  (the 40 seed-3 layouts `npm run eval` scores)
 *   npx tsx models/sim/goalOracle.ts --evaluation --horizon 6  (the moments of approach top-1 at 6 s)
 */
import { fileURLToPath } from "node:url";
import { APPROACH_MIN_DISTANCE_M } from "../eval/metrics";
import { COMMON_HELD_OUT_SIMULATION, EVALUATION_SIMULATION } from "../train/datasetSource";
import { simulatedSessionPlan, type ISimulateDatasetOptions } from "../labels/simulateDataset";
import { simulateSessionAsync } from "./simulateSession";

export interface IGoalOracleOptions extends Partial<ISimulateDatasetOptions> {
    /** @default 3 seconds before the engagement */
    horizonS?: number;
    /** @default 3 ticks between samples, as DATA_PRESETS.full */
    tickStride?: number;
}

export interface IGoalOracleCount {
    moments: number;
    /** Moments whose goal at that tick is the candidate engaged next. */
    goalIsTarget: number;
    /** Moments heading for nothing in particular (wandering) or for something else. */
    noGoal: number;
    otherGoal: number;
}

/** Plays the sessions of `simulatedSessionPlan(options)` (those the dataset has) with the simulator's trace on, and counts. */
export async function countGoalOracleAsync(options: IGoalOracleOptions): Promise<IGoalOracleCount> {
    const stride = options.tickStride ?? 3;
    const count: IGoalOracleCount = { moments: 0, goalIsTarget: 0, noGoal: 0, otherGoal: 0 };
    for (const plan of simulatedSessionPlan(options)) {
        const horizonTicks = (options.horizonS ?? 3) * plan.hz;
        const sim = await simulateSessionAsync({ ...plan, trace: true });
        const log = sim.engagementLog!;
        let next = 0;
        for (let t = 0; t < sim.goals!.length; t += stride) {
            while (next < log.length && log[next].tick <= t) next++;
            if (next === log.length || log[next].tick - t > horizonTicks) continue;
            const e = plan.layout.entities[log[next].entity];
            const distance = Math.hypot(e.x - sim.positions![t * 2], e.z - sim.positions![t * 2 + 1]) - e.radius;
            if (distance <= APPROACH_MIN_DISTANCE_M) continue;
            count.moments++;
            const goal = sim.goals![t];
            if (goal === log[next].entity) count.goalIsTarget++;
            else if (goal < 0) count.noGoal++;
            else count.otherGoal++;
        }
    }
    return count;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
    const horizonAt = process.argv.indexOf("--horizon");
    const horizonS = horizonAt > 0 ? Number(process.argv[horizonAt + 1]) : 3;
    if (!(horizonS > 0)) {
        console.error(`--horizon takes seconds above 0, got ${process.argv[horizonAt + 1]}`);
        process.exit(1);
    }
    const options: IGoalOracleOptions = { ...(process.argv.includes("--evaluation") ? EVALUATION_SIMULATION : COMMON_HELD_OUT_SIMULATION), horizonS };
    countGoalOracleAsync(options)
        .then((c) => console.log(`seed ${options.seed}, ${options.layouts} layouts x ${options.sessionsPerLayout} sessions x ${options.seconds} s: ${c.moments} approach moments at ${horizonS} s; the visitor's goal was the candidate it engaged next in ${c.goalIsTarget} (${((100 * c.goalIsTarget) / c.moments).toFixed(1)} %), no goal in ${c.noGoal}, another in ${c.otherGoal}`))
        .catch((error: unknown) => {
            console.error(error);
            process.exit(1);
        });
}

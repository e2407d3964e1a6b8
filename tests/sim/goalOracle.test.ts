import { describe, expect, it } from "vitest";
import { countGoalOracleAsync } from "../../models/sim/goalOracle";

describe("goal oracle (how much of the approach metric is knowable)", () => {
    it("counts approach moments from the simulator's trace, nearly all of them heading for what is engaged next", async () => {
        const count = await countGoalOracleAsync({ seed: 2, layouts: 3, sessionsPerLayout: 2, seconds: 40 });
        expect(count.moments).toBeGreaterThan(10);
        expect(count.goalIsTarget + count.noGoal + count.otherGoal).toBe(count.moments);
        // Visitors change their minds now and then (an event, a second thought), but seldom in the last 3 s.
        expect(count.goalIsTarget / count.moments).toBeGreaterThan(0.9);
    }, 60_000);

    it("widens with the horizon: 6 s before an engagement includes every 3 s moment", async () => {
        const options = { seed: 2, layouts: 2, sessionsPerLayout: 1, seconds: 40 };
        const at3 = await countGoalOracleAsync(options);
        const at6 = await countGoalOracleAsync({ ...options, horizonS: 6 });
        expect(at6.moments).toBeGreaterThan(at3.moments);
        expect(at6.goalIsTarget).toBeGreaterThanOrEqual(at3.goalIsTarget);
    }, 60_000);
});

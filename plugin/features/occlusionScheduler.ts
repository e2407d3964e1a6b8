import type { OptionRanges } from "../optionRanges.js";
import type { EntityStore } from "./entityStore.js";
import type { IFeatureOptions } from "./featureOptions.js";
import type { IOcclusionTester } from "./occlusionTester.js";
import type { IPlayerState } from "./playerState.js";
import type { ITickTime } from "./tickTime.js";

/** How many occlusion (line-of-sight) tests a tick may run, and how long a result stays fresh. */
export interface IOcclusionBudget {
    /** Most occlusion tests per tick; the rest wait for later ticks. @default 24 */
    maxTestsPerTick: number;
    /** A result younger than this is reused without testing again, ms. @default 150 */
    refreshMs: number;
}

/** The occlusion budget used where `IAttentionPluginOptions.occlusionBudget` leaves a field out. */
export const DEFAULT_OCCLUSION_BUDGET: Readonly<IOcclusionBudget> = Object.freeze({ maxTestsPerTick: 24, refreshMs: 150 });

/** The range of each occlusion budget option, checked at creation. */
export const OCCLUSION_BUDGET_RANGES: OptionRanges<IOcclusionBudget> = Object.freeze({
    maxTestsPerTick: { min: 0, max: 100_000, integer: true },
    refreshMs: { min: 0, max: 60_000 },
});

/**
 * Keeps `store.visible` fresh within a fixed number of ray tests per tick, cheapest test first:
 * entities outside the view or out of range are never ray-tested (their last answer stands);
 * entities in the gaze cone are tested first, because gaze only counts when they are visible;
 * then the rest of the view, round-robin, so every visible entity is refreshed eventually.
 */
export class OcclusionScheduler {
    /** Ray tests made in the last tick (for the debug overlay and benchmarks). */
    public testsLastTick = 0;
    private _cursor = 0;
    /** The segment handed to `isBlockedSegment`, reused (see IOcclusionTester). */
    private readonly _segment = new Float64Array(7);

    /**
     * Tests what is due this tick. `slots` are the rows the tick re-evaluated: every entity in
     * the gaze cone is among them (the refresh planner keeps cone entities due), so pass 1 looks
     * there instead of at every row.
     */
    public update(store: EntityStore, player: IPlayerState, tester: IOcclusionTester | null, budget: IOcclusionBudget, options: IFeatureOptions, time: ITickTime, slots: Int32Array, slotCount: number): void {
        this.testsLastTick = 0;
        const nowMs = time.nowMs;
        const count = store.count;
        if (!tester || count === 0) {
            return;
        }
        tester.beginTick?.();
        const { alignment, testedAt, distance, valid, inView } = store;
        const refreshMs = budget.refreshMs;
        const maxDistance = options.maxDistance;
        let left = budget.maxTestsPerTick;
        // Pass 1: the gaze cone.
        for (let s = 0; s < slotCount && left > 0; s++) {
            const i = slots[s];
            if (alignment[i] > 0 && valid[i] === 1 && nowMs - testedAt[i] >= refreshMs && distance[i] <= maxDistance) {
                this._test(store, player, tester, i, time);
                left--;
            }
        }
        // Pass 2: the rest of the view, round-robin. A row's answer is fresh for refreshMs, so the
        // cursor only needs to come round twice in that time (each row is then tested within
        // 1.5 x refreshMs of its last test while the budget lasts), not to sweep every row every tick.
        // The first tick (dt 0) sweeps every row.
        const dtMs = time.dtSeconds * 1000;
        const sweep = refreshMs > 0 && dtMs > 0 ? Math.ceil((2 * count * dtMs) / refreshMs) : count;
        const visits = sweep < count ? sweep : count;
        let visited = 0;
        let i = this._cursor < count ? this._cursor : 0;
        while (left > 0 && visited < visits) {
            if (valid[i] === 1 && inView[i] === 1 && distance[i] <= maxDistance && nowMs - testedAt[i] >= refreshMs) {
                this._test(store, player, tester, i, time);
                left--;
            }
            visited++;
            i = i + 1 === count ? 0 : i + 1;
        }
        this._cursor = i;
    }

    private _test(store: EntityStore, player: IPlayerState, tester: IOcclusionTester, i: number, time: ITickTime): void {
        let blocked: boolean;
        if (tester.isBlockedSegment) {
            const segment = this._segment;
            segment[0] = player.gazeOriginX;
            segment[1] = player.gazeOriginY;
            segment[2] = player.gazeOriginZ;
            segment[3] = store.x[i];
            segment[4] = store.y[i];
            segment[5] = store.z[i];
            segment[6] = store.radius[i];
            blocked = tester.isBlockedSegment(segment, i);
        } else {
            blocked = tester.isBlocked(player.gazeOriginX, player.gazeOriginY, player.gazeOriginZ, store.x[i], store.y[i], store.z[i], store.radius[i], i);
        }
        store.visible[i] = blocked ? 0 : 1;
        store.testedAt[i] = time.nowMs;
        this.testsLastTick++;
    }
}

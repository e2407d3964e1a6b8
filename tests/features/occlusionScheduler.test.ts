import { describe, expect, it } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { OcclusionScheduler, type IOcclusionBudget } from "../../plugin/features/occlusionScheduler";
import type { IOcclusionTester } from "../../plugin/features/occlusionTester";
import { createPlayerState } from "../../plugin/features/playerState";
import { createTickTime } from "../../plugin/features/tickTime";

const DT_MS = 1000 / 30;

/** `count` entities, all in view and in range, none in the gaze cone; a tester that records which rows it was asked about. */
function createRig(count: number, budget: IOcclusionBudget) {
    const store = new EntityStore(count);
    for (let i = 0; i < count; i++) {
        store.add(0, 0.5, 0.5);
        store.inView[i] = 1;
        store.distance[i] = 10;
    }
    const tested: number[][] = [];
    let thisTick: number[] = [];
    const tester: IOcclusionTester = {
        isBlocked: (_ox, _oy, _oz, _x, _y, _z, _r, slot) => {
            thisTick.push(slot ?? -1);
            return slot === 3;
        },
    };
    const scheduler = new OcclusionScheduler();
    const player = createPlayerState();
    const time = createTickTime();
    let tick = 0;
    return {
        store,
        tested,
        /** One tick at 30 Hz; `slots` are the rows the tick re-evaluated. */
        tick(slots: Int32Array = new Int32Array(0)): number[] {
            time.nowMs = tick * DT_MS;
            time.dtSeconds = tick === 0 ? 0 : DT_MS / 1000;
            tick++;
            thisTick = [];
            scheduler.update(store, player, tester, budget, DEFAULT_FEATURE_OPTIONS, time, slots, slots.length);
            tested.push(thisTick);
            return thisTick;
        },
    };
}

describe("OcclusionScheduler", () => {
    it("re-tests every entity in view about every refreshMs while the budget allows, visiting only part of the rows per tick", () => {
        const rig = createRig(1000, { maxTestsPerTick: 1000, refreshMs: 150 });
        const lastTest = new Float64Array(1000).fill(NaN);
        const gaps: number[] = [];
        for (let t = 0; t < 120; t++) {
            for (const slot of rig.tick()) {
                if (lastTest[slot] === lastTest[slot]) {
                    gaps.push(t * DT_MS - lastTest[slot]);
                }
                lastTest[slot] = t * DT_MS;
            }
        }
        expect(Array.from(lastTest).every((ms) => ms >= 120 * DT_MS - 1.5 * 150 - DT_MS)).toBe(true);
        expect(Math.min(...gaps)).toBeGreaterThanOrEqual(150);
        expect(Math.max(...gaps)).toBeLessThanOrEqual(1.5 * 150 + 2 * DT_MS);
        // At 30 Hz the cursor covers the rows twice per 150 ms: about 1000 x 2 x 33 / 150 = 445 rows a tick, not 1000.
        const perTick = rig.tested.slice(10).map((slots) => slots.length);
        expect(Math.max(...perTick)).toBeLessThan(1000);
        expect(rig.store.visible[3]).toBe(0);
        expect(rig.store.visible[4]).toBe(1);
    });

    it("tests the gaze cone first, looking only at the rows this tick re-evaluated", () => {
        const rig = createRig(50, { maxTestsPerTick: 2, refreshMs: 150 });
        rig.store.alignment[40] = 0.8;
        rig.store.alignment[41] = 0.5;
        rig.store.alignment[7] = 0.9; // in the cone at its last evaluation, but not re-evaluated this tick
        expect(rig.tick(Int32Array.of(12, 40, 41))).toEqual([40, 41]);
        // Those two are fresh for 150 ms; the budget goes to the round-robin over the view.
        expect(rig.tick(Int32Array.of(12, 40, 41))).toEqual([0, 1]);
    });

    it("never tests an invalid row, in the cone or in view", () => {
        const rig = createRig(4, { maxTestsPerTick: 10, refreshMs: 150 });
        rig.store.valid[2] = 0;
        rig.store.alignment[2] = 1;
        expect(rig.tick(Int32Array.of(0, 1, 2, 3))).toEqual([0, 1, 3]);
    });
});

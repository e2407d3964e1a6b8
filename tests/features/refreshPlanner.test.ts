import { describe, expect, it } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { createPlayerState } from "../../plugin/features/playerState";
import { DEFAULT_REFRESH_OPTIONS, RefreshPlanner } from "../../plugin/features/refreshPlanner";
import { createTickTime } from "../../plugin/features/tickTime";

/** A store of `n` entities on a ring of radius 30 m around the player at the origin (gaze along +z). */
function ringStore(n: number): EntityStore {
    const store = new EntityStore(16);
    for (let i = 0; i < n; i++) {
        const slot = store.add(i % 3, 0.5, 0.4);
        const a = (i / n) * Math.PI * 2;
        store.x[slot] = Math.sin(a) * 30;
        store.z[slot] = Math.cos(a) * 30;
        store.distance[slot] = 29.6;
    }
    return store;
}

function planned(planner: RefreshPlanner): number[] {
    return Array.from(planner.slots.subarray(0, planner.count));
}

describe("RefreshPlanner", () => {
    const features = DEFAULT_FEATURE_OPTIONS;
    const options = DEFAULT_REFRESH_OPTIONS;

    it("refreshes every entity every tick up to the full-refresh limit", () => {
        const store = ringStore(options.fullRefreshLimit);
        const planner = new RefreshPlanner();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        for (let tick = 0; tick < 3; tick++) {
            planner.plan(store, createPlayerState(), features, options, time);
            expect(planner.count).toBe(store.count);
        }
    });

    it("above the limit, evaluates the gazed-at, just-left, near and hot entities plus a round-robin share", () => {
        const store = ringStore(1000);
        const planner = new RefreshPlanner();
        const player = createPlayerState();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        planner.plan(store, player, features, options, time); // the first plan reads everything
        expect(planner.count).toBe(1000);

        // Entity 0 is straight ahead (+z); 250 is at 90 degrees; 500 behind; 600 was in the gaze cone
        // at its last evaluation; 700 is hot (an event, a ranking); 800 near.
        time.nowMs = 1000;
        store.alignment[600] = 0.3;
        store.hot[700] = 1;
        store.distance[800] = 3;
        planner.plan(store, player, features, options, time);
        const due = new Set(planned(planner));
        for (const slot of [0, 600, 700, 800]) {
            expect(due.has(slot), `slot ${slot}`).toBe(true);
        }
        expect(due.has(250)).toBe(false);
        expect(due.has(500)).toBe(false);
        // The cone of 12 + 2 degrees holds ~78 of 1000 ring entities, half of them tested per tick
        // (alternating); the round robin 1000 / 30 = 34.
        expect(planner.count).toBeGreaterThan(60);
        expect(planner.count).toBeLessThan(120);
        expect(store.hot[700]).toBe(0);
        expect(Array.from(planner.readSlots.subarray(0, planner.readCount))).toContain(0);

        // A tick later the gazed-at entity (its evaluation found it in the cone) is evaluated again
        // from its last position, not re-read: such positions are read every gazeReadMs.
        store.alignment[0] = 0.8;
        time.nowMs += 1000 / 30;
        planner.plan(store, player, features, options, time);
        expect(planned(planner)).toContain(0);
        expect(Array.from(planner.readSlots.subarray(0, planner.readCount))).not.toContain(0);
        expect(planner.readCount).toBeLessThan(planner.count);
        time.nowMs += options.gazeReadMs;
        planner.plan(store, player, features, options, time);
        expect(Array.from(planner.readSlots.subarray(0, planner.readCount))).toContain(0);
    });

    it("reaches every entity within maxStalenessMs whatever the gaze does", () => {
        const store = ringStore(3000);
        const planner = new RefreshPlanner();
        const player = createPlayerState();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        const lastRead = new Float64Array(store.count).fill(0);
        let worstGapMs = 0;
        for (let tick = 0; tick < 120; tick++) {
            time.nowMs = tick * (1000 / 30);
            planner.plan(store, player, features, options, time);
            for (const slot of planned(planner)) {
                worstGapMs = Math.max(worstGapMs, time.nowMs - lastRead[slot]);
                lastRead[slot] = time.nowMs;
            }
        }
        for (let i = 0; i < store.count; i++) {
            expect(time.nowMs - lastRead[i]).toBeLessThanOrEqual(options.maxStalenessMs);
        }
        expect(worstGapMs).toBeLessThanOrEqual(options.maxStalenessMs + 1000 / 30);
        // Far fewer reads than a full refresh per tick.
        expect(planner.count).toBeLessThan(store.count / 4);
    });

    it("reads everything again after requestFullRefresh", () => {
        const store = ringStore(1000);
        const planner = new RefreshPlanner();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        planner.plan(store, createPlayerState(), features, options, time);
        planner.plan(store, createPlayerState(), features, options, time);
        expect(planner.count).toBeLessThan(1000);
        planner.requestFullRefresh();
        planner.plan(store, createPlayerState(), features, options, time);
        expect(planner.count).toBe(1000);
    });
});

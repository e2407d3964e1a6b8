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
        // At 29.6 m, six times nearDistance, the same movement sweeps a sixth of the angle it
        // would at 5 m: such re-reads come less often, at most four times less.
        const readInterval = 4 * options.gazeReadMs;
        time.nowMs += readInterval - 2 * (1000 / 30);
        planner.plan(store, player, features, options, time);
        expect(Array.from(planner.readSlots.subarray(0, planner.readCount))).not.toContain(0);
        time.nowMs += 2 * (1000 / 30);
        planner.plan(store, player, features, options, time);
        expect(Array.from(planner.readSlots.subarray(0, planner.readCount))).toContain(0);
    });

    it("with a gaze cone of a right angle or wider, takes every entity in front and none behind", () => {
        const store = ringStore(400);
        const planner = new RefreshPlanner();
        const player = createPlayerState();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        // A round robin of one entity a tick, so what else is due is the cone's choice.
        const slow = { ...options, maxStalenessMs: 1e9 };
        for (const halfAngleDegrees of [88, 100]) {
            const wide = { ...features, gazeConeHalfAngle: (halfAngleDegrees * Math.PI) / 180 };
            planner.requestFullRefresh();
            planner.plan(store, player, wide, slow, time);
            const due = new Set<number>();
            for (let tick = 0; tick < 2; tick++) {
                time.nowMs += 1000 / 30;
                planner.plan(store, player, wide, slow, time);
                for (const slot of planned(planner)) due.add(slot);
            }
            let behind = 0;
            for (let i = 0; i < store.count; i++) {
                const reach = store.z[i] + store.radius[i];
                if (reach >= 0) {
                    expect(due.has(i), `slot ${i} (${halfAngleDegrees} degrees)`).toBe(true);
                } else if (due.has(i)) {
                    behind++;
                }
            }
            // Only the round robin's two entities may come from behind.
            expect(behind).toBeLessThanOrEqual(2);
        }
    });

    it("re-reads a gazed-at entity at nearDistance every gazeReadMs, one twice as far half as often, and none less than a quarter as often", () => {
        const store = ringStore(1000);
        const planner = new RefreshPlanner();
        const player = createPlayerState();
        const time = createTickTime();
        time.dtSeconds = 1 / 30;
        planner.plan(store, player, features, options, time); // reads everything
        // Slots far from the round robin's cursor, in the cone (alignment > 0), at 1x, 2x and 10x nearDistance.
        const slots = [500, 501, 502];
        [1, 2, 10].forEach((scale, k) => {
            store.alignment[slots[k]] = 0.8;
            store.distance[slots[k]] = scale * options.nearDistance;
        });
        const readTimes: Record<number, number[]> = { 500: [], 501: [], 502: [] };
        const step = 10;
        for (let t = step; t <= 1000; t += step) {
            time.nowMs = t;
            time.dtSeconds = 0; // no round robin: only the gaze rule reads them
            planner.plan(store, player, features, options, time);
            const read = Array.from(planner.readSlots.subarray(0, planner.readCount));
            for (const slot of slots) {
                if (read.includes(slot)) {
                    readTimes[slot].push(t);
                }
            }
        }
        expect(readTimes[500]).toEqual([150, 300, 450, 600, 750, 900]);
        expect(readTimes[501]).toEqual([300, 600, 900]);
        expect(readTimes[502]).toEqual([600]);
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

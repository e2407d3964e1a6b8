import { describe, expect, it } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { writeFeatures } from "../../plugin/features/featureWriter";
import { createTickTime } from "../../plugin/features/tickTime";

const HZ = 20;
const DT = 1 / HZ;

/** Two candidates fed measured geometry by hand, ticked through writeFeatures at 20 Hz. */
function createRig(count = 2) {
    const store = new EntityStore(4);
    for (let i = 0; i < count; i++) {
        store.add(0, 0.5, 0.5);
    }
    const time = createTickTime();
    const out = new Float32Array(count * FEATURE_COUNT);
    const all = Int32Array.from({ length: count }, (_, i) => i);
    let tick = 0;
    return {
        store,
        /** Runs one tick for `slots` (default: every entity); entities not listed keep their rows. */
        tick(slots: Int32Array = all): void {
            time.nowMs = tick * 1000 * DT;
            time.dtSeconds = tick === 0 ? 0 : DT;
            tick++;
            writeFeatures(store, DEFAULT_FEATURE_OPTIONS, time, -1, slots, slots.length, out);
        },
        feature: (entity: number, column: Feature): number => out[entity * FEATURE_COUNT + column],
    };
}

describe("writeFeatures: the schema-2 columns", () => {
    it("sustainedApproach names the candidate the walk keeps closing on while the instantaneous approach swings between two that lie the same way", () => {
        const rig = createRig();
        // A swaying walk: the speed toward A averages 1.4 m/s, toward B 0.9 m/s, and the sway
        // (period 4.8 s, as people drift) makes B the faster-closing one a third of the time.
        rig.store.distance[0] = 20;
        rig.store.distance[1] = 22;
        let instantLeadsSwapped = 0;
        let sustainedWrong = 0;
        let previousLeader = -1;
        for (let t = 0; t < 12 * HZ; t++) {
            const phase = (2 * Math.PI * t * DT) / 4.8;
            rig.store.distance[0] -= (1.4 + 0.5 * Math.sin(phase)) * DT;
            rig.store.distance[1] -= (0.9 - 0.5 * Math.sin(phase)) * DT;
            rig.tick();
            const leader = rig.feature(0, Feature.Approach) > rig.feature(1, Feature.Approach) ? 0 : 1;
            if (previousLeader >= 0 && leader !== previousLeader) instantLeadsSwapped++;
            previousLeader = leader;
            if (t >= 3 * HZ && rig.feature(0, Feature.SustainedApproach) <= rig.feature(1, Feature.SustainedApproach)) sustainedWrong++;
        }
        expect(instantLeadsSwapped).toBeGreaterThanOrEqual(4);
        expect(sustainedWrong).toBe(0);
    });

    it("sustainedApproach settles on the mean closing speed / approachScale, clamped, and starts at 0", () => {
        const rig = createRig(1);
        rig.store.distance[0] = 30;
        rig.tick();
        expect(rig.feature(0, Feature.SustainedApproach)).toBe(0);
        for (let t = 0; t < 20 * HZ; t++) {
            rig.store.distance[0] -= 1.2 * DT;
            rig.tick();
        }
        expect(rig.feature(0, Feature.SustainedApproach)).toBeCloseTo(1.2 / DEFAULT_FEATURE_OPTIONS.approachScale, 3);
        // Backing away fast: the column stays in [-1, 1].
        for (let t = 0; t < 20 * HZ; t++) {
            rig.store.distance[0] += 5 * DT;
            rig.tick();
        }
        expect(rig.feature(0, Feature.SustainedApproach)).toBe(-1);
    });

    it("gazeShare keeps count of repeated returns of the gaze that dwell forgets between looks", () => {
        const rig = createRig();
        rig.store.distance[0] = rig.store.distance[1] = 8;
        // Candidate 0: looked at for 0.5 s every 2 s (a walker glancing back at a goal).
        // Candidate 1: one look of 1 s, then never again.
        for (let t = 0; t < 8 * HZ; t++) {
            const s = t * DT;
            rig.store.alignment[0] = s % 2 < 0.5 ? 1 : 0;
            rig.store.alignment[1] = s >= 2 && s < 3 ? 1 : 0;
            rig.tick();
        }
        // 1.5 s after 0's last look ended, dwell has mostly forgotten both; the share has not forgotten 0.
        expect(rig.feature(0, Feature.Dwell)).toBeLessThan(0.3);
        expect(rig.feature(0, Feature.GazeShare)).toBeGreaterThan(rig.feature(1, Feature.GazeShare) + 0.05);
        expect(rig.feature(0, Feature.GazeShare)).toBeGreaterThan(0.15);
    });

    it("gazeShare rises as 1 - exp(-t / gazeShareSeconds) under a steady look and ignores occluded looks", () => {
        const rig = createRig();
        rig.store.alignment[0] = 1;
        rig.store.alignment[1] = 1;
        rig.store.visible[1] = 0;
        rig.tick();
        for (let t = 0; t < 3 * HZ; t++) rig.tick();
        expect(rig.feature(0, Feature.GazeShare)).toBeCloseTo(1 - Math.exp(-3 / DEFAULT_FEATURE_OPTIONS.gazeShareSeconds), 4);
        expect(rig.feature(1, Feature.GazeShare)).toBe(0);
    });

    it("integrates both averages over an entity's own time when it is read only every sixth tick", () => {
        const everyTick = createRig(1);
        const everySixth = createRig(1);
        const none = new Int32Array(0);
        const only = Int32Array.of(0);
        for (const rig of [everyTick, everySixth]) {
            rig.store.distance[0] = 25;
            rig.store.alignment[0] = 0.8;
        }
        for (let t = 0; t <= 60; t++) {
            for (const rig of [everyTick, everySixth]) rig.store.distance[0] -= 1.4 * DT;
            everyTick.tick();
            everySixth.tick(t % 6 === 0 ? only : none);
        }
        for (const column of [Feature.SustainedApproach, Feature.GazeShare]) {
            expect(everySixth.feature(0, column)).toBeCloseTo(everyTick.feature(0, column), 3);
        }
    });
});

describe("writeFeatures: rows read late by different amounts", () => {
    it("gives each row the values of its own dt when rows late by different amounts share one call", () => {
        // Rows 0 and 1 were last read 0.2 s ago (the second reuses the first's decays), 2 with the
        // tick, 3 0.2 s ago again after it, 4 a second ago (clamped to 0.5 s), 5 0.3 s ago, 6 with
        // the tick, 7 never: one call over all of them must match each row written alone.
        const lastReadMs = [800, 800, 950, 800, 0, 700, 950, NaN];
        const nowMs = 1000;
        const setUp = () => {
            const store = new EntityStore(8);
            for (let i = 0; i < lastReadMs.length; i++) {
                store.add(0, 0.5, 0.5);
                store.evaluatedAt[i] = lastReadMs[i];
                store.prevDistance[i] = 10 + i;
                store.prevAngle[i] = 0.3;
                store.distance[i] = 9 + i * 0.9;
                store.angle[i] = 0.1;
                store.alignment[i] = i % 2 === 0 ? 0.7 : 0;
                store.visible[i] = 1;
                store.dwell[i] = 0.4 + 0.1 * i;
                store.closingSpeed[i] = 0.2;
                store.gazeShare[i] = 0.3;
            }
            return store;
        };
        const time = createTickTime();
        time.nowMs = nowMs;
        time.dtSeconds = 0.05;
        const together = setUp();
        const togetherRows = new Float32Array(lastReadMs.length * FEATURE_COUNT);
        const all = Int32Array.from(lastReadMs, (_, i) => i);
        writeFeatures(together, DEFAULT_FEATURE_OPTIONS, time, -1, all, all.length, togetherRows);
        const alone = setUp();
        const aloneRows = new Float32Array(lastReadMs.length * FEATURE_COUNT);
        for (let i = 0; i < lastReadMs.length; i++) {
            writeFeatures(alone, DEFAULT_FEATURE_OPTIONS, time, -1, Int32Array.of(i), 1, aloneRows);
        }
        expect(Array.from(togetherRows)).toEqual(Array.from(aloneRows));
        for (const column of [together.dwell, together.closingSpeed, together.gazeShare]) {
            const twin = column === together.dwell ? alone.dwell : column === together.closingSpeed ? alone.closingSpeed : alone.gazeShare;
            expect(Array.from(column.subarray(0, lastReadMs.length))).toEqual(Array.from(twin.subarray(0, lastReadMs.length)));
        }
        // And the rows really were integrated over different times: the unseen (odd) rows' dwell
        // decayed by their own dt (0.2 s, 0.2 s, 0.3 s, never read: the tick's).
        const decay = (seconds: number) => Math.exp(-seconds / DEFAULT_FEATURE_OPTIONS.dwellDecaySeconds);
        expect(together.dwell[1]).toBeCloseTo(0.5 * decay(0.2), 5);
        expect(together.dwell[3]).toBeCloseTo(0.7 * decay(0.2), 5);
        expect(together.dwell[5]).toBeCloseTo(0.9 * decay(0.3), 5);
        expect(together.dwell[7]).toBeCloseTo(1.1 * decay(0.05), 5);
    });
});

describe("writeFeatures: novelty", () => {
    it("is exp(-attended seconds / noveltySeconds): 1 before any look, falling while seen, held while not", () => {
        const rig = createRig(1);
        rig.store.distance[0] = 4;
        rig.store.visible[0] = 1;
        rig.tick();
        expect(rig.feature(0, Feature.Novelty)).toBe(1);
        rig.store.alignment[0] = 0.8;
        for (let t = 0; t < 2 * HZ; t++) {
            rig.tick();
        }
        const attended = 0.8 * 2 * HZ * DT;
        const looked = rig.feature(0, Feature.Novelty);
        expect(looked).toBeCloseTo(Math.exp(-attended / DEFAULT_FEATURE_OPTIONS.noveltySeconds), 4);
        rig.store.alignment[0] = 0;
        for (let t = 0; t < HZ; t++) {
            rig.tick();
        }
        expect(rig.feature(0, Feature.Novelty)).toBe(looked);
        // Occluded: the gaze does not count, novelty holds.
        rig.store.alignment[0] = 1;
        rig.store.visible[0] = 0;
        rig.tick();
        expect(rig.feature(0, Feature.Novelty)).toBe(looked);
    });
});

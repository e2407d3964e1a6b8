import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ContextTracker } from "../../plugin/features/contextTracker";
import { EntityStore } from "../../plugin/features/entityStore";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { Context } from "../../plugin/features/featureSchema";
import { createPlayerState } from "../../plugin/features/playerState";
import { createTickTime } from "../../plugin/features/tickTime";

/** The counts the context is made of, row by row. */
function countedByRow(store: EntityStore): { valid: number; activeTasks: number; inView: number } {
    let valid = 0;
    let activeTasks = 0;
    let inView = 0;
    for (let i = 0; i < store.count; i++) {
        if (store.valid[i] === 1) {
            valid++;
            activeTasks += store.active[i];
            inView += store.inView[i];
        }
    }
    return { valid, activeTasks, inView };
}

describe("ContextTracker", () => {
    it("counts valid rows, active tasks and rows in view over every row, whatever the row count and after removals", () => {
        // Flags per row: bit 0 valid, bit 1 active, bit 2 in view. Removals leave stale flags
        // past the end of the store, which must not be counted.
        const row = fc.integer({ min: 0, max: 7 });
        fc.assert(
            fc.property(fc.array(row, { minLength: 0, maxLength: 70 }), fc.array(fc.nat(), { maxLength: 12 }), (rows, removals) => {
                const store = new EntityStore(3);
                for (const flags of rows) {
                    const slot = store.add(0, 0.5, 0.5);
                    store.valid[slot] = flags & 1;
                    store.active[slot] = (flags >> 1) & 1;
                    store.inView[slot] = (flags >> 2) & 1;
                }
                for (const r of removals) {
                    if (store.count > 0) store.remove(r % store.count);
                }
                const tracker = new ContextTracker();
                const time = createTickTime();
                const context = tracker.update(createPlayerState(), store, DEFAULT_FEATURE_OPTIONS, time);
                const expected = countedByRow(store);
                expect(context[Context.ActiveTask]).toBe(expected.activeTasks > 0 ? 1 : 0);
                expect(context[Context.InViewFraction]).toBeCloseTo(expected.valid > 0 ? expected.inView / expected.valid : 0, 6);
            })
        );
    });

    it("follows the store as it grows past the views it counted through", () => {
        const store = new EntityStore(4);
        const tracker = new ContextTracker();
        const time = createTickTime();
        for (let n = 1; n <= 40; n++) {
            const slot = store.add(0, 0.5, 0.5);
            store.inView[slot] = n % 3 === 0 ? 1 : 0;
            const context = tracker.update(createPlayerState(), store, DEFAULT_FEATURE_OPTIONS, time);
            expect(context[Context.InViewFraction]).toBeCloseTo(countedByRow(store).inView / n, 6);
        }
    });
});

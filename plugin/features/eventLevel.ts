import type { EntityStore } from "./entityStore.js";

/**
 * Adds a game event of `intensity` to the entity in `slot` at `nowMs`: the level it had, decayed
 * by its half-life since its last event, plus the new one; later events decay by `halfLifeMs`.
 * The Event feature reads the level decayed to the tick's time.
 */
export function addEvent(store: EntityStore, slot: number, intensity: number, halfLifeMs: number, nowMs: number): void {
    const age = nowMs - store.eventTime[slot];
    const current = store.eventLevel[slot] > 0 ? store.eventLevel[slot] * Math.pow(2, -(age > 0 ? age : 0) / store.eventHalfLife[slot]) : 0;
    store.eventLevel[slot] = current + intensity;
    store.eventTime[slot] = nowMs;
    store.eventHalfLife[slot] = halfLifeMs;
    // Re-read next tick whatever its level of detail: an event usually lifts it into a ranking.
    store.hot[slot] = 1;
}

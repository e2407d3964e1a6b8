import { KindIndex, type EntityStore } from "./entityStore.js";
import type { IFeatureOptions } from "./featureOptions.js";
import { FEATURE_COUNT, Feature } from "./featureSchema.js";
import type { ITickTime } from "./tickTime.js";

/**
 * Turns the store's measured signals into feature rows, and advances the per-entity state that
 * integrates over time (dwell, attended seconds, previous distance and angle). Runs after
 * `measureGazeGeometry` and the occlusion stage, for the `slotCount` slots listed in `slots`
 * (this tick's refresh plan); other rows of `out` keep their last values. Each entity integrates
 * over its own time since its last evaluation (`store.evaluatedAt`), so an entity refreshed only
 * every few ticks decays and measures rates exactly as if it had been read every tick.
 * `out` must hold at least `store.count * FEATURE_COUNT` floats.
 */
export function writeFeatures(store: EntityStore, options: IFeatureOptions, time: ITickTime, focusedId: number, slots: Int32Array, slotCount: number, out: Float32Array): void {
    const nowMs = time.nowMs;
    const { kind, valid, distance, angle, alignment, inView, visible, dwell, attended, novelty, prevDistance, prevAngle, closingSpeed, gazeShare, priority, eventLevel, eventTime, eventHalfLife, id, evaluatedAt } = store;
    const tickDt = time.dtSeconds;
    const tickDwellDecay = Math.exp(-tickDt / options.dwellDecaySeconds);
    const tickApproachBlend = 1 - Math.exp(-tickDt / options.approachSmoothingSeconds);
    const tickShareBlend = 1 - Math.exp(-tickDt / options.gazeShareSeconds);
    const invMaxDistance = 1 / options.maxDistance;
    const invApproach = 1 / options.approachScale;
    const invTurn = 1 / options.gazeTurnScale;
    const invPi = 1 / Math.PI;
    // The decays for the last dt that was not the tick's: rows refreshed late are mostly the
    // round robin's, whose dt is clamped to the same 0.5 s (with maxStalenessMs at 500 or more,
    // the default 1000), so most of them reuse these instead of three exponentials each.
    let otherDt = NaN;
    let otherDwellDecay = 0;
    let otherApproachBlend = 0;
    let otherShareBlend = 0;
    for (let s = 0; s < slotCount; s++) {
        const i = slots[s];
        const base = i * FEATURE_COUNT;
        // This entity's own dt: the tick's when it was read last tick or never (the common case,
        // and the only one below the refresh planner's full-refresh limit), else the time since
        // its last reading, clamped like the tick's own dt.
        const last = evaluatedAt[i];
        const sinceLast = (nowMs - last) / 1000;
        const dtSeconds = last !== last ? tickDt : sinceLast <= tickDt + 1e-6 ? tickDt : sinceLast < 0.5 ? sinceLast : 0.5;
        const sameDt = dtSeconds === tickDt;
        if (!sameDt && dtSeconds !== otherDt) {
            otherDt = dtSeconds;
            otherDwellDecay = Math.exp(-dtSeconds / options.dwellDecaySeconds);
            otherApproachBlend = 1 - Math.exp(-dtSeconds / options.approachSmoothingSeconds);
            otherShareBlend = 1 - Math.exp(-dtSeconds / options.gazeShareSeconds);
        }
        const dwellDecay = sameDt ? tickDwellDecay : otherDwellDecay;
        // Exponential averages over this entity's own dt, so a late reading weighs what it missed.
        const approachBlend = sameDt ? tickApproachBlend : otherApproachBlend;
        const shareBlend = sameDt ? tickShareBlend : otherShareBlend;
        const invDt = dtSeconds > 0 ? 1 / dtSeconds : 0;
        evaluatedAt[i] = nowMs;
        if (valid[i] === 0) {
            out.fill(0, base, base + FEATURE_COUNT);
            continue;
        }
        const d = distance[i];
        const align = alignment[i];
        const seen = align > 0 && visible[i] > 0.5 && d <= options.maxDistance;
        dwell[i] = seen ? dwell[i] + dtSeconds : dwell[i] * dwellDecay;
        if (seen) {
            attended[i] += align * dtSeconds;
            novelty[i] = Math.exp(-attended[i] / options.noveltySeconds);
        }
        gazeShare[i] += ((seen ? align : 0) - gazeShare[i]) * shareBlend;

        let approach = 0;
        let turn = 0;
        if (invDt > 0 && prevDistance[i] === prevDistance[i]) {
            const closing = (prevDistance[i] - d) * invDt;
            approach = closing * invApproach;
            turn = (prevAngle[i] - angle[i]) * invDt * invTurn;
            closingSpeed[i] += (closing - closingSpeed[i]) * approachBlend;
        }
        prevDistance[i] = d;
        prevAngle[i] = angle[i];

        // Events decay continuously by their half-life; sum them lazily at read time.
        const age = nowMs - eventTime[i];
        const e = eventLevel[i] > 0 ? eventLevel[i] * Math.pow(2, -(age > 0 ? age : 0) / eventHalfLife[i]) : 0;

        const dw = dwell[i];
        const k = kind[i];
        out[base + Feature.GazeAlignment] = align;
        out[base + Feature.GazeAngle] = angle[i] * invPi;
        out[base + Feature.Dwell] = dw / (dw + options.dwellScale);
        out[base + Feature.Proximity] = 1 / (1 + d / options.proximityScale);
        const dn = d * invMaxDistance;
        out[base + Feature.Distance] = dn < 1 ? dn : 1;
        out[base + Feature.Visible] = visible[i];
        out[base + Feature.Event] = e / (1 + e);
        out[base + Feature.Priority] = priority[i];
        out[base + Feature.Novelty] = novelty[i];
        out[base + Feature.Approach] = approach > 1 ? 1 : approach < -1 ? -1 : approach;
        out[base + Feature.GazeTurn] = turn > 1 ? 1 : turn < -1 ? -1 : turn;
        out[base + Feature.InView] = inView[i];
        out[base + Feature.KindNpc] = k === KindIndex.Npc ? 1 : 0;
        out[base + Feature.KindTask] = k === KindIndex.Task ? 1 : 0;
        out[base + Feature.KindHint] = k === KindIndex.Hint ? 1 : 0;
        out[base + Feature.Focused] = id[i] === focusedId ? 1 : 0;
        const sustained = closingSpeed[i] * invApproach;
        out[base + Feature.SustainedApproach] = sustained > 1 ? 1 : sustained < -1 ? -1 : sustained;
        out[base + Feature.GazeShare] = gazeShare[i];
    }
}

import { describe, expect, it } from "vitest";
import { CONTEXT_COUNT, Context, FEATURE_COUNT, Feature } from "../../plugin/features/featureSchema";
import { WEIGHT_COUNT } from "../../plugin/model/attentionWeights";
import type { IRecordedEvent, IRecordedSession, IRecordedTick } from "../../plugin/recording/sessionFormat";
import { buildDataset } from "../../models/labels/buildDataset";

const TICK_MS = 100;

/**
 * A scripted 3-second session with two entities: an NPC "A" (id 1) the player glances at in
 * ticks 2-6, and a task "B" (id 2) it walks to and engages at tick 15 (1.5 s), completing it.
 * `length` and `engageTick` stretch it (an engagement beyond every fixed horizon).
 */
function scriptedSession(extraEntity = false, length = 30, engageTick = 15): IRecordedSession {
    const ticks: IRecordedTick[] = [];
    const count = extraEntity ? 3 : 2;
    for (let t = 0; t < length; t++) {
        const features = new Float32Array(count * FEATURE_COUNT);
        features[Feature.KindNpc] = 1;
        features[FEATURE_COUNT + Feature.KindTask] = 1;
        const context = new Float32Array(CONTEXT_COUNT);
        context[Context.ActiveTask] = t < engageTick ? 1 : 0;
        const weights = new Float32Array(WEIGHT_COUNT).fill(1);
        const onA = t >= 2 && t <= 6;
        const gazeAngle = Float32Array.from({ length: count }, (_, i) => (i === 0 ? (onA ? 0.02 : 0.5) : 0.3));
        // B gets closer every tick: 6 m at the start, 1.5 m at engagement.
        const distance = Float32Array.from({ length: count }, (_, i) => (i === 1 ? Math.max(1.5, 6 - 0.3 * t) : 2));
        if (extraEntity) {
            features[2 * FEATURE_COUNT + Feature.KindHint] = 1;
            features[2 * FEATURE_COUNT + Feature.Proximity] = 1;
        }
        const events: IRecordedEvent[] = [];
        if (t === 0) events.push({ tick: 0, timeMs: 0, id: 2, type: "taskActive" });
        if (t === engageTick) events.push({ tick: t, timeMs: t * TICK_MS, id: 2, type: "engage" }, { tick: t, timeMs: t * TICK_MS, id: 2, type: "taskDone" });
        ticks.push({
            index: t,
            timeMs: t * TICK_MS,
            ids: Int32Array.from(extraEntity ? [1, 2, 3] : [1, 2]),
            features,
            context,
            weights,
            player: new Float32Array(10),
            distance,
            gazeAngle,
            events,
        });
    }
    return {
        name: "scripted",
        header: { format: "babylon-attention-session", formatVersion: 1, featureSchemaVersion: 1, featureNames: [], contextNames: [], weightNames: [], sessionId: "s", layoutId: "L", chunkTicks: 10, meta: {} },
        entities: new Map([
            [1, { id: 1, kind: "npc", label: "A" }],
            [2, { id: 2, kind: "task", label: "B" }],
            [3, { id: 3, kind: "hint", label: "C" }],
        ]),
        ticks,
    };
}

describe("buildDataset", () => {
    const { examples, k } = buildDataset([scriptedSession()], { k: 4, dropCensored: false, lostAfterS: 1 });

    it("makes one example per tick, padded to K with a mask", () => {
        expect(k).toBe(4);
        expect(examples).toHaveLength(30);
        expect(Array.from(examples[0].mask)).toEqual([1, 1, 0, 0]);
        expect(examples[0].features.length).toBe(4 * FEATURE_COUNT);
        expect(examples[0].features[FEATURE_COUNT + Feature.KindTask]).toBe(1);
        expect(examples[0].features.slice(2 * FEATURE_COUNT).every((v) => v === 0)).toBe(true);
    });

    it("labels the next engagement strictly after the tick, within 1 s, 3 s and 6 s", () => {
        const engage1s = examples.map((e) => e.engage1s);
        // engagement at 1.5 s: ticks at 0.5 .. 1.4 s are within 1 s of it
        expect(engage1s.slice(0, 5)).toEqual([-1, -1, -1, -1, -1]);
        expect(engage1s.slice(5, 15)).toEqual(new Array(10).fill(1));
        expect(engage1s[15]).toBe(-1);
        expect(examples.slice(0, 15).every((e) => e.engage3s === 1 && e.engage6s === 1)).toBe(true);
        expect(examples.slice(15).every((e) => e.engage3s === -1 && e.engage6s === -1)).toBe(true);
    });

    it("labels the next engagement whenever it comes, with the seconds until it", () => {
        expect(examples.slice(0, 15).every((e, t) => e.engageNext === 1 && Math.abs(e.engageNextS - (15 - t) / 10) < 1e-6)).toBe(true);
        expect(examples.slice(15).every((e) => e.engageNext === -1 && Number.isNaN(e.engageNextS))).toBe(true);
        // 9 s ahead: beyond the 6 s horizon, still the next engagement.
        const late = buildDataset([scriptedSession(false, 120, 100)], { k: 4, dropCensored: false, lostAfterS: 1 }).examples;
        expect(late[10].engage6s).toBe(-1);
        expect(late[10].engageNext).toBe(1);
        expect(late[10].engageNextS).toBeCloseTo(9, 6);
        expect(late[95].engage6s).toBe(1);
    });

    it("copies distance and gaze angle per candidate for the baselines", () => {
        expect(examples[0].distance[1]).toBeCloseTo(6, 5);
        expect(examples[10].distance[1]).toBeCloseTo(3, 5);
        expect(examples[3].gazeAngle[0]).toBeCloseTo(0.02, 5);
    });

    it("marks guidance toward the task completed next once the player is stalled", () => {
        const guided = examples.map((e) => Array.from(e.guidance));
        // lost after 1 s without progress, until the engagement at 1.5 s
        expect(guided.slice(0, 10).every((g) => g.every((v) => v === 0))).toBe(true);
        expect(guided.slice(10, 15).every((g) => g[1] === 1 && g[0] === 0)).toBe(true);
        expect(guided.slice(15).every((g) => g.every((v) => v === 0))).toBe(true);
    });

    it("measures the dwell still to come on each candidate within the horizon", () => {
        // gaze on A in ticks 2..6: from tick 0, five ticks of 0.1 s are ahead
        expect(examples[0].dwell[0]).toBeCloseTo(0.5, 5);
        expect(examples[4].dwell[0]).toBeCloseTo(0.2, 5);
        expect(examples[6].dwell[0]).toBeCloseTo(0, 5);
        expect(examples[0].dwell[1]).toBe(0);
    });

    it("drops ticks whose 6 s horizon runs past the end unless told not to", () => {
        expect(buildDataset([scriptedSession()], { k: 4 }).examples).toHaveLength(0);
    });

    it("keeps the K best by heuristic score when there are more entities than K", () => {
        const { examples: cut } = buildDataset([scriptedSession(true)], { k: 2, dropCensored: false });
        // the hint (id 3) has full proximity; the NPC and task score 0 but for their kinds
        expect(cut[0].mask[0] + cut[0].mask[1]).toBe(2);
        expect(cut[0].features[Feature.KindHint]).toBe(1);
        // NPC and task tie at zero; the tie goes to the earlier slot (the NPC), so the engaged
        // task is not a candidate and its engagement cannot be a label
        expect(cut[0].features[FEATURE_COUNT + Feature.KindNpc]).toBe(1);
        expect(cut[5].engage1s).toBe(-1);
    });
});

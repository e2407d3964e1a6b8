import { describe, expect, it } from "vitest";
import { FEATURE_COUNT } from "../../plugin/features/featureSchema";
import { createPlayerState } from "../../plugin/features/playerState";
import { createTickTime } from "../../plugin/features/tickTime";
import { RankingBuilder, RankingEntry } from "../../plugin/ranking/rankingBuilder";
import { createGazeSample } from "../../plugin/signals/gazeSample";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";

// Objects whose number fields the tick writes every time must not be plain literals: V8 shares
// one hidden class among all literals of a shape, so any `{ x, y, z }` (or `{ gaze, dwell, ... }`)
// literal elsewhere in the page holding a non-number makes the fields generic, and every
// fractional write then allocates (measured: 40 bytes per gaze read with playwright-core loaded).
// A class instance has hidden classes of its own; its prototype is how to tell.
const isPlainLiteral = (value: object): boolean => Object.getPrototypeOf(value) === Object.prototype;

describe("objects written every tick", () => {
    it("are class instances, not literals that other code's literals could widen", () => {
        const sample = createGazeSample();
        const entry = new RankingEntry({} as TransformNode, "npc", "Guide", {
            scores: { engagement: new Float32Array(1), guidance: new Float32Array(1), dwell: new Float32Array(1), attention: new Float32Array(1) },
            features: new Float32Array(FEATURE_COUNT),
            weights: new Float32Array(8),
        });
        const hot: Record<string, object> = {
            "gaze sample": sample,
            "gaze origin": sample.origin,
            "gaze direction": sample.direction,
            "tick time": createTickTime(),
            "player state": createPlayerState(),
            "ranking entry why": entry.why,
            ranking: new RankingBuilder(4).ranking,
        };
        for (const [name, value] of Object.entries(hot)) {
            expect(isPlainLiteral(value), name).toBe(false);
        }
        // Literals of the same shapes stay what they are (the check can tell them apart).
        expect(isPlainLiteral({ x: 0, y: 0, z: 0 })).toBe(true);
    });

    it("start with the documented values", () => {
        const sample = createGazeSample(0, -Infinity);
        expect([sample.origin.x, sample.origin.y, sample.origin.z, sample.direction.x, sample.direction.y, sample.direction.z, sample.confidence, sample.time]).toEqual([0, 0, 0, 0, 0, 1, 0, -Infinity]);
        expect(createGazeSample().confidence).toBe(1);
        expect(createTickTime()).toMatchObject({ nowMs: 0, dtSeconds: 0 });
        expect(createPlayerState()).toMatchObject({ gazeDirZ: 1, viewDirZ: 1, gazeConfidence: 1, halfFovCos: Math.cos(Math.PI / 4), positionX: 0 });
    });
});

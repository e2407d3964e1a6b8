import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BoxOccluders } from "../../plugin/features/boxOccluders";

type Box = [number, number, number, number, number, number];

/** Whether the point at `t` along the segment lies inside a box (closed). */
function pointInBox(p: number[], box: Box): boolean {
    return p[0] >= box[0] && p[0] <= box[3] && p[1] >= box[1] && p[1] <= box[4] && p[2] >= box[2] && p[2] <= box[5];
}

/**
 * The segment's parameter interval [t0, t1] inside `box`, clipped to [0, tEnd], axis by axis:
 * empty (t0 > t1) for a miss, null when a parallel axis lies outside the slab.
 */
function clipToBox(origin: number[], direction: number[], tEnd: number, box: Box): [number, number] | null {
    let t0 = 0;
    let t1 = tEnd;
    for (let axis = 0; axis < 3; axis++) {
        if (direction[axis] === 0) {
            if (origin[axis] < box[axis] || origin[axis] > box[axis + 3]) {
                return null;
            }
            continue;
        }
        const ta = (box[axis] - origin[axis]) / direction[axis];
        const tb = (box[axis + 3] - origin[axis]) / direction[axis];
        t0 = Math.max(t0, Math.min(ta, tb));
        t1 = Math.min(t1, Math.max(ta, tb));
    }
    return [t0, t1];
}

const coordinate = fc.integer({ min: -20, max: 20 }).map((v) => v / 2 + 0.25);
const boxArbitrary = fc.tuple(coordinate, coordinate, coordinate, fc.double({ min: 0.1, max: 6, noNaN: true }), fc.double({ min: 0.1, max: 6, noNaN: true }), fc.double({ min: 0.1, max: 6, noNaN: true })).map(([x, y, z, w, h, d]): Box => [x, y, z, x + w, y + h, z + d]);

describe("BoxOccluders", () => {
    const boxes = new BoxOccluders();
    boxes.add(-1, 0, 4, 1, 3, 5); // a wall across the z axis between z=4 and z=5

    it("blocks a segment through a box", () => {
        expect(boxes.isBlocked(0, 1.6, 0, 0, 1.6, 10, 0.5)).toBe(true);
    });

    it("does not block a segment that passes beside it or ends before it", () => {
        expect(boxes.isBlocked(0, 1.6, 0, 3, 1.6, 10, 0.5)).toBe(false);
        expect(boxes.isBlocked(0, 1.6, 0, 0, 1.6, 3, 0.5)).toBe(false);
    });

    it("stops at the target's surface, so a target touching the box is visible", () => {
        expect(boxes.isBlocked(0, 1.6, 0, 0, 1.6, 5.4, 1.5)).toBe(false);
    });

    it("handles axis-parallel segments and removal", () => {
        const b = new BoxOccluders();
        const index = b.add(-1, -1, 2, 1, 1, 3);
        expect(b.isBlocked(0, 0, 0, 0, 0, 10, 0)).toBe(true);
        b.removeAt(index);
        expect(b.isBlocked(0, 0, 0, 0, 0, 10, 0)).toBe(false);
    });

    it("blocks exactly the segments that pass through a box before the target's surface", () => {
        fc.assert(
            fc.property(fc.array(boxArbitrary, { minLength: 1, maxLength: 9 }), fc.tuple(coordinate, coordinate, coordinate), fc.tuple(coordinate, coordinate, coordinate), fc.double({ min: 0, max: 2, noNaN: true }), (list, from, to, radius) => {
                const occluders = new BoxOccluders();
                for (const box of list) {
                    occluders.add(...box);
                }
                const direction = [to[0] - from[0], to[1] - from[1], to[2] - from[2]];
                const length = Math.hypot(...direction);
                fc.pre(length > 1e-3);
                const tEnd = Math.max(0, (length - radius) / length);
                // The boxes as stored: float32.
                const stored = list.map((box) => box.map(Math.fround) as Box);
                const clips = stored.map((box) => clipToBox(from, direction, tEnd, box));
                // Leave out segments that graze a box or just miss it: rounding decides those.
                fc.pre(clips.every((clip) => clip === null || Math.abs(clip[1] - clip[0]) > 1e-4));
                const hits = clips.map((clip) => clip !== null && clip[0] <= clip[1]);
                const blocked = occluders.isBlocked(from[0], from[1], from[2], to[0], to[1], to[2], radius);
                expect(blocked).toBe(hits.some((hit) => hit));
                if (blocked) {
                    // A point of the segment inside a box, as a check on the reference itself.
                    const box = hits.indexOf(true);
                    const t = (clips[box]![0] + clips[box]![1]) / 2;
                    expect(pointInBox([from[0] + t * direction[0], from[1] + t * direction[1], from[2] + t * direction[2]], stored[box])).toBe(true);
                }
            }),
            { numRuns: 3000 }
        );
    });
});

import { describe, expect, it } from "vitest";
import { BoxOccluders } from "../../plugin/features/boxOccluders";

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
});

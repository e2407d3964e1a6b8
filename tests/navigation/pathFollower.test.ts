import { describe, expect, it } from "vitest";
import { PathFollower } from "../../plugin/navigation/pathFollower";

const L_PATH = [
    { x: 0, y: 0, z: 0 },
    { x: 0, y: 0, z: 4 },
    { x: 3, y: 0, z: 4 },
];

describe("PathFollower", () => {
    it("measures the path left from the walker through the remaining corners", () => {
        const f = new PathFollower();
        f.setPath(L_PATH);
        expect(f.index).toBe(1);
        expect(f.remaining(0, 0)).toBeCloseTo(7);
        f.advance(0, 3.9, 0.25);
        expect(f.index).toBe(2);
        expect(f.remaining(0, 4)).toBeCloseTo(3);
    });

    it("takes the first sample after a plan as the baseline, not as progress", () => {
        const f = new PathFollower();
        f.setPath(L_PATH);
        expect(f.trackProgress(7, 0.1, 0.1)).toBe(false);
        expect(f.trackProgress(6.95, 0.1, 0.1)).toBe(false);
        expect(f.noProgressTime).toBeCloseTo(0.1);
        expect(f.trackProgress(6.85, 0.1, 0.1)).toBe(true);
        expect(f.noProgressTime).toBe(0);
    });

    it("grows its storage for long paths", () => {
        const f = new PathFollower();
        const points = Array.from({ length: 300 }, (_, i) => ({ x: i, y: 0, z: 0 }));
        f.setPath(points);
        expect(f.count).toBe(300);
        expect(f.x(299)).toBe(299);
        expect(f.remaining(0, 0)).toBeCloseTo(299);
    });
});

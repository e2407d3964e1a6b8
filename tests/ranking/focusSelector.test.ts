import { describe, expect, it } from "vitest";
import { FocusSelector } from "../../plugin/ranking/focusSelector";

const hysteresis = { switchMargin: 0.1, minDwellMs: 200, acquireScore: 0.3, releaseScore: 0.2 };

describe("FocusSelector", () => {
    it("acquires only after the best stays above the threshold for minDwellMs", () => {
        const s = new FocusSelector({ ...hysteresis });
        expect(s.update(1, 0.5, NaN, 0)).toBe(false);
        expect(s.update(1, 0.5, NaN, 100)).toBe(false);
        expect(s.update(1, 0.5, NaN, 200)).toBe(true);
        expect(s.focusedId).toBe(1);
        expect(s.lastReason).toBe("acquired");
    });

    it("switches only to a challenger that beats the holder by the margin for minDwellMs", () => {
        const s = new FocusSelector({ ...hysteresis });
        s.update(1, 0.5, NaN, 0);
        s.update(1, 0.5, NaN, 200);
        expect(s.update(2, 0.55, 0.5, 300)).toBe(false); // inside the margin
        expect(s.update(2, 0.7, 0.5, 400)).toBe(false); // beats it, starts the clock
        expect(s.update(1, 0.5, 0.5, 500)).toBe(false); // holder back on top: clock resets
        expect(s.update(2, 0.7, 0.5, 550)).toBe(false);
        expect(s.update(2, 0.7, 0.5, 700)).toBe(false);
        expect(s.update(2, 0.7, 0.5, 750)).toBe(true);
        expect(s.focusedId).toBe(2);
        expect(s.lastReason).toBe("outscored");
    });

    it("keeps the focus between the release and acquire thresholds, then releases", () => {
        const s = new FocusSelector({ ...hysteresis });
        s.update(1, 0.5, NaN, 0);
        s.update(1, 0.5, NaN, 200);
        expect(s.update(1, 0.25, 0.25, 300)).toBe(false);
        expect(s.focusedId).toBe(1);
        s.update(1, 0.1, 0.1, 400);
        expect(s.update(1, 0.1, 0.1, 600)).toBe(true);
        expect(s.focusedId).toBe(0);
        expect(s.lastReason).toBe("released");
    });

    it("hands over at once when the holder disappears", () => {
        const s = new FocusSelector({ ...hysteresis });
        s.update(1, 0.5, NaN, 0);
        s.update(1, 0.5, NaN, 200);
        expect(s.update(2, 0.4, NaN, 210)).toBe(true);
        expect(s.focusedId).toBe(2);
        expect(s.lastReason).toBe("removed");
    });
});

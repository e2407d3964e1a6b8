import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EntityStore } from "../../plugin/features/entityStore";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { measureGazeGeometry } from "../../plugin/features/gazeGeometry";
import { createPlayerState } from "../../plugin/features/playerState";

const coordinate = fc.double({ min: -40, max: 40, noNaN: true });

/** The gaze angle by its definition: the angle to the centre less the angular radius, at least 0. */
function referenceAngle(gx: number, gy: number, gz: number, dx: number, dy: number, dz: number, r: number): number {
    const length = Math.hypot(gx, gy, gz);
    const cos = Math.min(1, Math.max(-1, (gx * dx + gy * dy + gz * dz) / length));
    return Math.max(0, Math.acos(cos) - Math.asin(r / length));
}

describe("measureGazeGeometry", () => {
    it("gives the angle to the entity's centre less its angular radius, for any position and gaze", () => {
        fc.assert(
            fc.property(coordinate, coordinate, coordinate, fc.double({ min: 0, max: 3, noNaN: true }), fc.double({ min: -Math.PI, max: Math.PI, noNaN: true }), fc.double({ min: -1.5, max: 1.5, noNaN: true }), (x, y, z, r, yaw, pitch) => {
                const store = new EntityStore(4);
                const slot = store.add(0, 0.5, r);
                store.x[slot] = x;
                store.y[slot] = y;
                store.z[slot] = z;
                store.radius[slot] = r;
                const player = createPlayerState();
                player.gazeOriginY = 1.7;
                player.gazeDirX = Math.sin(yaw) * Math.cos(pitch);
                player.gazeDirY = Math.sin(pitch);
                player.gazeDirZ = Math.cos(yaw) * Math.cos(pitch);
                measureGazeGeometry(store, player, DEFAULT_FEATURE_OPTIONS, Int32Array.of(slot), 1);
                // The store keeps float32: compare with float32's resolution around pi.
                const gx = store.x[slot] - player.gazeOriginX;
                const gy = store.y[slot] - player.gazeOriginY;
                const gz = store.z[slot] - player.gazeOriginZ;
                if (Math.hypot(gx, gy, gz) <= store.radius[slot] + 1e-3) {
                    expect(store.angle[slot]).toBe(0);
                    return;
                }
                const expected = referenceAngle(gx, gy, gz, player.gazeDirX, player.gazeDirY, player.gazeDirZ, store.radius[slot]);
                expect(Math.abs(store.angle[slot] - expected)).toBeLessThan(1e-5);
            }),
            { numRuns: 2000 }
        );
    });

    it("reads 0 inside the angular radius and grows with the angle outside it", () => {
        const store = new EntityStore(4);
        const near = store.add(0, 0.5, 1);
        const beside = store.add(0, 0.5, 1);
        // 10 m ahead, radius 1: angular radius asin(0.1), about 5.7 degrees.
        store.z[near] = 10;
        store.x[near] = 0.5; // about 2.9 degrees off the gaze: inside
        store.radius[near] = 1;
        store.z[beside] = 10;
        store.x[beside] = 3; // about 16.7 degrees off: 11 degrees outside
        store.radius[beside] = 1;
        measureGazeGeometry(store, createPlayerState(), DEFAULT_FEATURE_OPTIONS, Int32Array.of(near, beside), 2);
        expect(store.angle[near]).toBe(0);
        expect(store.angle[beside]).toBeCloseTo(Math.atan2(3, 10) - Math.asin(1 / Math.hypot(3, 10)), 5);
    });
});

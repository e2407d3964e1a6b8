import type { EntityStore } from "./entityStore.js";
import type { IFeatureOptions } from "./featureOptions.js";
import type { IPlayerState } from "./playerState.js";

const HALF_PI = Math.PI / 2;

/**
 * Measures, for every valid entity, the distance from the player to its surface, the angle
 * between the gaze ray and the entity (shrunk by the entity's angular radius, so a big statue
 * is "looked at" across its whole silhouette), the gaze-cone alignment and whether it is in
 * the camera's field of view, for the `slotCount` slots listed in `slots` (this tick's refresh
 * plan). Pure arithmetic over the store's typed arrays.
 */
export function measureGazeGeometry(store: EntityStore, player: IPlayerState, options: IFeatureOptions, slots: Int32Array, slotCount: number): void {
    const { x, y, z, radius, valid, distance, angle, alignment, inView } = store;
    const ox = player.gazeOriginX;
    const oy = player.gazeOriginY;
    const oz = player.gazeOriginZ;
    const dx = player.gazeDirX;
    const dy = player.gazeDirY;
    const dz = player.gazeDirZ;
    const px = player.positionX;
    const py = player.positionY;
    const pz = player.positionZ;
    const vx = player.viewDirX;
    const vy = player.viewDirY;
    const vz = player.viewDirZ;
    const halfFovCos = player.halfFovCos;
    const cone = options.gazeConeHalfAngle;
    const confidence = player.gazeConfidence;
    for (let s = 0; s < slotCount; s++) {
        const i = slots[s];
        if (valid[i] === 0) {
            alignment[i] = 0;
            inView[i] = 0;
            continue;
        }
        const r = radius[i];
        // Distance from the player's position (feet or camera) to the entity's surface.
        const qx = x[i] - px;
        const qy = y[i] - py;
        const qz = z[i] - pz;
        const d = Math.sqrt(qx * qx + qy * qy + qz * qz) - r;
        distance[i] = d > 0 ? d : 0;

        // Gaze angle from the gaze origin (the eyes), minus the angular radius of the entity.
        const gx = x[i] - ox;
        const gy = y[i] - oy;
        const gz = z[i] - oz;
        const gLength = Math.sqrt(gx * gx + gy * gy + gz * gz);
        if (gLength <= r || gLength < 1e-6) {
            // The eye is inside the entity's bounding sphere: it fills the view.
            angle[i] = 0;
            alignment[i] = confidence;
            inView[i] = 1;
            continue;
        }
        const invLength = 1 / gLength;
        let cos = (gx * dx + gy * dy + gz * dz) * invLength;
        cos = cos > 1 ? 1 : cos < -1 ? -1 : cos;
        // acos(|cos|), and the angular radius asin(sinR) = pi / 2 - acos(sinR), by Abramowitz and
        // Stegun 4.4.46 (acos(x) for x in [0, 1], within 2e-8 rad: finer than the float32 the
        // angle is stored in): a square root and a few multiply-adds instead of two library
        // calls per row. Written out twice, not in a helper, because a fractional value
        // returned from a call V8 does not inline is boxed.
        const c = cos < 0 ? -cos : cos;
        const acosAbs = Math.sqrt(1 - c) * (1.570796305 + c * (-0.2145988016 + c * (0.0889789874 + c * (-0.0501743046 + c * (0.030891881 + c * (-0.0170881256 + c * (0.0066700901 + c * -0.0012624911)))))));
        const sinR = r * invLength;
        const angularRadius = HALF_PI - Math.sqrt(1 - sinR) * (1.570796305 + sinR * (-0.2145988016 + sinR * (0.0889789874 + sinR * (-0.0501743046 + sinR * (0.030891881 + sinR * (-0.0170881256 + sinR * (0.0066700901 + sinR * -0.0012624911)))))));
        let a = (cos < 0 ? Math.PI - acosAbs : acosAbs) - angularRadius;
        a = a > 0 ? a : 0;
        angle[i] = a;
        const align = 1 - a / cone;
        alignment[i] = align > 0 ? align * confidence : 0;

        const viewCos = (gx * vx + gy * vy + gz * vz) * invLength;
        inView[i] = viewCos >= halfFovCos || a === 0 ? 1 : 0;
    }
}

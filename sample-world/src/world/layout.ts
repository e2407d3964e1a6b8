/**
 * The tour site's plan, in metres (x east, z north, y up). One place for every coordinate, so
 * the builders, the autopilot's waypoints and the docs agree.
 *
 *   Gallery hall x [-12, 8] z [-8, 8] (roofed)  ->  passage x [8, 14] z [-1.5, 1.5]  ->  courtyard x [14, 34] z [-10, 10]
 */
export const LAYOUT = Object.freeze({
    gallery: { minX: -12, maxX: 8, minZ: -8, maxZ: 8, height: 4.5 },
    passage: { minX: 8, maxX: 14, halfWidth: 1.5, height: 3.4 },
    courtyard: { minX: 14, maxX: 34, minZ: -10, maxZ: 10, wallHeight: 3 },
    /** A free-standing screen in the gallery: hides the mosaic from the entrance. */
    partition: { x: -2.5, minZ: -4.5, maxZ: 4.5, height: 3.2 },
    wallThickness: 0.3,
    eyeHeight: 1.7,
    /** The first view: Guide Ada, the Bronze Dancer, and the courtyard through the passage. */
    playerStart: { x: -2.0, z: -2.6, yaw: 1.55 },
});

/** Yaw (Babylon: 0 looks down +z, PI/2 down +x) from one point toward another. */
export function yawTo(fromX: number, fromZ: number, toX: number, toZ: number): number {
    return Math.atan2(toX - fromX, toZ - fromZ);
}

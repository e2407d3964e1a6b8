/**
 * Answers "is the straight segment from the eye to this entity blocked?". Implementations:
 * `BoxOccluders` (world-space boxes in typed arrays, allocation-free) and `ScenePickOccluders`
 * (Babylon's mesh picking, exact but allocating). `slot` lets an implementation ignore the
 * entity's own geometry.
 */
export interface IOcclusionTester {
    /** Called once per tick before any `isBlocked` call, e.g. to refresh occluder bounds. */
    beginTick?(): void;
    isBlocked(originX: number, originY: number, originZ: number, targetX: number, targetY: number, targetZ: number, targetRadius: number, slot: number): boolean;
}

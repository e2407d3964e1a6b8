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
    /**
     * The same test with the segment packed as `[originX, originY, originZ, targetX, targetY,
     * targetZ, targetRadius]`. Optional; the scheduler prefers it: V8 boxes every fractional
     * number passed as an argument to a call it does not inline (16 bytes each), so seven
     * coordinates per test would allocate on every tick, while one reused array does not.
     */
    isBlockedSegment?(segment: Float64Array, slot: number): boolean;
}

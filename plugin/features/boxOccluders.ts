import type { IOcclusionTester } from "./occlusionTester";

/**
 * Axis-aligned world boxes (walls, pillars, crates) as occluders, tested with the slab method
 * over typed arrays: about a hundred times cheaper than a mesh pick, and allocation-free.
 * Boxes are exact for box-shaped occluders and conservative (they occlude a bit more) for
 * other shapes; use `ScenePickOccluders` where exact silhouettes matter.
 */
export class BoxOccluders implements IOcclusionTester {
    public count = 0;
    private _min = new Float32Array(48);
    private _max = new Float32Array(48);

    /** Adds a box and returns its index. */
    public add(minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number): number {
        if ((this.count + 1) * 3 > this._min.length) {
            const min = new Float32Array(this._min.length * 2);
            const max = new Float32Array(this._max.length * 2);
            min.set(this._min);
            max.set(this._max);
            this._min = min;
            this._max = max;
        }
        const index = this.count++;
        this.set(index, minX, minY, minZ, maxX, maxY, maxZ);
        return index;
    }

    /** Moves or resizes box `index` in place. */
    public set(index: number, minX: number, minY: number, minZ: number, maxX: number, maxY: number, maxZ: number): void {
        const o = index * 3;
        this._min[o] = minX;
        this._min[o + 1] = minY;
        this._min[o + 2] = minZ;
        this._max[o] = maxX;
        this._max[o + 1] = maxY;
        this._max[o + 2] = maxZ;
    }

    /** Removes box `index` by moving the last box into its place. */
    public removeAt(index: number): void {
        const last = --this.count;
        if (index !== last) {
            this._min.copyWithin(index * 3, last * 3, last * 3 + 3);
            this._max.copyWithin(index * 3, last * 3, last * 3 + 3);
        }
    }

    public isBlocked(ox: number, oy: number, oz: number, tx: number, ty: number, tz: number, targetRadius: number): boolean {
        const dx = tx - ox;
        const dy = ty - oy;
        const dz = tz - oz;
        const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (length < 1e-6) {
            return false;
        }
        // Stop at the entity's surface so the box an entity stands on or in does not hide it.
        const tEnd = Math.max(0, (length - targetRadius) / length);
        const ix = 1 / dx;
        const iy = 1 / dy;
        const iz = 1 / dz;
        const min = this._min;
        const max = this._max;
        for (let b = 0; b < this.count; b++) {
            const o = b * 3;
            let t0 = 0;
            let t1 = tEnd;
            let ta = (min[o] - ox) * ix;
            let tb = (max[o] - ox) * ix;
            if (ta > tb) {
                const swap = ta;
                ta = tb;
                tb = swap;
            }
            // NaN from 0 * Infinity (ray parallel and on a slab face) compares false: treated as inside.
            if (ta > t0) t0 = ta;
            if (tb < t1) t1 = tb;
            if (t0 > t1) continue;
            ta = (min[o + 1] - oy) * iy;
            tb = (max[o + 1] - oy) * iy;
            if (ta > tb) {
                const swap = ta;
                ta = tb;
                tb = swap;
            }
            if (ta > t0) t0 = ta;
            if (tb < t1) t1 = tb;
            if (t0 > t1) continue;
            ta = (min[o + 2] - oz) * iz;
            tb = (max[o + 2] - oz) * iz;
            if (ta > tb) {
                const swap = ta;
                ta = tb;
                tb = swap;
            }
            if (ta > t0) t0 = ta;
            if (tb < t1) t1 = tb;
            if (t0 <= t1) {
                return true;
            }
        }
        return false;
    }
}

import type { IVector3Like } from "@babylonjs/core/Maths/math.like.js";

/**
 * Follows a path of corners on plain numbers: which corner is next, how much path is left,
 * and whether the walker still makes progress. Engine-free so that it is testable alone;
 * `setPath` copies into typed arrays that grow by doubling, and nothing else allocates.
 */
export class PathFollower {
    /** Number of points of the current path. */
    public count = 0;
    /** Index of the point being walked to. */
    public index = 0;
    /** Seconds since the remaining distance last shrank by `minProgress`. */
    public noProgressTime = 0;

    private _xyz = new Float64Array(3 * 64);
    /** Path length from point i to the end, in metres. */
    private _suffix = new Float64Array(64);
    private _bestRemaining = Infinity;

    /**
     * Replaces the path.
     * @param points path points, world space
     */
    public setPath(points: readonly IVector3Like[]): void {
        const n = points.length;
        if (n > this._suffix.length) {
            let capacity = this._suffix.length;
            while (capacity < n) {
                capacity *= 2;
            }
            this._xyz = new Float64Array(3 * capacity);
            this._suffix = new Float64Array(capacity);
        }
        const xyz = this._xyz;
        for (let i = 0; i < n; i++) {
            xyz[3 * i] = points[i].x;
            xyz[3 * i + 1] = points[i].y;
            xyz[3 * i + 2] = points[i].z;
        }
        if (n > 0) {
            this._suffix[n - 1] = 0;
        }
        for (let i = n - 2; i >= 0; i--) {
            const dx = xyz[3 * i + 3] - xyz[3 * i];
            const dz = xyz[3 * i + 5] - xyz[3 * i + 2];
            this._suffix[i] = this._suffix[i + 1] + Math.sqrt(dx * dx + dz * dz);
        }
        this.count = n;
        // Point 0 is where the walker stands when the path is planned.
        this.index = Math.min(1, n - 1);
        this.resetProgress();
    }

    /** Clears the path. */
    public clear(): void {
        this.count = 0;
        this.index = 0;
        this.resetProgress();
    }

    /** Forgets the progress history (after a re-plan). */
    public resetProgress(): void {
        this._bestRemaining = Infinity;
        this.noProgressTime = 0;
    }

    /** x of point i. */
    public x(i: number): number {
        return this._xyz[3 * i];
    }

    /** y of point i. */
    public y(i: number): number {
        return this._xyz[3 * i + 1];
    }

    /** z of point i. */
    public z(i: number): number {
        return this._xyz[3 * i + 2];
    }

    /**
     * Skips the corners already within `radius` (horizontally) of the walker.
     * @param px walker x
     * @param pz walker z
     * @param radius corner radius in metres
     */
    public advance(px: number, pz: number, radius: number): void {
        const r2 = radius * radius;
        while (this.index < this.count - 1) {
            const dx = this.x(this.index) - px;
            const dz = this.z(this.index) - pz;
            if (dx * dx + dz * dz > r2) {
                break;
            }
            this.index++;
        }
    }

    /**
     * Horizontal path length left from the walker to the end, in metres.
     * @param px walker x
     * @param pz walker z
     * @returns metres
     */
    public remaining(px: number, pz: number): number {
        if (this.count === 0) {
            return 0;
        }
        const dx = this.x(this.index) - px;
        const dz = this.z(this.index) - pz;
        return Math.sqrt(dx * dx + dz * dz) + this._suffix[this.index];
    }

    /**
     * Records the remaining distance after `dt` seconds of walking.
     * @param remaining metres of path left
     * @param dt seconds since the last call
     * @param minProgress metres the remaining distance must shrink by to count as progress
     * @returns whether this call counted as progress
     */
    public trackProgress(remaining: number, dt: number, minProgress: number): boolean {
        if (this._bestRemaining === Infinity) {
            // The first sample after a (re-)plan is the baseline, not progress: a re-plan that
            // yields the same blocked path must not look like a way forward.
            this._bestRemaining = remaining;
            return false;
        }
        if (remaining < this._bestRemaining - minProgress) {
            this._bestRemaining = remaining;
            this.noProgressTime = 0;
            return true;
        }
        this.noProgressTime += dt;
        return false;
    }
}

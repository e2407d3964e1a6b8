import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IVector3Like } from "@babylonjs/core/Maths/math.like.js";
import type { RecastNavigationJSPluginV2 } from "@babylonjs/addons/navigation/plugin/RecastNavigationJSPlugin.js";
import type { INavigatorTuning } from "./navigationTypes.js";

/** A plan: the path and the navmesh point nearest the target, or why there is none. */
export type PathPlanResult = { success: true; points: Vector3[]; goal: Vector3 } | { success: false; error: string };

/**
 * Plans paths on a navmesh. Recast returns a partial path (ending as near as it can get) when
 * the goal lies in a region the start cannot reach, so a path whose end misses the goal is
 * reported as unreachable rather than walked. A smoothed path that ends short is first retried
 * as Detour's straight (corner) path, which does not loop.
 */
export class PathPlanner {
    private readonly _plugin: RecastNavigationJSPluginV2;
    private readonly _tuning: INavigatorTuning;
    private readonly _start = new Vector3();

    /**
     * @param plugin a navigation plugin with a navmesh
     * @param tuning search extents, tolerance and smoothing
     */
    public constructor(plugin: RecastNavigationJSPluginV2, tuning: INavigatorTuning) {
        this._plugin = plugin;
        this._tuning = tuning;
    }

    /**
     * Plans from the walker's feet to the navmesh point nearest the target.
     * @param from the walker's feet
     * @param target the target position
     * @returns the path or the error
     */
    public plan(from: IVector3Like, target: IVector3Like): PathPlanResult {
        const query = this._plugin.navMeshQuery;
        const t = this._tuning;
        const start = query.findNearestPoly(from, { halfExtents: t.startSearchExtents });
        if (!start.success || start.nearestRef === 0) {
            return { success: false, error: "the character is not on the navmesh" };
        }
        const end = query.findNearestPoly(target, { halfExtents: t.targetSearchExtents });
        if (!end.success || end.nearestRef === 0) {
            return { success: false, error: "no navmesh near the target" };
        }
        const goal = new Vector3(end.nearestPoint.x, end.nearestPoint.y, end.nearestPoint.z);
        this._start.set(start.nearestPoint.x, start.nearestPoint.y, start.nearestPoint.z);
        const halfExtents = t.startSearchExtents;
        let points = t.smoothPath ? this._plugin.computePathSmooth(this._start, goal, { halfExtents, stepSize: t.smoothStep }) : [];
        let smoothed = points.length > 0;
        let shortfall = pathShortfall(points, goal);
        if (shortfall > t.reachTolerance) {
            // The smoothed path can circle a wall corner until its point cap and end short of a
            // goal that Detour's corner path reaches: take the corners then.
            const corners = this._plugin.computePath(this._start, goal, { halfExtents });
            const cornersShortfall = pathShortfall(corners, goal);
            if (cornersShortfall < shortfall) {
                points = corners;
                shortfall = cornersShortfall;
                smoothed = false;
            }
        }
        if (points.length === 0) {
            return { success: false, error: "no path" };
        }
        const last = points[points.length - 1];
        // A path that stops a little short (the goal's polygon is a sliver cut off by a wall, as
        // in front of a wall exhibit) still serves: the walker stops arriveDistance away anyway.
        // Half of arriveDistance keeps a target sealed in a room unreachable.
        if (shortfall > Math.max(t.reachTolerance, 0.5 * t.arriveDistance)) {
            return { success: false, error: `the path ends ${shortfall.toFixed(2)} m short of the target` };
        }
        if (shortfall > t.reachTolerance) {
            goal.copyFrom(last);
        }
        if (smoothed) {
            // Detour's smoothed path can zigzag around the goal for its last points: end it at
            // the first point within a step of the goal, then at the goal itself.
            const near = points.findIndex((p) => Vector3.Distance(p, goal) <= t.smoothStep);
            points.length = near < 0 ? points.length : Math.max(near, 1);
            points.push(goal.clone());
        }
        return { success: true, points, goal };
    }
}

/** Distance from a path's end to the goal; Infinity for no path. */
function pathShortfall(points: readonly Vector3[], goal: Vector3): number {
    return points.length > 0 ? Vector3.Distance(points[points.length - 1], goal) : Infinity;
}

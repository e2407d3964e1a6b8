import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import type { RecastNavigationJSPluginV2 } from "@babylonjs/addons/navigation/plugin/RecastNavigationJSPlugin.js";
import type { INavMeshParametersV2, RecastInjection } from "@babylonjs/addons/navigation/types.js";
import { LoadRecastAsync } from "./recastLoader.js";

/** Navmesh build result: a plugin with a navmesh, or why there is none. */
export type NavMeshBuildResult = { success: true; plugin: RecastNavigationJSPluginV2 } | { success: false; error: string };

/** Character dimensions the navmesh is eroded and filtered for, in metres and degrees. */
export interface INavMeshAgentSize {
    height: number;
    radius: number;
    maxStepHeight: number;
    maxSlopeDegrees: number;
}

/**
 * Recast parameters for a character: recast works in voxels, so heights and radius are
 * converted with the cell size and rounded up (a too-low ceiling must stay unwalkable).
 * @param agent the character's size
 * @param cellSize horizontal voxel size in metres
 * @param cellHeight vertical voxel size in metres
 * @returns solo-navmesh parameters (no tile cache)
 */
export function NavMeshParametersForAgent(agent: INavMeshAgentSize, cellSize = 0.1, cellHeight = 0.1): INavMeshParametersV2 {
    return {
        cs: cellSize,
        ch: cellHeight,
        walkableSlopeAngle: agent.maxSlopeDegrees,
        walkableHeight: Math.ceil(agent.height / cellHeight),
        walkableClimb: Math.floor(agent.maxStepHeight / cellHeight),
        walkableRadius: Math.ceil(agent.radius / cellSize),
        maxEdgeLen: 12,
        maxSimplificationError: 1.3,
        minRegionArea: 8,
        mergeRegionArea: 20,
        maxVertsPerPoly: 6,
        detailSampleDist: 6,
        detailSampleMaxError: 1,
        // 0 obstacles: a solo navmesh. Babylon otherwise defaults to a tile cache of 128.
        maxObstacles: 0,
    };
}

/**
 * Builds a navmesh over `meshes` with Babylon's navigation plugin V2 and the injected recast.
 * Expected failures (no meshes, no geometry, recast rejecting the input) come back as
 * `{ success: false }`: the caller turns them into failed("no navmesh").
 * @param meshes walkable meshes
 * @param parameters recast parameters
 * @param recast an injected recast instance; default: loaded from the npm packages
 * @returns the plugin with its navmesh, or the error
 */
export async function BuildNavMeshAsync(meshes: readonly Mesh[], parameters: INavMeshParametersV2, recast?: RecastInjection): Promise<NavMeshBuildResult> {
    if (meshes.length === 0) {
        return { success: false, error: "no walkable meshes" };
    }
    try {
        const instance = recast ?? (await LoadRecastAsync());
        const { CreateNavigationPluginAsync } = await import("@babylonjs/addons/navigation/factory/factory.single-thread.js");
        const plugin = await CreateNavigationPluginAsync({ instance });
        const result = plugin.createNavMesh(meshes.slice(), { ...parameters });
        if (!result || !plugin.navMesh) {
            plugin.dispose();
            return { success: false, error: "recast produced no navmesh" };
        }
        return { success: true, plugin };
    } catch (e) {
        return { success: false, error: e instanceof Error ? e.message : String(e) };
    }
}

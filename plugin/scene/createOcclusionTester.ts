import type { Scene } from "@babylonjs/core/scene.js";
import type { OcclusionMode } from "../attentionPluginOptions.js";
import type { IOcclusionTester } from "../features/occlusionTester.js";
import { isMesh } from "../nodeGuards.js";
import { describeValue } from "../optionRanges.js";
import { MeshBoxOccluders } from "./meshBoxOccluders.js";
import { ScenePickOccluders } from "./scenePickOccluders.js";
import type { TargetRegistry } from "./targetRegistry.js";

/** The occlusion tester for an `occlusion` option; throws naming what was wrong. */
export function createOcclusionTester(mode: OcclusionMode, scene: Scene, registry: TargetRegistry): IOcclusionTester | null {
    if (mode === "none") {
        return null;
    }
    if (mode === "pick") {
        return new ScenePickOccluders(
            scene,
            (mesh) => registry.isTracked(mesh),
            (slot) => {
                const node = registry.at(slot)?.node;
                return node && isMesh(node) ? node : null;
            }
        );
    }
    if (Array.isArray(mode)) {
        mode.forEach((mesh, i) => {
            if (!isMesh(mesh)) {
                throw new Error(`AttentionPlugin: occlusion[${i}] must be an AbstractMesh; got ${describeValue(mesh)}`);
            }
        });
        return new MeshBoxOccluders(mode);
    }
    if (mode && typeof (mode as IOcclusionTester).isBlocked === "function") {
        return mode as IOcclusionTester;
    }
    throw new Error(`AttentionPlugin: occlusion must be "pick", "none", an array of meshes or an IOcclusionTester; got ${describeValue(mode)}`);
}

import "@babylonjs/core/Culling/ray.js";
import { Ray } from "@babylonjs/core/Culling/ray.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { IOcclusionTester } from "../features/occlusionTester.js";

/**
 * Occlusion by Babylon mesh picking: exact against any geometry, at the cost of a pick per
 * test (Babylon allocates a PickingInfo per pick; the scheduler's budget bounds how many).
 * Meshes that are tracked, invisible, unpickable or part of the target are never occluders.
 */
export class ScenePickOccluders implements IOcclusionTester {
    private readonly _ray = new Ray(Vector3.Zero(), new Vector3(0, 0, 1), 1);
    private _ignoreRoot: AbstractMesh | null = null;
    private readonly _predicate = (mesh: AbstractMesh): boolean =>
        mesh.isPickable && mesh.isVisible && mesh.isEnabled() && !this._isTracked(mesh) && !(this._ignoreRoot !== null && mesh.isDescendantOf(this._ignoreRoot));

    public constructor(
        private readonly _scene: Scene,
        private readonly _isTracked: (mesh: AbstractMesh) => boolean,
        private readonly _meshOfSlot: (slot: number) => AbstractMesh | null
    ) {}

    public isBlocked(ox: number, oy: number, oz: number, tx: number, ty: number, tz: number, targetRadius: number, slot: number): boolean {
        const dx = tx - ox;
        const dy = ty - oy;
        const dz = tz - oz;
        const length = Math.sqrt(dx * dx + dy * dy + dz * dz);
        if (length <= targetRadius || length < 1e-6) {
            return false;
        }
        this._ray.origin.set(ox, oy, oz);
        this._ray.direction.set(dx / length, dy / length, dz / length);
        this._ray.length = length - targetRadius;
        this._ignoreRoot = this._meshOfSlot(slot);
        const hit = this._scene.pickWithRay(this._ray, this._predicate, true);
        this._ignoreRoot = null;
        return !!hit?.hit;
    }
}

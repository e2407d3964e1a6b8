import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import { Ray } from "@babylonjs/core/Culling/ray.js";
import { Matrix, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { copyRayToSample, type IGazeProvider, type IGazeSample } from "./gazeSample.js";

/**
 * Gaze along the ray under the mouse or touch point: for desktop games where the cursor is
 * where the player looks, and for touch screens.
 */
export class PointerGazeProvider implements IGazeProvider {
    public readonly name = "pointer";
    private readonly _ray = new Ray(Vector3.Zero(), new Vector3(0, 0, 1), 1e6);
    private readonly _identity = Matrix.Identity();

    public constructor(
        private readonly _scene: Scene,
        private readonly _camera?: Camera
    ) {}

    public read(out: IGazeSample, time: { readonly nowMs: number }): boolean {
        const camera = this._camera ?? this._scene.activeCamera;
        if (!camera) {
            return false;
        }
        this._scene.createPickingRayToRef(this._scene.pointerX, this._scene.pointerY, this._identity, this._ray, camera);
        copyRayToSample(this._ray.origin, this._ray.direction, out);
        out.confidence = 1;
        out.time = time.nowMs;
        return true;
    }
}

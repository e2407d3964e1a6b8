import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import { Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IGazeProvider, IGazeSample } from "./gazeSample.js";

/**
 * Gaze along the camera's forward axis: the default on desktop and, with the WebXR camera,
 * head gaze in a headset (the WebXR camera follows the head pose).
 */
export class CameraGazeProvider implements IGazeProvider {
    public readonly name: string = "camera";
    // Kept as fields to avoid garbage collection on every tick.
    private readonly _forward = new Vector3();
    private readonly _localForward = new Vector3(0, 0, 1);

    public constructor(private readonly _camera: Camera) {}

    public read(out: IGazeSample, time: { readonly nowMs: number }): boolean {
        const camera = this._camera;
        if (camera.isDisposed()) {
            return false;
        }
        // Babylon's forward is +Z in left-handed scenes and -Z in right-handed ones.
        this._localForward.z = camera.getScene().useRightHandedSystem ? -1 : 1;
        camera.getDirectionToRef(this._localForward, this._forward);
        const p = camera.globalPosition;
        out.origin.x = p.x;
        out.origin.y = p.y;
        out.origin.z = p.z;
        out.direction.x = this._forward.x;
        out.direction.y = this._forward.y;
        out.direction.z = this._forward.z;
        out.confidence = 1;
        out.time = time.nowMs;
        return true;
    }
}

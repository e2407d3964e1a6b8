import type { WebXREyeTracking } from "@babylonjs/core/XR/features/WebXREyeTracking.js";
import { copyRayToSample, type IGazeProvider, type IGazeSample } from "./gazeSample.js";

/**
 * Gaze from WebXR eye tracking, where the platform offers it (Babylon's `WebXREyeTracking`
 * feature; today Babylon Native only). When the tracker has no gaze this frame, `read`
 * returns false and the plugin keeps the last sample, so a blink does not drop the focus.
 * Pair it with a head-gaze fallback: `new FallbackGazeProvider([eyes, head])`.
 */
export class XREyeGazeProvider implements IGazeProvider {
    public readonly name = "xr-eyes";

    public constructor(
        private readonly _eyeTracking: WebXREyeTracking,
        /** Confidence reported for eye samples, lower than 1 to reflect 1-2 degrees of tracker noise. */
        private readonly _confidence = 0.9
    ) {}

    public read(out: IGazeSample, time: { readonly nowMs: number }): boolean {
        const ray = this._eyeTracking.attached ? this._eyeTracking.getEyeGaze() : null;
        if (!ray) {
            return false;
        }
        copyRayToSample(ray.origin, ray.direction, out);
        out.confidence = this._confidence;
        out.time = time.nowMs;
        return true;
    }
}

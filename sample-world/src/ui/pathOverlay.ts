import { Color3 } from "@babylonjs/core/Maths/math.color";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateLines } from "@babylonjs/core/Meshes/Builders/linesBuilder";
import type { LinesMesh } from "@babylonjs/core/Meshes/linesMesh";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { Scene } from "@babylonjs/core/scene";
import type { AttentionNavigator } from "../../../plugin/navigation/index";

const LIFT = 0.06; // metres above the floor, so the lines are not hidden in it
const SAMPLE_MS = 150;

/**
 * `?path`: draws the navigator's planned path (yellow, redrawn on every re-plan) and the way the
 * player actually walked (cyan, drawn when the navigation ends). A debugging view, also used for
 * the picture in docs/navigation.md; off by default.
 */
export class PathOverlay {
    private _planned: LinesMesh | null = null;
    private _walked: LinesMesh | null = null;
    private readonly _trail: Vector3[] = [];
    private _lastSample = 0;

    public constructor(navigator: AttentionNavigator, camera: Camera, private readonly _scene: Scene) {
        navigator.onPathPlannedObservable.add((path) => {
            this._planned?.dispose();
            this._planned = this._lines("navPathPlanned", path.points.map((p) => new Vector3(p.x, p.y + LIFT, p.z)), new Color3(1, 0.85, 0.1));
        });
        navigator.onStateChangedObservable.add((state) => {
            if (state.state === "planning") {
                this._trail.length = 0;
                this._walked?.dispose();
                this._walked = null;
            } else if (state.state === "arrived" || state.state === "cancelled" || state.state === "failed") {
                this._walked?.dispose();
                this._walked = this._trail.length > 1 ? this._lines("navPathWalked", this._trail, new Color3(0.2, 0.9, 1)) : null;
            }
        });
        // Sampled, not per frame: a debug view need not allocate every frame.
        _scene.onAfterRenderObservable.add(() => {
            const now = performance.now();
            if (navigator.isNavigating && now - this._lastSample >= SAMPLE_MS) {
                this._lastSample = now;
                const p = camera.globalPosition;
                this._trail.push(new Vector3(p.x, LIFT + 0.02, p.z));
            }
        });
    }

    private _lines(name: string, points: Vector3[], color: Color3): LinesMesh {
        const lines = CreateLines(name, { points }, this._scene);
        lines.color = color;
        lines.isPickable = false;
        return lines;
    }
}

import type { Camera } from "@babylonjs/core/Cameras/camera.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Scene } from "@babylonjs/core/scene.js";
import { isObservable, type Observable } from "rxjs";
import type { IPlayerState } from "../features/playerState.js";
import type { ITickTime } from "../features/tickTime.js";
import { describeValue } from "../optionRanges.js";
import { CameraGazeProvider } from "../signals/cameraGazeProvider.js";
import { createGazeSample, type IGazeProvider, type IGazeSample } from "../signals/gazeSample.js";
import { ObservableGazeProvider } from "../signals/observableGazeProvider.js";
import { PointerGazeProvider } from "../signals/pointerGazeProvider.js";

/** Where the gaze comes from (IAttentionPluginOptions.gaze). */
export type GazeSource = "camera" | "pointer" | IGazeProvider | Observable<IGazeSample>;

/**
 * Reads the player from the scene once per tick into plain numbers: the gaze ray from the gaze
 * source, the view direction and field of view from the camera, the position from the player
 * node (or the camera). The Babylon side of the pipeline's first stage.
 */
export class PlayerReader {
    private readonly _gazeProvider: IGazeProvider;
    private readonly _cameraGaze = new Map<Camera, CameraGazeProvider>();
    private readonly _viewSample = createGazeSample();

    public constructor(
        private readonly _scene: Scene,
        private readonly _camera: Camera | null,
        private readonly _playerNode: TransformNode | null,
        gaze: GazeSource
    ) {
        this._gazeProvider = this._createGazeProvider(gaze);
    }

    /** The name of the gaze provider ("camera", "pointer", "observable", a custom one's). */
    public get gazeName(): string {
        return this._gazeProvider.name;
    }

    /** Reads this tick's gaze into `gaze` and the player into `player`. */
    public read(gaze: IGazeSample, player: IPlayerState, time: ITickTime): void {
        const camera = this._camera ?? this._scene.activeCamera;
        this._gazeProvider.read(gaze, time);
        const p = player;
        const g = gaze;
        // A non-finite ray (a camera at NaN for a frame, a broken provider) keeps the last good
        // one: a single NaN would otherwise stay in every average that integrates the gaze.
        if (isFiniteRay(g)) {
            p.gazeOriginX = g.origin.x;
            p.gazeOriginY = g.origin.y;
            p.gazeOriginZ = g.origin.z;
            p.gazeDirX = g.direction.x;
            p.gazeDirY = g.direction.y;
            p.gazeDirZ = g.direction.z;
            p.gazeConfidence = g.confidence;
        }
        if (camera) {
            const view = this._viewSample;
            // The view direction is the camera's forward even when the gaze is the pointer's.
            this._cameraGazeOf(camera).read(view, time);
            if (isFiniteRay(view)) {
                p.viewDirX = view.direction.x;
                p.viewDirY = view.direction.y;
                p.viewDirZ = view.direction.z;
            }
            const aspect = this._scene.getEngine().getAspectRatio(camera) || 1;
            // Babylon's fov is vertical (default mode); the view test needs the horizontal half-angle.
            const halfHorizontal = Math.atan(Math.tan(camera.fov / 2) * aspect);
            if (halfHorizontal === halfHorizontal) {
                p.halfFovCos = Math.cos(Math.min(Math.PI / 2, halfHorizontal));
            }
        }
        const playerNode = this._playerNode;
        const position = playerNode && !playerNode.isDisposed() ? playerNode.getAbsolutePosition() : camera ? camera.globalPosition : g.origin;
        // x - x is 0 for finite numbers and NaN for NaN and the infinities.
        if (position.x - position.x === 0 && position.y - position.y === 0 && position.z - position.z === 0) {
            p.positionX = position.x;
            p.positionY = position.y;
            p.positionZ = position.z;
        }
    }

    public dispose(): void {
        this._gazeProvider.dispose?.();
    }

    private _cameraGazeOf(camera: Camera): CameraGazeProvider {
        let provider = this._cameraGaze.get(camera);
        if (!provider) {
            provider = new CameraGazeProvider(camera);
            this._cameraGaze.set(camera, provider);
        }
        return provider;
    }

    private _createGazeProvider(gaze: GazeSource): IGazeProvider {
        if (gaze === "camera") {
            // Resolved per tick, so the reader follows scene.activeCamera when no camera was given.
            return {
                name: "camera",
                read: (out, time) => {
                    const camera = this._camera ?? this._scene.activeCamera;
                    return camera ? this._cameraGazeOf(camera).read(out, time) : false;
                },
            };
        }
        if (gaze === "pointer") {
            return new PointerGazeProvider(this._scene, this._camera ?? undefined);
        }
        if (isObservable(gaze)) {
            return new ObservableGazeProvider(gaze);
        }
        if (gaze && typeof (gaze as IGazeProvider).read === "function") {
            return gaze as IGazeProvider;
        }
        throw new Error(`AttentionPlugin: gaze must be "camera", "pointer", an IGazeProvider or an rxjs Observable of gaze samples; got ${describeValue(gaze)}`);
    }
}

function isFiniteRay(sample: IGazeSample): boolean {
    const o = sample.origin;
    const d = sample.direction;
    return o.x - o.x === 0 && o.y - o.y === 0 && o.z - o.z === 0 && d.x - d.x === 0 && d.y - d.y === 0 && d.z - d.z === 0;
}

import { Observable, type Observer } from "@babylonjs/core/Misc/observable.js";
import { Quaternion, Vector3 } from "@babylonjs/core/Maths/math.vector.js";
import type { IVector3Like } from "@babylonjs/core/Maths/math.like.js";
import type { TargetCamera } from "@babylonjs/core/Cameras/targetCamera.js";
import type { Mesh } from "@babylonjs/core/Meshes/mesh.js";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { PhysicsCharacterController } from "@babylonjs/core/Physics/v2/characterController.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { Nullable } from "@babylonjs/core/types.js";
import type { RecastNavigationJSPluginV2 } from "@babylonjs/addons/navigation/plugin/RecastNavigationJSPlugin.js";
import type { INavMeshParametersV2, RecastInjection } from "@babylonjs/addons/navigation/types.js";
import { BehaviorSubject, type Observable as RxObservable, type Subscription } from "rxjs";
import { CharacterMover } from "./characterMover.js";
import { FollowFocus } from "./followFocus.js";
import { DEFAULT_CANCEL_KEYS, InputCancelWatcher } from "./inputCancelWatcher.js";
import { BuildNavMeshAsync, NavMeshParametersForAgent } from "./navMeshBuilder.js";
import { PathFollower } from "./pathFollower.js";
import { PathPlanner } from "./pathPlanner.js";
import {
    DEFAULT_CHARACTER_OPTIONS,
    DEFAULT_NAVIGATOR_TUNING,
    type IFocusLike,
    type INavigatorCharacterOptions,
    type INavigatorTuning,
    type IPlannedPath,
    type NavigationEndState,
    type NavigationFailureReason,
    type NavigationState,
    type NavigationTarget,
} from "./navigationTypes.js";

/** Options of {@link AttentionNavigator.CreateAsync}. Every tuning field has a default in {@link DEFAULT_NAVIGATOR_TUNING}. */
export interface IAttentionNavigatorOptions extends Partial<INavigatorTuning> {
    /** Meshes the navmesh is built from. Required unless `navigationPlugin` is given; none means failed("no navmesh"). */
    walkableMeshes?: Mesh[];
    /** A navigation plugin V2 whose navmesh is already built: used as is, not disposed by the navigator. */
    navigationPlugin?: RecastNavigationJSPluginV2;
    /** Overrides of the recast parameters derived from the character's size. */
    navMeshParameters?: Partial<INavMeshParametersV2>;
    /** recast-navigation (core and generators merged, initialised). @default loaded from the npm packages */
    recast?: RecastInjection;
    /** The capsule to create (partial options over {@link DEFAULT_CHARACTER_OPTIONS}), or an existing controller to drive while navigating. */
    character?: Partial<INavigatorCharacterOptions> | PhysicsCharacterController;
    /** A first-person camera carried at `eyeHeight` above the capsule's feet and turned to the heading while navigating. */
    camera?: TargetCamera;
    /** A visual (avatar) placed at the capsule's feet and turned to the heading while navigating. */
    avatar?: TransformNode;
    /** Step on `scene.onBeforeRenderObservable`; false to call `update(dt)` yourself. @default true */
    autoUpdate?: boolean;
    /** Cancel on movement keys pressed in the scene. @default true */
    cancelOnInput?: boolean;
    /** Movement keys, as `KeyboardEvent.code`. @default {@link DEFAULT_CANCEL_KEYS} */
    cancelKeys?: readonly string[];
}

const IDLE: NavigationState = Object.freeze({ state: "idle" });

/**
 * Walks the player to a target: a path on a recast navmesh (Babylon's navigation plugin V2),
 * followed by a Havok `PhysicsCharacterController`, stopping `arriveDistance` from the target
 * and facing it. Movement input cancels; a moving target re-plans; no progress re-plans, then
 * fails with "stuck". `update()` allocates nothing in steady state: temporaries are fields.
 */
export class AttentionNavigator {
    /** Tuning in use; fields may be changed live. */
    public readonly tuning: INavigatorTuning;
    /** Character options in use (defaults filled in). */
    public readonly characterOptions: Readonly<Omit<INavigatorCharacterOptions, "position">>;
    /** The Havok capsule that walks. */
    public readonly characterController: PhysicsCharacterController;
    /** The navigation plugin with the navmesh, or null when there is none (see `navMeshError`). */
    public readonly navigationPlugin: Nullable<RecastNavigationJSPluginV2>;
    /** Why there is no navmesh, or null. */
    public readonly navMeshError: Nullable<string>;
    /** Fires on every state change (the same values as `state$`). */
    public readonly onStateChangedObservable = new Observable<NavigationState>();
    /** Fires when a path is planned or re-planned. */
    public readonly onPathPlannedObservable = new Observable<IPlannedPath>();
    /** Heading of the character in radians (Babylon yaw: 0 looks down +z). */
    public heading = 0;
    /** Whether `dispose()` ran. */
    public isDisposed = false;

    private readonly _state: BehaviorSubject<NavigationState>;
    private readonly _mover: CharacterMover;
    private readonly _planner: Nullable<PathPlanner>;
    private readonly _ownsPlugin: boolean;
    private readonly _follower = new PathFollower();
    private readonly _camera: Nullable<TargetCamera>;
    private readonly _avatar: Nullable<TransformNode>;
    private readonly _observers: Observer<Scene>[] = [];
    private readonly _subscriptions: Subscription[] = [];
    private _input: Nullable<InputCancelWatcher> = null;
    private _target: Nullable<NavigationTarget> = null;
    private _resolve: Nullable<(end: NavigationEndState) => void> = null;
    private _plans = 0;
    private _stuckReplans = 0;
    private _replanTimer = 0;
    private _arriveRadius = 0;
    private readonly _plannedTarget = new Vector3();
    private readonly _foot = new Vector3();
    private readonly _targetPosition = new Vector3();
    private readonly _tmpQuaternion = new Quaternion();

    /** The state stream: replays the current state to new subscribers. */
    public readonly state$: RxObservable<NavigationState>;

    /**
     * Builds the navmesh (on the main thread) and the character, and returns a navigator.
     * A navmesh that cannot be built does not throw: navigation then fails with "no navmesh".
     * @param scene a scene with Havok physics enabled (`scene.enablePhysics(gravity, new HavokPlugin(...))`)
     * @param options see {@link IAttentionNavigatorOptions}
     * @returns the navigator
     */
    public static async CreateAsync(scene: Scene, options: IAttentionNavigatorOptions = {}): Promise<AttentionNavigator> {
        if (!scene.getPhysicsEngine()) {
            throw new Error("AttentionNavigator needs Havok physics on the scene: call scene.enablePhysics(gravity, new HavokPlugin(true, havok)) first.");
        }
        const controller = options.character instanceof PhysicsCharacterController ? options.character : null;
        const character: INavigatorCharacterOptions = controller
            ? {
                  ...DEFAULT_CHARACTER_OPTIONS,
                  height: controller.shapeOptions.capsuleHeight ?? DEFAULT_CHARACTER_OPTIONS.height,
                  radius: controller.shapeOptions.capsuleRadius ?? DEFAULT_CHARACTER_OPTIONS.radius,
                  maxStepHeight: controller.maxStepHeight,
              }
            : { ...DEFAULT_CHARACTER_OPTIONS, ...(options.character as Partial<INavigatorCharacterOptions> | undefined) };
        let plugin: Nullable<RecastNavigationJSPluginV2> = options.navigationPlugin ?? null;
        let error: Nullable<string> = null;
        if (!plugin) {
            const parameters = { ...NavMeshParametersForAgent(character), ...options.navMeshParameters };
            const built = await BuildNavMeshAsync(options.walkableMeshes ?? [], parameters, options.recast);
            if (built.success) {
                plugin = built.plugin;
            } else {
                error = built.error;
            }
        } else if (!plugin.navMesh) {
            error = "the navigation plugin has no navmesh";
            plugin = null;
        }
        return new AttentionNavigator(scene, options, character, plugin, error, !options.navigationPlugin);
    }

    private constructor(
        scene: Scene,
        options: IAttentionNavigatorOptions,
        character: INavigatorCharacterOptions,
        plugin: Nullable<RecastNavigationJSPluginV2>,
        navMeshError: Nullable<string>,
        ownsPlugin: boolean
    ) {
        const tuning: INavigatorTuning = { ...DEFAULT_NAVIGATOR_TUNING };
        for (const key of Object.keys(DEFAULT_NAVIGATOR_TUNING) as (keyof INavigatorTuning)[]) {
            if (options[key] !== undefined) {
                (tuning as unknown as Record<string, unknown>)[key] = options[key];
            }
        }
        this.tuning = tuning;
        this.characterOptions = Object.freeze({ ...character });
        this.navigationPlugin = plugin;
        this.navMeshError = navMeshError;
        this._ownsPlugin = ownsPlugin;
        this._planner = plugin ? new PathPlanner(plugin, tuning) : null;
        this._camera = options.camera ?? null;
        this._avatar = options.avatar ?? null;
        this._state = new BehaviorSubject<NavigationState>(IDLE);
        this.state$ = this._state.asObservable();

        if (options.character instanceof PhysicsCharacterController) {
            this._mover = new CharacterMover(scene, options.character);
        } else {
            const cam = this._camera;
            const position: IVector3Like = character.position ?? (cam ? { x: cam.position.x, y: cam.position.y - character.eyeHeight, z: cam.position.z } : { x: 0, y: 0, z: 0 });
            this._mover = new CharacterMover(scene, { ...character, position });
        }
        this.characterController = this._mover.controller;
        if (this._camera) {
            this.heading = this._camera.rotation.y;
        }

        if (options.autoUpdate ?? true) {
            this._observers.push(scene.onBeforeRenderObservable.add(() => this.update(Math.min(scene.getEngine().getDeltaTime() / 1000, 0.1))));
        }
        if (options.cancelOnInput ?? true) {
            this._input = new InputCancelWatcher(scene, options.cancelKeys ?? DEFAULT_CANCEL_KEYS, () => this.notifyPlayerInput());
        }
        this._observers.push(scene.onDisposeObservable.add(() => this.dispose()));
    }

    /** The current state. */
    public get state(): NavigationState {
        return this._state.value;
    }

    /** Whether a navigation is under way (planning or moving). */
    public get isNavigating(): boolean {
        const s = this._state.value.state;
        return s === "planning" || s === "moving";
    }

    /**
     * Walks to a target. A navigation under way is cancelled ("superseded") first.
     * @param target a node (followed if it moves) or a world point
     * @returns the end state: arrived, cancelled or failed (it never rejects)
     */
    public navigateToAsync(target: NavigationTarget): Promise<NavigationEndState> {
        if (this.isDisposed) {
            return Promise.resolve({ state: "cancelled", target, reason: "disposed" });
        }
        if (this.isNavigating) {
            this.cancel("superseded");
        }
        const done = new Promise<NavigationEndState>((resolve) => (this._resolve = resolve));
        this._target = target;
        this._plans = 0;
        this._stuckReplans = 0;
        this._replanTimer = 0;
        this._setState({ state: "planning", target });
        if (!this._planner) {
            this._fail("no navmesh", this.navMeshError ?? "no navmesh");
            return done;
        }
        if (this._camera && this._mover.ownsController) {
            // The player walked the camera freely since the last navigation: start from there.
            const p = this._camera.position;
            this._mover.setFoot({ x: p.x, y: p.y - this.characterOptions.eyeHeight, z: p.z });
        }
        this._replan("start");
        return done;
    }

    /**
     * Stops a navigation under way; nothing happens when idle or finished.
     * @param reason why, reported in the cancelled state
     */
    public cancel(reason = "cancelled"): void {
        if (!this.isNavigating) {
            return;
        }
        this._end({ state: "cancelled", target: this._target, reason });
    }

    /** Tells the navigator the player gave movement input: cancels a navigation under way. */
    public notifyPlayerInput(): void {
        this.cancel("player input");
    }

    /**
     * Auto mode: walks to the focus target. With `confirm$`, each confirmation walks to the
     * latest focus; without, every new focus does. Ends on `dispose()` or unsubscribe.
     * @param focus$ the plugin's `focus$` or any stream of `{ node }` or null
     * @param confirm$ the confirm action (a button, a key)
     * @returns the subscription
     */
    public followFocus(focus$: RxObservable<IFocusLike | null>, confirm$?: RxObservable<unknown>): Subscription {
        const subscription = FollowFocus(focus$, confirm$).subscribe((node) => void this.navigateToAsync(node));
        this._subscriptions.push(subscription);
        return subscription;
    }

    /**
     * Advances the navigation by `dt` seconds: moves the capsule, carries the camera and avatar,
     * re-plans and detects arrival or lack of progress. Called per frame unless `autoUpdate` is false.
     * @param dt seconds
     */
    public update(dt: number): void {
        // `!(dt > 0)` also skips NaN; a non-finite step (1 / fps at 0 fps) is skipped like a zero
        // one, or a single call would move the character to NaN for good.
        if (this.isDisposed || !(dt > 0) || dt === Infinity) {
            return;
        }
        if (this._state.value.state !== "moving") {
            // Our own capsule with nobody riding it stands under gravity; a camera player walks freely.
            if (this._mover.ownsController && !this._camera) {
                this._mover.step(dt, 0, 0);
            }
            return;
        }
        const t = this.tuning;
        const foot = this._mover.getFootToRef(this._foot);
        const target = this._readTarget(this._targetPosition);

        this._replanTimer += dt;
        if (this._replanTimer >= t.replanInterval && this._target instanceof TransformNode) {
            this._replanTimer = 0;
            if (Vector3.Distance(target, this._plannedTarget) > t.replanDistance) {
                this._replan("target moved");
                if (!this.isNavigating) {
                    return;
                }
            }
        }

        const tx = target.x - foot.x;
        const tz = target.z - foot.z;
        if (tx * tx + tz * tz <= this._arriveRadius * this._arriveRadius) {
            this._mover.step(dt, 0, 0);
            this.heading = Math.atan2(tx, tz);
            this._carry();
            this._end({ state: "arrived", target: this._target! });
            return;
        }

        const f = this._follower;
        f.advance(foot.x, foot.z, t.waypointRadius);
        let dx = f.x(f.index) - foot.x;
        let dz = f.z(f.index) - foot.z;
        let length = Math.sqrt(dx * dx + dz * dz);
        if (f.index === f.count - 1 && length <= t.waypointRadius) {
            // At the path's end but not within reach (the target drifted): head straight for it.
            dx = tx;
            dz = tz;
            length = Math.sqrt(dx * dx + dz * dz);
        }
        const speed = this.characterOptions.speed;
        const scale = length > 1e-6 ? speed / length : 0;
        this._mover.step(dt, dx * scale, dz * scale);
        if (length > 1e-6) {
            this._turnToward(Math.atan2(dx, dz), dt);
        }
        this._carry();

        const moved = this._mover.getFootToRef(this._foot);
        if (f.trackProgress(f.remaining(moved.x, moved.z), dt, t.minProgress)) {
            this._stuckReplans = 0;
        } else if (f.noProgressTime >= t.stuckTime) {
            this._stuckReplans++;
            if (this._stuckReplans > t.maxStuckReplans) {
                this._fail("stuck", `no progress for ${this._stuckReplans} x ${t.stuckTime} s`);
            } else {
                this._replan("no progress");
            }
        }
    }

    /** Cancels a navigation under way ("disposed"), removes every observer and disposes what the navigator created. */
    public dispose(): void {
        if (this.isDisposed) {
            return;
        }
        this.cancel("disposed");
        this.isDisposed = true;
        // Deferred removal: dispose() often runs inside a notification of one of these
        // observables (scene disposal, an arrival handler in before-render), and removing the
        // running observer at once makes Babylon skip the next one in the list.
        for (const observer of this._observers) {
            observer.remove(true);
        }
        this._observers.length = 0;
        for (const subscription of this._subscriptions) {
            subscription.unsubscribe();
        }
        this._subscriptions.length = 0;
        this._input?.dispose();
        this._input = null;
        this._mover.dispose();
        if (this._ownsPlugin) {
            this.navigationPlugin?.dispose();
        }
        this._state.complete();
        this.onStateChangedObservable.clear();
        this.onPathPlannedObservable.clear();
    }

    private _replan(cause: IPlannedPath["cause"]): void {
        const target = this._readTarget(this._targetPosition);
        const foot = this._mover.getFootToRef(this._foot);
        const result = this._planner!.plan(foot, target);
        if (!result.success) {
            this._fail("unreachable", result.error);
            return;
        }
        this._plans++;
        this._plannedTarget.copyFrom(target);
        this._replanTimer = 0;
        this._follower.setPath(result.points);
        const gx = result.goal.x - target.x;
        const gz = result.goal.z - target.z;
        // A target off the navmesh (an exhibit on a wall) is reached at the navmesh's edge.
        this._arriveRadius = Math.max(this.tuning.arriveDistance, Math.sqrt(gx * gx + gz * gz) + this.tuning.reachTolerance);
        this.onPathPlannedObservable.notifyObservers({ target: this._target!, points: result.points, plan: this._plans, cause });
        this._setState({ state: "moving", target: this._target!, plans: this._plans });
    }

    private _readTarget(result: Vector3): Vector3 {
        const target = this._target!;
        if (target instanceof TransformNode) {
            // Forced: in a manual update loop (or before this frame's render) the node's cached
            // world matrix may predate its last move.
            target.computeWorldMatrix(true);
            return result.copyFrom(target.getAbsolutePosition());
        }
        return result.set(target.x, target.y, target.z);
    }

    private _turnToward(yaw: number, dt: number): void {
        let delta = yaw - this.heading;
        delta = Math.atan2(Math.sin(delta), Math.cos(delta));
        const maxTurn = this.characterOptions.turnSpeed * dt;
        this.heading += Math.max(-maxTurn, Math.min(maxTurn, delta));
    }

    /** Puts the camera and the avatar where the capsule is. */
    private _carry(): void {
        const foot = this._mover.getFootToRef(this._foot);
        const camera = this._camera;
        if (camera) {
            camera.position.set(foot.x, foot.y + this.characterOptions.eyeHeight, foot.z);
            camera.rotation.y = this.heading;
            if (camera.rotationQuaternion) {
                Quaternion.FromEulerAnglesToRef(camera.rotation.x, this.heading, camera.rotation.z, camera.rotationQuaternion);
            }
        }
        const avatar = this._avatar;
        if (avatar) {
            avatar.position.copyFrom(foot);
            if (avatar.rotationQuaternion) {
                Quaternion.RotationYawPitchRollToRef(this.heading, 0, 0, this._tmpQuaternion);
                avatar.rotationQuaternion.copyFrom(this._tmpQuaternion);
            } else {
                avatar.rotation.y = this.heading;
            }
        }
    }

    private _fail(reason: NavigationFailureReason, detail: string): void {
        this._end({ state: "failed", target: this._target, reason, detail });
    }

    private _end(end: NavigationEndState): void {
        this._follower.clear();
        // Stop dead: the controller would otherwise glide on for a metre.
        this._mover.stopHorizontal();
        const resolve = this._resolve;
        this._resolve = null;
        this._target = null;
        this._setState(end);
        resolve?.(end);
    }

    private _setState(state: NavigationState): void {
        this._state.next(state);
        this.onStateChangedObservable.notifyObservers(state);
    }
}

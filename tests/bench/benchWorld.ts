import { FOCUS_HYSTERESIS_RANGES } from "../../plugin/ranking/focusSelector";
import { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { CreateSphere } from "@babylonjs/core/Meshes/Builders/sphereBuilder";
import type { InstancedMesh } from "@babylonjs/core/Meshes/instancedMesh";
import "@babylonjs/core/Meshes/instancedMesh";
import { Scene } from "@babylonjs/core/scene";
import { AttentionPlugin } from "../../plugin/attentionPlugin";
import type { IAttentionPluginOptions } from "../../plugin/attentionPluginOptions";
import type { TargetKind } from "../../plugin/attentionTypes";

/** The benchmark's tick rate: the clock advances this much per frame. */
export const BENCH_HZ = 30;

export interface IBenchEntity {
    readonly mesh: InstancedMesh;
    readonly kind: TargetKind;
    readonly priority: number;
    readonly label: string;
}

/**
 * A NullEngine scene both the plugin and the naive baseline run in: `n` entities (instances of
 * one small sphere, so they are real meshes with bounding spheres) spread over an 80 m square
 * around a player camera, eight box walls between them, and a deterministic motion: every
 * entity circles its home point and the camera sweeps its yaw, once per `step()`.
 */
export class BenchWorld {
    public readonly engine = new NullEngine();
    public readonly scene: Scene;
    public readonly camera: UniversalCamera;
    public readonly walls: AbstractMesh[] = [];
    public readonly entities: IBenchEntity[] = [];
    /** Milliseconds; advanced by `step()`. Pass `clock` to the plugin. */
    public now = 0;
    public readonly clock = (): number => this.now;

    private readonly _homeX: Float64Array;
    private readonly _homeZ: Float64Array;
    private readonly _phase: Float64Array;
    private _frame = 0;

    public constructor(public readonly n: number) {
        this.scene = new Scene(this.engine);
        this.camera = new UniversalCamera("player", new Vector3(0, 1.6, 0), this.scene);
        this.camera.setTarget(new Vector3(0, 1.6, 10));
        this.scene.activeCamera = this.camera;

        // Eight walls on a ring 8-12 m out: some entities are behind them, most are not.
        for (let w = 0; w < 8; w++) {
            const a = (w / 8) * Math.PI * 2;
            const wall = CreateBox(`wall-${w}`, { width: 6, height: 3, depth: 0.5 }, this.scene);
            wall.position.set(Math.sin(a) * (8 + (w % 3) * 2), 1.5, Math.cos(a) * (8 + (w % 3) * 2));
            wall.rotation.y = a;
            wall.computeWorldMatrix(true);
            this.walls.push(wall);
        }

        const source = CreateSphere("entity-source", { diameter: 0.8, segments: 4 }, this.scene);
        source.isVisible = false;
        this._homeX = new Float64Array(n);
        this._homeZ = new Float64Array(n);
        this._phase = new Float64Array(n);
        // A fixed-seed generator: every run and both tickers see the same world.
        let seed = 12345;
        const random = (): number => {
            seed = (seed * 1664525 + 1013904223) >>> 0;
            return seed / 4294967296;
        };
        const kinds: TargetKind[] = ["npc", "task", "hint"];
        for (let i = 0; i < n; i++) {
            const mesh = source.createInstance(`entity-${i}`);
            this._homeX[i] = (random() - 0.5) * 80;
            this._homeZ[i] = (random() - 0.5) * 80;
            this._phase[i] = random() * Math.PI * 2;
            mesh.position.set(this._homeX[i], 1.6, this._homeZ[i]);
            this.entities.push({ mesh, kind: kinds[i % 3], priority: Math.round(random() * 10) / 10, label: `entity ${i}` });
        }
        this.step();
    }

    /**
     * Moves every entity along its 0.5 m circle, turns the camera a little and advances the
     * clock by one tick. Not part of any measured time.
     */
    public step(): void {
        const frame = ++this._frame;
        this.now += 1000 / BENCH_HZ;
        const t = frame * 0.05;
        for (let i = 0; i < this.n; i++) {
            const a = t + this._phase[i];
            this.entities[i].mesh.position.set(this._homeX[i] + 0.5 * Math.cos(a), 1.6, this._homeZ[i] + 0.5 * Math.sin(a));
        }
        // Sweep the yaw +-40 degrees every ~8 s so gaze, dwell and occlusion keep changing.
        this.camera.rotation.y = 0.7 * Math.sin(frame * 0.025);
    }

    /**
     * Does what a Babylon frame does to these nodes before anyone reads them: the camera's view
     * matrix, and every moved mesh's world matrix and bounds (the render loop computes them
     * for culling whether or not the plugin runs). A tick after this reads cached transforms,
     * so its time is the plugin's own share of the frame.
     */
    public updateTransforms(): void {
        this.scene.incrementRenderId();
        this.camera.getViewMatrix();
        const entities = this.entities;
        for (let i = 0; i < entities.length; i++) {
            const mesh = entities[i].mesh;
            mesh.computeWorldMatrix();
            mesh.getBoundingInfo();
        }
    }

    /** One render-loop frame: `step()`, `updateTransforms()`, then the before-render observers (where the plugin ticks). */
    public frame(): void {
        this.step();
        this.updateTransforms();
        this.scene.onBeforeRenderObservable.notifyObservers(this.scene);
    }

    /**
     * The plugin every benchmark measures in this world, every entity tracked: the world's
     * camera and clock, its walls as occluders, and `backend: "heuristic"` (model inference has
     * rows of its own) unless `options` say otherwise.
     */
    public async createPluginAsync(options: Partial<IAttentionPluginOptions> = {}): Promise<AttentionPlugin> {
        const attention = await AttentionPlugin.CreateAsync(this.scene, { camera: this.camera, clock: this.clock, occlusion: this.walls, backend: "heuristic", ...options });
        for (const entity of this.entities) {
            attention.track(entity.mesh, { kind: entity.kind, priority: entity.priority, label: entity.label });
        }
        return attention;
    }

    public dispose(): void {
        this.scene.dispose();
        this.engine.dispose();
    }
}

/**
 * Holds the plugin's focus still (nothing can acquire, release or switch), for the steady-state
 * figures; returns what puts the previous hysteresis back.
 */
export function holdFocus(attention: AttentionPlugin): () => void {
    const saved = { ...attention.hysteresis };
    // Scores are never negative and stay far below the thresholds' largest values.
    const { acquireScore, switchMargin } = FOCUS_HYSTERESIS_RANGES;
    Object.assign(attention.hysteresis, { acquireScore: acquireScore.max, releaseScore: 0, switchMargin: switchMargin.max });
    return () => void Object.assign(attention.hysteresis, saved);
}

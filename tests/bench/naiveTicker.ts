import { Ray } from "@babylonjs/core/Culling/ray";
import "@babylonjs/core/Culling/ray";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh";
import type { TargetKind } from "../../plugin/attentionTypes";
import { DEFAULT_FEATURE_OPTIONS } from "../../plugin/features/featureOptions";
import { DEFAULT_WEIGHTS } from "../../plugin/model/attentionWeights";
import { BENCH_HZ, type BenchWorld, type IBenchEntity } from "./benchWorld";

interface INaiveRow {
    entity: IBenchEntity;
    score: number;
    why: Record<string, number>;
}

export interface INaiveRanking {
    npc: INaiveRow[];
    task: INaiveRow[];
    hint: INaiveRow[];
}

/**
 * The baseline the plugin is measured against: the same signals and the same heuristic
 * formula, written the plain way. Every tick it picks a ray per entity with
 * `scene.pickWithRay`, builds fresh vectors, rows and arrays, sorts all rows and filters
 * per kind. It is given the same occluders as the plugin (the pick predicate accepts only the
 * walls), so it does no more ray-mesh work than it must: the strongest form of "naive".
 */
export class NaiveTicker {
    public ranking: INaiveRanking = { npc: [], task: [], hint: [] };
    public focus: INaiveRow | null = null;

    private readonly _dwell = new Map<AbstractMesh, number>();
    private readonly _attended = new Map<AbstractMesh, number>();
    private readonly _prevDistance = new Map<AbstractMesh, number>();
    private readonly _walls: Set<AbstractMesh>;

    public constructor(private readonly _world: BenchWorld) {
        this._walls = new Set(_world.walls);
    }

    public tick(): void {
        const world = this._world;
        const scene = world.scene;
        const camera = world.camera;
        const options = DEFAULT_FEATURE_OPTIONS;
        const w = DEFAULT_WEIGHTS;
        const dt = 1 / BENCH_HZ;
        scene.incrementRenderId();

        const eye = camera.globalPosition.clone();
        const forward = camera.getDirection(new Vector3(0, 0, 1));
        const halfFov = Math.atan(Math.tan(camera.fov / 2) * (scene.getEngine().getAspectRatio(camera) || 1));
        const rows: INaiveRow[] = [];
        for (const entity of world.entities) {
            const mesh = entity.mesh;
            mesh.computeWorldMatrix();
            const sphere = mesh.getBoundingInfo().boundingSphere;
            const center = sphere.centerWorld.clone();
            const r = sphere.radiusWorld;
            const toTarget = center.subtract(eye);
            const length = toTarget.length();
            const distance = Math.max(0, length - r);
            const direction = toTarget.normalizeToNew();
            const angle = Math.max(0, Math.acos(Math.min(1, Math.max(-1, Vector3.Dot(forward, direction)))) - Math.asin(Math.min(1, r / length)));
            const alignment = Math.max(0, 1 - angle / options.gazeConeHalfAngle);
            const inView = Math.acos(Math.min(1, Math.max(-1, Vector3.Dot(forward, direction)))) <= halfFov || angle === 0 ? 1 : 0;

            const ray = new Ray(eye, direction, Math.max(0, length - r));
            const hit = scene.pickWithRay(ray, (m) => this._walls.has(m), true);
            const visible = hit && hit.hit ? 0 : 1;

            const seen = alignment > 0 && visible === 1 && distance <= options.maxDistance;
            const dwell = seen ? (this._dwell.get(mesh) ?? 0) + dt : (this._dwell.get(mesh) ?? 0) * Math.exp(-dt / options.dwellDecaySeconds);
            this._dwell.set(mesh, dwell);
            const attended = (this._attended.get(mesh) ?? 0) + (seen ? alignment * dt : 0);
            this._attended.set(mesh, attended);
            const previous = this._prevDistance.get(mesh);
            const approach = previous === undefined ? 0 : Math.min(1, Math.max(-1, (previous - distance) / dt / options.approachScale));
            this._prevDistance.set(mesh, distance);

            const why = {
                gaze: w.gaze * alignment * visible,
                dwell: w.dwell * (dwell / (dwell + options.dwellScale)),
                proximity: w.proximity * (1 / (1 + distance / options.proximityScale)),
                event: 0,
                priority: w.priority * entity.priority,
                novelty: w.novelty * Math.exp(-attended / options.noveltySeconds) * inView,
                visibility: w.visibility * visible * inView,
                approach: w.approach * Math.max(0, approach),
            };
            const score = Object.values(why).reduce((sum, value) => sum + value, 0);
            rows.push({ entity, score, why });
        }
        rows.sort((a, b) => b.score - a.score);
        const top = (kind: TargetKind): INaiveRow[] => rows.filter((row) => row.entity.kind === kind).slice(0, 10);
        this.ranking = { npc: top("npc"), task: top("task"), hint: top("hint") };
        // Plain focus rule: the best row, kept unless beaten by the same margin the plugin uses.
        const best = rows[0] ?? null;
        const current = this.focus ? rows.find((row) => row.entity === this.focus?.entity) ?? null : null;
        this.focus = current && best && best.score <= current.score + 0.15 ? current : best;
    }
}

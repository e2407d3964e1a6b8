import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Scene } from "@babylonjs/core/scene";
import { FreeCamera } from "@babylonjs/core/Cameras/freeCamera";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { BehaviorSubject, Subject } from "rxjs";
import type { IRanking, IRankingEntry, TargetKind } from "../../plugin/attentionTypes";
import type { IAttentionSource } from "../../plugin/effects/attentionSource";

/** A NullEngine scene, a camera at the origin looking down +Z, a manual clock and Subject-driven source. */
export interface IEffectTestScene {
    engine: NullEngine;
    scene: Scene;
    camera: FreeCamera;
    source: IAttentionSource;
    focus$: BehaviorSubject<IRankingEntry | null>;
    ranking$: Subject<IRanking>;
    ranking: IRanking;
    /** Manual clock in milliseconds. */
    clock: () => number;
    /** Advances the clock by `ms` and renders one frame. */
    frame(ms?: number): void;
    /** Renders `count` frames of `ms` each. */
    frames(count: number, ms?: number): void;
    box(name: string, position: Vector3): Mesh;
    dispose(): void;
}

export function makeEntry(node: TransformNode, kind: TargetKind, guidance = 0, label = node.name): IRankingEntry {
    return {
        node,
        kind,
        label,
        score: 1,
        guidance,
        expectedDwell: 0,
        why: { gaze: 0, dwell: 0, proximity: 0, event: 0, priority: 0, novelty: 0, visibility: 0, approach: 0, attention: 0 },
    };
}

export function createEffectTestScene(): IEffectTestScene {
    const engine = new NullEngine();
    const scene = new Scene(engine);
    const camera = new FreeCamera("camera", new Vector3(0, 0, 0), scene);
    camera.minZ = 0.1;
    scene.activeCamera = camera;
    let now = 1000;
    const focus$ = new BehaviorSubject<IRankingEntry | null>(null);
    const ranking$ = new Subject<IRanking>();
    const ranking: IRanking = { npc: [], task: [], hint: [], time: 0 };
    const frame = (ms = 16): void => {
        now += ms;
        ranking.time = now;
        ranking$.next(ranking);
        scene.render();
    };
    return {
        engine,
        scene,
        camera,
        source: { focus$, ranking$, scene },
        focus$,
        ranking$,
        ranking,
        clock: () => now,
        frame,
        frames(count: number, ms = 16): void {
            for (let i = 0; i < count; i++) {
                frame(ms);
            }
        },
        box(name: string, position: Vector3): Mesh {
            const mesh = CreateBox(name, { size: 1 }, scene);
            mesh.position.copyFrom(position);
            mesh.computeWorldMatrix(true);
            return mesh;
        },
        dispose(): void {
            scene.dispose();
            engine.dispose();
        },
    };
}

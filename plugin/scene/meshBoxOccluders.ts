import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import { BoxOccluders } from "../features/boxOccluders.js";
import type { IOcclusionTester } from "../features/occlusionTester.js";

/**
 * Given meshes as box occluders: their world bounding boxes are refreshed once per tick (so
 * moving doors and crates occlude where they are), then tested allocation-free.
 */
export class MeshBoxOccluders implements IOcclusionTester {
    private readonly _boxes = new BoxOccluders();

    public constructor(private readonly _meshes: readonly AbstractMesh[]) {
        for (let i = 0; i < _meshes.length; i++) {
            this._boxes.add(0, 0, 0, 0, 0, 0);
        }
    }

    public beginTick(): void {
        const meshes = this._meshes;
        for (let i = 0; i < meshes.length; i++) {
            const mesh = meshes[i];
            if (mesh.isDisposed() || !mesh.isEnabled()) {
                // An empty, far-away box: keeps indices stable without occluding anything.
                this._boxes.set(i, 1e30, 1e30, 1e30, 1e30, 1e30, 1e30);
                continue;
            }
            mesh.computeWorldMatrix();
            const box = mesh.getBoundingInfo().boundingBox;
            this._boxes.setFromPoints(i, box.minimumWorld, box.maximumWorld);
        }
    }

    public isBlocked(ox: number, oy: number, oz: number, tx: number, ty: number, tz: number, targetRadius: number): boolean {
        return this._boxes.isBlocked(ox, oy, oz, tx, ty, tz, targetRadius);
    }

    public isBlockedSegment(segment: Float64Array): boolean {
        return this._boxes.isBlockedSegment(segment);
    }
}

import { NullEngine } from "@babylonjs/core/Engines/nullEngine";
import { Vector3 } from "@babylonjs/core/Maths/math.vector";
import { CreateBox } from "@babylonjs/core/Meshes/Builders/boxBuilder";
import { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import { Scene } from "@babylonjs/core/scene";
import { afterEach, describe, expect, it } from "vitest";
import { getNodeCenterToRef } from "../../plugin/effects/effectMath";

describe("getNodeCenterToRef", () => {
    const engine = new NullEngine();
    let scene: Scene | null = null;
    afterEach(() => scene?.dispose());

    /** A box whose geometry sits off its origin, under a rotated, scaled parent. */
    function offCentreBox() {
        scene = new Scene(engine);
        const parent = new TransformNode("parent", scene);
        parent.position.set(3, 0, -2);
        parent.rotation.y = 0.7;
        parent.scaling.setAll(2);
        const box = CreateBox("box", { size: 1 }, scene);
        box.bakeTransformIntoVertices(box.computeWorldMatrix(true).clone().setTranslationFromFloats(0, 1.5, 0.5));
        box.parent = parent;
        box.position.set(1, 0, 0);
        return { parent, box };
    }

    it("gives a moved mesh's bounding-sphere centre as of now, before any frame has transformed it", () => {
        const { parent, box } = offCentreBox();
        box.computeWorldMatrix(true);
        box.getBoundingInfo();
        // Moved since the last frame: nothing has recomputed its matrix or bounds yet.
        box.position.set(-1, 2, 4);
        parent.rotation.y = -1.1;
        const got = getNodeCenterToRef(box, new Vector3());
        box.computeWorldMatrix(true);
        const expected = box.getBoundingInfo().boundingSphere.centerWorld;
        expect(got.x).toBeCloseTo(expected.x, 5);
        expect(got.y).toBeCloseTo(expected.y, 5);
        expect(got.z).toBeCloseTo(expected.z, 5);
        // The offset geometry counts: the centre is not the mesh's origin.
        expect(Vector3.Distance(got, box.getAbsolutePosition())).toBeGreaterThan(1);
    });

    it("gives a transform node's origin", () => {
        scene = new Scene(engine);
        const node = new TransformNode("marker", scene);
        node.position.set(2, 3, 4);
        const got = getNodeCenterToRef(node, new Vector3());
        expect([got.x, got.y, got.z]).toEqual([2, 3, 4]);
    });
});

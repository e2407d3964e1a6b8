import { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Vector3 } from "@babylonjs/core/Maths/math.vector.js";

/**
 * World-space centre of what the player sees of a node: a mesh's bounding-sphere centre, or a
 * transform node's origin. Writes into `result`; allocates nothing.
 */
export function getNodeCenterToRef(node: TransformNode, result: Vector3): Vector3 {
    // Forced: onBeforeRender runs before the scene bumps its render id, so an unforced call
    // would return last frame's matrix for a node moved since. One matrix compose per target.
    node.computeWorldMatrix(true);
    if (node instanceof AbstractMesh) {
        // getBoundingInfo() re-syncs lazily after a world-matrix change.
        return result.copyFrom(node.getBoundingInfo().boundingSphere.centerWorld);
    }
    return result.copyFrom(node.getAbsolutePosition());
}

/** Wraps an angle in radians to (-PI, PI]. */
export function wrapAngle(angle: number): number {
    const twoPi = Math.PI * 2;
    let a = angle % twoPi;
    if (a > Math.PI) {
        a -= twoPi;
    } else if (a <= -Math.PI) {
        a += twoPi;
    }
    return a;
}

/** Hermite ease of t in [0, 1]: zero slope at both ends, so fades start and stop softly. */
export function smoothstep(t: number): number {
    const x = t <= 0 ? 0 : t >= 1 ? 1 : t;
    return x * x * (3 - 2 * x);
}

/** Moves `value` toward `target` by at most `maxStep`. */
export function moveToward(value: number, target: number, maxStep: number): number {
    const d = target - value;
    if (Math.abs(d) <= maxStep) {
        return target;
    }
    return value + Math.sign(d) * maxStep;
}

/** Fraction of the remaining distance an exponential ease covers in `dtMs` with time constant `tauMs`. */
export function easeFactor(dtMs: number, tauMs: number): number {
    return tauMs <= 0 ? 1 : 1 - Math.exp(-dtMs / tauMs);
}

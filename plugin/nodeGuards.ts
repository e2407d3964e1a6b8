import type { AbstractMesh } from "@babylonjs/core/Meshes/abstractMesh.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";

/**
 * Structural checks instead of `instanceof`: an app and this package can end up with two copies
 * of @babylonjs/core (a linked package, a CDN build beside an npm one), and then a real mesh
 * fails `instanceof AbstractMesh`. Babylon's own code relies on getClassName for the same reason.
 */
export function isTransformNode(value: unknown): value is TransformNode {
    const node = value as Partial<TransformNode> | null;
    return !!node && typeof node.computeWorldMatrix === "function" && typeof node.getScene === "function" && typeof node.getClassName === "function";
}

export function isMesh(value: unknown): value is AbstractMesh {
    const mesh = value as Partial<AbstractMesh> | null;
    return isTransformNode(value) && typeof mesh?.getBoundingInfo === "function" && typeof mesh.getTotalVertices === "function";
}

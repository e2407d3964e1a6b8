import { Logger } from "@babylonjs/core/Misc/logger.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { DeepImmutable } from "@babylonjs/core/types.js";
import { isMesh } from "../nodeGuards.js";
import type { EntityStore } from "../features/entityStore.js";
import type { ITickTime } from "../features/tickTime.js";

type MatrixData = DeepImmutable<Float32Array | Array<number>>;

const IS_MESH = 1;
const HAS_BOUNDS = 2;
const WARNED_INVALID = 4;

/**
 * Reads tracked nodes' world bounding spheres (centre and radius) into the store, by slot.
 *
 * Reading a node's position is the one per-entity cost that tight loops do not remove: after a
 * frame has transformed thousands of meshes, each read walks node -> matrix -> array in memory
 * the frame has pushed out of the caches. So this reader keeps what it needs next to the slot:
 * the local bounding sphere in typed arrays (read once at track time) and each mesh's world
 * matrix array, which Babylon updates in place every frame. A cached array goes stale only if
 * the node gets a new matrix object (freezeWorldMatrix with a matrix, baking transforms, a
 * precision switch): `verifyMs` bounds how long such a change can go unseen, since every read
 * older than that goes through the node again.
 */
export class NodePositionReader {
    /** How long a cached matrix array is trusted before a read goes through the node again, ms. */
    public verifyMs = 1000;
    private _nodes: TransformNode[] = [];
    private _matrices: MatrixData[] = [];
    private _verifiedAt = new Float64Array(16);
    private _flags = new Uint8Array(16);
    private _centerX = new Float32Array(16);
    private _centerY = new Float32Array(16);
    private _centerZ = new Float32Array(16);
    private _localRadius = new Float32Array(16);
    /** The radius given to track(), which wins over the mesh's bounds; NaN when none was given. */
    private _radiusOverride = new Float32Array(16);

    /** Registers `node` in `slot` (the store's newest slot). */
    public add(slot: number, node: TransformNode, radiusOverride: number): void {
        this._ensureCapacity(slot + 1);
        const mesh = isMesh(node) ? node : null;
        const bounds = mesh && mesh.getTotalVertices() > 0 ? mesh.getBoundingInfo().boundingSphere : null;
        this._nodes[slot] = node;
        this._matrices[slot] = node.computeWorldMatrix().m;
        this._verifiedAt[slot] = -Infinity;
        this._flags[slot] = (mesh ? IS_MESH : 0) | (bounds ? HAS_BOUNDS : 0);
        this._centerX[slot] = bounds?.center.x ?? 0;
        this._centerY[slot] = bounds?.center.y ?? 0;
        this._centerZ[slot] = bounds?.center.z ?? 0;
        this._localRadius[slot] = bounds?.radius ?? 0;
        this._radiusOverride[slot] = radiusOverride;
    }

    /** Mirrors the store's swap-remove: `from` (the last slot) moves into `to`. */
    public move(from: number, to: number): void {
        for (const column of this._columns()) {
            column[to] = column[from];
        }
    }

    /** Forgets slots from `count` on (after a removal). */
    public truncate(count: number): void {
        this._nodes.length = count;
        this._matrices.length = count;
    }

    /**
     * Reads the listed slots. `fresh` (tickAsync, outside the render loop) recomputes each
     * node's world matrix; in the render loop meshes carry the matrix the frame just computed
     * for culling, while plain nodes are not transformed by frames and are always recomputed.
     * A non-finite position marks the slot invalid (every stage skips it) with one warning.
     */
    public read(store: EntityStore, slots: Int32Array, slotCount: number, fresh: boolean, time: ITickTime): void {
        // The time comes by reference: a fractional argument to a call V8 does not inline is boxed.
        const nowMs = time.nowMs;
        const verifyMs = this.verifyMs;
        const { x: sx, y: sy, z: sz, radius: sr, valid } = store;
        const nodes = this._nodes;
        const matrices = this._matrices;
        const verifiedAt = this._verifiedAt;
        const flags = this._flags;
        const centerX = this._centerX;
        const centerY = this._centerY;
        const centerZ = this._centerZ;
        const localRadius = this._localRadius;
        const radiusOverride = this._radiusOverride;
        for (let s = 0; s < slotCount; s++) {
            const i = slots[s];
            const f = flags[i];
            let m: MatrixData;
            if ((f & IS_MESH) === 0 || fresh) {
                m = matrices[i] = nodes[i].computeWorldMatrix().m;
                verifiedAt[i] = nowMs;
            } else if (!(nowMs - verifiedAt[i] < verifyMs)) {
                m = matrices[i] = nodes[i].worldMatrixFromCache.m;
                verifiedAt[i] = nowMs;
            } else {
                m = matrices[i];
            }
            let x = m[12];
            let y = m[13];
            let z = m[14];
            let radius = radiusOverride[i];
            if ((f & HAS_BOUNDS) !== 0) {
                const cx = centerX[i];
                const cy = centerY[i];
                const cz = centerZ[i];
                x += cx * m[0] + cy * m[4] + cz * m[8];
                y += cx * m[1] + cy * m[5] + cz * m[9];
                z += cx * m[2] + cy * m[6] + cz * m[10];
                if (radius !== radius) {
                    // The largest axis scale bounds how far the sphere can stretch.
                    const ax = m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
                    const ay = m[4] * m[4] + m[5] * m[5] + m[6] * m[6];
                    const az = m[8] * m[8] + m[9] * m[9] + m[10] * m[10];
                    radius = localRadius[i] * Math.sqrt(ax > ay ? (ax > az ? ax : az) : ay > az ? ay : az);
                }
            } else if (radius !== radius) {
                radius = sr[i];
            }
            // x - x is 0 for finite numbers and NaN for NaN and the infinities.
            if (x - x === 0 && y - y === 0 && z - z === 0 && radius - radius === 0) {
                valid[i] = 1;
                sx[i] = x;
                sy[i] = y;
                sz[i] = z;
                sr[i] = radius;
                flags[i] = f & ~WARNED_INVALID;
            } else {
                valid[i] = 0;
                if ((f & WARNED_INVALID) === 0) {
                    flags[i] = f | WARNED_INVALID;
                    Logger.Warn(`AttentionPlugin: "${nodes[i].name}" has a non-finite position (${x}, ${y}, ${z}); it is left out of the ranking until its position is finite again`);
                }
            }
        }
    }

    /** Every per-slot column, for the moves and growth that must treat them all alike. */
    private _columns(): (TransformNode[] | MatrixData[] | Float64Array | Float32Array | Uint8Array)[] {
        return [this._nodes, this._matrices, this._verifiedAt, this._flags, this._centerX, this._centerY, this._centerZ, this._localRadius, this._radiusOverride];
    }

    private _ensureCapacity(capacity: number): void {
        if (this._flags.length >= capacity) {
            return;
        }
        const size = Math.max(capacity, this._flags.length * 2);
        const grow = <T extends Float32Array | Float64Array | Uint8Array>(old: T): T => {
            const next = new (old.constructor as new (n: number) => T)(size);
            next.set(old as never);
            return next;
        };
        this._verifiedAt = grow(this._verifiedAt);
        this._flags = grow(this._flags);
        this._centerX = grow(this._centerX);
        this._centerY = grow(this._centerY);
        this._centerZ = grow(this._centerZ);
        this._localRadius = grow(this._localRadius);
        this._radiusOverride = grow(this._radiusOverride);
    }
}

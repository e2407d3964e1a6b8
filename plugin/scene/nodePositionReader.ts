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
 * One slot's record, interleaved: a read touches one record instead of one cache line per
 * column. The fields, in float32 words from the record's start:
 */
const FLAGS = 0;
const CENTER_X = 1;
const CENTER_Y = 2;
const CENTER_Z = 3;
const LOCAL_RADIUS = 4;
/** The radius given to track(), which wins over the mesh's bounds; NaN when none was given. */
const RADIUS_OVERRIDE = 5;
/**
 * When the matrix array was last taken from the node, ms after the reader's first read: float32
 * stays finer than a millisecond for hours and than 32 ms for days, far below `verifyMs`.
 */
const VERIFIED_AT = 6;
/** Words per record (one spare): 32 bytes, so a record rarely straddles two cache lines. */
const RECORD = 8;
/** Where the touch loop leaves its count, so the compiler cannot drop its loads as unused. */
const TOUCHED = new Int32Array(1);

/**
 * Reads tracked nodes' world bounding spheres (centre and radius) into the store, by slot.
 *
 * Reading a node's position is the one per-entity cost that tight loops do not remove: after a
 * frame has transformed thousands of meshes, each read walks memory the frame has pushed out of
 * the caches, and at a few hundred scattered slots per tick every cache line a read touches is
 * a miss. So this reader keeps what it needs next to the slot, in one record: the local
 * bounding sphere (read once at track time) and its flags, beside each mesh's world matrix
 * array, which Babylon updates in place every frame. A cached array goes stale only if the node
 * gets a new matrix object (freezeWorldMatrix with a matrix, baking transforms, a precision
 * switch): `verifyMs` bounds how long such a change can go unseen, since every read older than
 * that goes through the node again.
 */
export class NodePositionReader {
    /** How long a cached matrix array is trusted before a read goes through the node again, ms. */
    public verifyMs = 1000;
    private _nodes: TransformNode[] = [];
    private _matrices: MatrixData[] = [];
    private _records = new Float32Array(16 * RECORD);
    /** The clock reading `VERIFIED_AT` counts from (NaN until the first read). */
    private _epochMs = NaN;

    /** Registers `node` in `slot` (the store's newest slot). */
    public add(slot: number, node: TransformNode, radiusOverride: number): void {
        this._ensureCapacity(slot + 1);
        const mesh = isMesh(node) ? node : null;
        const bounds = mesh && mesh.getTotalVertices() > 0 ? mesh.getBoundingInfo().boundingSphere : null;
        this._nodes[slot] = node;
        this._matrices[slot] = node.computeWorldMatrix().m;
        const r = this._records;
        const at = slot * RECORD;
        r[at + FLAGS] = (mesh ? IS_MESH : 0) | (bounds ? HAS_BOUNDS : 0);
        r[at + CENTER_X] = bounds?.center.x ?? 0;
        r[at + CENTER_Y] = bounds?.center.y ?? 0;
        r[at + CENTER_Z] = bounds?.center.z ?? 0;
        r[at + LOCAL_RADIUS] = bounds?.radius ?? 0;
        r[at + RADIUS_OVERRIDE] = radiusOverride;
        r[at + VERIFIED_AT] = -Infinity;
    }

    /** Mirrors the store's swap-remove: `from` (the last slot) moves into `to`. */
    public move(from: number, to: number): void {
        this._nodes[to] = this._nodes[from];
        this._matrices[to] = this._matrices[from];
        this._records.copyWithin(to * RECORD, from * RECORD, (from + 1) * RECORD);
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
        if (this._epochMs !== this._epochMs) {
            this._epochMs = time.nowMs;
        }
        const nowMs = time.nowMs - this._epochMs;
        const verifyMs = this.verifyMs;
        const { x: sx, y: sy, z: sz, radius: sr, valid } = store;
        const nodes = this._nodes;
        const matrices = this._matrices;
        const r = this._records;
        // Touch every listed matrix first, in a loop short enough that the processor keeps many
        // of its cache misses in flight at once; the loop below then finds them in cache.
        let touched = 0;
        for (let s = 0; s < slotCount; s++) {
            touched += matrices[slots[s]][12] === 0 ? 0 : 1;
        }
        TOUCHED[0] = touched;
        for (let s = 0; s < slotCount; s++) {
            const i = slots[s];
            const at = i * RECORD;
            const f = r[at + FLAGS];
            let m: MatrixData;
            if ((f & IS_MESH) === 0 || fresh) {
                m = matrices[i] = nodes[i].computeWorldMatrix().m;
                r[at + VERIFIED_AT] = nowMs;
            } else if (!(nowMs - r[at + VERIFIED_AT] < verifyMs)) {
                m = matrices[i] = nodes[i].worldMatrixFromCache.m;
                r[at + VERIFIED_AT] = nowMs;
            } else {
                m = matrices[i];
            }
            let x = m[12];
            let y = m[13];
            let z = m[14];
            let radius = r[at + RADIUS_OVERRIDE];
            if ((f & HAS_BOUNDS) !== 0) {
                const cx = r[at + CENTER_X];
                const cy = r[at + CENTER_Y];
                const cz = r[at + CENTER_Z];
                x += cx * m[0] + cy * m[4] + cz * m[8];
                y += cx * m[1] + cy * m[5] + cz * m[9];
                z += cx * m[2] + cy * m[6] + cz * m[10];
                if (radius !== radius) {
                    // The largest axis scale bounds how far the sphere can stretch.
                    const ax = m[0] * m[0] + m[1] * m[1] + m[2] * m[2];
                    const ay = m[4] * m[4] + m[5] * m[5] + m[6] * m[6];
                    const az = m[8] * m[8] + m[9] * m[9] + m[10] * m[10];
                    radius = r[at + LOCAL_RADIUS] * Math.sqrt(ax > ay ? (ax > az ? ax : az) : ay > az ? ay : az);
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
                r[at + FLAGS] = f & ~WARNED_INVALID;
            } else {
                valid[i] = 0;
                if ((f & WARNED_INVALID) === 0) {
                    r[at + FLAGS] = f | WARNED_INVALID;
                    Logger.Warn(`AttentionPlugin: "${nodes[i].name}" has a non-finite position (${x}, ${y}, ${z}); it is left out of the ranking until its position is finite again`);
                }
            }
        }
    }

    private _ensureCapacity(capacity: number): void {
        if (this._records.length >= capacity * RECORD) {
            return;
        }
        const next = new Float32Array(Math.max(capacity * RECORD, this._records.length * 2));
        next.set(this._records);
        this._records = next;
    }
}

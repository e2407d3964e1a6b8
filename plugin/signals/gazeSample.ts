/** A 3D vector as plain numbers, copied out of Babylon's reused math objects. */
export interface IVec3 {
    x: number;
    y: number;
    z: number;
}

/** One gaze observation: where the player looks from, where to, how sure the tracker is. */
export interface IGazeSample {
    origin: IVec3;
    /** Unit direction. */
    direction: IVec3;
    /** Tracker confidence. [0, 1] */
    confidence: number;
    /** Clock time of the sample, ms. */
    time: number;
}

/**
 * A pull-based gaze source: the plugin asks it for the current gaze once per tick and it
 * writes into the given sample in place, so the hot path allocates nothing. Returns false when
 * no gaze is available (e.g. the eye tracker lost the eyes), and the plugin keeps the last one.
 */
export interface IGazeProvider {
    readonly name: string;
    /** `time.nowMs` is the tick's clock time (an object, so no number is boxed per call). */
    read(out: IGazeSample, time: { readonly nowMs: number }): boolean;
    dispose?(): void;
}

export function createGazeSample(): IGazeSample {
    return { origin: { x: 0, y: 0, z: 0 }, direction: { x: 0, y: 0, z: 1 }, confidence: 1, time: 0 };
}

/** Copies a ray (Babylon's `Ray`, or any origin/direction pair) into a sample, in place. */
export function copyRayToSample(origin: Readonly<IVec3>, direction: Readonly<IVec3>, out: IGazeSample): void {
    out.origin.x = origin.x;
    out.origin.y = origin.y;
    out.origin.z = origin.z;
    out.direction.x = direction.x;
    out.direction.y = direction.y;
    out.direction.z = direction.z;
}

/** Copies every field of `from` into `to`, in place. */
export function copyGazeSample(from: Readonly<IGazeSample>, to: IGazeSample): void {
    copyRayToSample(from.origin, from.direction, to);
    to.confidence = from.confidence;
    to.time = from.time;
}

/** A fresh deep copy, for emitting to rxjs subscribers who may keep it. */
export function cloneGazeSample(sample: IGazeSample): IGazeSample {
    return {
        origin: { x: sample.origin.x, y: sample.origin.y, z: sample.origin.z },
        direction: { x: sample.direction.x, y: sample.direction.y, z: sample.direction.z },
        confidence: sample.confidence,
        time: sample.time,
    };
}

/** Throws a clear error if `sample` is not a usable gaze sample. */
export function assertGazeSample(sample: IGazeSample, source: string): void {
    const { origin: o, direction: d } = sample ?? ({} as IGazeSample);
    if (!o || !d || ![o.x, o.y, o.z, d.x, d.y, d.z].every(Number.isFinite)) {
        throw new Error(`${source}: a gaze sample needs finite origin {x, y, z} and direction {x, y, z}; got ${JSON.stringify(sample)}`);
    }
    if (d.x * d.x + d.y * d.y + d.z * d.z < 1e-12) {
        throw new Error(`${source}: a gaze sample's direction must not be the zero vector`);
    }
}

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

/**
 * The vectors of the samples the plugin writes every tick. A class, not an `{ x, y, z }`
 * literal: V8 gives every literal of that shape in the page one shared hidden class, so a
 * library that stores anything but numbers in such a literal (an object, a string) turns its
 * fields generic, and from then on every fractional number written here is boxed into a fresh
 * heap object. Measured: with playwright-core loaded in the same process (its protocol schemas
 * are `{ x, y }` literals of validators), the camera gaze read allocated 40 bytes per call; a
 * class has hidden classes of its own.
 */
class GazeVector implements IVec3 {
    // Initialised here, not as constructor parameter properties: those are declared first
    // (undefined), and a field that ever held undefined is generic, which boxes numbers too.
    public x = 0;
    public y = 0;
    public z = 0;
}

/** A sample the plugin owns and writes in place each tick (a class, for the reason above). */
class OwnedGazeSample implements IGazeSample {
    public readonly origin: IVec3 = new GazeVector();
    public readonly direction: IVec3 = new GazeVector();
    public confidence = 1;
    public time = 0;
}

/** A sample to write in place every tick: origin 0, looking along +Z. */
export function createGazeSample(confidence = 1, time = 0): IGazeSample {
    const sample = new OwnedGazeSample();
    sample.direction.z = 1;
    sample.confidence = confidence;
    sample.time = time;
    return sample;
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

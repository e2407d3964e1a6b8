import type { Observable as BabylonObservable, Observer } from "@babylonjs/core/Misc/observable.js";
import { fromEventPattern, type Observable } from "rxjs";

/**
 * A Babylon `Observable` as an rxjs stream. The Babylon observer is added on subscribe and
 * removed on unsubscribe, so an unsubscribed stream leaves no observer behind. Babylon reuses
 * its event objects: copy what you keep (`map`) before the next frame.
 */
export function fromBabylonObservable<T>(observable: BabylonObservable<T>): Observable<T> {
    return fromEventPattern<T>(
        (handler) => observable.add((value: T) => handler(value)),
        (_handler, observer: Observer<T>) => observable.remove(observer)
    );
}

import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { distinctUntilChanged, filter, map, withLatestFrom, type Observable } from "rxjs";
import type { IFocusLike } from "./navigationTypes.js";

/**
 * The nodes auto mode walks to. With a confirm stream, each confirmation yields the latest
 * focus (a focus that changes while walking does not redirect the player: gaze wanders);
 * without one, each new focus node does. A null focus yields nothing.
 * @param focus$ focus entries, or null when nothing is focused
 * @param confirm$ the player's confirm action
 * @returns a stream of target nodes
 */
export function FollowFocus(focus$: Observable<IFocusLike | null>, confirm$?: Observable<unknown>): Observable<TransformNode> {
    const node$ = focus$.pipe(map((entry) => entry?.node ?? null));
    const chosen$ = confirm$ ? confirm$.pipe(withLatestFrom(node$), map(([, node]) => node)) : node$.pipe(distinctUntilChanged());
    return chosen$.pipe(filter((node): node is TransformNode => node !== null && !node.isDisposed()));
}

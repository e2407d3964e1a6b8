import { KeyboardEventTypes, type KeyboardInfo } from "@babylonjs/core/Events/keyboardEvents.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { Nullable } from "@babylonjs/core/types.js";

/** `KeyboardEvent.code` values that count as movement input. */
export const DEFAULT_CANCEL_KEYS: readonly string[] = Object.freeze(["KeyW", "KeyA", "KeyS", "KeyD", "ArrowUp", "ArrowDown", "ArrowLeft", "ArrowRight"]);

/**
 * Calls `onInput` when the player presses a movement key in the scene, so that the player
 * always wins over auto-navigation. Watches `scene.onKeyboardObservable`, which Babylon fills
 * once the scene's input is attached.
 */
export class InputCancelWatcher {
    private readonly _codes: ReadonlySet<string>;
    private _observer: Nullable<Observer<KeyboardInfo>>;

    /**
     * @param scene the scene whose keyboard input is watched
     * @param codes movement keys as `KeyboardEvent.code`
     * @param onInput called on a movement key down
     */
    public constructor(scene: Scene, codes: readonly string[], onInput: () => void) {
        this._codes = new Set(codes);
        this._observer = scene.onKeyboardObservable.add((info) => {
            if (info.type === KeyboardEventTypes.KEYDOWN && this._codes.has(info.event.code)) {
                onInput();
            }
        });
    }

    /** Stops watching. */
    public dispose(): void {
        // Deferred (to the next macrotask): removed at once from inside a keyboard notification
        // (a key handler that disposes the navigator), the running observer would make Babylon
        // skip the next one in the list.
        this._observer?.remove(true);
        this._observer = null;
    }
}

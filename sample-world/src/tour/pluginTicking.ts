import type { Observer } from "@babylonjs/core/Misc/observable";
import type { Scene } from "@babylonjs/core/scene";

/**
 * Switches the plugin's (and its effects') per-frame work off and on at run time, for frame-time
 * comparisons in one page: everything they registered on the scene's render observables while
 * `captureAsync` ran is muted through the observer's public `mask` (Babylon skips an observer
 * whose mask shares no bit with the notification's). Nothing is removed, so turning it back on
 * resumes exactly where it stopped.
 */
export class PluginTicking {
    private _enabled = true;

    private constructor(private readonly _observers: readonly Observer<Scene>[]) {}

    /** Runs `createAsync` and remembers the render observers it added to `scene`. */
    public static async CaptureAsync<T>(scene: Scene, createAsync: () => Promise<T>): Promise<{ result: T; ticking: PluginTicking }> {
        const observables = [scene.onBeforeRenderObservable, scene.onAfterRenderObservable];
        const before = new Set(observables.flatMap((o) => o.observers));
        const result = await createAsync();
        const added = observables.flatMap((o) => o.observers).filter((observer) => !before.has(observer));
        return { result, ticking: new PluginTicking(added) };
    }

    /** How many observers are switched. */
    public get observerCount(): number {
        return this._observers.length;
    }

    public get enabled(): boolean {
        return this._enabled;
    }

    public set enabled(value: boolean) {
        this._enabled = value;
        for (const observer of this._observers) {
            observer.mask = value ? -1 : 0;
        }
    }
}

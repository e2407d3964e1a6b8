import type { Observer } from "@babylonjs/core/Misc/observable";
import type { Scene } from "@babylonjs/core/scene";

/** What `PluginTicking` switches besides observers: an effect with an `enabled` flag. */
export interface ISwitchableEffect {
    enabled: boolean;
}

/**
 * Switches the plugin's and its effects' per-frame work off and on at run time, for frame-time
 * comparisons in one page. The plugin's render observers (everything added to the scene's render
 * observables while `capture` ran) are muted through the observer's public `mask` (Babylon
 * skips an observer whose mask shares no bit with the notification's), so the plugin resumes
 * where it stopped. The effects are disabled, which restores what they changed in the scene (no
 * glow in the highlight layer, no hint label, the depth of field as it was): off is the frame
 * without the plugin. Effects that were disabled when switched off stay so when switched on.
 *
 * An effect that moves the camera is better left out of `addEffects`: camera assist, disabled,
 * turns the camera back by the offset it added, so off would show another view and on would
 * spend its first seconds turning the camera again (the glow redraws every frame the view
 * moves): a comparison of two views. Made inside `capture`, its frame step is muted with the
 * plugin's, and the view stays.
 */
export class PluginTicking {
    private _enabled = true;
    private readonly _observers: Observer<Scene>[] = [];
    private readonly _effects: ISwitchableEffect[] = [];
    private readonly _wereEnabled: boolean[] = [];

    public constructor(private readonly _scene: Scene) {}

    /** Runs `create` and remembers the render observers it added to the scene. */
    public capture<T>(create: () => T): T {
        const observables = [this._scene.onBeforeRenderObservable, this._scene.onAfterRenderObservable];
        const before = new Set(observables.flatMap((o) => o.observers));
        const result = create();
        this._observers.push(...observables.flatMap((o) => o.observers).filter((observer) => !before.has(observer)));
        return result;
    }

    /** Effects to disable while off (null entries, effects not created, are skipped). */
    public addEffects(effects: readonly (ISwitchableEffect | null)[]): void {
        for (const effect of effects) {
            if (effect) {
                this._effects.push(effect);
            }
        }
    }

    /** How many observers are switched. */
    public get observerCount(): number {
        return this._observers.length;
    }

    public get enabled(): boolean {
        return this._enabled;
    }

    public set enabled(value: boolean) {
        if (value === this._enabled) {
            return;
        }
        this._enabled = value;
        for (const observer of this._observers) {
            observer.mask = value ? -1 : 0;
        }
        for (let i = 0; i < this._effects.length; i++) {
            const effect = this._effects[i];
            if (value) {
                effect.enabled = this._wereEnabled[i] ?? effect.enabled;
            } else {
                this._wereEnabled[i] = effect.enabled;
                effect.enabled = false;
            }
        }
    }
}

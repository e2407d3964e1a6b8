import type { Observer } from "@babylonjs/core/Misc/observable";
import type { Scene } from "@babylonjs/core/scene";
import type { AttentionPlugin } from "../../../plugin/index";

const WARM_UP_TICKS = 10;

/**
 * Measures the plugin's main-thread tick: a before-render observer added *before* the plugin
 * exists runs just ahead of the plugin's own, and the ranking-updated observable fires at the
 * end of the tick, so the gap between them is the tick (signals, features, scoring, ranking).
 */
export class TickTimer {
    /** Last tick in milliseconds. */
    public lastMs = 0;
    /** Exponential moving average, ms. */
    public averageMs = 0;
    /** Largest tick seen, ms. */
    public maxMs = 0;
    public ticks = 0;
    private _frameStart = 0;
    private readonly _observer: Observer<Scene>;

    /** Call before `AttentionPlugin.CreateAsync`, then `attach(plugin)`. */
    public constructor(scene: Scene) {
        this._observer = scene.onBeforeRenderObservable.add(() => (this._frameStart = performance.now()));
    }

    public attach(attention: AttentionPlugin): void {
        attention.onRankingUpdatedObservable.add(() => {
            const ms = performance.now() - this._frameStart;
            this.lastMs = ms;
            this.ticks++;
            // The first ticks share frames with shader compilation and the model's warm-up: skipped.
            if (this.ticks > WARM_UP_TICKS) {
                this.averageMs = this.ticks === WARM_UP_TICKS + 1 ? ms : this.averageMs * 0.95 + ms * 0.05;
                this.maxMs = Math.max(this.maxMs, ms);
            }
        });
        attention.onDisposeObservable.add(() => this._observer.remove());
    }
}

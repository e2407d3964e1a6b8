import { Observable } from "@babylonjs/core/Misc/observable.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { Scene } from "@babylonjs/core/scene.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import type { Subscription } from "rxjs";
import type { IRanking } from "../attentionTypes.js";
import type { IAttentionSource } from "./attentionSource.js";

/** Options every effect shares. */
export interface IFocusEffectOptions {
    /** Whether the effect acts from construction (afterwards use `effect.enabled`). @default true (CameraAssistEffect: false) */
    enabled: boolean;
    /**
     * Clock in milliseconds; frame steps are measured with it. Inject the plugin's clock for
     * deterministic tests and simulations. @default performance.now
     */
    clock: () => number;
    /** Longest frame step the effect will integrate, in milliseconds, so a stalled tab resumes without a jump. @default 100 */
    maxFrameStepMs: number;
}

/** Defaults shared by every effect. */
export const FOCUS_EFFECT_DEFAULTS: Readonly<IFocusEffectOptions> = Object.freeze({
    enabled: true,
    clock: () => performance.now(),
    maxFrameStepMs: 100,
});

/**
 * Shared life cycle of a scene focus effect: it follows the source's focus and ranking from
 * construction (so re-enabling knows the current focus), runs per frame only while enabled,
 * and restores exactly the scene state it changed when disabled or disposed.
 */
export abstract class FocusEffect<TOptions extends IFocusEffectOptions> {
    /** Live options: changes apply on the next frame. */
    public readonly options: TOptions;
    /** Fires with the new value when `enabled` changes. */
    public readonly onEnabledChangedObservable = new Observable<boolean>();

    protected readonly _scene: Scene;
    /** Focus node, or null; a disposed node reads as null. */
    protected _focusNode: TransformNode | null = null;
    /** Latest ranking; its entries are updated in place by the plugin. */
    protected _ranking: IRanking | null = null;

    private _enabled = false;
    private _isDisposed = false;
    private _lastFrameTime = 0;
    private _frameObserver: Observer<Scene> | null = null;
    private _sceneDisposeObserver: Observer<Scene> | null;
    private readonly _subscriptions: Subscription[] = [];
    /** A source with a live ranking object, read each frame instead of following ranking$. */
    private readonly _liveSource: IAttentionSource | null;

    protected constructor(source: IAttentionSource, options: TOptions) {
        this.options = options;
        this._scene = source.scene;
        this._subscriptions.push(
            source.focus$.subscribe((entry) => {
                const previous = this._focusNode;
                this._focusNode = entry ? entry.node : null;
                if (this._enabled && previous !== this._focusNode) {
                    this._onFocusChanged();
                }
            })
        );
        // The plugin emits ranking$ only while someone listens, and every emission costs rxjs a
        // closure: with a live ranking to read, the effects do not listen.
        this._liveSource = source.ranking !== undefined ? source : null;
        if (this._liveSource) {
            this._ranking = this._liveSource.ranking!;
        } else {
            this._subscriptions.push(
                source.ranking$.subscribe((ranking) => {
                    this._ranking = ranking;
                })
            );
        }
        // One plugin per scene, disposed with it: effects follow the same rule.
        this._sceneDisposeObserver = this._scene.onDisposeObservable.addOnce(() => {
            this._sceneDisposeObserver = null;
            this.dispose();
        });
    }

    /** Whether the effect acts. Disabling restores the scene state it changed, at once. */
    public get enabled(): boolean {
        return this._enabled;
    }

    public set enabled(value: boolean) {
        if (this._isDisposed || value === this._enabled) {
            return;
        }
        this._enabled = value;
        if (value) {
            // Measured from the moment of enabling, so the very first frame already advances.
            this._lastFrameTime = this.options.clock();
            this._onEnable();
            this._frameObserver = this._scene.onBeforeRenderObservable.add(() => this._frame());
        } else {
            this._scene.onBeforeRenderObservable.remove(this._frameObserver);
            this._frameObserver = null;
            this._onDisable();
        }
        this.onEnabledChangedObservable.notifyObservers(value);
    }

    /** Whether dispose() has run. */
    public get isDisposed(): boolean {
        return this._isDisposed;
    }

    /** Restores the scene state, stops following the source. Safe to call twice. */
    public dispose(): void {
        if (this._isDisposed) {
            return;
        }
        this.enabled = false;
        this._isDisposed = true;
        for (const subscription of this._subscriptions) {
            subscription.unsubscribe();
        }
        this._subscriptions.length = 0;
        if (this._sceneDisposeObserver) {
            this._scene.onDisposeObservable.remove(this._sceneDisposeObserver);
            this._sceneDisposeObserver = null;
        }
        this._onDispose();
        this.onEnabledChangedObservable.clear();
    }

    /** The focus node if it is still alive. */
    protected _liveFocus(): TransformNode | null {
        const node = this._focusNode;
        return node && !node.isDisposed() ? node : null;
    }

    /** Called by subclasses once construction is complete, so `_onEnable` sees their fields. */
    protected _start(): void {
        this.enabled = this.options.enabled;
    }

    protected abstract _onEnable(): void;
    protected abstract _onDisable(): void;
    /** One frame step, `dtMs` already clamped to [0, maxFrameStepMs]. */
    protected abstract _onFrame(dtMs: number, nowMs: number): void;
    protected _onFocusChanged(): void {}
    protected _onDispose(): void {}

    private _frame(): void {
        if (this._liveSource) {
            this._ranking = this._liveSource.ranking!;
        }
        const now = this.options.clock();
        const dt = Math.min(Math.max(now - this._lastFrameTime, 0), this.options.maxFrameStepMs);
        this._lastFrameTime = now;
        this._onFrame(dt, now);
    }
}

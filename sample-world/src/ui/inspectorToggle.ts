import type { AttentionPlugin } from "../../../plugin/index";
import type { FocusEffects } from "../../../plugin/effects/index";

interface IInspectorToken {
    dispose(): unknown;
}

/**
 * Toggles Babylon's Inspector with the plugin's "Attention" pane (babylon-attention/inspector).
 * The pane's module, and with it @babylonjs/inspector and React, is imported only on the first
 * press, so the tour loads and runs without them. Returns a message for the player.
 */
export class InspectorToggle {
    private _token: IInspectorToken | null = null;
    private _busy = false;

    public constructor(
        private readonly _attention: AttentionPlugin,
        private readonly _effects: FocusEffects
    ) {}

    public get isVisible(): boolean {
        return this._token !== null;
    }

    public async toggleAsync(): Promise<string> {
        // Two presses while the module loads would open two Inspectors.
        if (this._busy) {
            return "The Inspector is loading\u2026";
        }
        this._busy = true;
        try {
            if (this._token) {
                const token = this._token;
                this._token = null;
                await token.dispose();
                return "Inspector closed";
            }
            const { ShowAttentionInspector } = await import("../../../plugin/inspector/index");
            this._token = ShowAttentionInspector(this._attention, {
                effects: this._effects,
                inspectorOptions: { disableTeachingMoments: true },
            });
            return "Inspector open with the Attention pane (I closes it)";
        } catch (error) {
            const message = (error as Error).message;
            console.warn(`Inspector unavailable: ${message}`);
            return `The Babylon Inspector could not be loaded: ${message}`;
        } finally {
            this._busy = false;
        }
    }
}

import type { Scene } from "@babylonjs/core/scene";

interface IInspectorHandle {
    dispose?: () => void;
}

interface IInspectorModule {
    /** Inspector V2 (Babylon 8.49+). */
    ShowInspector?: (scene: Scene, options?: object) => IInspectorHandle | undefined;
    /** The legacy Inspector. */
    Inspector?: { Show(scene: Scene, options: object): void; Hide(): void; IsVisible: boolean };
}

/**
 * Toggles the Babylon Inspector. The module is imported only on the first press, so the tour
 * never loads React and the Inspector unless asked. Returns a message for the player.
 */
export class InspectorToggle {
    private _module: IInspectorModule | null = null;
    private _handle: IInspectorHandle | null = null;
    private _visible = false;

    public constructor(private readonly _scene: Scene) {}

    public get isVisible(): boolean {
        return this._visible;
    }

    public async toggleAsync(): Promise<string> {
        try {
            // The `as string` keeps TypeScript from resolving the optional package; Vite still
            // sees a literal and bundles it (or the stub, see vite.config.ts).
            this._module ??= (await import("@babylonjs/inspector" as string)) as IInspectorModule;
        } catch (error) {
            const message = (error as Error).message;
            console.warn(`Inspector unavailable: ${message}`);
            return message.includes("not installed") ? message : `The Babylon Inspector could not be loaded: ${message}`;
        }
        const m = this._module;
        if (this._visible) {
            this._handle?.dispose?.();
            m.Inspector?.Hide();
            this._handle = null;
            this._visible = false;
            return "Inspector closed";
        }
        if (m.ShowInspector) {
            this._handle = m.ShowInspector(this._scene) ?? null;
        } else if (m.Inspector) {
            m.Inspector.Show(this._scene, { embedMode: true });
        } else {
            return "The @babylonjs/inspector module has neither ShowInspector nor Inspector";
        }
        this._visible = true;
        return "Inspector open (I closes it)";
    }
}

import type { IGazeProvider, IGazeSample } from "./gazeSample.js";

/** Reads the first provider that has a gaze this tick: e.g. eyes, then head, then pointer. */
export class FallbackGazeProvider implements IGazeProvider {
    public readonly name: string;
    /** Name of the provider that answered last, for the HUD. */
    public activeName = "";

    public constructor(private readonly _providers: readonly IGazeProvider[]) {
        if (_providers.length === 0) {
            throw new Error("FallbackGazeProvider needs at least one gaze provider");
        }
        this.name = _providers.map((p) => p.name).join(">");
    }

    public read(out: IGazeSample, time: { readonly nowMs: number }): boolean {
        for (const provider of this._providers) {
            if (provider.read(out, time)) {
                this.activeName = provider.name;
                return true;
            }
        }
        return false;
    }

    public dispose(): void {
        for (const provider of this._providers) {
            provider.dispose?.();
        }
    }
}

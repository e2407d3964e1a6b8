import { checkNumber } from "../optionRanges.js";
import { PLUGIN_NUMBER_RANGES } from "../attentionPluginOptions.js";

/**
 * Decides which render-loop frames tick, at `updateHz` (Yuka's Regulator, for a frame-driven
 * loop). Half a 60 Hz frame of slack keeps a 30 Hz tick from skipping frames on a 60 Hz loop.
 */
export class TickRegulator {
    private _intervalMs = 0;
    private _minGapMs = 0;

    public constructor(updateHz: number) {
        this.updateHz = updateHz;
    }

    public get updateHz(): number {
        return 1000 / this._intervalMs;
    }

    public set updateHz(value: number) {
        checkNumber(value, PLUGIN_NUMBER_RANGES.updateHz, "AttentionPlugin: updateHz");
        this._intervalMs = 1000 / value;
        this._minGapMs = this._intervalMs - 0.5 * (1000 / 60);
    }

    /**
     * The smallest gap between two render-loop ticks, ms. The caller compares it inline: a
     * method taking the clock's fractional milliseconds would box them whenever not inlined.
     */
    public get minGapMs(): number {
        return this._minGapMs;
    }
}

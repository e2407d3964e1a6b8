import { TARGET_KINDS, type IRanking, type IRankingEntry } from "../attentionTypes.js";
import { WEIGHT_NAMES, type WeightName } from "../model/attentionWeights.js";

/** How much each signal holds the top of the ranking in place, for the Inspector's weight sliders. */
export interface ISignalInfluence {
    /** The best-scored entry of any kind, and the one after it; null when fewer than two are ranked. */
    readonly top: IRankingEntry | null;
    readonly runnerUp: IRankingEntry | null;
    /**
     * Per signal, its weighted contribution to the top entry's score minus its contribution to
     * the runner-up's: what that signal adds to the top's lead. Positive holds the top in
     * place, negative works for the runner-up; 0 when the signal's weight is 0. Under the model,
     * the network's own share of the lead is not split by signal (it is the rest of the lead).
     */
    readonly lead: Readonly<Record<WeightName, number>>;
}

/** Measures each signal's share of the lead of the ranking's best entry over the next one. */
export function measureSignalInfluence(ranking: IRanking): ISignalInfluence {
    let top: IRankingEntry | null = null;
    let runnerUp: IRankingEntry | null = null;
    for (const kind of TARGET_KINDS) {
        for (const entry of ranking[kind]) {
            if (!top || entry.score > top.score) {
                runnerUp = top;
                top = entry;
            } else if (!runnerUp || entry.score > runnerUp.score) {
                runnerUp = entry;
            }
        }
    }
    const lead = Object.fromEntries(WEIGHT_NAMES.map((name) => [name, top && runnerUp ? top.why[name] - runnerUp.why[name] : 0])) as Record<WeightName, number>;
    return { top: runnerUp ? top : null, runnerUp, lead };
}

/** One line for a weight slider: "+0.32 to Far's lead over Near". */
export function describeSignalInfluence(influence: ISignalInfluence, name: WeightName): string {
    if (!influence.top || !influence.runnerUp) {
        return "moves nothing yet: fewer than two entries ranked";
    }
    const value = influence.lead[name];
    const signed = `${value >= 0 ? "+" : "\u2212"}${Math.abs(value).toFixed(2)}`;
    return `${signed} to ${influence.top.label}'s lead over ${influence.runnerUp.label}`;
}

import type { FocusEffects } from "../effects/focusEffects.js";
import { PLUGIN_NUMBER_RANGES } from "../attentionPluginOptions.js";
import { WEIGHT_NAMES, WEIGHT_RANGES, type IAttentionWeights, type WeightName } from "../model/attentionWeights.js";
import { checkNumber, type INumberRange } from "../optionRanges.js";
import { FOCUS_HYSTERESIS_RANGES, type IFocusHysteresis } from "../ranking/focusSelector.js";

/** Where a tunable sits in the pane and the property grid. */
export type TunableGroup = "Weights" | "Focus" | "Model" | "Effects";

interface ITunableBase {
    /** Stable id, e.g. "weight.gaze"; also the pane's element id suffix. */
    readonly key: string;
    /** The property name it gets in `inspectableCustomProperties`, e.g. "attentionWeightGaze". */
    readonly propertyName: string;
    readonly label: string;
    readonly group: TunableGroup;
    /** One sentence for tooltips and docs. */
    readonly description: string;
}

/** A number with a range; `set` throws an Error saying why when the value is rejected. */
export interface INumberTunable extends ITunableBase {
    readonly type: "number";
    /** The signal weight this tunable sets, for the weight sliders. */
    readonly weight?: WeightName;
    readonly min: number;
    readonly max: number;
    readonly step: number;
    get(): number;
    set(value: number): void;
}

/** An on/off switch; `set` throws when given anything but a boolean. */
export interface IBooleanTunable extends ITunableBase {
    readonly type: "boolean";
    get(): boolean;
    set(value: boolean): void;
}

/** One tunable value shown in the Inspector: a number with its range, or a switch. */
export type AttentionTunable = INumberTunable | IBooleanTunable;

/** What the tunables read and write on the plugin (AttentionPlugin fits). */
export interface IAttentionTunableTarget {
    get weights(): IAttentionWeights;
    set weights(value: Partial<IAttentionWeights> | string);
    readonly hysteresis: IFocusHysteresis;
    updateHz: number;
    candidateLimit: number;
}

/** The effects whose switches and guidance threshold are tunable (FocusEffects fits). */
export type IFocusEffectsTunableTarget = Partial<Pick<FocusEffects, "highlight" | "depthOfField" | "cameraAssist" | "guidanceHint">>;

const EFFECT_LABELS = {
    highlight: "Highlight",
    depthOfField: "Depth of field",
    cameraAssist: "Camera assist",
    guidanceHint: "Guidance hint",
} as const;

/**
 * Every live-tunable setting of the plugin and its effects, with ranges and validation in one
 * place, so the Inspector pane and the property grid agree on what is allowed. Each `set`
 * applies at once; the plugin reads it on its next tick. Nothing here imports React.
 */
export function createAttentionTunables(attention: IAttentionTunableTarget, effects?: IFocusEffectsTunableTarget | null): AttentionTunable[] {
    const tunables: AttentionTunable[] = WEIGHT_NAMES.map((name) => weightTunable(attention, name));
    const h = () => attention.hysteresis;
    tunables.push(
        numberTunable({
            key: "hysteresis.switchMargin",
            label: "Switch margin",
            group: "Focus",
            description: "How much a challenger must outscore the focused entity to take the focus.",
            range: FOCUS_HYSTERESIS_RANGES.switchMargin,
            step: 0.01,
            get: () => h().switchMargin,
            set: (v) => (h().switchMargin = v),
        }),
        numberTunable({
            key: "hysteresis.minDwellMs",
            label: "Min dwell (ms)",
            group: "Focus",
            description: "How long a challenger must keep winning before the focus switches, in milliseconds.",
            range: FOCUS_HYSTERESIS_RANGES.minDwellMs,
            step: 10,
            get: () => h().minDwellMs,
            set: (v) => (h().minDwellMs = v),
        }),
        numberTunable({
            key: "hysteresis.acquireScore",
            label: "Acquire score",
            group: "Focus",
            description: "Score at which an entity acquires the focus; must stay at or above the release score.",
            range: FOCUS_HYSTERESIS_RANGES.acquireScore,
            step: 0.01,
            get: () => h().acquireScore,
            set: (v) => (h().acquireScore = v),
        }),
        numberTunable({
            key: "hysteresis.releaseScore",
            label: "Release score",
            group: "Focus",
            description: "Score below which the focused entity loses the focus; must stay at or below the acquire score.",
            range: FOCUS_HYSTERESIS_RANGES.releaseScore,
            step: 0.01,
            get: () => h().releaseScore,
            set: (v) => (h().releaseScore = v),
        }),
        numberTunable({
            key: "updateHz",
            label: "Update rate (Hz)",
            group: "Model",
            description: "Ranking ticks per second while the render loop runs.",
            range: PLUGIN_NUMBER_RANGES.updateHz,
            step: 1,
            get: () => attention.updateHz,
            set: (v) => (attention.updateHz = v),
        }),
        numberTunable({
            key: "candidateLimit",
            label: "Candidates (K)",
            group: "Model",
            description: "How many candidates, best by the heuristic, the model ranks each tick.",
            range: PLUGIN_NUMBER_RANGES.candidateLimit,
            step: 1,
            get: () => attention.candidateLimit,
            set: (v) => (attention.candidateLimit = v),
        }),
    );
    const guidance = effects?.guidanceHint;
    if (guidance) {
        tunables.push(
            numberTunable({
                key: "guidance.showThreshold",
                label: "Guidance threshold",
                group: "Effects",
                description: "Guidance at which the hint appears; the hide threshold moves with it, keeping its gap.",
                // Guidance is a probability.
                range: { min: 0, max: 1 },
                step: 0.01,
                get: () => guidance.options.showThreshold,
                set: (v) => {
                    const options = guidance.options;
                    // The hint has its own hysteresis (hide below show): shift both, so lowering
                    // the threshold never leaves hide above show.
                    const gap = Math.max(0, options.showThreshold - options.hideThreshold);
                    options.showThreshold = v;
                    options.hideThreshold = Math.max(0, v - gap);
                },
            }),
        );
    }
    for (const name of ["highlight", "depthOfField", "cameraAssist", "guidanceHint"] as const) {
        const effect = effects?.[name];
        if (effect) {
            tunables.push(
                booleanTunable({
                    key: `effect.${name}`,
                    label: EFFECT_LABELS[name],
                    group: "Effects",
                    description: `Turns the ${EFFECT_LABELS[name].toLowerCase()} effect on or off; off restores what it changed.`,
                    get: () => effect.enabled,
                    set: (v) => (effect.enabled = v),
                }),
            );
        }
    }
    return tunables;
}

/**
 * Applies `value` to `tunable`; returns null when it applied, or the message saying why not.
 * The message names the setting, so it reads on its own in a status line.
 */
export function tryApplyTunable(tunable: AttentionTunable, value: unknown): string | null {
    try {
        if (tunable.type === "number") {
            tunable.set(value as number);
        } else {
            tunable.set(value as boolean);
        }
        return null;
    } catch (error) {
        return (error as Error).message;
    }
}

function weightTunable(attention: IAttentionTunableTarget, name: WeightName): INumberTunable {
    const label = name.charAt(0).toUpperCase() + name.slice(1);
    return numberTunable({
        key: `weight.${name}`,
        label,
        group: "Weights",
        weight: name,
        description: `Weight of the ${name} signal; 0 switches it off.`,
        range: WEIGHT_RANGES[name],
        step: 0.05,
        get: () => attention.weights[name],
        // The plugin validates and applies nothing on a bad value.
        set: (v) => (attention.weights = { [name]: v }),
    });
}

type NumberSpec = Omit<INumberTunable, "type" | "propertyName" | "min" | "max"> & {
    /** The option's range, from the `*_RANGES` spec beside its default: the slider and the check share it. */
    readonly range: INumberRange;
};

function numberTunable(spec: NumberSpec): INumberTunable {
    const { range, ...rest } = spec;
    return {
        ...rest,
        type: "number",
        min: range.min,
        max: range.max,
        propertyName: propertyNameOf(spec.key),
        set: (value: number) => {
            checkNumber(value, range, spec.label + ":");
            try {
                spec.set(value);
            } catch (error) {
                throw new Error(`${spec.label}: ${(error as Error).message.replace(/^AttentionPlugin: /, "")}`);
            }
        },
    };
}

function booleanTunable(spec: Omit<IBooleanTunable, "type" | "propertyName">): IBooleanTunable {
    return {
        ...spec,
        type: "boolean",
        propertyName: propertyNameOf(spec.key),
        set: (value: boolean) => {
            if (typeof value !== "boolean") {
                throw new Error(`${spec.label}: must be true or false; got ${describe(value)}`);
            }
            spec.set(value);
        },
    };
}

/** "weight.gaze" -> "attentionWeightGaze": a plain identifier the property grid can bind to. */
function propertyNameOf(key: string): string {
    return "attention" + key.split(".").map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join("");
}

function describe(value: unknown): string {
    return typeof value === "string" ? JSON.stringify(value) : String(value);
}

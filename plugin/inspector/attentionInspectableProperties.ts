import { InspectableType, type IInspectable } from "@babylonjs/core/Misc/iInspectable.js";
import { Logger } from "@babylonjs/core/Misc/logger.js";
import { Observable } from "@babylonjs/core/Misc/observable.js";
import { createAttentionTunables, tryApplyTunable, type IAttentionTunableTarget, type IFocusEffectsTunableTarget } from "./attentionTunables.js";
import { applyWeightsJson, copyWeightsJsonAsync, type IWeightsJsonTarget } from "./weightsJson.js";

/** What the property grid binds to: the tunables plus the backend and the weights JSON. */
export type IAttentionInspectableSource = IAttentionTunableTarget & IWeightsJsonTarget & { readonly backend: string };

/** An object the Inspector can show properties of (a Scene, a Node, any plain object). */
export interface IInspectableHost {
    inspectableCustomProperties?: IInspectable[] | null;
}

/** A value the property grid tried to set and the plugin refused. */
export interface IAttentionPropertyRejection {
    propertyName: string;
    value: unknown;
    message: string;
}

/** What {@link applyAttentionInspectableProperties} returns. */
export interface IAttentionInspectableHandle {
    /** The entries added to the target's `inspectableCustomProperties`. */
    readonly properties: readonly IInspectable[];
    /** The latest rejection message, or "" when the last change applied. */
    readonly lastError: string;
    /** Fires for every rejected value. */
    readonly onRejectedObservable: Observable<IAttentionPropertyRejection>;
    /** Removes the entries and the properties it defined. Safe to call twice. */
    dispose(): void;
}

/** Property names of the extra, non-tunable lines. */
export const ATTENTION_BACKEND_PROPERTY = "attentionBackend";
/** Property name of the weights-as-JSON line (copy and paste weights between sessions). */
export const ATTENTION_WEIGHTS_JSON_PROPERTY = "attentionWeightsJson";
/** Property name of the line that shows why the last edit was rejected. */
export const ATTENTION_LAST_ERROR_PROPERTY = "attentionLastError";

/**
 * Puts the attention tunables into the Inspector's property grid: one line per weight,
 * hysteresis setting, update rate, K, guidance threshold and effect switch, plus the backend,
 * the weights as editable JSON, copy and load-file buttons, and a line with the last error.
 * They appear under "Custom" when `target` (the scene by default) is selected.
 *
 * Each line binds to an accessor defined on `target` (`scene.attentionWeightGaze = 1.5` works
 * in code too). A rejected value is not applied and does not throw (a throw would surface in
 * the Inspector as an uncaught React event error): its message goes to `lastError`, the "Last
 * error" line, `onRejectedObservable` and a Logger warning.
 */
export function applyAttentionInspectableProperties(
    attention: IAttentionInspectableSource & { readonly scene?: object },
    effects?: IFocusEffectsTunableTarget | null,
    target: object | undefined = attention.scene
): IAttentionInspectableHandle {
    if (!target || typeof target !== "object") {
        throw new Error("applyAttentionInspectableProperties: no target; pass the object to inspect (the plugin's scene is the default)");
    }
    const host = target as IInspectableHost & Record<string, unknown>;
    const onRejectedObservable = new Observable<IAttentionPropertyRejection>();
    const defined: string[] = [];
    const properties: IInspectable[] = [];
    let lastError = "";

    const define = (propertyName: string, get: () => unknown, set?: (value: unknown) => void): void => {
        if (Object.prototype.hasOwnProperty.call(host, propertyName)) {
            throw new Error(`applyAttentionInspectableProperties: the target already has a "${propertyName}" property; dispose the previous handle first`);
        }
        // Configurable, so the Inspector can wrap the accessor to watch it, and dispose can remove it.
        Object.defineProperty(host, propertyName, { configurable: true, enumerable: false, get, set });
        defined.push(propertyName);
    };
    const setLastError = (message: string): void => {
        // Through the property, so an Inspector watching it re-renders the line.
        host[ATTENTION_LAST_ERROR_PROPERTY] = message;
    };
    const reject = (propertyName: string, value: unknown, message: string): void => {
        Logger.Warn(`Attention inspector: ${message}`);
        setLastError(message);
        onRejectedObservable.notifyObservers({ propertyName, value, message });
    };

    define(
        ATTENTION_LAST_ERROR_PROPERTY,
        () => lastError,
        (value) => (lastError = String(value ?? ""))
    );
    define(ATTENTION_BACKEND_PROPERTY, () => attention.backend);
    properties.push({ label: "Backend", propertyName: ATTENTION_BACKEND_PROPERTY, type: InspectableType.Tab });

    for (const tunable of createAttentionTunables(attention, effects)) {
        define(tunable.propertyName, tunable.get, (value) => {
            const message = tryApplyTunable(tunable, value);
            if (message) {
                reject(tunable.propertyName, value, message);
            } else if (lastError) {
                setLastError("");
            }
        });
        properties.push(
            tunable.type === "number"
                ? { label: tunable.label, propertyName: tunable.propertyName, type: InspectableType.Slider, min: tunable.min, max: tunable.max, step: tunable.step }
                : { label: tunable.label, propertyName: tunable.propertyName, type: InspectableType.Checkbox }
        );
    }

    define(
        ATTENTION_WEIGHTS_JSON_PROPERTY,
        () => JSON.stringify(JSON.parse(attention.exportWeights())),
        (value) => {
            const message = typeof value === "string" ? applyWeightsJson(attention, value) : `weights JSON must be text; got ${typeof value}`;
            if (message) {
                reject(ATTENTION_WEIGHTS_JSON_PROPERTY, value, message);
            } else if (lastError) {
                setLastError("");
            }
        }
    );
    properties.push(
        { label: "Weights JSON", propertyName: ATTENTION_WEIGHTS_JSON_PROPERTY, type: InspectableType.String },
        {
            label: "Copy weights JSON",
            propertyName: "attentionCopyWeights",
            type: InspectableType.Button,
            callback: () => {
                void copyWeightsJsonAsync(attention).then((message) => message && reject("attentionCopyWeights", null, message));
            },
        },
        {
            label: "Load weights JSON",
            propertyName: "attentionLoadWeights",
            type: InspectableType.FileButton,
            accept: ".json,application/json",
            fileCallback: (file) => {
                void file.text().then((text) => (host[ATTENTION_WEIGHTS_JSON_PROPERTY] = text));
            },
        },
        { label: "Last error", propertyName: ATTENTION_LAST_ERROR_PROPERTY, type: InspectableType.Tab }
    );

    const previous = host.inspectableCustomProperties;
    host.inspectableCustomProperties = [...(previous ?? []), ...properties];

    let isDisposed = false;
    return {
        properties,
        get lastError() {
            return lastError;
        },
        onRejectedObservable,
        dispose: () => {
            if (isDisposed) {
                return;
            }
            isDisposed = true;
            const remaining = (host.inspectableCustomProperties ?? []).filter((p) => !properties.includes(p));
            host.inspectableCustomProperties = remaining.length > 0 || previous ? remaining : undefined;
            for (const name of defined) {
                delete host[name];
            }
            onRejectedObservable.clear();
        },
    };
}

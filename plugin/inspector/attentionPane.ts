import { Caption1, makeStyles, Textarea, tokens } from "@fluentui/react-components";
import { createElement as h, useEffect, useMemo, useState, type ReactElement, type ReactNode } from "react";
import type { AttentionPlugin } from "../attentionPlugin.js";
import type { FocusEffects } from "../effects/focusEffects.js";
import { WEIGHT_NAMES, type WeightName } from "../model/attentionWeights.js";
import { createAttentionTunables, tryApplyTunable, type AttentionTunable, type TunableGroup } from "./attentionTunables.js";
import { Inspector } from "./inspectorApi.js";
import { RankingList } from "./rankingList.js";
import { describeSignalInfluence, measureSignalInfluence } from "./signalInfluence.js";
import { useRankingSnapshot } from "./useRankingSnapshot.js";
import { applyWeightsJson, copyWeightsJsonAsync, downloadWeightsJson } from "./weightsJson.js";

/** Props of {@link AttentionPane}. */
export interface IAttentionPaneProps {
    attention: AttentionPlugin;
    effects?: FocusEffects | null;
}

interface IStatus {
    intent: "success" | "error";
    message: string;
}

const useStyles = makeStyles({
    root: { display: "flex", flexDirection: "column", minWidth: 0 },
    focus: { padding: `${tokens.spacingVerticalXS} ${tokens.spacingHorizontalM}`, color: tokens.colorNeutralForeground2 },
    json: { width: "100%", fontFamily: tokens.fontFamilyMonospace, marginTop: tokens.spacingVerticalXS },
    influence: { display: "block", padding: `0 ${tokens.spacingHorizontalM} ${tokens.spacingVerticalXS}`, color: tokens.colorNeutralForeground3, fontVariantNumeric: "tabular-nums" },
});

/**
 * The "Attention" side pane: the live ranking with per-signal bars, a slider per tunable, the
 * backend, a switch per effect, and weights as JSON (copy, download, load from a file or
 * pasted text). Every change goes straight to the plugin, which uses it on its next tick.
 */
export function AttentionPane(props: IAttentionPaneProps): ReactElement {
    const { attention, effects } = props;
    const classes = useStyles();
    const tunables = useMemo(() => createAttentionTunables(attention, effects), [attention, effects]);
    // Bumped after every change made here, so every line re-reads the plugin.
    const [revision, setRevision] = useState(0);
    // Bumped on a rejected value: remounting the lines drops the refused number they still show.
    const [rejections, setRejections] = useState(0);
    const [status, setStatus] = useState<IStatus | null>(null);
    const [pasted, setPasted] = useState("");
    const backend = useObservedValue((emit) => {
        const subscription = attention.backend$.subscribe(emit);
        return () => subscription.unsubscribe();
    }, attention.backend);
    // "auto" measures after the model is warm, and again when K changes by a factor of 2.
    const measured = useObservedValue((emit) => {
        const subscription = attention.backendChoice$.subscribe((choice) => emit(choice?.reason ?? "not measured"));
        return () => subscription.unsubscribe();
    }, "not measured");
    const focus = useObservedValue((emit) => {
        const subscription = attention.focus$.subscribe((entry) => emit(entry ? `${entry.label} (${attention.focusReason})` : "none"));
        return () => subscription.unsubscribe();
    }, "none");

    const report = (message: string | null, success?: string): void => {
        setStatus(message ? { intent: "error", message } : success ? { intent: "success", message: success } : null);
        setRevision((r) => r + 1);
        if (message) {
            setRejections((r) => r + 1);
        }
    };
    const apply = (tunable: AttentionTunable, value: number | boolean): void => report(tryApplyTunable(tunable, value));
    const loadJson = (text: string, source: string): void => report(applyWeightsJson(attention, text), `Weights loaded from ${source}.`);

    // Beside each weight: what that signal adds to the top entry's lead right now.
    const influence = useRankingSnapshot(attention, describeInfluences);
    const section = (title: TunableGroup, extra: ReactNode[] = []): ReactElement =>
        h(
            Inspector.AccordionSection,
            { key: title, title },
            ...extra,
            ...tunables
                .filter((t) => t.group === title)
                .map((t) =>
                    h(
                        "div",
                        { key: `${t.key}:${rejections}`, "data-attention-tunable": t.key },
                        renderTunable(t, apply),
                        t.type === "number" && t.weight ? h("div", { className: classes.influence, "data-attention-influence": t.weight }, h(Caption1, null, influence[t.weight])) : null
                    )
                )
        );

    return h(
        "div",
        { className: classes.root, "data-attention-pane": "" },
        h("div", { className: classes.focus, "data-attention-focus": "" }, h(Caption1, null, `Focus: ${focus}`)),
        status && h(Inspector.MessageBar, { key: `status:${revision}`, intent: status.intent, title: status.intent === "error" ? "Not applied" : undefined, message: status.message }),
        h(
            Inspector.Accordion,
            null,
            h(Inspector.AccordionSection, { key: "Ranking", title: "Ranking" }, h(RankingList, { attention })),
            section("Weights"),
            section("Focus"),
            section("Model", [
                h(Inspector.TextPropertyLine, { key: "backend", label: "Backend", value: backend, description: "Where the ranking runs: webgpu, wasm (the ONNX model) or heuristic." }),
                h(Inspector.TextPropertyLine, {
                    key: "backend-choice",
                    label: "Measured",
                    value: measured,
                    description: '"auto" times WebGPU against WASM at K where WebGPU exists, and ranks on the faster.',
                }),
                // One button per backend: the plugin keeps ranking on the current one until the new one is warm.
                ...(["auto", "wasm", "webgpu", "heuristic"] as const).map((choice) =>
                    h(Inspector.ButtonLine, {
                        key: `use-${choice}`,
                        label: `Use ${choice}`,
                        onClick: async () => {
                            const now = await attention.setBackendAsync(choice);
                            report(null, choice === "auto" || now === choice ? `Ranking on ${now}.` : `${choice} is not available here; ranking on ${now}.`);
                        },
                    })
                ),
            ]),
            section("Effects"),
            h(
                Inspector.AccordionSection,
                { key: "Weights JSON", title: "Weights JSON" },
                h(Inspector.ButtonLine, {
                    label: "Copy JSON",
                    onClick: async () => report(await copyWeightsJsonAsync(attention), "Weights copied to the clipboard."),
                }),
                h(Inspector.ButtonLine, { label: "Download JSON", onClick: () => downloadWeightsJson(attention) }),
                h(Inspector.FileUploadLine, {
                    label: "Load JSON file",
                    accept: ".json,application/json",
                    onClick: (files) => {
                        const file = files[0];
                        if (file) {
                            void file.text().then((text) => loadJson(text, file.name));
                        }
                    },
                }),
                h(Textarea, {
                    className: classes.json,
                    textarea: { "aria-label": "Weights JSON to load" },
                    placeholder: '{ "gaze": 1, "proximity": 0.5 }',
                    resize: "vertical",
                    value: pasted,
                    // The Inspector has key bindings; typing JSON must not trigger them.
                    onKeyDown: (event) => event.stopPropagation(),
                    onChange: (_event, data) => setPasted(data.value),
                }),
                h(Inspector.ButtonLine, { label: "Load pasted JSON", onClick: () => loadJson(pasted, "the pasted text") })
            )
        )
    );
}

function renderTunable(tunable: AttentionTunable, apply: (tunable: AttentionTunable, value: number | boolean) => void): ReactElement {
    if (tunable.type === "number") {
        return h(Inspector.SyncedSliderPropertyLine, {
            label: tunable.label,
            description: tunable.description,
            value: tunable.get(),
            min: tunable.min,
            max: tunable.max,
            step: tunable.step,
            onChange: (value: number) => apply(tunable, value),
        });
    }
    return h(Inspector.SwitchPropertyLine, {
        label: tunable.label,
        description: tunable.description,
        value: tunable.get(),
        onChange: (value: boolean) => apply(tunable, value),
    });
}

/** The influence line of every weight slider, from the current ranking. */
function describeInfluences(attention: AttentionPlugin): Record<WeightName, string> {
    const influence = measureSignalInfluence(attention.ranking);
    return Object.fromEntries(WEIGHT_NAMES.map((name) => [name, describeSignalInfluence(influence, name)])) as Record<WeightName, string>;
}

/** React state that follows a subscription; `subscribe` returns its own teardown. */
function useObservedValue<T>(subscribe: (emit: (value: T) => void) => () => void, initial: T): T {
    const [value, setValue] = useState(initial);
    // The subscribers above close over the plugin only, so subscribing once per mount is right.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    useEffect(() => subscribe(setValue), []);
    return value;
}

import { Caption1, makeStyles, mergeClasses, tokens } from "@fluentui/react-components";
import { createElement as h, type ReactElement } from "react";
import type { AttentionPlugin } from "../attentionPlugin.js";
import { TARGET_KINDS, type IRankingEntry, type IScoreBreakdown } from "../attentionTypes.js";
import { WEIGHT_NAMES, type WeightName } from "../model/attentionWeights.js";
import { useRankingSnapshot } from "./useRankingSnapshot.js";

/** One colour per signal, in `WEIGHT_NAMES` order; distinct on the Inspector's light and dark themes. */
export const SIGNAL_COLOURS: Readonly<Record<WeightName, string>> = Object.freeze({
    gaze: "#4f9dff",
    dwell: "#7c5cff",
    proximity: "#2bb673",
    event: "#ff8c42",
    priority: "#e5484d",
    novelty: "#e0b400",
    visibility: "#1fbfbf",
    approach: "#c25fd6",
});

/** Entries shown per kind. */
const ROWS_PER_KIND = 5;

const useStyles = makeStyles({
    legend: { display: "flex", flexWrap: "wrap", columnGap: tokens.spacingHorizontalS, rowGap: "2px", marginBottom: tokens.spacingVerticalS },
    legendItem: { display: "flex", alignItems: "center", gap: "4px" },
    swatch: { width: "8px", height: "8px", borderRadius: "2px" },
    kind: { marginTop: tokens.spacingVerticalS, color: tokens.colorNeutralForeground3, textTransform: "uppercase", letterSpacing: "0.04em" },
    row: { padding: `${tokens.spacingVerticalXS} 0`, borderBottom: `1px solid ${tokens.colorNeutralStroke3}` },
    head: { display: "flex", alignItems: "baseline", gap: tokens.spacingHorizontalS },
    label: { flex: "1 1 auto", minWidth: 0, overflow: "hidden", textOverflow: "ellipsis", whiteSpace: "nowrap" },
    focused: { fontWeight: tokens.fontWeightSemibold, color: tokens.colorBrandForeground1 },
    numbers: { color: tokens.colorNeutralForeground2, fontVariantNumeric: "tabular-nums", whiteSpace: "nowrap" },
    bar: { display: "flex", height: "8px", marginTop: "3px", borderRadius: "2px", overflow: "hidden", backgroundColor: tokens.colorNeutralBackground3 },
    attentionTrack: { height: "3px", marginTop: "2px", borderRadius: "2px", backgroundColor: tokens.colorNeutralBackground3 },
    attentionFill: { height: "100%", borderRadius: "2px", backgroundColor: tokens.colorNeutralForeground2 },
    empty: { color: tokens.colorNeutralForeground3 },
});

/** A copy of what one row shows: ranking entries are reused in place by the plugin. */
interface IRowSnapshot {
    key: string;
    label: string;
    score: number;
    attention: number;
    focused: boolean;
    contributions: number[];
}

/**
 * The live ranking: per kind, the top entries with a stacked bar of per-signal contributions
 * (`entry.why`, weight x signal) and the model's attention weight under it. Redraws on the
 * plugin's ranking updates, throttled; the snapshots it allocates are UI-side, never in the tick.
 */
export function RankingList(props: { attention: AttentionPlugin }): ReactElement {
    const { attention } = props;
    const classes = useStyles();
    const snapshot = useRankingSnapshot(attention, takeSnapshot);

    // Bars share one scale, so rows compare across kinds.
    const scale = Math.max(1e-6, ...snapshot.flatMap((k) => k.rows.map((r) => r.contributions.reduce((a, b) => a + b, 0))));
    const legend = h(
        "div",
        { className: classes.legend },
        WEIGHT_NAMES.map((name) =>
            h("span", { key: name, className: classes.legendItem }, h("span", { className: classes.swatch, style: { backgroundColor: SIGNAL_COLOURS[name] } }), h(Caption1, null, name))
        )
    );
    const kinds = snapshot.map(({ kind, rows }) =>
        h(
            "div",
            { key: kind, "data-attention-kind": kind },
            h(Caption1, { className: classes.kind }, `${kind} (${rows.length})`),
            rows.length === 0 ? h(Caption1, { className: classes.empty, block: true }, "nothing tracked") : rows.map((row, i) => renderRow(row, i, scale, classes))
        )
    );
    return h("div", { "data-attention-ranking": "" }, legend, kinds);
}

function renderRow(row: IRowSnapshot, index: number, scale: number, classes: ReturnType<typeof useStyles>): ReactElement {
    const breakdown = WEIGHT_NAMES.map((name, i) => `${name} ${row.contributions[i].toFixed(2)}`).join("\n");
    return h(
        "div",
        { key: row.key, className: classes.row, "data-attention-row": row.label, title: `${row.label}\nscore ${row.score.toFixed(3)}, attention ${row.attention.toFixed(3)}\n${breakdown}` },
        h(
            "div",
            { className: classes.head },
            h(Caption1, { className: row.focused ? mergeClasses(classes.label, classes.focused) : classes.label }, `${index + 1}. ${row.label}${row.focused ? " (focus)" : ""}`),
            h(Caption1, { className: classes.numbers }, `${row.score.toFixed(2)} · attn ${row.attention.toFixed(2)}`)
        ),
        h(
            "div",
            { className: classes.bar },
            WEIGHT_NAMES.map((name, i) => h("span", { key: name, style: { width: `${(100 * row.contributions[i]) / scale}%`, backgroundColor: SIGNAL_COLOURS[name] } }))
        ),
        h("div", { className: classes.attentionTrack }, h("div", { className: classes.attentionFill, style: { width: `${100 * Math.min(1, Math.max(0, row.attention))}%` } }))
    );
}

function takeSnapshot(attention: AttentionPlugin): { kind: string; rows: IRowSnapshot[] }[] {
    const focus = attention.focus;
    const ranking = attention.ranking;
    return TARGET_KINDS.map((kind) => ({
        kind,
        rows: ranking[kind].slice(0, ROWS_PER_KIND).map((entry) => snapshotRow(entry, entry === focus)),
    }));
}

function snapshotRow(entry: IRankingEntry, focused: boolean): IRowSnapshot {
    const why: IScoreBreakdown = entry.why;
    return {
        key: `${entry.node.uniqueId}`,
        label: entry.label,
        score: entry.score,
        attention: why.attention,
        focused,
        // Negative contributions (none today) would draw as nothing rather than eat the bar.
        contributions: WEIGHT_NAMES.map((name) => Math.max(0, why[name])),
    };
}

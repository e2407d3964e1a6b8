import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import type { AttentionPlugin, IRankingEntry, IScoreBreakdown, TargetKind } from "../../../plugin/index";
import type { TickTimer } from "./tickTimer";

/** What the HUD shows besides the ranking; read live each refresh. */
export interface IHudSources {
    attention: AttentionPlugin;
    engine: AbstractEngine;
    engineKind: string;
    backend: () => string;
    ticks: TickTimer;
    quest: () => string;
    navigation: () => string;
    recording: () => string;
}

const KINDS: readonly TargetKind[] = ["npc", "task", "hint"];
const REASON_NAMES = ["gaze", "dwell", "proximity", "event", "priority", "novelty", "visibility", "approach", "attention"] as const;

/** The one or two largest positive contributions, e.g. "gaze .42 event .30". */
export function topReasons(why: IScoreBreakdown, count = 2): string {
    const sorted = REASON_NAMES.map((name) => [name, why[name]] as const)
        .filter(([, value]) => value > 0.005)
        .sort((a, b) => b[1] - a[1])
        .slice(0, count);
    return sorted.map(([name, value]) => `${name} ${value.toFixed(2).replace(/^0/, "")}`).join(" ");
}

function escape(text: string): string {
    return text.replace(/[&<>]/g, (c) => (c === "&" ? "&amp;" : c === "<" ? "&lt;" : "&gt;"));
}

/**
 * A plain DOM overlay (not Babylon GUI, so it costs no draw calls). Compact by default: the
 * focus, the leader of each ranking, the quest and the backend, in a corner small enough to
 * leave the world in view. `toggle()` (the H key) shows the details: the top three of each
 * ranking with their main reasons, navigation, recording, tick cost and FPS.
 * Refreshed four times a second, not per frame, and only the lines whose text changed are
 * written: a write to the overlay invalidates the page's style and layout, which the next frame
 * pays for on the main thread.
 */
export class Hud {
    private readonly _timer: ReturnType<typeof setInterval>;
    private _expanded = false;
    /** One element per line, and the markup each holds now. */
    private readonly _lineElements: HTMLElement[] = [];
    private readonly _lineHtml: string[] = [];

    public constructor(
        private readonly _element: HTMLElement,
        private readonly _sources: IHudSources
    ) {
        this._timer = setInterval(() => this.refresh(), 250);
    }

    /** Whether the details are shown. */
    public get expanded(): boolean {
        return this._expanded;
    }

    /** Switches between the compact and the detailed view; returns the new state. */
    public toggle(): boolean {
        this._expanded = !this._expanded;
        this.refresh();
        return this._expanded;
    }

    public refresh(): void {
        const lines = this._expanded ? this._detailLines() : this._compactLines();
        if (this._element.classList.contains("expanded") !== this._expanded) {
            this._element.classList.toggle("expanded", this._expanded);
        }
        for (let i = 0; i < lines.length; i++) {
            let line = this._lineElements[i];
            if (!line) {
                line = document.createElement("div");
                this._lineElements.push(line);
                this._lineHtml.push("");
            }
            if (line.parentElement !== this._element) {
                this._element.appendChild(line);
            }
            if (this._lineHtml[i] !== lines[i]) {
                this._lineHtml[i] = lines[i];
                line.innerHTML = lines[i];
            }
        }
        for (let i = lines.length; i < this._lineElements.length && this._lineElements[i].parentElement; i++) {
            this._lineElements[i].remove();
        }
    }

    private _compactLines(): string[] {
        const s = this._sources;
        const a = s.attention;
        const focus = a.focus;
        const lines: string[] = [`<span class="title">Focus: ${focus ? escape(focus.label) : "\u2014"}</span>`];
        for (const kind of KINDS) {
            const e: IRankingEntry | undefined = a.ranking[kind][0];
            lines.push(`<span class="kind">${kind.padEnd(4)}</span> ${e ? `${escape(shorten(e.label))} ${e.score.toFixed(2)}` : "\u2014"}`);
        }
        lines.push(`<span class="dim">quest</span> ${escape(s.quest())}`);
        // Recording state only once there is one: "off" is the default and needs no line.
        const rec = s.recording();
        if (rec.startsWith("\u25cf")) {
            lines.push(`<span class="rec">${escape(rec)}</span>`);
        } else if (!rec.startsWith("off")) {
            lines.push(`<span class="dim">record</span> ${escape(rec)}`);
        }
        lines.push(`<span class="dim">${s.backend()} on ${s.engineKind} \u00b7 H details, N go, I inspector, R record</span>`);
        return lines;
    }

    private _detailLines(): string[] {
        const s = this._sources;
        const a = s.attention;
        const focus = a.focus;
        const lines: string[] = [];
        lines.push(`<span class="title">Focus: ${focus ? escape(focus.label) : "\u2014"}</span>`);
        for (const kind of KINDS) {
            lines.push(`<span class="kind">${kind}</span>`);
            const list = a.ranking[kind];
            for (let i = 0; i < 3; i++) {
                const e: IRankingEntry | undefined = list[i];
                if (!e) {
                    break;
                }
                lines.push(` ${i + 1} ${escape(shorten(e.label).padEnd(17))} ${e.score.toFixed(2)} <span class="dim">${topReasons(e.why)}</span>`);
            }
        }
        lines.push(`<span class="dim">quest</span>    ${escape(s.quest())}`);
        lines.push(`<span class="dim">navigate</span> ${escape(s.navigation())}`);
        const rec = s.recording();
        lines.push(`<span class="dim">record</span>   ${rec.startsWith("\u25cf") ? `<span class="rec">${escape(rec)}</span>` : escape(rec)}`);
        lines.push(`<span class="dim">backend</span>  ${s.backend()} on ${s.engineKind}`);
        const tick = s.ticks.maxMs > 0 ? `${s.ticks.averageMs.toFixed(2)} ms avg, ${s.ticks.maxMs.toFixed(2)} max` : "warming up";
        lines.push(`<span class="dim">tick</span>     ${tick} @ ${Math.round(a.updateHz)} Hz`);
        const fps = s.engine.getFps();
        lines.push(`<span class="dim">fps</span>      ${fps < 10 ? fps.toFixed(1) : fps.toFixed(0)}`);
        lines.push(`<span class="dim">keys: WASD+mouse walk, H fewer lines, N go to focus, I inspector, R record</span>`);
        return lines;
    }

    public dispose(): void {
        clearInterval(this._timer);
    }
}

function shorten(label: string): string {
    return label.length > 17 ? `${label.slice(0, 16)}\u2026` : label;
}

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
 * A plain DOM overlay (not Babylon GUI, so it costs no draw calls): focus, the top three of
 * each ranking with their main reasons, backend, tick cost, FPS, quest and navigation state.
 * Refreshed four times a second, not per frame.
 */
export class Hud {
    private readonly _timer: ReturnType<typeof setInterval>;

    public constructor(
        private readonly _element: HTMLElement,
        private readonly _sources: IHudSources
    ) {
        this._timer = setInterval(() => this.refresh(), 250);
    }

    public refresh(): void {
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
                const label = e.label.length > 17 ? `${e.label.slice(0, 16)}\u2026` : e.label;
                lines.push(` ${i + 1} ${escape(label.padEnd(17))} ${e.score.toFixed(2)} <span class="dim">${topReasons(e.why)}</span>`);
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
        lines.push(`<span class="dim">keys: WASD+mouse walk, N go to focus, I inspector, R record</span>`);
        this._element.innerHTML = lines.join("\n");
    }

    public dispose(): void {
        clearInterval(this._timer);
    }
}

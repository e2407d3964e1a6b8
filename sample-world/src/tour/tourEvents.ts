import type { Scene } from "@babylonjs/core/scene";
import type { Mesh } from "@babylonjs/core/Meshes/mesh";
import type { AttentionPlugin } from "../../../plugin/index";
import type { IGuide } from "../world/guides";

/** A line of the event log the HUD and tests read. */
export interface ITourEvent {
    /** Milliseconds since the tour started. */
    time: number;
    type: "speech" | "sound";
    label: string;
    text: string;
}

const SPEECH_PERIOD_MS = 7000;
const BELL_PERIOD_MS = 16000;
const BELL_FIRST_MS = 9000;

/**
 * Game events on a fixed schedule (deterministic, so autopilot runs are comparable): each guide
 * calls out in turn every 7 s (emit "speech"), and the courtyard bell rings every 16 s (emit
 * "sound"). A ringing bell also swings, so the event is visible as well as ranked.
 */
export class TourEvents {
    public readonly log: ITourEvent[] = [];
    private _nextSpeech = 2500;
    private _nextBell = BELL_FIRST_MS;
    private _speaker = 0;
    private _swingUntil = 0;
    private readonly _start = performance.now();

    public constructor(
        private readonly _attention: AttentionPlugin,
        private readonly _guides: readonly IGuide[],
        private readonly _bell: Mesh,
        private readonly _say: (text: string) => void,
        scene: Scene
    ) {
        scene.onBeforeRenderObservable.add(() => this._update(performance.now() - this._start));
    }

    private _update(t: number): void {
        if (t >= this._nextSpeech) {
            this._nextSpeech += SPEECH_PERIOD_MS;
            const guide = this._guides[this._speaker++ % this._guides.length];
            this._attention.emit({ target: guide.body, type: "speech", intensity: 1 });
            this._record(t, "speech", guide.label, guide.callout);
        }
        if (t >= this._nextBell) {
            this._nextBell += BELL_PERIOD_MS;
            this._attention.emit({ target: this._bell, type: "sound", intensity: 1.5, halfLifeMs: 3000 });
            this._swingUntil = t + 2500;
            this._record(t, "sound", "The bell tower", "Dong! Dong!");
        }
        this._bell.rotation.x = t < this._swingUntil ? 0.35 * Math.sin((t / 1000) * 9) * ((this._swingUntil - t) / 2500) : 0;
    }

    private _record(time: number, type: ITourEvent["type"], label: string, text: string): void {
        this.log.push({ time: Math.round(time), type, label, text });
        if (this.log.length > 50) {
            this.log.shift();
        }
        this._say(`${label}: \u201c${text}\u201d`);
    }
}

import type { Observable } from "rxjs";
import type { Scene } from "@babylonjs/core/scene.js";
import type { IRanking, IRankingEntry } from "../attentionTypes.js";

/**
 * The little the effects need from the attention plugin. Kept structural so an effect can be
 * driven by plain rxjs Subjects (tests, replays, a game's own ranking) as well as by the plugin.
 */
export interface IAttentionSource {
    /** The focused entry, emitted on change; null when nothing holds focus. */
    readonly focus$: Observable<IRankingEntry | null>;
    /** Every tick's per-kind ranking; entries are reused in place between ticks. */
    readonly ranking$: Observable<IRanking>;
    /**
     * The live ranking, one object updated in place every tick (the plugin has it). When a
     * source has it, effects read it each frame and do not subscribe to `ranking$`, so nothing
     * is emitted per tick for them. Leave it out when each tick brings a new ranking object.
     */
    readonly ranking?: IRanking;
    /** The scene the effects act on. */
    readonly scene: Scene;
}

import type { UniversalCamera } from "@babylonjs/core/Cameras/universalCamera";
import type { AbstractEngine } from "@babylonjs/core/Engines/abstractEngine";
import type { Scene } from "@babylonjs/core/scene";
import type { AttentionPlugin } from "../../plugin/index";
import type { FocusEffects } from "../../plugin/effects/index";
import type { AttentionNavigator } from "../../plugin/navigation/index";
import type { IAutopilotState } from "./tour/autopilot";
import type { IQuestState } from "./tour/questChain";
import type { ITourEvent } from "./tour/tourEvents";

/** Milliseconds from navigation start (performance.now()) at which each start-up stage ended. */
export interface ITourStartup {
    engineMs: number;
    havokMs: number;
    worldMs: number;
    pluginMs: number;
    navMeshMs: number;
    firstFrameMs: number;
    /** When the model backend settled (loaded and warm, or fell back); absent until then. */
    modelMs?: number;
    /** When the first ranking with the model's scores in it was published; absent until then (and with the heuristic). */
    firstModelRankingMs?: number;
}

/**
 * `window.__tour`: what browser tests and demos read. `ready` resolves once the world has
 * rendered its first frames (rejects with the reason if start-up failed); the other fields
 * are set before it resolves.
 */
export interface ITourApi {
    ready: Promise<void>;
    /** Start-up failure, or null. */
    error: string | null;
    engine: AbstractEngine;
    scene: Scene;
    camera: UniversalCamera;
    attention: AttentionPlugin;
    effects: FocusEffects;
    /** Null if the navigator could not be created (the reason is logged). */
    navigator: AttentionNavigator | null;
    /** The engine running: "webgpu" or "webgl2". */
    engineKind: "webgpu" | "webgl2";
    /** Why WebGPU was not used when asked for, or null. */
    engineFallbackReason: string | null;
    /** The ranking backend now: "webgpu", "wasm" or "heuristic" (it can change on fallback). */
    readonly backend: string;
    /** Every backend the plugin ranked with, in order (starts with "heuristic" while the model loads). */
    backendHistory: string[];
    /** Resolves with the backend once the model is loaded and warm, or the plugin settled on a fallback. */
    modelReady: Promise<string>;
    /** The focused entry's label, or null. */
    readonly focusLabel: string | null;
    /** Every focus label in the order focus moved to it (null entries omitted), from the start. */
    focusHistory: string[];
    readonly quest: IQuestState;
    /** The scripted tour's state, or null without `?autopilot`. */
    readonly autopilot: IAutopilotState | null;
    /** The latest guide call-outs and bell rings, oldest first. */
    events: ITourEvent[];
    startup: ITourStartup;
    /** Main-thread tick cost of the plugin, ms. */
    readonly tickMs: { average: number; max: number; last: number; ticks: number };
    /** Walks to the current focus (the `N` key). Resolves with the end state's name and reason. */
    navigateToFocusAsync(): Promise<string>;
    /** Opens or closes the Inspector (the `I` key). Resolves with the message shown. */
    toggleInspectorAsync(): Promise<string>;
    /** True while the Inspector (with the Attention pane) is open. */
    readonly inspectorVisible: boolean;
    /** Starts or stops-and-saves a session recording (the `R` key). Returns the message shown. */
    toggleRecording(): string;
    /** The recorder's state: recording now, ticks recorded, files saved (download names). */
    readonly recording: { active: boolean; ticks: number; savedFiles: string[] };
    /** The plugin's and effects' per-frame work: set false to switch it off (frame-time comparisons; `?plugin=off` starts off). */
    pluginTicking: boolean;
}

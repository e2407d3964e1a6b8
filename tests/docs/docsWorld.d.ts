// The world the docs' code blocks assume is in hand: a scene, a camera, some tracked nodes and
// the plugin. Each block still imports what it uses from babylon-attention, Babylon and rxjs;
// only these variables are given. A block that declares one of them shadows it.
type Scene = import("@babylonjs/core/scene").Scene;
type UniversalCamera = import("@babylonjs/core/Cameras/universalCamera").UniversalCamera;
type Mesh = import("@babylonjs/core/Meshes/mesh").Mesh;
type AttentionPlugin = import("../../plugin/index").AttentionPlugin;
type FocusEffects = import("../../plugin/effects/index").FocusEffects;

declare const scene: Scene;
declare const camera: UniversalCamera;
declare const attention: AttentionPlugin;
declare const effects: FocusEffects;
declare const guide: Mesh;
declare const mosaic: Mesh;
declare const sign: Mesh;
declare const npc: Mesh;
declare const ground: Mesh;
declare const walls: Mesh[];
declare const pipeline: import("@babylonjs/core/PostProcesses/RenderPipeline/Pipelines/defaultRenderingPipeline").DefaultRenderingPipeline;
declare const gamepad: import("@babylonjs/core/Gamepads/gamepad").Gamepad & {
    onButtonDownObservable: import("@babylonjs/core/Misc/observable").Observable<number>;
};
declare const playerAgreedToRecording: boolean;
declare function showToast(message: string): void;

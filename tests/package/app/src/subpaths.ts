// Every subpath an app may import, so that the strict type check (skipLibCheck: false) reads
// each one's declarations. Types only: nothing here runs. The inspector subpath is left out:
// its peers (@babylonjs/inspector, React, Fluent UI) would triple the install.
export type { FocusEffects } from "babylon-attention/effects";
export type { GuiGuidanceHintView } from "babylon-attention/effects/gui";
export type { AttentionNavigator } from "babylon-attention/navigation";
export type { SessionRecorder } from "babylon-attention/recording";

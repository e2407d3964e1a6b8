import { createElement as h, type ReactElement } from "react";
import type { AttentionPlugin } from "../attentionPlugin.js";
import type { FocusEffects } from "../effects/focusEffects.js";
import { AttentionPane } from "./attentionPane.js";
import { Inspector, type IShellConsumerServiceDefinition } from "./inspectorApi.js";

/** The side pane's key (also its tab id in the Inspector). */
export const ATTENTION_PANE_KEY = "Attention";

/** Options of {@link CreateAttentionPaneServiceDefinition}. */
export interface IAttentionPaneServiceOptions {
    /** The focus effects whose switches and guidance threshold the pane shows. @default none */
    effects?: FocusEffects | null;
    /** Select the Attention tab when the Inspector opens. @default true */
    select?: boolean;
    /** Side of the Inspector the pane docks to. @default "right" */
    horizontalLocation?: "left" | "right";
}

/** An eye: the pane's tab icon, drawn in the current text colour like Fluent's icons. */
function AttentionIcon(): ReactElement {
    return h(
        "svg",
        { width: 20, height: 20, viewBox: "0 0 20 20", fill: "none", stroke: "currentColor", strokeWidth: 1.4, "aria-hidden": true },
        h("path", { d: "M1.8 10C3.7 6.3 6.6 4.5 10 4.5s6.3 1.8 8.2 5.5c-1.9 3.7-4.8 5.5-8.2 5.5S3.7 13.7 1.8 10Z" }),
        h("circle", { cx: 10, cy: 10, r: 2.6 })
    );
}

/**
 * An Inspector V2 service that adds the "Attention" side pane. Pass it to Babylon's
 * `ShowInspector(scene, { serviceDefinitions: [definition] })`, or use `ShowAttentionInspector`.
 */
export function CreateAttentionPaneServiceDefinition(attention: AttentionPlugin, options: IAttentionPaneServiceOptions = {}): IShellConsumerServiceDefinition {
    const effects = options.effects ?? null;
    // One component per service instance: the shell renders `content` as a component type.
    const content = (): ReactElement => h(AttentionPane, { attention, effects });
    return {
        friendlyName: "Attention",
        consumes: [Inspector.ShellServiceIdentity],
        factory: (shell) => {
            const registration = shell.addSidePane({
                key: ATTENTION_PANE_KEY,
                title: "Attention",
                icon: AttentionIcon,
                horizontalLocation: options.horizontalLocation ?? "right",
                verticalLocation: "top",
                // Before Properties (100), so the tab sits first on its side.
                order: 50,
                teachingMoment: false,
                content,
            });
            if (options.select !== false) {
                // The shell replays the last selection to its view when that mounts later.
                shell.sidePanes?.find((pane) => pane.key === ATTENTION_PANE_KEY)?.select();
            }
            return { dispose: () => registration.dispose() };
        },
    };
}

import type { AttentionPlugin } from "../attentionPlugin.js";
import type { FocusEffects } from "../effects/focusEffects.js";
import { applyAttentionInspectableProperties } from "./attentionInspectableProperties.js";
import { CreateAttentionPaneServiceDefinition, type IAttentionPaneServiceOptions } from "./attentionPaneService.js";
import { ShowInspector, type InspectorOptions, type InspectorToken } from "./inspectorApi.js";

/** Options of {@link ShowAttentionInspector}. */
export interface IShowAttentionInspectorOptions extends IAttentionPaneServiceOptions {
    /** The focus effects to tune. @default none */
    effects?: FocusEffects | null;
    /** Also put the tunables in the scene's property grid ("Custom" section). @default true */
    inspectableProperties?: boolean;
    /** Passed on to Babylon's `ShowInspector`; its `serviceDefinitions` are kept, the pane is added. */
    inspectorOptions?: InspectorOptions;
}

/**
 * Opens Babylon's Inspector V2 on the plugin's scene with the "Attention" pane (selected) and,
 * by default, the same tunables in the scene's property grid. Disposing the returned token
 * closes the Inspector and removes the grid properties again.
 *
 * ```ts
 * import { ShowAttentionInspector } from "babylon-attention/inspector";
 * const token = ShowAttentionInspector(attention, { effects });
 * // later: await token.dispose();
 * ```
 */
export function ShowAttentionInspector(attention: AttentionPlugin, options: IShowAttentionInspectorOptions = {}): InspectorToken {
    const inspectorOptions = options.inspectorOptions ?? {};
    const pane = CreateAttentionPaneServiceDefinition(attention, options);
    const grid = options.inspectableProperties === false ? null : applyAttentionInspectableProperties(attention, options.effects);
    try {
        const token = ShowInspector(attention.scene, {
            ...inspectorOptions,
            serviceDefinitions: [...((inspectorOptions.serviceDefinitions as unknown[]) ?? []), pane],
        });
        token.onDisposed.addOnce(() => grid?.dispose());
        return token;
    } catch (error) {
        grid?.dispose();
        throw error;
    }
}

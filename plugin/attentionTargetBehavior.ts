import type { Behavior } from "@babylonjs/core/Behaviors/behavior.js";
import type { Observer } from "@babylonjs/core/Misc/observable.js";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode.js";
import { AttentionPlugin } from "./attentionPlugin.js";
import { TARGET_KINDS, type ITargetOptions } from "./attentionTypes.js";
import { describeValue } from "./optionRanges.js";

/**
 * Tracks the node it is attached to: `npc.addBehavior(new AttentionTargetBehavior({ kind: "npc" }))`.
 * Works before the plugin exists: the node is tracked as soon as the scene's plugin is created.
 * Detaching (or removing the behavior) untracks the node.
 */
export class AttentionTargetBehavior implements Behavior<TransformNode> {
    public readonly name = "AttentionTarget";
    public attachedNode: TransformNode | null = null;
    private _pendingObserver: Observer<AttentionPlugin> | null = null;

    /** Checks the kind at once: a behavior attached before the plugin exists would otherwise fail only when the plugin is created. */
    public constructor(public readonly options: ITargetOptions) {
        if (!TARGET_KINDS.includes(options?.kind)) {
            throw new Error(`AttentionTargetBehavior: unknown kind ${describeValue(options?.kind)}; expected one of ${TARGET_KINDS.map((k) => `"${k}"`).join(", ")}`);
        }
    }

    public init(): void {
        // Nothing to prepare: tracking starts on attach.
    }

    public attach(node: TransformNode): void {
        this.attachedNode = node;
        const plugin = AttentionPlugin.Get(node.getScene());
        if (plugin) {
            plugin.track(node, this.options);
            return;
        }
        this._pendingObserver = AttentionPlugin.OnPluginCreatedObservable.add((created) => {
            if (created.scene === node.getScene() && !node.isDisposed()) {
                created.track(node, this.options);
                this._removePending();
            }
        });
    }

    public detach(): void {
        this._removePending();
        const node = this.attachedNode;
        this.attachedNode = null;
        if (node) {
            AttentionPlugin.Get(node.getScene())?.untrack(node);
        }
    }

    private _removePending(): void {
        AttentionPlugin.OnPluginCreatedObservable.remove(this._pendingObserver);
        this._pendingObserver = null;
    }
}

import { Observable } from "@babylonjs/core/Misc/observable";
import type { TransformNode } from "@babylonjs/core/Meshes/transformNode";
import type { Scene } from "@babylonjs/core/scene";
import type { Camera } from "@babylonjs/core/Cameras/camera";
import type { AttentionPlugin } from "../../../plugin/index";

/** One step of the quest: reach `node` (within `reach` metres) while it holds the focus. */
export interface IQuestStep {
    readonly id: string;
    readonly title: string;
    readonly node: TransformNode;
    /** The node is a tracked task whose active flag follows the quest. */
    readonly isTask: boolean;
    readonly reach: number;
}

/** What the quest looks like now; `window.__tour.quest` returns a copy. */
export interface IQuestState {
    /** Index of the current step; equals the step count once the quest is complete. */
    step: number;
    /** Title of the current step, or "Tour complete". */
    title: string;
    /** Ids of the steps done, in order. */
    done: string[];
}

const DWELL_MS = 600;

/**
 * The tour's quest chain: visit exhibit A, then B, then talk to the curator. A step completes
 * when the player is within reach of its node while the node holds the attention focus for a
 * moment; it then reports `engage`, marks a task done with `setTaskActive(node, false)` and
 * activates the next task. Bonus tasks (not in the chain) complete the same way at any time.
 */
export class QuestChain {
    public readonly onStepCompletedObservable = new Observable<IQuestStep>();
    private _index = 0;
    private readonly _done: string[] = [];
    private _heldSince = -1;
    private _heldNode: TransformNode | null = null;

    public constructor(
        private readonly _attention: AttentionPlugin,
        private readonly _camera: Camera,
        private readonly _steps: readonly IQuestStep[],
        private readonly _bonus: readonly IQuestStep[],
        scene: Scene
    ) {
        // Only the first task is active at the start; later ones wake as the chain reaches them.
        _steps.forEach((s, i) => s.isTask && _attention.setTaskActive(s.node, i === 0));
        scene.onBeforeRenderObservable.add(() => this._update(performance.now()));
    }

    public get state(): IQuestState {
        const current = this._steps[this._index];
        return { step: this._index, title: current ? current.title : "Tour complete", done: [...this._done] };
    }

    public get currentStep(): IQuestStep | null {
        return this._steps[this._index] ?? null;
    }

    private _update(now: number): void {
        const focus = this._attention.focus?.node ?? null;
        if (focus !== this._heldNode) {
            this._heldNode = focus;
            this._heldSince = now;
        }
        if (!focus || now - this._heldSince < DWELL_MS) {
            return;
        }
        const current = this._steps[this._index];
        if (current && focus === current.node && this._near(current)) {
            this._complete(current);
            this._index++;
            const next = this._steps[this._index];
            if (next?.isTask) {
                this._attention.setTaskActive(next.node, true);
            }
            if (next) {
                // A fresh quest update draws the eye to the next goal.
                this._attention.emit({ target: next.node, type: "quest", intensity: 1.5 });
            }
            return;
        }
        const bonus = this._bonus.find((b) => b.node === focus && !this._done.includes(b.id));
        if (bonus && this._near(bonus)) {
            this._complete(bonus);
        }
    }

    private _near(step: IQuestStep): boolean {
        const p = this._camera.globalPosition;
        const n = step.node.getAbsolutePosition();
        const dx = p.x - n.x;
        const dz = p.z - n.z;
        return dx * dx + dz * dz <= step.reach * step.reach;
    }

    private _complete(step: IQuestStep): void {
        this._done.push(step.id);
        this._attention.engage(step.node);
        if (step.isTask) {
            this._attention.setTaskActive(step.node, false);
        }
        this.onStepCompletedObservable.notifyObservers(step);
    }
}

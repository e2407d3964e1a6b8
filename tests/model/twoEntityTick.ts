import { EntityStore } from "../../plugin/features/entityStore";
import { CONTEXT_COUNT } from "../../plugin/features/featureSchema";
import { TickFrame } from "../../plugin/tick/tickFrame";

/** Two tracked entities, the first ranked higher by the heuristic, and the frame `ModelStage.launch` reads. */
export function twoEntityTick(): { store: EntityStore; frame: TickFrame } {
    const store = new EntityStore(4);
    store.add(0, 0.5, 0.5);
    store.add(1, 0.5, 0.5);
    const frame = new TickFrame(new Float32Array(CONTEXT_COUNT));
    frame.ensureCapacity(4);
    frame.features.fill(0.5);
    frame.heuristic.engagement.set([0.9, 0.4, 0, 0]);
    frame.weights.fill(1);
    return { store, frame };
}

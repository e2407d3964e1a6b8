/**
 * The designer's weights as the network's input gates: a column is read only while every
 * signal it carries has a weight above 0 (plugin/features/signalColumns.ts); otherwise it reads
 * 0 for every candidate and cannot separate them. Nothing else about the weights reaches the
 * network: above 0 a weight's value acts through the heuristic prior alone, so raising it moves
 * the ranking exactly as it moves the heuristic's. Shared by the training model (tfModel.ts),
 * the ONNX writer and the reference forward pass, so all gate alike.
 */
import { CONTEXT_COUNT, FEATURE_COUNT, Feature } from "../plugin/features/featureSchema";
import { SIGNALS_OF_CONTEXT, SIGNALS_OF_FEATURE } from "../plugin/features/signalColumns";
import type { Signal } from "../plugin/features/signalContributions";
import { WEIGHT_COUNT } from "../plugin/model/attentionWeights";

/**
 * gate = relu(on x select + offset), where on[s] is 1 for a signal whose weight is above 0.
 * A column carrying n signals has offset 1 - n, so its gate is 1 only when all n are on (0 for
 * fewer); a column carrying none has offset 1 and is always read.
 */
export interface IGateMatrix {
    /** [WEIGHT_COUNT, columns], row-major: 1 where the column carries signal s. */
    readonly select: Float32Array;
    /** [columns]: 1 minus the number of signals the column carries. */
    readonly offset: Float32Array;
    readonly columns: number;
}

function gateMatrix(signalsOfColumn: readonly (readonly number[])[]): IGateMatrix {
    const columns = signalsOfColumn.length;
    const select = new Float32Array(WEIGHT_COUNT * columns);
    const offset = new Float32Array(columns);
    signalsOfColumn.forEach((signals, column) => {
        offset[column] = 1 - signals.length;
        for (const signal of signals) {
            select[signal * columns + column] = 1;
        }
    });
    return { select, offset, columns };
}

export const FEATURE_GATE: IGateMatrix = gateMatrix(SIGNALS_OF_FEATURE);
export const CONTEXT_GATE: IGateMatrix = gateMatrix(SIGNALS_OF_CONTEXT);

/**
 * The gates of a training step, which also reads `focused` (UNREAD_FEATURES in
 * architecture.ts). In recorded and simulated sessions that column is the heuristic's focus at
 * its default weights, so it carries every signal: a step reads it only while all signals are
 * on, or an example with gaze switched off would still learn from where the player looked.
 */
export const TRAINING_FEATURE_GATE: IGateMatrix = gateMatrix(
    SIGNALS_OF_FEATURE.map((signals, column) => (column === Feature.Focused ? Array.from({ length: WEIGHT_COUNT }, (_, s) => s as Signal) : signals))
);

if (FEATURE_GATE.columns !== FEATURE_COUNT || CONTEXT_GATE.columns !== CONTEXT_COUNT) {
    throw new Error("signalGates: the signal column maps do not match the feature schema");
}

/**
 * Switches signals off at random in a batch's weights ([B, WEIGHT_COUNT], row-major), so the
 * network learns to rank with whatever the designer leaves on: a `keepAll` share of examples
 * keeps every signal (the defaults stay the best-trained case); each other example keeps a
 * number of signals drawn uniformly from 1 to WEIGHT_COUNT - 1, chosen at random, so sparse
 * choices (one or two signals left on) are trained as often as nearly full ones. Weights that
 * are already 0 stay 0.
 */
export function dropSignalsAtRandom(weights: Float32Array, random: () => number, keepAll: number): void {
    const order = new Int32Array(WEIGHT_COUNT);
    for (let e = 0; e < weights.length; e += WEIGHT_COUNT) {
        if (random() < keepAll) {
            continue;
        }
        const kept = 1 + Math.floor(random() * (WEIGHT_COUNT - 1));
        for (let s = 0; s < WEIGHT_COUNT; s++) order[s] = s;
        // A partial Fisher-Yates shuffle: the first `kept` of `order` stay on.
        for (let s = 0; s < kept; s++) {
            const pick = s + Math.floor(random() * (WEIGHT_COUNT - s));
            const swap = order[s];
            order[s] = order[pick];
            order[pick] = swap;
        }
        for (let s = kept; s < WEIGHT_COUNT; s++) {
            weights[e + order[s]] = 0;
        }
    }
}

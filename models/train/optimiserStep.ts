/**
 * The pieces every training loop here shares (the supervised heads in train.ts, masked-feature
 * pretraining): a seeded in-place shuffle and one Adam step with gradients clipped to a global
 * L2 norm.
 */
import * as tf from "@tensorflow/tfjs";

/** Fisher-Yates over `order` with `random` (a seeded mulberry32 stream). */
export function shuffleInPlace(order: Int32Array, random: () => number): void {
    for (let i = order.length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        const t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
}

/**
 * Computes `loss`'s gradients for `varList`, scales them down to a global L2 norm of at most
 * `clipNorm`, applies them with `optimizer`, and returns the loss value. Tensors it makes are
 * freed; call it outside any tf.tidy.
 */
export function clippedGradientStep(optimizer: tf.Optimizer, loss: () => tf.Scalar, varList: tf.Variable[], clipNorm: number): number {
    return tf.tidy(() => {
        const { value, grads } = tf.variableGrads(loss, varList);
        const names = Object.keys(grads);
        const norm = tf.sqrt(tf.addN(names.map((name) => tf.sum(tf.square(grads[name])))));
        const factor = tf.div(clipNorm, tf.maximum(norm, clipNorm));
        optimizer.applyGradients(names.map((name) => ({ name, tensor: tf.mul(grads[name], factor) })));
        return value.dataSync()[0];
    });
}

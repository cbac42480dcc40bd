/** The loss and the count of right answers of a batch, as tensors the training loop reads back in groups. */
import * as tf from '@tensorflow/tfjs';

/** Keras clips probabilities the same way before the logarithm, so a 0 never gives -Infinity. */
const EPSILON = 1e-7;

/**
 * Mean categorical cross-entropy of softmax outputs `probs` [n, C] against one-hot `ys`. With
 * `labelSmoothing` ε > 0 the targets are (1 − ε)·ys + ε/C, as Keras's and PyTorch's
 * `label_smoothing` make them: the loss then no longer rewards pushing the true class towards 1.
 */
export function crossEntropy(probs: tf.Tensor, ys: tf.Tensor, labelSmoothing = 0): tf.Scalar {
  return tf.tidy(() => {
    const classes = ys.shape[ys.shape.length - 1];
    const targets = labelSmoothing > 0 ? tf.add(tf.mul(ys, 1 - labelSmoothing), labelSmoothing / classes) : ys;
    return tf.neg(tf.mean(tf.sum(tf.mul(targets, tf.log(tf.clipByValue(probs, EPSILON, 1))), -1))) as tf.Scalar;
  });
}

/** How many rows of `probs` put their highest probability on the true class of one-hot `ys`. */
export function correctCount(probs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1)), 'float32')) as tf.Scalar);
}

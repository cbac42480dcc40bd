/** The loss and the count of right answers of a batch, as tensors the training loop reads back in groups. */
import * as tf from '@tensorflow/tfjs';

/** Keras clips probabilities the same way before the logarithm, so a 0 never gives -Infinity. */
const EPSILON = 1e-7;

/** Mean categorical cross-entropy of softmax outputs `probs` [n, 10] against one-hot `ys`. */
export function crossEntropy(probs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(probs, EPSILON, 1))), -1))) as tf.Scalar);
}

/** How many rows of `probs` put their highest probability on the true class of one-hot `ys`. */
export function correctCount(probs: tf.Tensor, ys: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.sum(tf.cast(tf.equal(tf.argMax(probs, -1), tf.argMax(ys, -1)), 'float32')) as tf.Scalar);
}

/**
 * tfjs's BatchNormalization layer with a training step of fewer kernels. In training mode the
 * stock layer builds its output from tf.moments and tf.batchNorm and lets autodiff walk back
 * through every piece: about 52 kernels per layer and step (12 forward, 40 backward), each a
 * shader dispatch on WebGL and a pass over the activations on WASM. Here the layer is one
 * tf.customGrad op with the closed-form gradient of batch normalisation (Ioffe & Szegedy 2015):
 *
 *   x̂ = (x − μ) / sqrt(σ² + ε),   y = γ·x̂ + β          (μ, σ² over every axis but the channels)
 *   dβ = Σ dy,   dγ = Σ dy·x̂,   dx = γ / sqrt(σ² + ε) · (dy − dβ/N − x̂·dγ/N)
 *
 * Inference, saving and loading are the stock layer's: the class name stays 'BatchNormalization'
 * and the weights keep their names, so a saved model loads in plain tfjs.
 */
import * as tf from '@tensorflow/tfjs';

type BatchNormArgs = Parameters<typeof tf.layers.batchNormalization>[0];

/** The stock layer's fields this one reads (tfjs-layers does not export the class's type). */
interface StockBatchNorm {
  axis: number;
  momentum: number;
  epsilon: number;
  gamma?: { read(): tf.Tensor };
  beta?: { read(): tf.Tensor };
  movingMean: { read(): tf.Tensor; write(value: tf.Tensor): void };
  movingVariance: { read(): tf.Tensor; write(value: tf.Tensor): void };
  call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[];
}

/** tfjs-layers exports only a factory for the class; its constructor is the class. */
const Stock = tf.layers.batchNormalization({}).constructor as new (args?: BatchNormArgs) => tf.layers.Layer;

class FastBatchNormalization extends Stock {
  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as StockBatchNorm;
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const channelsLast = self.axis === -1 || self.axis === x.rank - 1;
    if (kwargs.training !== true || !channelsLast || !self.gamma || !self.beta) return super.call(inputs, kwargs);
    return tf.tidy(() => normalizeInTraining(self, x, self.gamma!.read(), self.beta!.read()));
  }
}

function normalizeInTraining(layer: StockBatchNorm, input: tf.Tensor, gammaIn: tf.Tensor, betaIn: tf.Tensor): tf.Tensor {
  const axes = Array.from({ length: input.rank - 1 }, (_, i) => i);
  const count = input.size / input.shape[input.rank - 1];
  const normalize = tf.customGrad((...args) => {
    const [x, gamma, beta] = args as tf.Tensor[];
    const save = args[3] as tf.GradSaveFunc;
    const mean = tf.mean(x, axes);
    const centered = tf.sub(x, mean);
    const variance = tf.mean(tf.square(centered), axes);
    const invStd = tf.rsqrt(tf.add(variance, layer.epsilon));
    const normed = tf.mul(centered, invStd);
    save([normed, invStd, gamma]);
    // The moving statistics move here, where the batch's own are at hand (as the stock layer does).
    for (const [moving, batch] of [
      [layer.movingMean, mean],
      [layer.movingVariance, variance],
    ] as const) {
      const old = moving.read();
      moving.write(tf.sub(old, tf.mul(tf.sub(old, batch), 1 - layer.momentum)));
    }
    return {
      value: tf.add(tf.mul(normed, gamma), beta),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xHat, invStdSaved, gammaSaved] = saved;
        const dBeta = tf.sum(dy, axes);
        const dGamma = tf.sum(tf.mul(dy, xHat), axes);
        const dx = tf.mul(tf.sub(tf.sub(dy, tf.div(dBeta, count)), tf.mul(xHat, tf.div(dGamma, count))), tf.mul(gammaSaved, invStdSaved));
        return [dx, dGamma, dBeta];
      },
    };
  });
  return normalize(input, gammaIn, betaIn);
}

/** A BatchNormalization layer (same arguments as tf.layers.batchNormalization) that trains faster. */
export function batchNormalization(args: BatchNormArgs): tf.layers.Layer {
  return new FastBatchNormalization(args);
}

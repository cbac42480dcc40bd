/**
 * tfjs's Conv2D layer, with its bias and ReLU fused into the convolution while it trains. The stock
 * layer fuses them only for inference: under a gradient tape tf.fused.conv2d falls back to three
 * ops (convolution, bias add, ReLU), each a pass over the activations (TinyVGG's bias adds alone
 * were 6% of a WASM step). Here the layer runs the backend's FusedConv2D kernel in both modes,
 * and a gradient registered for that kernel (tfjs has none: its fused op brings its own) takes the
 * convolution's gradients from the ReLU-masked dy. Only the inputs that need a gradient get one,
 * so a first layer's input gradient, which nothing uses, is never computed.
 *
 * Saving and loading are the stock layer's: the class name stays 'Conv2D'.
 */
import * as tf from '@tensorflow/tfjs';

type Conv2DArgs = Parameters<typeof tf.layers.conv2d>[0];
type Pad = 'valid' | 'same';

interface FusedConvAttrs {
  strides: [number, number];
  pad: Pad;
  dataFormat: 'NHWC';
  dilations: [number, number];
  activation: 'relu' | 'linear';
}

/** The stock layer's fields this one reads (tfjs-layers does not export the class's type). */
interface StockConv2D {
  rank: number;
  strides: number[];
  dilationRate: number | number[];
  padding: string;
  dataFormat: string;
  activation: { getClassName(): string };
  kernel: { read(): tf.Tensor };
  bias: { read(): tf.Tensor } | null;
}

let gradientRegistered = false;

/**
 * The gradient of FusedConv2D with a bias and a linear or ReLU activation, for dilation 1 (the
 * convolution gradient kernels take no dilation; the layer below sends nothing else here).
 */
function registerFusedConvGradient(): void {
  if (gradientRegistered) return;
  gradientRegistered = true;
  if (tf.getGradient('FusedConv2D') != null) return;
  tf.registerGradient({
    kernelName: 'FusedConv2D',
    inputsToSave: ['x', 'filter'],
    outputsToSave: [true],
    gradFunc: (dy, saved, attrs) => {
      const [x, filter, y] = saved;
      const { strides, pad, activation } = attrs as unknown as FusedConvAttrs;
      const dyPre = activation === 'relu' ? tf.mul(dy as tf.Tensor, tf.step(y)) : (dy as tf.Tensor);
      const convAttrs = { strides, pad, dataFormat: 'NHWC' } as const;
      return {
        x: () => tf.engine().runKernel('Conv2DBackpropInput', { dy: dyPre, filter }, { ...convAttrs, inputShape: x.shape }) as tf.Tensor,
        filter: () =>
          tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dyPre }, { ...convAttrs, filterShape: filter.shape }) as tf.Tensor,
        bias: () => tf.sum(dyPre, [0, 1, 2]),
      };
    },
  });
}

/** tfjs-layers exports only a factory for the class; its constructor is the class. */
const Stock = tf.layers.conv2d({ filters: 1, kernelSize: 1 }).constructor as new (args: Conv2DArgs) => tf.layers.Layer;

class FusedConv2D extends Stock {
  constructor(args: Conv2DArgs) {
    super(args);
    registerFusedConvGradient();
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>): tf.Tensor | tf.Tensor[] {
    const self = this as unknown as StockConv2D;
    const dilations = typeof self.dilationRate === 'number' ? [self.dilationRate, self.dilationRate] : self.dilationRate;
    const activation = self.activation.getClassName().toLowerCase();
    const fits =
      self.rank === 2 &&
      self.dataFormat === 'channelsLast' &&
      self.bias != null &&
      (activation === 'relu' || activation === 'linear') &&
      dilations.every((d) => d === 1) &&
      (self.padding === 'same' || self.padding === 'valid');
    if (!fits) return super.call(inputs, kwargs);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const attrs: FusedConvAttrs = {
      strides: [self.strides[0], self.strides[1]],
      pad: self.padding as Pad,
      dataFormat: 'NHWC',
      dilations: [1, 1],
      activation: activation as 'relu' | 'linear',
    };
    return tf
      .engine()
      .runKernel(
        'FusedConv2D',
        { x, filter: self.kernel.read(), bias: self.bias!.read() },
        attrs as unknown as tf.NamedAttrMap,
      ) as tf.Tensor;
  }
}

/** A Conv2D layer (same arguments as tf.layers.conv2d) whose bias and ReLU ride on the convolution. */
export function conv2d(args: Conv2DArgs): tf.layers.Layer {
  return new FusedConv2D(args);
}

/**
 * Adam with the same update as tf.train.adam (Kingma & Ba, bias-corrected moments), but one
 * kernel per weight tensor where the backend has ours (WebGL, WASM: src/core/kernels/adam-kernels.ts)
 * instead of tfjs's 14 kernels and six scalar uploads. Elsewhere (cpu) it runs the same formulas
 * as tensor ops. `learningRate` is a plain field, read at every step, so schedules can set it.
 *
 * With `weightDecay` > 0 it is AdamW (Loshchilov & Hutter, as PyTorch's torch.optim.AdamW): each
 * step also shrinks every weight that `decays` picks (by default the kernels of convolutions and
 * dense layers, not biases nor BatchNorm's γ and β) by learningRate × weightDecay of itself, in
 * the same kernel.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, registerAdamKernels, type AdamAttrs } from '../kernels/adam-kernels.ts';

/**
 * True for the kernels of convolutions and dense layers, by their tfjs variable name
 * ('conv2d_Conv2D3/kernel', 'dense_Dense1/kernel', '…/kernel_1' when a name was taken): the
 * weights decoupled weight decay shrinks. Biases, BatchNorm's gamma and beta (and its moving
 * statistics, which are not trained) are left alone, as is usual for AdamW.
 */
export function isDecayedWeight(name: string): boolean {
  return /(^|\/)kernel(_\d+)?$/.test(name);
}

export interface AdamOptions {
  beta1?: number;
  beta2?: number;
  /** tfjs's default for Adam: the backend's epsilon (1e-7 for float32). */
  epsilon?: number;
  /** Decoupled weight decay per step, as a fraction of the learning rate (0: plain Adam). */
  weightDecay?: number;
  /** Which weights, by variable name, weight decay applies to (default: isDecayedWeight). */
  decays?: (name: string) => boolean;
}

interface Slots {
  m: tf.Variable;
  v: tf.Variable;
}

export class FusedAdam extends tf.Optimizer {
  static get className(): string {
    // Not 'Adam': tfjs's serialization registry must not confuse the two.
    return 'PlaygroundAdam';
  }

  private readonly slots = new Map<string, Slots>();
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  /** Like learningRate, read at every step. */
  weightDecay: number;
  readonly decays: (name: string) => boolean;

  constructor(
    public learningRate: number,
    options: AdamOptions = {},
  ) {
    super();
    this.beta1 = options.beta1 ?? 0.9;
    this.beta2 = options.beta2 ?? 0.999;
    this.epsilon = options.epsilon ?? tf.backend().epsilon();
    this.weightDecay = options.weightDecay ?? 0;
    this.decays = options.decays ?? isDecayedWeight;
    registerAdamKernels();
  }

  override applyGradients(gradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named = Array.isArray(gradients) ? gradients.map(({ name, tensor }) => [name, tensor] as const) : Object.entries(gradients);
    const step = this.iterations + 1;
    const shared: AdamAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      firstScale: this.learningRate / (1 - this.beta1 ** step),
      secondScale: 1 / (1 - this.beta2 ** step),
      decay: 0,
    };
    const decayed: AdamAttrs = { ...shared, decay: this.learningRate * this.weightDecay };
    const fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) != null;
    for (const [name, gradient] of named) {
      if (gradient == null) continue;
      const weight = tf.engine().registeredVariables[name];
      const slots = this.slotsOf(name, weight);
      const attrs = this.weightDecay > 0 && this.decays(name) ? decayed : shared;
      tf.tidy(() => {
        const [w, m, v] = fused
          ? (tf
              .engine()
              .runKernel(
                ADAM_KERNEL,
                { w: weight, m: slots.m, v: slots.v, g: gradient },
                attrs as unknown as tf.NamedAttrMap,
              ) as tf.Tensor[])
          : adamOps(weight, slots, gradient, attrs);
        weight.assign(w);
        slots.m.assign(m);
        slots.v.assign(v);
      });
    }
    this.incrementIterations();
  }

  private slotsOf(name: string, weight: tf.Variable): Slots {
    let slots = this.slots.get(name);
    if (!slots) {
      slots = tf.tidy(() => ({ m: tf.zerosLike(weight).variable(false), v: tf.zerosLike(weight).variable(false) }));
      this.slots.set(name, slots);
    }
    return slots;
  }

  override dispose(): void {
    for (const { m, v } of this.slots.values()) tf.dispose([m, v]);
    this.slots.clear();
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon, weightDecay: this.weightDecay };
  }
}

/** The kernel's formulas as tensor ops, for backends without the kernel. */
function adamOps(w: tf.Tensor, slots: Slots, g: tf.Tensor, a: AdamAttrs): tf.Tensor[] {
  const m = tf.add(tf.mul(slots.m, a.beta1), tf.mul(g, 1 - a.beta1));
  const v = tf.add(tf.mul(slots.v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
  const update = tf.div(tf.mul(m, a.firstScale), tf.add(tf.sqrt(tf.mul(v, a.secondScale)), a.epsilon));
  const decayed = a.decay > 0 ? tf.sub(w, tf.mul(w, a.decay)) : w;
  return [tf.sub(decayed, update), m, v];
}

/**
 * Adam with the same update as tf.train.adam (Kingma & Ba, bias-corrected moments), but one
 * kernel per weight tensor where the backend has ours (WebGL, WASM: src/core/kernels/adam-kernels.ts)
 * instead of tfjs's 14 kernels and six scalar uploads. Elsewhere (cpu) it runs the same formulas
 * as tensor ops. `learningRate` is a plain field, read at every step, so schedules can set it.
 */
import * as tf from '@tensorflow/tfjs';
import { ADAM_KERNEL, registerAdamKernels, type AdamAttrs } from '../kernels/adam-kernels.ts';

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

  constructor(
    public learningRate: number,
    readonly beta1 = 0.9,
    readonly beta2 = 0.999,
    /** tfjs's default for Adam: the backend's epsilon (1e-7 for float32). */
    readonly epsilon = tf.backend().epsilon(),
  ) {
    super();
    registerAdamKernels();
  }

  override applyGradients(gradients: tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[]): void {
    const named = Array.isArray(gradients)
      ? gradients.map(({ name, tensor }) => [name, tensor] as const)
      : Object.entries(gradients);
    const step = this.iterations + 1;
    const attrs: AdamAttrs = {
      beta1: this.beta1,
      beta2: this.beta2,
      epsilon: this.epsilon,
      firstScale: this.learningRate / (1 - this.beta1 ** step),
      secondScale: 1 / (1 - this.beta2 ** step),
    };
    const fused = tf.getKernel(ADAM_KERNEL, tf.getBackend()) != null;
    for (const [name, gradient] of named) {
      if (gradient == null) continue;
      const weight = tf.engine().registeredVariables[name];
      const slots = this.slotsOf(name, weight);
      tf.tidy(() => {
        const [w, m, v] = fused
          ? (tf.engine().runKernel(ADAM_KERNEL, { w: weight, m: slots.m, v: slots.v, g: gradient }, attrs as unknown as tf.NamedAttrMap) as tf.Tensor[])
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
    return { learningRate: this.learningRate, beta1: this.beta1, beta2: this.beta2, epsilon: this.epsilon };
  }
}

/** The kernel's formulas as tensor ops, for backends without the kernel. */
function adamOps(w: tf.Tensor, slots: Slots, g: tf.Tensor, a: AdamAttrs): tf.Tensor[] {
  const m = tf.add(tf.mul(slots.m, a.beta1), tf.mul(g, 1 - a.beta1));
  const v = tf.add(tf.mul(slots.v, a.beta2), tf.mul(tf.square(g), 1 - a.beta2));
  const update = tf.div(tf.mul(m, a.firstScale), tf.add(tf.sqrt(tf.mul(v, a.secondScale)), a.epsilon));
  return [tf.sub(w, update), m, v];
}

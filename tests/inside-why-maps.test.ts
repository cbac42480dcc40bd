/**
 * The why maps (Grad-CAM and SmoothGrad) on a tiny model built here, whose score for the class
 * explained depends only on the top-right quadrant of the picture. Both maps must put their heat
 * there: a gradient of the wrong sign, of the softmax output instead of the logit (this model is
 * so sure of another class that the explained class's probability is exactly 0, and so is its
 * gradient), or a map transposed on its way to the picture all fail.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelInspector } from '../src/core/inside/inspector.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SIZE = 28;
const EXPLAINED = 0;
const SURE = 1;
const inTopRight = (y: number, x: number, size: number) => y < size / 2 && x >= size / 2;

/**
 * conv 3×3 (two filters reading only the centre pixel: channel 0 fires on bright pixels above
 * 0.7, channel 1 on anything above 0.2) → max-pool 2 → conv 1×1 (passes both channels on) →
 * dense 10 with softmax. Class 0 adds up channel 0 over the top-right quadrant of the 14×14 map;
 * class 1 has a bias so large that it always wins outright.
 */
function quadrantModel(): tf.Sequential {
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [SIZE, SIZE, 1], filters: 2, kernelSize: 3, padding: 'same', activation: 'relu', name: 'first' }),
      tf.layers.maxPooling2d({ poolSize: 2, strides: 2 }),
      tf.layers.conv2d({ filters: 2, kernelSize: 1, activation: 'relu', name: 'second' }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
  const k1 = new Float32Array(3 * 3 * 2);
  k1[(1 * 3 + 1) * 2 + 0] = 1;
  k1[(1 * 3 + 1) * 2 + 1] = 1;
  const half = SIZE / 2;
  const dense = new Float32Array(half * half * 2 * 10);
  for (let y = 0; y < half; y++)
    for (let x = 0; x < half; x++) if (inTopRight(y, x, half)) dense[((y * half + x) * 2 + 0) * 10 + EXPLAINED] = 0.05;
  const bias = new Float32Array(10);
  bias[SURE] = 1000;
  model.setWeights([
    tf.tensor4d(k1, [3, 3, 1, 2]),
    tf.tensor1d([-0.7, -0.2]),
    tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2]),
    tf.zeros([2]),
    tf.tensor2d(dense, [half * half * 2, 10]),
    tf.tensor1d(bias),
  ]);
  return model;
}

/** Ink everywhere: bright (0.9–1) in the top-right quadrant, dim (0.3–0.6) elsewhere. */
function picture(): Uint8Array {
  const image = new Uint8Array(SIZE * SIZE);
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) {
      const wobble = ((x * 7 + y * 13) % 10) / 10;
      image[y * SIZE + x] = Math.round(255 * (inTopRight(y, x, SIZE) ? 0.9 + 0.1 * wobble : 0.3 + 0.3 * wobble));
    }
  return image;
}

/** The share of a 28×28 map's total in each quadrant: top-left, top-right, bottom-left, bottom-right. */
function quadrantShares(values: Float32Array): number[] {
  const sums = [0, 0, 0, 0];
  for (let y = 0; y < SIZE; y++)
    for (let x = 0; x < SIZE; x++) sums[(y < SIZE / 2 ? 0 : 2) + (x < SIZE / 2 ? 0 : 1)] += values[y * SIZE + x];
  const total = sums.reduce((a, b) => a + b, 0);
  return sums.map((s) => (total > 0 ? s / total : 0));
}

describe('why maps on a model that looks only at the top-right quadrant', () => {
  it('the model is sure of another class: the explained class has probability 0 (softmax gradients would be 0)', async () => {
    const model = quadrantModel();
    const view = await new ModelInspector(model).inspect(picture(), { explainClass: EXPLAINED });
    expect(view.probabilities[SURE]).toBe(1);
    expect(view.probabilities[EXPLAINED]).toBe(0);
    // The default class is the top answer.
    expect((await new ModelInspector(model).inspect(picture())).why.classIndex).toBe(SURE);
    model.dispose();
  });

  it('Grad-CAM at the default layer (the last convolution with a map of at least 7×7) is in the top-right quadrant', async () => {
    const model = quadrantModel();
    const inspector = new ModelInspector(model);
    expect(inspector.defaultCam?.name).toBe('second');
    const { why } = await inspector.inspect(picture(), { explainClass: EXPLAINED });
    const cam = why.gradCam!;
    expect(cam.stage.name).toBe('second');
    expect([cam.height, cam.width]).toEqual([14, 14]);
    expect(cam.peak).toBeGreaterThan(0);
    const [topLeft, topRight, bottomLeft, bottomRight] = quadrantShares(cam.values);
    expect(topRight).toBeGreaterThan(0.9);
    expect(Math.max(topLeft, bottomLeft, bottomRight)).toBeLessThan(0.05);
    expect(Math.max(...cam.values)).toBeCloseTo(1, 5);
    model.dispose();
  });

  it('Grad-CAM at a chosen layer (the first convolution, 28×28) is in the top-right quadrant too', async () => {
    const model = quadrantModel();
    const { why } = await new ModelInspector(model).inspect(picture(), { explainClass: EXPLAINED, camLayer: 'first' });
    expect(why.gradCam!.stage.name).toBe('first');
    expect(quadrantShares(why.gradCam!.values)[1]).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('SmoothGrad is in the top-right quadrant', async () => {
    const model = quadrantModel();
    const { why } = await new ModelInspector(model).inspect(picture(), { explainClass: EXPLAINED });
    expect(why.smoothGrad.peak).toBeGreaterThan(0);
    expect(quadrantShares(why.smoothGrad.values)[1]).toBeGreaterThan(0.9);
    model.dispose();
  });

  it('a class whose score nothing in the picture raises gets empty maps, not noise scaled up', async () => {
    const model = quadrantModel();
    const { why } = await new ModelInspector(model).inspect(picture(), { explainClass: 5 });
    expect(why.gradCam!.peak).toBe(0);
    expect(why.smoothGrad.peak).toBe(0);
    expect(Math.max(...why.smoothGrad.values)).toBe(0);
    model.dispose();
  });

  it('refuses a class or a layer that does not exist, saying which', async () => {
    const model = quadrantModel();
    const inspector = new ModelInspector(model);
    await expect(inspector.inspect(picture(), { explainClass: 10 })).rejects.toThrow(
      'explainClass must be a class index from 0 to 9, got 10',
    );
    await expect(inspector.inspect(picture(), { camLayer: 'nope' })).rejects.toThrow('there is no convolution layer named nope');
    await expect(inspector.inspect(new Uint8Array(5))).rejects.toThrow('image has 5 bytes');
    model.dispose();
  });
});

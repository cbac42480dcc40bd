/**
 * "Inside the model" activations and weights: every stage's feature maps equal a probe model's
 * built here from the layer outputs, strongest maps first; the first convolution's kernels and
 * the later layers' weight histograms come straight from the weights; and nothing leaks across
 * 100 updates.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ModelInspector } from '../src/core/inside/inspector.ts';
import { InsideError, modelStages } from '../src/core/inside/model-stages.ts';
import { HISTOGRAM_BINS, weightViews } from '../src/core/inside/weights.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { setupBackend } from '../scripts/lib/backend.ts';

beforeAll(async () => {
  // WebAssembly, as the page's classifier runs it (the cpu backend takes seconds per SmoothGrad).
  await setupBackend('wasm');
});

/** A shirt-like blob with some texture. */
function picture(shift = 0): Uint8Array {
  const image = new Uint8Array(784);
  for (let y = 4; y < 24; y++) for (let x = 6 + shift; x < 22 + shift; x++) image[y * 28 + x] = 120 + ((x * 31 + y * 17) % 135);
  return image;
}

const largestDifference = (a: ArrayLike<number>, b: ArrayLike<number>) =>
  Array.from(a, (v, i) => Math.abs(v - b[i])).reduce((m, d) => Math.max(m, d), 0);

/** A small CNN (two narrow convolutions, pooling, a dense head), so that 100 updates run quickly. */
function smallCnn(): tf.Sequential {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 8, activation: 'relu' }),
      tf.layers.dense({ units: 10, activation: 'softmax' }),
    ],
  });
}

describe('stages of a model', () => {
  it('names convolutions (after their BatchNorm and ReLU), pooling and dense layers in plain words', () => {
    const model = createModel('default');
    const { stages, logitIndex, logitLayerHasSoftmax } = modelStages(model);
    expect(stages.map((s) => s.label)).toEqual([
      'convolution 1',
      'pooling 1',
      'convolution 2',
      'pooling 2',
      'convolution 3',
      'dense 1',
      'dense 2',
    ]);
    const classes = (i: number) => model.layers[i].getClassName();
    expect(stages.filter((s) => s.kind === 'conv').map((s) => classes(s.outputIndex))).toEqual(['Activation', 'Activation', 'Activation']);
    expect(stages.map((s) => s.shape)).toEqual([[28, 28, 16], [14, 14, 16], [14, 14, 32], [7, 7, 32], [7, 7, 64], [128], [10]]);
    expect(logitIndex).toBe(model.layers.length - 1);
    expect(logitLayerHasSoftmax).toBe(true);
    model.dispose();
  });

  it('refuses a model whose layers branch, saying why', () => {
    const input = tf.input({ shape: [28, 28, 1] });
    const flat = tf.layers.flatten().apply(input) as tf.SymbolicTensor;
    const a = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
    const b = tf.layers.dense({ units: 10 }).apply(flat) as tf.SymbolicTensor;
    const out = tf.layers.activation({ activation: 'softmax' }).apply(tf.layers.add().apply([a, b])) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: out });
    expect(() => modelStages(model)).toThrow(InsideError);
    expect(() => modelStages(model)).toThrow('single chain');
    model.dispose();
  });
});

describe('activations', () => {
  it('equal a probe model built from the layer outputs, strongest maps first, and the logits give the probabilities', async () => {
    const model = createModel('default', 7);
    const inspector = new ModelInspector(model);
    const image = picture();
    const view = await inspector.inspect(image);
    const input = tf.tensor4d(
      Float32Array.from(image, (v) => v / 255),
      [1, 28, 28, 1],
    );
    for (const maps of view.maps) {
      const probe = tf.model({ inputs: model.inputs, outputs: model.layers[maps.stage.outputIndex].output as tf.SymbolicTensor });
      const expected = tf.tidy(() => tf.transpose((probe.predict(input) as tf.Tensor).squeeze([0]), [2, 0, 1]).dataSync());
      expect(maps.values.length).toBe(expected.length);
      expect(largestDifference(maps.values, expected)).toBeLessThan(1e-4);
      const strengths = maps.order.map((c) => maps.strength[c]);
      expect(strengths).toEqual([...strengths].sort((a, b) => b - a));
      const size = maps.height * maps.width;
      const mean = maps.values.subarray(maps.order[0] * size, (maps.order[0] + 1) * size).reduce((s, v) => s + v, 0) / size;
      expect(maps.strength[maps.order[0]]).toBeCloseTo(mean, 4);
    }
    const [hidden, last] = view.dense;
    expect(hidden.logits).toBe(false);
    const hiddenProbe = tf.model({ inputs: model.inputs, outputs: model.layers[hidden.stage.outputIndex].output as tf.SymbolicTensor });
    const expectedHidden = tf.tidy(() => (hiddenProbe.predict(input) as tf.Tensor).dataSync());
    expect(largestDifference(hidden.values, expectedHidden)).toBeLessThan(1e-4);
    expect(last.logits).toBe(true);
    const softmax = tf.tidy(() => tf.softmax(tf.tensor1d(last.values)).dataSync());
    const probabilities = tf.tidy(() => (model.predict(input) as tf.Tensor).dataSync());
    for (let c = 0; c < 10; c++) {
      expect(softmax[c]).toBeCloseTo(probabilities[c], 5);
      expect(view.probabilities[c]).toBeCloseTo(probabilities[c], 5);
    }
    input.dispose();
    model.dispose();
  });

  it('a dense-only model has bars and a SmoothGrad map but no Grad-CAM', async () => {
    const model = createModel('dense');
    const view = await new ModelInspector(model).inspect(picture());
    expect(view.maps).toEqual([]);
    expect(view.dense.map((d) => [d.stage.label, d.values.length, d.logits])).toEqual([
      ['dense 1', 128, false],
      ['dense 2', 10, true],
    ]);
    expect(view.why.gradCam).toBeNull();
    expect(view.why.smoothGrad.values).toHaveLength(784);
    model.dispose();
  });
});

describe('weights', () => {
  it("draws the first convolution's kernels and histograms the later layers' weights", async () => {
    const model = createModel('default', 3);
    const views = await weightViews(model, modelStages(model));
    const kernel = model.layers[0].getWeights()[0].arraySync() as number[][][][];
    const filters = views.filters!;
    expect([filters.stage.label, filters.height, filters.width, filters.count]).toEqual(['convolution 1', 3, 3, 16]);
    expect(filters.values[(5 * 3 + 2) * 3 + 1]).toBeCloseTo(kernel[2][1][0][5], 6);
    expect(views.histograms.map((h) => h.stage.label)).toEqual(['convolution 2', 'convolution 3', 'dense 1', 'dense 2']);
    const conv2 = views.histograms[0];
    expect(conv2.counts).toHaveLength(HISTOGRAM_BINS);
    expect(conv2.total).toBe(3 * 3 * 16 * 32);
    expect(conv2.counts.reduce((a, b) => a + b, 0)).toBe(conv2.total);
    model.dispose();
  });
});

describe('memory', () => {
  it('a model looked into once per epoch still frees all its weights when disposed', async () => {
    const { lookInsideOnce } = await import('../src/core/inside/look-inside.ts');
    const before = tf.memory().numTensors;
    const model = smallCnn();
    for (let epoch = 0; epoch < 3; epoch++) await lookInsideOnce(model, picture(epoch));
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the tensor count flat across 100 updates of the shipped architecture (activations, Grad-CAM, SmoothGrad, weights)', async () => {
    const model = createModel('default');
    const inspector = new ModelInspector(model);
    const stages = modelStages(model);
    await inspector.inspect(picture());
    await weightViews(model, stages);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 100; i++) {
      await inspector.inspect(picture(i % 5), { explainClass: i % 10, camLayer: i % 2 ? inspector.camStages[0].name : null });
      if (i % 10 === 0) await weightViews(model, stages);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});

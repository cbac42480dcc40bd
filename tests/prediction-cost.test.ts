/**
 * What one answer costs, from a model.json's topology alone (src/core/prediction-cost.ts): every
 * model of the zoo and both shipped ones are well within the limit; a model that is cheap to load
 * but costly to run (an UpSampling2D of 100 × 100 on the input) is refused before anything is
 * built, saying what it would cost against the limit; so is one whose cost cannot be worked out.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCheckedModel, ModelCheckError, modelToData, type ModelData } from '../src/core/model-check.ts';
import { MODEL_NAMES } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { checkPredictionCost, COST_LIMIT, predictionCost } from '../src/core/prediction-cost.ts';

/** The issue's model: 28×28 input enlarged `size` times, one 3×3 filter, global average pooling, Dense(10). */
async function upsampled(size: number, functional = false): Promise<ModelData> {
  const layers = () => [
    tf.layers.upSampling2d({ size: [size, size] }),
    tf.layers.conv2d({ filters: 1, kernelSize: 3 }),
    tf.layers.globalAveragePooling2d({}),
    tf.layers.dense({ units: 10, activation: 'softmax' }),
  ];
  let model: tf.LayersModel;
  if (functional) {
    const input = tf.input({ shape: [28, 28, 1] });
    model = tf.model({ inputs: input, outputs: layers().reduce<tf.SymbolicTensor>((x, l) => l.apply(x) as tf.SymbolicTensor, input) });
  } else {
    model = tf.sequential({ layers: [tf.layers.inputLayer({ inputShape: [28, 28, 1] }), ...layers()] });
  }
  try {
    return await modelToData(model);
  } finally {
    model.dispose();
  }
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('prediction cost', () => {
  it('counts every model of the zoo and both shipped ones, each well within the limit', async () => {
    const totals: Record<string, number> = {};
    for (const name of MODEL_NAMES) {
      const model = createModel(name, 1);
      const cost = predictionCost((await modelToData(model)).modelTopology);
      model.dispose();
      expect(cost.unknown, name).toBeNull();
      totals[name] = cost.total;
    }
    for (const dir of ['default', 'dense']) {
      const cost = predictionCost(JSON.parse(readFileSync(`public/models/${dir}/model.json`, 'utf8')).modelTopology);
      expect(cost.unknown, dir).toBeNull();
      totals[`shipped ${dir}`] = cost.total;
    }
    console.log(
      `[prediction-cost] ${Object.entries(totals)
        .map(([n, t]) => `${n} ${(t / 1e6).toFixed(2)}M`)
        .join(', ')}; limit ${COST_LIMIT / 1e6}M`,
    );
    for (const [name, total] of Object.entries(totals)) expect(total, name).toBeLessThan(COST_LIMIT / 2);
    // Exact where it is easy to check by hand: the dense baseline's 784×128 + 128×10 multiply-adds.
    const dense = createModel('dense', 1);
    expect(predictionCost((await modelToData(dense)).modelTopology).macs).toBe(784 * 128 + 128 * 10);
    dense.dispose();
  });

  it('refuses, before building anything, a model cheap to load but costly to run, saying what it costs against the limit', async () => {
    const attack = await upsampled(100);
    // 2800×2800 values enlarged, 2798×2798 positions of a 3×3 filter, and the rest.
    const cost = predictionCost(attack.modelTopology);
    expect(cost.macs).toBe(2798 * 2798 * 9 + 2798 * 2798 + 10);
    expect(cost.total).toBeGreaterThan(COST_LIMIT);
    const message =
      /^answering one picture with it would take 94 million operations \(multiply-adds and values computed, layer "[^"]+" alone 78\.3 million\), over this page's limit of 64 million: each answer would take seconds and hold up the page$/;
    expect(() => checkPredictionCost(attack.modelTopology)).toThrow(message);
    const before = tf.memory().numTensors;
    await expect(loadCheckedModel(attack)).rejects.toThrow(ModelCheckError);
    await expect(loadCheckedModel(attack)).rejects.toThrow(message);
    expect(tf.memory().numTensors).toBe(before);
    // The same layers as a functional model.
    const functional = await upsampled(100, true);
    expect(() => checkPredictionCost(functional.modelTopology)).toThrow(message);
    // Enlarged 80 times it costs 60 million: slow, but allowed.
    const slow = await upsampled(80);
    expect(predictionCost(slow.modelTopology).total).toBeLessThan(COST_LIMIT);
    const model = await loadCheckedModel(slow);
    model.dispose();
  });

  it('refuses a model whose cost it cannot work out, naming the layer', async () => {
    const model = tf.sequential({
      layers: [
        tf.layers.reshape({ inputShape: [28, 28, 1], targetShape: [28, 28] }),
        tf.layers.lstm({ units: 8, returnSequences: true }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    const data = await modelToData(model);
    model.dispose();
    expect(predictionCost(data.modelTopology).unknown).toMatchObject({ className: 'LSTM' });
    expect(() => checkPredictionCost(data.modelTopology)).toThrow(
      /^this page cannot work out what answering a picture with it costs: it cannot tell the shape that layer "[^"]+" \(LSTM\) outputs$/,
    );
  });
});

/** Checking model files (src/core/model-check.ts): what fits is accepted with the same predictions, what does not is refused with a reason. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyImage } from '../src/core/classify-image.ts';
import { declaredWeights } from '../src/core/declared-weights.ts';
import {
  assembleModelData,
  checkDeclaredWeights,
  expectedWeightBytes,
  findNonFiniteWeight,
  loadCheckedModel,
  ModelCheckError,
  modelJsonText,
  modelToData,
  parseModelJson,
  type ModelData,
} from '../src/core/model-check.ts';
import { MODEL_NAMES } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';

const DENSE = 'public/models/dense';
const bytes = (path: string): ArrayBuffer => {
  const b = readFileSync(path);
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;
};

/** A small model with the given input shape, units and last activation, as plain data. */
async function tinyModel(inputShape: number[], units: number, activation: 'softmax' | 'linear' = 'softmax'): Promise<ModelData> {
  const dense = tf.layers.dense({ units, activation, kernelInitializer: 'ones' });
  const model = tf.sequential({
    layers: inputShape.length > 1 ? [tf.layers.flatten({ inputShape }), dense] : [tf.layers.dense({ inputShape, units, activation })],
  });
  try {
    return await modelToData(model);
  } finally {
    model.dispose();
  }
}

/** model.json text + weight files for `data`, as the page's Load model receives them. */
const asFiles = (data: ModelData) => ({
  json: parseModelJson(modelJsonText(data)),
  files: new Map([['weights.bin', data.weightData]]),
});

async function rejection(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCheckError);
    return (error as Error).message;
  }
  throw new Error('expected a rejection');
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('model check', () => {
  it('accepts the shipped dense model from its files, with the same predictions', async () => {
    const json = parseModelJson(readFileSync(`${DENSE}/model.json`, 'utf8'));
    const data = assembleModelData(json, new Map([['weights.bin', bytes(`${DENSE}/weights.bin`)]]));
    expect(data.weightData.byteLength).toBe(407_080);
    expect(expectedWeightBytes(data.weightSpecs)).toBe(407_080);
    const model = await loadCheckedModel(data);
    // Saved again as data and built again: a lossless round trip.
    const again = await loadCheckedModel(await modelToData(model));
    const image = new Uint8Array(784).map((_, i) => (i * 37) % 256);
    expect(Array.from(await classifyImage(again, image))).toEqual(Array.from(await classifyImage(model, image)));
    model.dispose();
    again.dispose();
  });

  it('saves a zoo model with seeded dropout as stock Dropout layers, and loads it back', async () => {
    const model = createModel('keras-cnn', 2);
    const data = await modelToData(model);
    const layers = (data.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
    const dropouts = layers.filter((l) => l.class_name === 'Dropout');
    expect(dropouts.map((l) => l.config.rate)).toEqual([0.3, 0.3, 0.5]);
    expect(dropouts.every((l) => l.config.seed === undefined || l.config.seed === null)).toBe(true);
    // Through model.json text, as a download would go.
    const { json, files } = asFiles(data);
    const loaded = await loadCheckedModel(assembleModelData(json, files));
    expect(loaded.layers.filter((l) => l.getClassName() === 'Dropout')).toHaveLength(3);
    const image = new Uint8Array(784).map((_, i) => (i * 53) % 256);
    expect(Array.from(await classifyImage(loaded, image))).toEqual(Array.from(await classifyImage(model, image)));
    model.dispose();
    loaded.dispose();
  });

  it('names the weights file whose size does not fit', () => {
    const json = parseModelJson(readFileSync(`${DENSE}/model.json`, 'utf8'));
    const short = bytes(`${DENSE}/weights.bin`).slice(0, 1200);
    expect(() => assembleModelData(json, new Map([['weights.bin', short]]))).toThrow('weights.bin has 1200 bytes, model.json needs 407080');
    expect(() => assembleModelData(json, new Map())).toThrow('model.json needs the weights file weights.bin');
  });

  it('rejects a model whose input is not 28×28×1', async () => {
    const { json, files } = asFiles(await tinyModel([32, 32, 3], 10));
    expect(await rejection(loadCheckedModel(assembleModelData(json, files)))).toBe('expects input 28×28×1, this model takes 32×32×3');
    const flat = asFiles(await tinyModel([784], 10));
    expect(await rejection(loadCheckedModel(assembleModelData(flat.json, flat.files)))).toBe('expects input 28×28×1, this model takes 784');
  });

  it('rejects a model without ten softmax outputs', async () => {
    const five = asFiles(await tinyModel([28, 28, 1], 5));
    expect(await rejection(loadCheckedModel(assembleModelData(five.json, five.files)))).toBe('10 outputs expected, got 5');
    const logits = asFiles(await tinyModel([28, 28, 1], 10, 'linear'));
    expect(await rejection(loadCheckedModel(assembleModelData(logits.json, logits.files)))).toMatch(/must end in softmax.*ends in linear/);
  });

  it('accepts a good tiny model and leaks nothing while checking', async () => {
    const good = asFiles(await tinyModel([28, 28, 1], 10));
    const before = tf.memory().numTensors;
    const model = await loadCheckedModel(assembleModelData(good.json, good.files));
    model.dispose();
    const bad = asFiles(await tinyModel([28, 28, 1], 5));
    await rejection(loadCheckedModel(assembleModelData(bad.json, bad.files)));
    expect(tf.memory().numTensors).toBe(before);
  });

  it('says what a file that is not a layers model is', () => {
    expect(() => parseModelJson('{"nope": 1')).toThrow('model.json is not a Keras/tfjs layers model: it is not valid JSON');
    expect(() => parseModelJson('[1, 2]')).toThrow(/not a Keras\/tfjs layers model/);
    expect(() => parseModelJson('{"modelTopology": {}}')).toThrow(/not a Keras\/tfjs layers model: it has no valid "weightsManifest"/);
    expect(() => parseModelJson('{"format": "graph-model", "modelTopology": {}}', 'm.json')).toThrow(/m\.json is a tfjs graph model/);
    expect(() => parseModelJson('{"weightsManifest": []}')).toThrow(/no "modelTopology"/);
  });

  it('rejects a topology tfjs cannot build', async () => {
    const json = parseModelJson('{"modelTopology": {"class_name": "Nonsense", "config": {}}, "weightsManifest": []}');
    expect(await rejection(loadCheckedModel(assembleModelData(json, new Map())))).toMatch(
      /^not a Keras\/tfjs layers model this app can build/,
    );
  });

  it('counts the weights a topology declares: exactly for every zoo model and both shipped ones', async () => {
    for (const name of MODEL_NAMES) {
      const model = createModel(name, 1);
      const data = await modelToData(model);
      expect(declaredWeights(data.modelTopology).total, name).toBe(model.countParams());
      model.dispose();
    }
    for (const dir of ['public/models/default', 'public/models/dense']) {
      const json = parseModelJson(readFileSync(`${dir}/model.json`, 'utf8'));
      const present = json.weightsManifest.flatMap((g) => g.weights).reduce((n, w) => n + w.shape.reduce((p, d) => p * d, 1), 0);
      expect(declaredWeights(json.modelTopology).total, dir).toBe(present);
    }
  });

  it('refuses, before building anything, a model.json that declares far more weights than its file holds', async () => {
    const good = await tinyModel([28, 28, 1], 10);
    // The same weights file under a topology whose first Dense has a million units: tfjs would
    // allocate 784 million weights (3.1 GB) before finding out they do not fit.
    const topology = structuredClone(good.modelTopology) as { config: { layers: { class_name: string; config: { units?: number } }[] } };
    topology.config.layers.find((l) => l.class_name === 'Dense')!.config.units = 1_000_000;
    const huge: ModelData = { ...good, modelTopology: topology };
    expect(() => checkDeclaredWeights(huge)).toThrow(
      'its layers declare 785,000,000 weights (3.1 GB as float32), its weights hold 7,850 (31,400 bytes): model.json and the weights do not belong together',
    );
    const before = tf.memory();
    expect(await rejection(loadCheckedModel(huge))).toMatch(/^its layers declare 785,000,000 weights .* its weights hold 7,850/);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    // A functional model is counted too.
    const input = tf.input({ shape: [28, 28, 1] });
    const functional = tf.model({
      inputs: input,
      outputs: tf.layers.dense({ units: 10, activation: 'softmax' }).apply(tf.layers.flatten().apply(input)) as tf.SymbolicTensor,
    });
    const fdata = await modelToData(functional);
    expect(declaredWeights(fdata.modelTopology).total).toBe(7850);
    functional.dispose();
  });

  it('frees everything a failing load built: weights of the wrong shape, a layer that cannot be built', async () => {
    const good = await tinyModel([28, 28, 1], 10);
    const before = tf.memory();
    // The kernel's shape swapped in the specs: as many weights, but they do not fit the layers.
    const swapped: ModelData = {
      ...good,
      weightSpecs: good.weightSpecs.map((s) => (s.shape.length === 2 ? { ...s, shape: [s.shape[1], s.shape[0]] } : s)),
    };
    expect(await rejection(loadCheckedModel(swapped))).toMatch(/^its weights do not fit its layers: /);
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
    // A layer tfjs cannot build (an activation it does not know), after the Dense layer it has built already.
    const topology = structuredClone(good.modelTopology) as { config: { layers: unknown[] } };
    topology.config.layers.push({ class_name: 'Activation', config: { name: 'nonsense', activation: 'nonsense', trainable: true } });
    expect(await rejection(loadCheckedModel({ ...good, modelTopology: topology }))).toMatch(
      /^not a Keras\/tfjs layers model this app can build/,
    );
    expect(tf.memory().numTensors).toBe(before.numTensors);
    expect(tf.memory().numBytes).toBe(before.numBytes);
  });

  it('frees the weight a layer made before tfjs refused its name, at every try', async () => {
    const good = await tinyModel([28, 28, 1], 10);
    // A Dense layer named "my dense" (a space, or HTML, in its name): tfjs makes the kernel's
    // initial value, then refuses the name "my dense/kernel".
    const dense = (good.modelTopology as { config: { layers: { class_name: string; config: { name: string } }[] } }).config.layers.find(
      (l) => l.class_name === 'Dense',
    )!;
    const renamed = (text: string) => text.split(dense.config.name).join('my dense');
    const bad: ModelData = {
      modelTopology: JSON.parse(renamed(JSON.stringify(good.modelTopology))) as object,
      weightSpecs: good.weightSpecs.map((s) => ({ ...s, name: renamed(s.name) })),
      weightData: good.weightData,
    };
    const before = tf.memory();
    for (let attempt = 0; attempt < 3; attempt++) {
      expect(await rejection(loadCheckedModel(bad))).toMatch(/^not a Keras\/tfjs layers model this app can build: .*my dense/);
      expect(tf.memory().numTensors, `attempt ${attempt + 1}`).toBe(before.numTensors);
      expect(tf.memory().numBytes).toBe(before.numBytes);
    }
    // A good model still builds and predicts afterwards, and frees all it holds.
    const model = await loadCheckedModel(good);
    expect(await classifyImage(model, new Uint8Array(784))).toHaveLength(10);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before.numTensors);
  });

  it('refuses NaN or infinite weights, naming the first', async () => {
    const good = await tinyModel([28, 28, 1], 10);
    expect(findNonFiniteWeight(good)).toBeNull();
    const weights = new Float32Array(good.weightData.slice(0));
    const bias = good.weightSpecs.findIndex((s) => s.shape.length === 1);
    const biasStart = expectedWeightBytes(good.weightSpecs.slice(0, bias)) / 4;
    weights[biasStart + 3] = NaN;
    weights[biasStart + 5] = Infinity;
    const bad: ModelData = { ...good, weightData: weights.buffer };
    const name = good.weightSpecs[bias].name;
    expect(findNonFiniteWeight(bad)).toEqual({ name, index: 3, size: 10, value: NaN });
    const before = tf.memory().numTensors;
    expect(await rejection(loadCheckedModel(bad))).toBe(
      `its weights are not all finite numbers: weight "${name}" holds NaN (value 4 of 10), so it would answer NaN`,
    );
    expect(tf.memory().numTensors).toBe(before);
    weights[biasStart + 3] = 0;
    expect(findNonFiniteWeight(bad)).toEqual({ name, index: 5, size: 10, value: Infinity });
    // float16-quantized weights: 0x7e00 is a NaN.
    const half: ModelData = {
      modelTopology: {},
      weightSpecs: [{ name: 'w', shape: [2], dtype: 'float32', quantization: { dtype: 'float16' } } as tf.io.WeightsManifestEntry],
      weightData: Uint16Array.of(0x3c00, 0xfc00).buffer,
    };
    expect(findNonFiniteWeight(half)).toEqual({ name: 'w', index: 1, size: 2, value: -Infinity });
  });
});

/** Checking model files (src/core/model-check.ts): what fits is accepted with the same predictions, what does not is refused with a reason. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { classifyImage } from '../src/core/classify-image.ts';
import {
  assembleModelData,
  expectedWeightBytes,
  loadCheckedModel,
  ModelCheckError,
  modelJsonText,
  modelToData,
  parseModelJson,
  type ModelData,
} from '../src/core/model-check.ts';
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
    expect(await rejection(loadCheckedModel(assembleModelData(json, new Map())))).toMatch(/^not a Keras\/tfjs layers model this app can build/);
  });
});

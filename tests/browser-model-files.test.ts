/**
 * Load model's file matching (src/app/classify/browser-model-files.ts) in Node: the files a person
 * picks are told apart by content and size, not by name, so a browser's renamed second download
 * ("model (1).json" + "weights (1).bin") loads, and what does not fit is said plainly.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readModelFiles } from '../src/app/classify/browser-model-files.ts';
import { ModelCheckError } from '../src/core/model-json.ts';

const DENSE = 'public/models/dense';
const modelJson = readFileSync(`${DENSE}/model.json`, 'utf8');
const weights = readFileSync(`${DENSE}/weights.bin`);
const file = (name: string, content: string | Uint8Array) =>
  new File([typeof content === 'string' ? content : Uint8Array.from(content)], name);

async function refusal(files: File[]): Promise<string> {
  try {
    await readModelFiles(files);
  } catch (error) {
    expect(error).toBeInstanceOf(ModelCheckError);
    return (error as Error).message;
  }
  throw new Error('expected a refusal');
}

describe('Load model: which chosen files are the model', () => {
  it('loads a pair the browser renamed, by content', async () => {
    const { name, data } = await readModelFiles([file('model (1).json', modelJson), file('weights (1).bin', weights)]);
    expect(name).toBe('model (1).json');
    expect(Buffer.from(data.weightData).equals(weights)).toBe(true);
  });

  it('picks the weights file by size among several, and the .json that is a model among others', async () => {
    const old = weights.subarray(0, 1200);
    const { name, data } = await readModelFiles([
      file('package.json', '{"name": "x"}'),
      file('weights.bin', old),
      file('model (2).json', modelJson),
      file('weights (2).bin', weights),
      file('notes.txt', 'hello'),
    ]);
    expect(name).toBe('model (2).json');
    expect(data.weightData.byteLength).toBe(407_080);
  });

  it('says what is missing or does not fit', async () => {
    expect(await refusal([file('model.json', modelJson)])).toBe(
      'model.json needs the weights file weights.bin (407,080 bytes): choose it together with model.json',
    );
    expect(await refusal([file('model (1).json', modelJson), file('weights (1).bin', weights.subarray(0, 1200))])).toBe(
      'weights.bin has 1200 bytes, model (1).json needs 407080',
    );
    expect(
      await refusal([file('model.json', modelJson), file('a.bin', weights.subarray(0, 1200)), file('b.bin', weights.subarray(0, 5))]),
    ).toBe(
      'none of the chosen files is the weights file of model.json, which needs 407,080 bytes: a.bin has 1,200 bytes, b.bin has 5 bytes',
    );
    expect(await refusal([file('model.json', modelJson), file('model (1).json', modelJson), file('weights.bin', weights)])).toBe(
      'choose one model at a time: model.json and model (1).json are both model.json files',
    );
    expect(await refusal([file('package.json', '{"name": "x"}')])).toMatch(/^package\.json is not a Keras\/tfjs layers model/);
    expect(await refusal([file('a.json', '{}'), file('b.json', '[]')])).toBe('none of a.json, b.json is a Keras/tfjs layers model.json');
    expect(await refusal([file('weights.bin', weights)])).toMatch(/^choose the model\.json file together with its weights file/);
  });

  it('matches shards by their saved names, also renamed', async () => {
    const json = JSON.parse(modelJson) as { weightsManifest: { paths: string[] }[] };
    json.weightsManifest[0].paths = ['group1-shard1of2.bin', 'group1-shard2of2.bin'];
    const text = JSON.stringify(json);
    const { data } = await readModelFiles([
      file('model (1).json', text),
      file('group1-shard2of2 (1).bin', weights.subarray(200_000)),
      file('group1-shard1of2 (1).bin', weights.subarray(0, 200_000)),
    ]);
    expect(Buffer.from(data.weightData).equals(weights)).toBe(true);
    expect(await refusal([file('model.json', text), file('group1-shard1of2.bin', weights.subarray(0, 200_000))])).toBe(
      'model.json needs the weights file group1-shard2of2.bin: choose it together with model.json',
    );
  });
});

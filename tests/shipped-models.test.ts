import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel } from '../src/core/training/evaluate.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { loadSplit } from '../scripts/lib/fashion-data.ts';
import { DEBIAN_DIR, locateFashionMnist } from '../scripts/lib/locate-data.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';

/**
 * The ready-trained models in public/models were made by `npm run train` (seed 1). Loaded back,
 * they must still be 28×28×1 → 10 models that score exactly what their metrics.json recorded.
 */
const SHIPPED = ['default', 'dense'];

beforeAll(async () => {
  await setupBackend('wasm');
});

describe('shipped models', () => {
  it.each(SHIPPED)('%s loads as a 28×28×1 → 10 layers model', async (name) => {
    const model = await loadModelFromFile(join('public/models', name, 'model.json'));
    expect(model.inputs[0].shape).toEqual([null, 28, 28, 1]);
    expect(model.outputs[0].shape).toEqual([null, 10]);
    model.dispose();
  });

  it.skipIf(!existsSync(DEBIAN_DIR)).each(SHIPPED)('%s scores on the real test set what its metrics.json says', async (name) => {
    const dir = join('public/models', name);
    const metrics = JSON.parse(readFileSync(join(dir, 'metrics.json'), 'utf8'));
    const test = loadSplit(await locateFashionMnist(), 'test');
    const model = await loadModelFromFile(join(dir, 'model.json'));
    const evaluation = await evaluateModel(model, test);
    expect(evaluation.accuracy).toBeCloseTo(metrics.test.accuracy, 4);
    expect(evaluation.confusion).toEqual(metrics.test.confusion);
    model.dispose();
  });
});

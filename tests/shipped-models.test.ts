import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateModel, type Evaluation } from '../src/core/training/evaluate.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { loadSplit } from '../scripts/lib/fashion-data.ts';
import { DEBIAN_DIR, locateFashionMnist } from '../scripts/lib/locate-data.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';

/**
 * The ready-trained models in public/models were made by `npm run train` (seed 1). Loaded back,
 * they must still be 28×28×1 → 10 models that score exactly what their metrics.json recorded, and
 * the default CNN at least 93.0%, as PyTorch's reference run reached.
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

  /** Each shipped model evaluated once on the real test set, shared by the checks below. */
  const evaluations = new Map<string, Promise<Evaluation>>();
  function evaluateShipped(name: string): Promise<Evaluation> {
    if (!evaluations.has(name)) {
      evaluations.set(
        name,
        (async () => {
          const test = loadSplit(await locateFashionMnist(), 'test');
          const model = await loadModelFromFile(join('public/models', name, 'model.json'));
          try {
            return await evaluateModel(model, test);
          } finally {
            model.dispose();
          }
        })(),
      );
    }
    return evaluations.get(name)!;
  }

  it.skipIf(!existsSync(DEBIAN_DIR)).each(SHIPPED)('%s scores on the real test set what its metrics.json says', async (name) => {
    const metrics = JSON.parse(readFileSync(join('public/models', name, 'metrics.json'), 'utf8'));
    const evaluation = await evaluateShipped(name);
    expect(evaluation.accuracy).toBeCloseTo(metrics.test.accuracy, 4);
    expect(evaluation.confusion).toEqual(metrics.test.confusion);
  });

  // The CNN that answers drawings and uploads before any training scores at least 93%.
  it.skipIf(!existsSync(DEBIAN_DIR))('default scores at least 93.0% on the 10,000 test images', async () => {
    const evaluation = await evaluateShipped('default');
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(10_000);
    expect(evaluation.accuracy).toBeGreaterThanOrEqual(0.93);
  });
});

/**
 * `npm run calibrate` on a model trained on a small generated dataset: it fits a temperature on
 * the run's validation split, folds it into the last layer (the saved model then answers with the
 * calibrated probabilities), records it in metrics.json, and refuses to calibrate twice.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyTemperature } from '../src/core/calibration.ts';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { predictImages } from '../src/core/training/predict.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';
import { tempDir, writeFashionFixture } from './helpers/idx-fixtures.ts';

const made: string[] = [];
const run = (script: string, args: string[], env: Record<string, string>) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 600_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
};

beforeAll(async () => {
  await setupBackend('wasm');
});
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('npm run calibrate', () => {
  it('fits a temperature on the validation split, folds it into the last layer and records it', async () => {
    const dataDir = tempDir();
    made.push(dataDir);
    const fixture = writeFashionFixture(dataDir, { train: 300, test: 100, gzip: true });
    const outParent = tempDir();
    made.push(outParent);
    const out = join(outParent, 'run');
    const env = { FASHION_MNIST_DIR: fixture.dir };
    const trained = run('scripts/train.ts', ['--model', 'compact', '--epochs', '1', '--validation-split', '0.2', '--out', out], env);
    expect(trained.code, trained.stderr).toBe(0);
    const images = Array.from({ length: 100 }, (_, i) => fixture.test.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS));
    const before = await loadModelFromFile(join(out, 'model.json'));
    const rawProbs = predictImages(before, images);
    before.dispose();

    const calibrated = run('scripts/calibrate.ts', ['--model', out], env);
    expect(calibrated.code, calibrated.stderr).toBe(0);
    expect(calibrated.stdout).toMatch(/temperature [\d.]+ \(fitted on 60 validation images\), folded into the last layer/);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    const c = metrics.calibration;
    expect(c).toMatchObject({ fittedOn: 'validation', fitImages: 60, baked: true, eceTest: { images: 100 } });
    expect(c.temperature).toBeGreaterThan(0);
    // The fit lowers the negative log-likelihood on the images it was fitted on (or keeps it, at T = 1).
    expect(c.nllFit.after).toBeLessThanOrEqual(c.nllFit.before + 1e-9);
    // The saved model now answers what the old one answered at that temperature.
    const after = await loadModelFromFile(join(out, 'model.json'));
    const probs = predictImages(after, images);
    after.dispose();
    const expected = applyTemperature(rawProbs, c.temperature);
    for (let i = 0; i < probs.length; i++) expect(probs[i]).toBeCloseTo(expected[i], 4);
    // The rest of metrics.json is kept.
    expect(metrics.config.validationSplit).toBe(0.2);

    const again = run('scripts/calibrate.ts', ['--model', out], env);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/already calibrated/);
  }, 600_000);
});

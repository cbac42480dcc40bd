import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { predictImages } from '../src/core/training/predict.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';
import { DEBIAN_DIR } from '../scripts/lib/locate-data.ts';
import { tempDir as newTempDir, writeFashionFixture } from './helpers/idx-fixtures.ts';

/** Runs `npm run train -- ARGS` the way a person would, without npm's own output. */
function train(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/train.ts', ...args], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 900_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

beforeAll(async () => {
  await setupBackend('wasm');
});

// Every folder a test makes (fixtures and runs' output), removed when the file is done.
const made: string[] = [];
const tempDir = () => {
  const dir = newTempDir();
  made.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of made) rmSync(dir, { recursive: true, force: true });
});

describe('npm run train: arguments and data problems', () => {
  it.each([
    [['--model', 'resnet'], /--model: unknown model "resnet"/],
    [['--epochs', '0'], /--epochs: must be >= 1/],
    [['--batch', 'many'], /--batch: must be a finite number/],
    [['--lr=-1'], /--lr: must be > 0/],
    [['--backend', 'gpu'], /--backend: must be wasm or cpu/],
    [['--frobnicate'], /Unknown option '--frobnicate'/],
  ])('rejects %j with exit code 2 and says why', (args, message) => {
    const run = train(args);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(/Usage: npm run train/);
  });

  it('exits 1 naming the folder when FASHION_MNIST_DIR holds no data', () => {
    const dir = tempDir();
    const run = train(['--model', 'dense', '--epochs', '1'], { FASHION_MNIST_DIR: dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`FASHION_MNIST_DIR=${dir}`);
    expect(run.stderr).toMatch(/apt-get install -y dataset-fashion-mnist/);
  });
});

describe('npm run train on a small generated dataset', () => {
  it('trains, prints the tables and saves a model plain tf.loadLayersModel reads back', async () => {
    const fixture = writeFashionFixture(tempDir(), { train: 300, test: 100, gzip: true });
    const out = join(tempDir(), 'run');
    const run = train(['--model', 'compact', '--epochs', '2', '--out', out], { FASHION_MNIST_DIR: fixture.dir });
    expect(run.stderr).not.toMatch(/error/i);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/epoch 2\/2 {2}loss [\d.]+ {2}acc [\d.]+% {2}val_loss/);
    expect(run.stdout).toMatch(/Test accuracy: [\d.]+%/);
    expect(run.stdout).toMatch(/Confusion matrix/);
    expect(run.stdout).toMatch(/Ankle boot +[\d.]+% +[\d.]+% +[\d.]+% +\d+/);

    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.config.trainSize).toBe(300);
    expect(metrics.history).toHaveLength(2);
    const confusionTotal = metrics.test.confusion.flat().reduce((a: number, b: number) => a + b, 0);
    expect(confusionTotal).toBe(100);

    // The saved files load with tfjs's own loader and predict what the metrics say they predicted.
    const model = await loadModelFromFile(join(out, 'model.json'));
    const images = Array.from({ length: 100 }, (_, i) => fixture.test.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS));
    const probs = predictImages(model, images);
    let correct = 0;
    for (let i = 0; i < 100; i++) {
      const row = Array.from(probs.subarray(i * 10, i * 10 + 10));
      if (row.indexOf(Math.max(...row)) === fixture.test.labels[i]) correct++;
    }
    expect(correct / 100).toBeCloseTo(metrics.test.accuracy, 6);
    model.dispose();
  });
});

// The seeds' baselines with the same settings as PyTorch's peer (batch 64, Adam 1e-3, 1 epoch):
// PyTorch reaches 84% (dense) and 85% (TinyVGG).
describe.skipIf(!existsSync(DEBIAN_DIR))('npm run train on the real Fashion-MNIST', () => {
  it.each([
    ['dense', 0.82],
    ['tinyvgg', 0.83],
  ])('%s for 1 epoch reaches at least %f test accuracy', (model, floor) => {
    const out = join(tempDir(), model);
    const run = train(['--model', model, '--epochs', '1', '--out', out]);
    expect(run.code, run.stderr).toBe(0);
    const metrics = JSON.parse(readFileSync(join(out, 'metrics.json'), 'utf8'));
    expect(metrics.test.report.total).toBe(10_000);
    expect(metrics.test.accuracy).toBeGreaterThanOrEqual(floor);
  });
});

import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES } from '../src/core/classes.ts';
import { compareEvaluations } from '../src/core/compare.ts';
import { validateConfig } from '../src/core/config.ts';
import { classificationReport, confusionMatrix } from '../src/core/metrics.ts';
import { MODEL_CATALOG } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';
import type { Evaluation } from '../src/core/training/evaluate.ts';
import { trainMembers, type RunMember } from '../src/core/training/run.ts';
import { trainModel } from '../src/core/training/train.ts';
import { setupBackend } from '../scripts/lib/backend.ts';
import { syntheticSet } from './helpers/synthetic-set.ts';

/** An Evaluation as the core builds it, from labels, predictions and confidences written by hand. */
function evaluationOf(labels: number[], predicted: number[], confidence: number[]): Evaluation {
  const confusion = confusionMatrix(labels, predicted);
  const report = classificationReport(confusion);
  return { count: labels.length, accuracy: report.accuracy, loss: 0, confusion, report, predicted, confidence, misclassified: [] };
}

describe('compareEvaluations', () => {
  // Eight images: classes 0, 0, 1, 1, 2, 2, 3 and 9.
  const labels = [0, 0, 1, 1, 2, 2, 3, 9];
  // Baseline: right on 0, 2, 4, 7; challenger: right on 0, 1, 2, 3, 4, 6; so 1, 3, 6 are the challenger's alone,
  // 7 the baseline's alone, 5 wrong for both, 0, 2, 4 right for both.
  const baseline = evaluationOf(labels, [0, 6, 1, 3, 2, 4, 5, 9], [0.9, 0.8, 0.7, 0.95, 0.6, 0.5, 0.85, 0.4]);
  const challenger = evaluationOf(labels, [0, 0, 1, 1, 2, 6, 3, 7], [0.99, 0.7, 0.9, 0.8, 0.75, 0.65, 0.9, 0.55]);
  const c = compareEvaluations(baseline, challenger, labels);

  it('counts what each model gets right, its accuracy and the difference', () => {
    expect(c.count).toBe(8);
    expect(c.correct).toEqual({ baseline: 4, challenger: 6 });
    expect(c.accuracy.baseline).toBe(0.5);
    expect(c.accuracy.challenger).toBe(0.75);
    expect(c.accuracy.difference).toBeCloseTo(0.25, 12);
    // Agrees with each model's own evaluation.
    expect(c.accuracy.baseline).toBe(baseline.accuracy);
    expect(c.accuracy.challenger).toBe(challenger.accuracy);
    expect(c.bothRight).toBe(3);
    expect(c.bothWrong).toBe(1);
  });

  it('gives per-class accuracy (recall) of each model and its difference, 0 for an absent class', () => {
    expect(c.perClass.map((k) => k.className)).toEqual([...CLASS_NAMES]);
    expect(c.perClass.map((k) => k.support)).toEqual([2, 2, 2, 1, 0, 0, 0, 0, 0, 1]);
    expect(c.perClass.map((k) => k.baseline)).toEqual([0.5, 0.5, 0.5, 0, 0, 0, 0, 0, 0, 1]);
    expect(c.perClass.map((k) => k.challenger)).toEqual([1, 1, 0.5, 1, 0, 0, 0, 0, 0, 0]);
    expect(c.perClass.map((k) => k.difference)).toEqual([0.5, 0.5, 0, 1, 0, 0, 0, 0, 0, -1]);
    // The same numbers as each model's classification report (recall is accuracy within a class).
    c.perClass.forEach((k, i) => {
      expect(k.baseline).toBe(baseline.report.perClass[i].recall);
      expect(k.challenger).toBe(challenger.report.perClass[i].recall);
    });
  });

  it("lists the disagreements with both predictions, the wrong model's most confident first", () => {
    expect(c.challengerOnly).toEqual([
      { index: 3, label: 1, baseline: { predicted: 3, confidence: 0.95 }, challenger: { predicted: 1, confidence: 0.8 } },
      { index: 6, label: 3, baseline: { predicted: 5, confidence: 0.85 }, challenger: { predicted: 3, confidence: 0.9 } },
      { index: 1, label: 0, baseline: { predicted: 6, confidence: 0.8 }, challenger: { predicted: 0, confidence: 0.7 } },
    ]);
    expect(c.baselineOnly).toEqual([
      { index: 7, label: 9, baseline: { predicted: 9, confidence: 0.4 }, challenger: { predicted: 7, confidence: 0.55 } },
    ]);
    expect(c.challengerOnly.length - c.baselineOnly.length).toBe(c.correct.challenger - c.correct.baseline);
    expect(c.bothRight + c.bothWrong + c.challengerOnly.length + c.baselineOnly.length).toBe(c.count);
  });

  it('breaks confidence ties by index and handles identical models (no disagreement)', () => {
    const same = compareEvaluations(baseline, baseline, labels);
    expect(same.challengerOnly).toEqual([]);
    expect(same.baselineOnly).toEqual([]);
    expect(same.accuracy.difference).toBe(0);
    const tied = compareEvaluations(evaluationOf([0, 0], [1, 1], [0.5, 0.5]), evaluationOf([0, 0], [0, 0], [0.5, 0.5]), [0, 0]);
    expect(tied.challengerOnly.map((d) => d.index)).toEqual([0, 1]);
  });

  it('rejects evaluations of another set and labels outside the classes', () => {
    expect(() => compareEvaluations(baseline, evaluationOf([0], [0], [1]), labels)).toThrow(/challenger: the evaluation has 1 predictions/);
    expect(() => compareEvaluations(baseline, challenger, labels.slice(1))).toThrow(
      /baseline: the evaluation has 8 predictions .* 7 labels/,
    );
    expect(() => compareEvaluations(baseline, challenger, [...labels.slice(0, 7), 10])).toThrow(/labels\[7\] = 10/);
  });

  it('is empty but well-defined on an empty set', () => {
    const empty = compareEvaluations(evaluationOf([], [], []), evaluationOf([], [], []), []);
    expect(empty.accuracy).toEqual({ baseline: 0, challenger: 0, difference: 0 });
    expect(empty.perClass.every((k) => k.support === 0 && k.baseline === 0)).toBe(true);
  });
});

describe('the equal-size dense network', () => {
  it('has within 10% of the parameters of the CNN it stands against (our default)', () => {
    const wide = MODEL_CATALOG['dense-wide'].parameters;
    const cnn = MODEL_CATALOG.default.parameters;
    expect(Math.abs(wide - cnn) / cnn).toBeLessThan(0.1);
    expect(MODEL_CATALOG['dense-wide'].convolutional).toBe(false);
  });
});

describe('trainMembers', () => {
  beforeAll(async () => {
    await setupBackend('wasm');
  });

  const config = (overrides: object = {}) =>
    validateConfig({
      model: 'tinyvgg',
      epochs: 2,
      batchSize: 32,
      trainSize: 200,
      validationSplit: 0.2,
      learningRate: 0.01,
      shift: 1,
      flip: true,
      seed: 3,
      ...overrides,
    });
  const weightsOf = (model: tf.LayersModel) => model.getWeights().map((w) => Array.from(w.dataSync()));
  // Member 0: the dense network, member 1: TinyVGG, as Compare trains them.
  const pair = (overrides: object = {}): RunMember[] => [
    { model: createModel('dense', 3), config: config({ ...overrides, model: 'dense' }) },
    { model: createModel('tinyvgg', 3), config: config(overrides) },
  ];
  const dispose = (members: RunMember[]) => members.forEach((m) => m.model.dispose());
  const NAMES = ['dense', 'cnn'];

  it('takes turns by epoch, and each model learns exactly what it would alone (same images, same order)', async () => {
    const set = syntheticSet(200);
    const models = pair();
    const events: string[] = [];
    const seconds: number[][] = [[], []];
    const results = await trainMembers(models, set, {
      reportEvery: 2,
      onBatch: (member, p, s) => {
        events.push(`${NAMES[member]} batch ${p.epoch}`);
        seconds[member].push(s);
      },
      onEpoch: async (member, result, s) => {
        events.push(`${NAMES[member]} epoch ${result.epoch}`);
        seconds[member].push(s);
        await new Promise((resolve) => setTimeout(resolve, 5)); // an evaluation would wait here
      },
    });
    // Deduplicated runs of the event list: strictly dense, CNN, dense, CNN, one epoch at a time.
    const turns = events.filter((e, i) => e !== events[i - 1]);
    expect(turns).toEqual([
      'dense batch 1',
      'dense epoch 1',
      'cnn batch 1',
      'cnn epoch 1',
      'dense batch 2',
      'dense epoch 2',
      'cnn batch 2',
      'cnn epoch 2',
    ]);
    for (const member of [0, 1]) {
      const r = results[member];
      expect(r.stopped).toBe(false);
      expect(r.history.map((h) => h.epoch)).toEqual([1, 2]);
      expect(r.trainImages).toBe(160);
      // Training time only grows, and ends at the run's own total (gradient steps only).
      expect(seconds[member]).toEqual([...seconds[member]].sort((a, b) => a - b));
      expect(seconds[member].at(-1)).toBeCloseTo(r.seconds, 9);
    }
    // Alone, from the same seed and configuration: the very same weights.
    for (const [member, name] of [
      [0, 'dense'],
      [1, 'tinyvgg'],
    ] as const) {
      const alone = createModel(name, 3);
      await trainModel(alone, set, config({ model: name }));
      const a = weightsOf(alone);
      const b = weightsOf(models[member].model);
      a.forEach((w, i) =>
        expect(
          w.every((v, j) => v === b[i][j]),
          `${member} weight ${i}`,
        ).toBe(true),
      );
      alone.dispose();
    }
    dispose(models);
  });

  it('takes turns among three members with different epoch counts; a finished member leaves the round', async () => {
    const set = syntheticSet(200);
    const members: RunMember[] = [1, 3, 2].map((epochs) => ({
      model: createModel('dense', 3),
      config: config({ model: 'dense', epochs }),
    }));
    const epochs: string[] = [];
    const results = await trainMembers(members, set, { onEpoch: (member, result) => void epochs.push(`${member}:${result.epoch}`) });
    expect(epochs).toEqual(['0:1', '1:1', '2:1', '1:2', '2:2', '1:3']);
    expect(results.map((r) => r.history.length)).toEqual([1, 3, 2]);
    dispose(members);
  });

  it('stops both on a Stop: the one training finishes its batch, the other does not start again', async () => {
    const set = syntheticSet(200);
    const models = pair({ epochs: 3 });
    const controller = new AbortController();
    const events: string[] = [];
    const results = await trainMembers(models, set, {
      signal: controller.signal,
      reportEvery: 1,
      onBatch: (member, p) => {
        events.push(`${NAMES[member]} ${p.epoch}.${p.batch}`);
        if (member === 1 && p.epoch === 1 && p.batch === 2) controller.abort();
      },
    });
    expect(results[0].stopped).toBe(true);
    expect(results[1].stopped).toBe(true);
    expect(results[0].history.map((h) => h.epoch)).toEqual([1]);
    expect(results[1].history).toEqual([]);
    expect(events.at(-1)).toBe('cnn 1.2');
    expect(events.filter((e) => e.startsWith('dense 2'))).toEqual([]);
    // Both models stay usable.
    const probs = tf.tidy(() => (models[1].model.predict(tf.zeros([1, 28, 28, 1])) as tf.Tensor).dataSync());
    expect(Array.from(probs).every(Number.isFinite)).toBe(true);
    dispose(models);
  });

  it('stops the other model when one fails, and reports the failure', async () => {
    const models = pair({ epochs: 3 });
    const events: string[] = [];
    await expect(
      trainMembers(models, syntheticSet(200), {
        onEpoch: (member, result) => {
          events.push(`${NAMES[member]} ${result.epoch}`);
          if (member === 1) throw new Error('evaluation failed');
        },
      }),
    ).rejects.toThrow('evaluation failed');
    expect(events).toEqual(['dense 1', 'cnn 1']);
    dispose(models);
  });
});

/**
 * The sketch benchmark's scoring, as the page runs it on a trained model: the same figure as
 * `npm run bench:answers` recorded in a ready-trained model's metrics.json, and no tensor left over.
 */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SKETCH_BENCHMARK, sketchAccuracy, sketchInputs } from '../src/core/answers/sketch-benchmark.ts';
import { SKETCHES } from '../src/core/answers/sketches/index.ts';
import { loadModelFromFile } from '../scripts/lib/disk-model-files.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the sketch benchmark in the core', () => {
  it("gives the dense model the sketch accuracy bench:answers wrote in its metrics.json, with the benchmark's options", async () => {
    const metrics = JSON.parse(readFileSync('public/models/dense/metrics.json', 'utf8')) as {
      answers: { sketchAccuracy: number; benchmark: { sketches: number; replays: number; seed: number; fill: number } };
    };
    const recorded = metrics.answers;
    expect(recorded.benchmark).toMatchObject({
      sketches: SKETCHES.length,
      replays: SKETCH_BENCHMARK.replays,
      seed: SKETCH_BENCHMARK.seed,
      fill: 0,
    });
    const inputs = await sketchInputs();
    expect(inputs.count).toBe(SKETCHES.length * SKETCH_BENCHMARK.replays);
    const model = await loadModelFromFile('public/models/dense/model.json');
    try {
      expect(await sketchAccuracy(model, inputs)).toBe(recorded.sketchAccuracy);
      // Its tensors are all freed: a second scoring leaves as many as the first.
      const before = tf.memory().numTensors;
      await sketchAccuracy(model, inputs, { flipTest: true });
      expect(tf.memory().numTensors).toBe(before);
    } finally {
      model.dispose();
    }
  }, 60_000);
});

/**
 * `npm run bench:answers`: how each model answers what people give the page, not the test set.
 *
 * - Sketches: the authored clothing sketches (src/core/answers/sketches/), each replayed with
 *   seeded variation, through the pad's own raster and the drawing's preprocessing
 *   (src/core/answers/sketch-benchmark.ts, which the page also scores its trained models with).
 * - Photos: product-style photos of held-out test images, encoded as JPEG or PNG, decoded and
 *   preprocessed as an upload; next to them the same items' own 28×28 images.
 *
 * Per model: accuracy per class, the commonest confusions, the expected calibration error before
 * and after the model's fitted temperature (metrics.json's `calibration`, when it has one), and the
 * time one drawing takes to answer (raster + preprocessing + prediction, median). Writes
 * bench-results/answers.json and bench-results/answers.md; `--write-metrics` also records the
 * figures in each model's metrics.json (`answers`), which the page's "best answers" rule reads.
 *
 *   npm run bench:answers -- [--models public/models/default,runs/x] [--replays 3] [--photos 20]
 *                            [--fill 0.5] [--threads 1] [--seed 1] [--write-metrics]
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { applyTemperature } from '../src/core/calibration.ts';
import { predictPixels } from '../src/core/training/predict.ts';
import { DRAWING_PREPROCESS, drawingInput } from '../src/core/sketch/drawing-input.ts';
import { StrokeRaster } from '../src/core/sketch/stroke-raster.ts';
import { SKETCH_BENCHMARK, sketchInputs } from '../src/core/answers/sketch-benchmark.ts';
import { PAD } from '../src/core/answers/sketch-replay.ts';
import { SKETCHES } from '../src/core/answers/sketches/index.ts';
import { setupBackend } from './lib/backend.ts';
import { loadModelFromFile } from './lib/disk-model-files.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { locateFashionMnist } from './lib/locate-data.ts';
import { answerReport, confusionLine, perClassTable, type AnswerReport } from './lib/answers/answer-report.ts';
import { photoInput, productPhotos } from './lib/answers/product-photos.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function parse() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string' },
      replays: { type: 'string', default: String(SKETCH_BENCHMARK.replays) },
      photos: { type: 'string', default: '20' },
      fill: { type: 'string' },
      threads: { type: 'string', default: '1' },
      seed: { type: 'string', default: String(SKETCH_BENCHMARK.seed) },
      'write-metrics': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    console.log(readFileSync(fileURLToPath(import.meta.url), 'utf8').split('*/')[0]);
    process.exit(0);
  }
  const whole = (name: string, text: string, min: number) => {
    const v = Number(text);
    if (!Number.isInteger(v) || v < min) throw new Error(`--${name}: must be a whole number >= ${min} (got ${text})`);
    return v;
  };
  const fill = values.fill === undefined ? undefined : Number(values.fill);
  if (fill !== undefined && !(fill >= 0 && fill <= 1)) throw new Error(`--fill: must be between 0 and 1 (got ${values.fill})`);
  const shipped = join(ROOT, 'public/models');
  const models = values.models
    ? values.models.split(',').map((m) => resolve(m))
    : readdirSync(shipped)
        .map((d) => join(shipped, d))
        .filter((d) => existsSync(join(d, 'model.json')));
  for (const m of models) if (!existsSync(join(m, 'model.json'))) throw new Error(`--models: no model.json in ${m}`);
  return {
    models,
    replays: whole('replays', values.replays, 1),
    photos: whole('photos', values.photos, 1),
    threads: whole('threads', values.threads, 1),
    seed: whole('seed', values.seed, 0),
    fill,
    writeMetrics: values['write-metrics'],
  };
}

/** What a model's metrics.json says about how it answers. */
interface ModelFacts {
  flipTest: boolean;
  temperature: number | null;
  metrics: Record<string, unknown> | null;
}

function modelFacts(dir: string): ModelFacts {
  const path = join(dir, 'metrics.json');
  if (!existsSync(path)) return { flipTest: false, temperature: null, metrics: null };
  const metrics = JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
  const config = metrics.config as { flipTest?: boolean } | undefined;
  const calibration = metrics.calibration as { temperature?: number } | undefined;
  return { flipTest: config?.flipTest === true, temperature: calibration?.temperature ?? null, metrics };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const args = parse();
  const backend = await setupBackend('wasm', { threads: args.threads });
  const preprocess = args.fill === undefined ? DRAWING_PREPROCESS : { ...DRAWING_PREPROCESS, fillEnclosed: args.fill };
  const located = await locateFashionMnist();
  const test = loadSplit(located, 'test');
  const testSet = { images: test.images, labels: test.labels, count: test.labels.length };

  // The inputs, made once for every model.
  const raster = new StrokeRaster(PAD, PAD);
  const sketches = await sketchInputs({ replays: args.replays, seed: args.seed, preprocess });
  const { replays, pixels: sketchPixels, labels: sketchLabels } = sketches;
  const photos = productPhotos(testSet, args.photos, args.seed);
  const photoPixels = new Float32Array(photos.length * IMAGE_PIXELS);
  const rawPixels = new Float32Array(photos.length * IMAGE_PIXELS);
  photos.forEach((photo, i) => {
    const input = photoInput(photo);
    for (let p = 0; p < IMAGE_PIXELS; p++) {
      photoPixels[i * IMAGE_PIXELS + p] = input[p] / 255;
      rawPixels[i * IMAGE_PIXELS + p] = test.images[photo.testIndex * IMAGE_PIXELS + p] / 255;
    }
  });
  const photoLabels = photos.map((p) => p.label);
  console.log(
    `${SKETCHES.length} sketches × ${args.replays} replays = ${replays.length}; ${photos.length} photos (${photos.filter((p) => p.format === 'JPEG').length} JPEG) from test images ≥ 8,000; fill ${preprocess.fillEnclosed ?? 0}; ${backend.backend}, ${backend.threads} thread(s)`,
  );

  const results: Record<string, unknown>[] = [];
  const sections: string[] = [];
  for (const dir of args.models) {
    const name = basename(dir);
    const facts = modelFacts(dir);
    const model = await loadModelFromFile(join(dir, 'model.json'));
    const run = (pixels: Float32Array, n: number) => predictPixels(model, pixels, n, { flipTest: facts.flipTest });
    const raw = {
      sketches: await run(sketchPixels, replays.length),
      photos: await run(photoPixels, photos.length),
      original: await run(rawPixels, photos.length),
    };
    const reports = (t: number | null) => ({
      sketches: answerReport(t ? applyTemperature(raw.sketches, t) : raw.sketches, sketchLabels),
      photos: answerReport(t ? applyTemperature(raw.photos, t) : raw.photos, photoLabels),
      original: answerReport(t ? applyTemperature(raw.original, t) : raw.original, photoLabels),
    });
    // A calibrated model has its temperature folded into its last layer (npm run calibrate): its
    // answers are the calibrated ones, and 1 / T gives back the answers from before.
    const after = facts.temperature ? reports(null) : null;
    const before = facts.temperature ? reports(1 / facts.temperature) : reports(null);

    // One drawing answered as the pad answers it: strokes inked, preprocessed, predicted.
    const times: number[] = [];
    for (let i = 0; i < 25; i++) {
      const r = replays[(i * 37) % replays.length];
      const start = performance.now();
      raster.drawAll(r.strokes);
      const input = drawingInput(raster.rgba, PAD, PAD, preprocess).image;
      const pixels = Float32Array.from(input, (v) => v / 255);
      await run(pixels, 1);
      if (i >= 5) times.push(performance.now() - start);
    }
    const answerMs = median(times);
    model.dispose();

    const columns: Record<string, AnswerReport> = {
      sketches: before.sketches,
      photos: before.photos,
      'same items, 28×28': before.original,
    };
    const lines = [
      `## ${name}`,
      '',
      perClassTable(columns),
      '',
      `- Sketch confusions: ${confusionLine(before.sketches)}`,
      `- Photo confusions: ${confusionLine(before.photos)}`,
      after
        ? `- ECE after temperature ${facts.temperature!.toFixed(3)}: sketches ${(100 * after.sketches.ece).toFixed(1)}%, photos ${(100 * after.photos.ece).toFixed(1)}%, 28×28 ${(100 * after.original.ece).toFixed(1)}%`
        : '- No fitted temperature in metrics.json.',
      `- One drawing answered in ${answerMs.toFixed(1)} ms (median of 20: ink, preprocess, predict)`,
    ];
    sections.push(lines.join('\n'));
    console.log(`\n${lines.join('\n')}`);
    const figures = {
      sketchAccuracy: before.sketches.accuracy,
      photoAccuracy: before.photos.accuracy,
      originalAccuracy: before.original.accuracy,
      sketchEce: { before: before.sketches.ece, after: after?.sketches.ece ?? null },
      photoEce: { before: before.photos.ece, after: after?.photos.ece ?? null },
      sketchPerClass: before.sketches.perClass,
      photoPerClass: before.photos.perClass,
      answerMs,
      benchmark: {
        sketches: SKETCHES.length,
        replays: args.replays,
        photos: photos.length,
        seed: args.seed,
        fill: preprocess.fillEnclosed ?? 0,
      },
    };
    results.push({
      model: name,
      dir,
      ...figures,
      sketchConfusions: before.sketches.confusions.slice(0, 10),
      photoConfusions: before.photos.confusions.slice(0, 10),
    });
    if (args.writeMetrics && facts.metrics) {
      writeFileSync(join(dir, 'metrics.json'), `${JSON.stringify({ ...facts.metrics, answers: figures }, null, 2)}\n`);
    }
  }
  const out = join(ROOT, 'bench-results');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, 'answers.json'), `${JSON.stringify(results, null, 2)}\n`);
  writeFileSync(join(out, 'answers.md'), `${sections.join('\n\n')}\n`);
  console.log(`\nwrote ${join(out, 'answers.json')} and answers.md; tensors alive: ${tf.memory().numTensors}`);
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});

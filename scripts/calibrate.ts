/**
 * `npm run calibrate -- --model DIR`: fits the temperature that makes a saved model's confidence
 * honest and records it in its metrics.json (`calibration`), which the page applies to every
 * answer and shows in the model's details.
 *
 * The temperature is fitted on images the model never trained on and that no figure is reported
 * on: the run's validation split (from metrics.json's config) when it had one; for a model trained
 * on all 60,000 training images, the first half of the test set, whose ECE is then reported on the
 * second half only. Expected calibration error (15 bins) before and after is reported on the fit's
 * images and on the test images.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { NUM_CLASSES } from '../src/core/classes.ts';
import { applyTemperature, expectedCalibrationError, fitTemperature, negativeLogLikelihood } from '../src/core/calibration.ts';
import type { TrainingConfig } from '../src/core/config.ts';
import { splitTrainValidation } from '../src/core/data/split.ts';
import { predictProbabilities } from '../src/core/training/predict.ts';
import { setupBackend } from './lib/backend.ts';
import { loadModelFromFile, saveModelToDir } from './lib/disk-model-files.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { locateFashionMnist } from './lib/locate-data.ts';

/** What metrics.json's `calibration` holds. */
export interface CalibrationRecord {
  temperature: number;
  /** Where the temperature was fitted: the run's validation split, or the first half of the test set. */
  fittedOn: 'validation' | 'test-first-half';
  fitImages: number;
  /** ECE (15 bins) with the raw probabilities and with the temperature applied. */
  eceFit: { before: number; after: number };
  /** On the test images not used for the fit. */
  eceTest: { before: number; after: number; images: number };
  nllFit: { before: number; after: number };
  /** The temperature is folded into the last layer's weights (always true when written by this script). */
  baked: true;
}

/** A mistake the person can fix: its message alone, no stack. */
function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({ options: { model: { type: 'string' }, threads: { type: 'string', default: '1' } } });
if (!values.model) fail('usage: npm run calibrate -- --model DIR (a folder with model.json and metrics.json)');
const dir = resolve(values.model);
const metricsPath = join(dir, 'metrics.json');
if (!existsSync(metricsPath)) fail(`no metrics.json in ${dir}`);
const metrics = JSON.parse(readFileSync(metricsPath, 'utf8')) as { config: TrainingConfig } & Record<string, unknown>;
if (metrics.calibration) fail(`${dir} is already calibrated (metrics.json has calibration); calibrate a freshly trained model`);

await setupBackend('wasm', { threads: Number(values.threads) });
const located = await locateFashionMnist();
const test = loadSplit(located, 'test');
const testSet = { images: test.images, labels: test.labels, count: test.labels.length };
const model = await loadModelFromFile(join(dir, 'model.json'));
const options = { flipTest: metrics.config.flipTest === true };
const c = metrics.config;

let fitProbs: Float32Array;
let fitLabels: ArrayLike<number>;
let testIndices: Int32Array;
let fittedOn: CalibrationRecord['fittedOn'];
if (c.validationSplit > 0) {
  const train = loadSplit(located, 'train');
  const trainSet = { images: train.images, labels: train.labels, count: train.labels.length };
  const { validation } = splitTrainValidation(trainSet.count, c.trainSize, c.validationSplit, c.seed);
  fitProbs = await predictProbabilities(model, trainSet, validation, undefined, options);
  fitLabels = Array.from(validation, (i) => trainSet.labels[i]);
  testIndices = Int32Array.from({ length: testSet.count }, (_, i) => i);
  fittedOn = 'validation';
} else {
  const half = Math.floor(testSet.count / 2);
  const first = Int32Array.from({ length: half }, (_, i) => i);
  fitProbs = await predictProbabilities(model, testSet, first, undefined, options);
  fitLabels = Array.from(first, (i) => testSet.labels[i]);
  testIndices = Int32Array.from({ length: testSet.count - half }, (_, i) => half + i);
  fittedOn = 'test-first-half';
}
const testProbs = await predictProbabilities(model, testSet, testIndices, undefined, options);
const testLabels = Array.from(testIndices, (i) => testSet.labels[i]);

const temperature = fitTemperature(fitProbs, fitLabels);
// softmax((W x + b) / T) = softmax((W / T) x + b / T): the last layer gives the calibrated answer.
const last = model.layers[model.layers.length - 1];
const activation = (last.getConfig() as { activation?: string }).activation;
if (last.getClassName() !== 'Dense' || activation !== 'softmax')
  fail(`the last layer is ${last.getClassName()} (${activation}), not a Dense softmax: cannot fold a temperature into it`);
const scaled = last.getWeights().map((w) => tf.div(w, temperature));
last.setWeights(scaled);
tf.dispose(scaled);
await saveModelToDir(model, dir);
model.dispose();

const record: CalibrationRecord = {
  temperature,
  fittedOn,
  fitImages: fitProbs.length / NUM_CLASSES,
  eceFit: {
    before: expectedCalibrationError(fitProbs, fitLabels),
    after: expectedCalibrationError(applyTemperature(fitProbs, temperature), fitLabels),
  },
  eceTest: {
    before: expectedCalibrationError(testProbs, testLabels),
    after: expectedCalibrationError(applyTemperature(testProbs, temperature), testLabels),
    images: testLabels.length,
  },
  nllFit: { before: negativeLogLikelihood(fitProbs, fitLabels), after: negativeLogLikelihood(fitProbs, fitLabels, temperature) },
  baked: true,
};
writeFileSync(metricsPath, `${JSON.stringify({ ...metrics, calibration: record }, null, 2)}\n`);
const pct = (v: number) => `${(100 * v).toFixed(2)}%`;
console.log(
  `${dir}: temperature ${temperature.toFixed(3)} (fitted on ${record.fitImages} ${fittedOn} images), folded into the last layer\n` +
    `  ECE on the fit's images ${pct(record.eceFit.before)} → ${pct(record.eceFit.after)}; on ${record.eceTest.images} test images ${pct(record.eceTest.before)} → ${pct(record.eceTest.after)}`,
);

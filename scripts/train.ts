/**
 * `npm run train -- --model tinyvgg --epochs 3`: trains one model of the zoo in Node on the
 * fastest backend here, prints per-epoch metrics, the test accuracy, the confusion matrix and the
 * per-class report, and saves model.json + weights.bin + metrics.json.
 * Ctrl-C stops training at the next batch; the model so far is still evaluated and saved.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { MODEL_CATALOG } from '../src/core/models/catalog.ts';
import { createModel } from '../src/core/models/zoo.ts';
import { evaluateModel } from '../src/core/training/evaluate.ts';
import { trainModel, type EpochResult } from '../src/core/training/train.ts';
import { setupBackend } from './lib/backend.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { DataNotFoundError, locateFashionMnist } from './lib/locate-data.ts';
import { saveModelToDir } from './lib/disk-model-files.ts';
import { ProgressBar } from './lib/progress-bar.ts';
import { formatConfusion, formatDuration, formatReport } from './lib/tables.ts';
import { USAGE, UsageError, parseTrainArgs } from './lib/train-args.ts';

const pct = (x: number | null) => (x === null ? '   -  ' : `${(100 * x).toFixed(2)}%`);

function epochLine(e: EpochResult, epochs: number): string {
  const val = e.valLoss === null ? '' : `  val_loss ${e.valLoss.toFixed(4)}  val_acc ${pct(e.valAccuracy)}`;
  return (
    `epoch ${e.epoch}/${epochs}  loss ${e.loss.toFixed(4)}  acc ${pct(e.accuracy)}${val}  ` +
    `${Math.round(e.imagesPerSecond)} img/s  ${e.seconds.toFixed(1)} s`
  );
}

async function main(argv: string[]): Promise<number> {
  let args;
  try {
    args = parseTrainArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\n${USAGE}`);
      return 2;
    }
    throw e;
  }
  if (args.help) {
    console.log(USAGE);
    return 0;
  }
  const located = await locateFashionMnist({ log: (line) => console.error(line) });
  const train = loadSplit(located, 'train');
  const test = loadSplit(located, 'test');
  const config = args.trainSizeGiven ? args.config : { ...args.config, trainSize: Math.min(args.config.trainSize, train.count) };
  if (config.trainSize > train.count) {
    console.error(`error: --train-size ${config.trainSize} is more than the ${train.count} training images found`);
    return 2;
  }
  const backend = await setupBackend(args.backend, { threads: args.threads });
  const info = MODEL_CATALOG[config.model];
  console.log(`data: ${located.place} — ${train.count} training, ${test.count} test images`);
  console.log(`backend: ${backend.backend}${backend.backend === 'wasm' ? ` (SIMD ${backend.simd ? 'on' : 'off'}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})` : ''}`);
  console.log(`model: ${config.model} — ${info.title}, ${info.parameters.toLocaleString('en')} parameters (${info.origin})`);
  console.log(`config: ${JSON.stringify(config)}`);

  const controller = new AbortController();
  const onSigint = () => {
    if (controller.signal.aborted) process.exit(130);
    console.error('\nstopping after this batch (Ctrl-C again to quit now)');
    controller.abort();
  };
  process.on('SIGINT', onSigint);

  const model = createModel(config.model, config.seed, { dropout: config.dropout });
  const bar = new ProgressBar();
  const started = Date.now();
  const result = await trainModel(model, train, config, {
    signal: controller.signal,
    onBatch: (p) => bar.update(p),
    onEpoch: (e) => {
      bar.clear();
      console.log(epochLine(e, config.epochs));
    },
  });
  bar.clear();
  process.off('SIGINT', onSigint);
  if (result.stopped) console.log(`stopped after ${result.history.length} complete epoch(s)`);

  const evaluation = await evaluateModel(model, test);
  const wallSeconds = (Date.now() - started) / 1000;
  console.log(`\nTest accuracy: ${pct(evaluation.accuracy)}  (loss ${evaluation.loss.toFixed(4)}, ${evaluation.count} images)`);
  console.log(`Training: ${formatDuration(result.seconds)} in gradient steps, ${Math.round(result.imagesPerSecond)} img/s; ${formatDuration(wallSeconds)} in all\n`);
  console.log(`Confusion matrix (rows: true class, columns: predicted)\n${formatConfusion(evaluation.confusion)}\n`);
  console.log(`Classification report\n${formatReport(evaluation.report)}\n`);

  const out = resolve(args.out);
  mkdirSync(out, { recursive: true });
  await saveModelToDir(model, out);
  const metrics = {
    model: config.model,
    parameters: info.parameters,
    config,
    backend,
    stopped: result.stopped,
    trainImages: result.trainImages,
    validationImages: result.validationImages,
    imagesSeen: result.imagesSeen,
    trainSeconds: result.seconds,
    wallSeconds,
    imagesPerSecond: result.imagesPerSecond,
    history: result.history,
    test: {
      accuracy: evaluation.accuracy,
      loss: evaluation.loss,
      confusion: evaluation.confusion,
      report: evaluation.report,
    },
    date: new Date().toISOString(),
  };
  writeFileSync(join(out, 'metrics.json'), `${JSON.stringify(metrics, null, 2)}\n`);
  console.log(`saved: ${join(out, 'model.json')}, ${join(out, 'weights.bin')}, ${join(out, 'metrics.json')}`);
  model.dispose();
  return 0;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Known, user-fixable problems get their message alone; anything else keeps its stack.
    if (error instanceof DataNotFoundError || (error as Error)?.name === 'IdxError') console.error(`error: ${(error as Error).message}`);
    else console.error(error);
    process.exit(1);
  },
);

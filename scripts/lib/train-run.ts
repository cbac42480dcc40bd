/**
 * The training half of `npm run train` (scripts/train.ts): data, backend, training, evaluation,
 * tables and the saved model. A module of its own so that the command loads TensorFlow.js only
 * once its arguments and --out folder are known to be good: a mistyped option answers at once.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MODEL_CATALOG } from '../../src/core/models/catalog.ts';
import { createModel } from '../../src/core/models/zoo.ts';
import { EpochEvaluation } from '../../src/core/training/epoch-evaluation.ts';
import { divergence } from '../../src/core/training/divergence.ts';
import { trainModel, type EpochResult } from '../../src/core/training/train.ts';
import { setupBackend } from './backend.ts';
import { loadSplit } from './fashion-data.ts';
import { locateFashionMnist } from './locate-data.ts';
import { saveModelToDir } from './disk-model-files.ts';
import { exitBySigint, Interrupts } from './interrupt.ts';
import { removeCreated, type PreparedOutDir } from './out-dir.ts';
import { ProgressBar } from './progress-bar.ts';
import { formatConfusion, formatDuration, formatReport } from './tables.ts';
import type { TrainArgs } from './train-args.ts';

const pct = (x: number | null) => (x === null ? '   -  ' : `${(100 * x).toFixed(2)}%`);

function epochLine(e: EpochResult, epochs: number): string {
  const val = e.valLoss === null ? '' : `  val_loss ${e.valLoss.toFixed(4)}  val_acc ${pct(e.valAccuracy)}`;
  return (
    `epoch ${e.epoch}/${epochs}  loss ${e.loss.toFixed(4)}  acc ${pct(e.accuracy)}${val}  ` +
    `${Math.round(e.imagesPerSecond)} img/s  ${e.seconds.toFixed(1)} s`
  );
}

/** An exit code, or 'interrupted': a Ctrl-C stopped the run, which was then saved. */
export type Outcome = number | 'interrupted';

export async function trainAndSave(args: TrainArgs, outDir: PreparedOutDir, onSaved: () => void): Promise<Outcome> {
  const out = outDir.dir;
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
  console.log(
    `backend: ${backend.backend}${backend.backend === 'wasm' ? ` (SIMD ${backend.simd ? 'on' : 'off'}, ${backend.threads} thread${backend.threads > 1 ? 's' : ''})` : ''}`,
  );
  console.log(`model: ${config.model} — ${info.title}, ${info.parameters.toLocaleString('en')} parameters (${info.origin})`);
  console.log(`config: ${JSON.stringify(config)}`);

  const controller = new AbortController();
  const interrupts = new Interrupts({
    onStop: () => {
      console.error('\nstopping after this batch, then evaluating and saving (Ctrl-C again to quit now)');
      controller.abort();
    },
    onQuit: () => {
      console.error('\nquitting without saving');
      removeCreated(outDir.created);
      exitBySigint();
    },
  });
  // Installed until the end: a Ctrl-C (or a relayed copy of one) during evaluation or saving
  // must not kill the run before it is saved.
  process.on('SIGINT', () => interrupts.handle());

  const model = createModel(config.model, config.seed, { dropout: config.dropout });
  const bar = new ProgressBar();
  const started = Date.now();
  let diverged: string | null = null;
  // The training loop's own count (its batch reports carry it), as the page's run state reads it.
  let batchesPerEpoch = 0;
  /** The test set after each epoch (--test-each-epoch), and at the end. */
  const tests = new EpochEvaluation(model, test, { eachEpoch: args.testEachEpoch, flipTest: config.flipTest });
  const result = await trainModel(model, train, config, {
    signal: controller.signal,
    onBatch: (p) => {
      batchesPerEpoch = p.batchesPerEpoch;
      bar.update(p);
    },
    onEpoch: async (e) => {
      bar.clear();
      console.log(epochLine(e, config.epochs));
      const warning = divergence(e, e.epoch * batchesPerEpoch);
      if (warning && !diverged) console.log(`warning: ${warning}`);
      diverged ??= warning;
      const after = await tests.afterEpoch(e.epoch);
      if (after) console.log(`  test after epoch ${e.epoch}: ${pct(after.accuracy)}  (loss ${after.loss.toFixed(4)})`);
    },
  });
  bar.clear();
  if (result.stopped) console.log(`stopped after ${result.history.length} complete epoch(s)`);

  // A run that ran to its end was tested after its last epoch already (--test-each-epoch): the
  // same weights, so that evaluation is the final one. A stopped run trained on after it.
  const { evaluation } = await tests.atEnd(result.history.length, result.stopped);
  const wallSeconds = (Date.now() - started) / 1000;
  console.log(`\nTest accuracy: ${pct(evaluation.accuracy)}  (loss ${evaluation.loss.toFixed(4)}, ${evaluation.count} images)`);
  if (diverged) console.log(`This run diverged: ${diverged}. The model is saved, but it has not learnt.`);
  console.log(
    `Training: ${formatDuration(result.seconds)} in gradient steps, ${Math.round(result.imagesPerSecond)} img/s; ${formatDuration(wallSeconds)} in all\n`,
  );
  console.log(`Confusion matrix (rows: true class, columns: predicted)\n${formatConfusion(evaluation.confusion)}\n`);
  console.log(`Classification report\n${formatReport(evaluation.report)}\n`);

  await saveModelToDir(model, out);
  onSaved();
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
    history: result.history.map((e) => {
      const after = tests.after(e.epoch);
      return after ? { ...e, testAccuracy: after.accuracy, testLoss: after.loss } : e;
    }),
    /** Why training went wrong (loss not a number, accuracy at chance after an epoch), or null. */
    diverged,
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
  return interrupts.requested ? 'interrupted' : 0;
}

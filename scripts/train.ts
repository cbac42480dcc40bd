/**
 * `npm run train -- --model tinyvgg --epochs 3`: trains one model of the zoo in Node on the
 * fastest backend here, prints per-epoch metrics, the test accuracy, the confusion matrix and the
 * per-class report, and saves model.json + weights.bin + metrics.json.
 * The --out folder is checked (created, written to) before any data is read.
 * Ctrl-C stops training at the next batch; the model so far is still evaluated and saved, then the
 * command ends as interrupted (killed by SIGINT, status 130). A second Ctrl-C quits at once.
 * TensorFlow.js loads only after the arguments and the folder passed (scripts/lib/train-run.ts).
 */
import { DataNotFoundError } from './lib/locate-data.ts';
import { exitBySigint } from './lib/interrupt.ts';
import { OutDirError, prepareOutDir, removeCreated, type PreparedOutDir } from './lib/out-dir.ts';
import { USAGE, UsageError, parseTrainArgs } from './lib/train-args.ts';
import type { Outcome } from './lib/train-run.ts';

async function main(argv: string[]): Promise<Outcome> {
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
  // Before reading data or training: a bad --out must not cost a whole run.
  let out: PreparedOutDir;
  try {
    out = prepareOutDir(args.out);
  } catch (e) {
    if (e instanceof OutDirError) {
      console.error(`error: ${e.message}`);
      return 2;
    }
    throw e;
  }
  let saved = false;
  try {
    const { trainAndSave } = await import('./lib/train-run.ts');
    return await trainAndSave(args, out, () => (saved = true));
  } finally {
    // A run that ends before saving leaves no empty folder of its own behind.
    if (!saved) removeCreated(out.created);
  }
}

main(process.argv.slice(2)).then(
  (outcome) => (outcome === 'interrupted' ? exitBySigint() : process.exit(outcome)),
  (error: unknown) => {
    // Known, user-fixable problems get their message alone; anything else keeps its stack.
    if (error instanceof DataNotFoundError || (error as Error)?.name === 'IdxError') console.error(`error: ${(error as Error).message}`);
    else console.error(error);
    process.exit(1);
  },
);

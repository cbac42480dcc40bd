/**
 * The training progress line on stderr: a bar, the epoch, images/s and the time left. On a
 * terminal it redraws in place; in a log (CI) it prints a line every tenth of an epoch instead.
 */
import type { BatchProgress } from '../../src/core/training/train.ts';
import { formatDuration } from './tables.ts';

export class ProgressBar {
  private lastTenth = -1;
  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: BatchProgress): void {
    const fraction = p.batch / p.batchesPerEpoch;
    const width = 24;
    const filled = Math.round(fraction * width);
    const line =
      `epoch ${p.epoch}/${p.epochs} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ` +
      `${p.batch}/${p.batchesPerEpoch}  loss ${p.loss.toFixed(4)}  acc ${(100 * p.accuracy).toFixed(1)}%  ` +
      `${Math.round(p.imagesPerSecond)} img/s  ETA ${formatDuration(p.etaSeconds)}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.padEnd(this.stream.columns ? this.stream.columns - 1 : 0)}`);
      return;
    }
    const tenth = Math.floor(fraction * 10) + p.epoch * 11;
    if (tenth !== this.lastTenth) {
      this.lastTenth = tenth;
      this.stream.write(`${line}\n`);
    }
  }

  /** Ends the redrawn line so the next output starts on a fresh one. */
  clear(): void {
    if (this.stream.isTTY) this.stream.write(`\r${' '.repeat(Math.max(0, (this.stream.columns ?? 80) - 1))}\r`);
  }
}

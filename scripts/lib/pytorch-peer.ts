/**
 * The PyTorch peer both benchmarks compare against: ../shared/peers/pytorch_fmnist.py (or the file
 * in PYTORCH_PEER) run through scripts/peers/pytorch_zoo.py, which adds the zoo models the shared
 * peer lacks. Skipped, with a line saying why, where no Python with torch is installed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PEER = process.env.PYTORCH_PEER ?? resolve(ROOT, '../shared/peers/pytorch_fmnist.py');
const PEER_EXTRA = join(ROOT, 'scripts/peers/pytorch_zoo.py');

/** One line of the peer's output (its JSON keys, as it prints them). */
export interface PeerRow {
  model: string;
  batch: number;
  train_images_per_s: number;
  infer_images_per_s: number;
  latency_ms: number;
  threads: number;
  torch: string;
}

export interface PeerOptions {
  reps: number;
  /** Training images timed per rep. */
  images: number;
  batch: number;
  /** PyTorch's intra-op threads (torch.set_num_threads): compared thread for thread with ours. */
  threads: number;
}

/** A Python with torch: the one on PATH, or Debian's (pyenv may shadow it). */
export function findTorchPython(): string | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore' });
    if (probe.status === 0) return python;
  }
  return null;
}

/**
 * The peer row that `ours` (a row of ours: model, batch, threads) is compared with: the same model
 * and batch on as many threads, so that a ratio never sets one of our threads against two of
 * theirs. Rows without threads (WebGL) are compared with one PyTorch thread.
 */
export function matchingPeer(
  peer: readonly PeerRow[],
  ours: { model: string; batch: number; threads: number | null },
): PeerRow | undefined {
  return peer.find((p) => p.model === ours.model && p.batch === ours.batch && p.threads === (ours.threads ?? 1));
}

/** The peer's rows for `models`, or [] (and a line on stderr) when it cannot run here. */
export function runPeer(models: readonly string[], options: PeerOptions): PeerRow[] {
  const python = findTorchPython();
  if (!python || !existsSync(PEER)) {
    console.error(`PyTorch peer skipped: ${python ? `${PEER} not found` : 'no python3 with torch (apt-get install -y python3-torch)'}`);
    return [];
  }
  console.error(`PyTorch peer (batch ${options.batch}, ${options.threads} thread${options.threads > 1 ? 's' : ''}): ${PEER}`);
  const args = [
    PEER_EXTRA,
    PEER,
    '--models',
    models.join(','),
    '--images',
    String(options.images),
    '--reps',
    String(options.reps),
    '--batch',
    String(options.batch),
    '--threads',
    String(options.threads),
  ];
  const out = execFileSync(python, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  return out
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as PeerRow);
}

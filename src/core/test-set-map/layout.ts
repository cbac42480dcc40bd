/**
 * Lays the map's feature vectors out flat with UMAP (umap-js), step by step: pictures the model
 * finds alike end up close together. Seeded, so the same features give the same map; progressive,
 * so a caller shows the map forming and can stop it between steps.
 */
import { UMAP } from 'umap-js';
import { Rng } from '../rng.ts';
import { throwIfStopped, type StopSignal } from '../signal.ts';
import { yieldToEventLoop } from '../yield.ts';
import type { Features } from './features.ts';
import { principalComponents } from './pca.ts';

export interface LayoutOptions {
  seed?: number;
  /** Principal components kept before the layout; 0 lays out the features as they are. */
  pcaDims?: number;
  /** Optimisation epochs (umap-js's default for a few thousand points is 500). */
  epochs?: number;
  /** Epochs between two frames handed to the caller. */
  epochsPerFrame?: number;
  /** Neighbours each point is tied to (UMAP's n_neighbors). */
  neighbours?: number;
  /** How tightly points may pack (UMAP's min_dist): higher spreads each class's cloud so its dots can be told apart. */
  minDistance?: number;
  signal?: StopSignal;
}

/** The layout so far: x, y per picture, scaled into the unit square [0, 1]². */
export interface LayoutFrame {
  positions: Float32Array;
  epoch: number;
  epochs: number;
}

export const LAYOUT_DEFAULTS = { seed: 1, pcaDims: 50, epochs: 200, epochsPerFrame: 25, neighbours: 15, minDistance: 0.5 } as const;

/** The embedding scaled into [0, 1]² keeping its aspect ratio, centred on the shorter side. */
export function toUnitSquare(embedding: number[][]): Float32Array {
  let minX = Infinity,
    minY = Infinity,
    maxX = -Infinity,
    maxY = -Infinity;
  for (const [x, y] of embedding) {
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }
  const span = Math.max(maxX - minX, maxY - minY) || 1;
  const padX = (span - (maxX - minX)) / 2;
  const padY = (span - (maxY - minY)) / 2;
  const out = new Float32Array(embedding.length * 2);
  embedding.forEach(([x, y], i) => {
    out[2 * i] = (x - minX + padX) / span;
    out[2 * i + 1] = (y - minY + padY) / span;
  });
  return out;
}

/**
 * The layout of `features`, frame by frame (every `epochsPerFrame` epochs, and the last one), the
 * event loop let in after each. The neighbour search before the first epoch runs in one go.
 * @throws StoppedError when `signal` is aborted between frames
 */
export async function* layoutFrames(features: Features, options: LayoutOptions = {}): AsyncGenerator<LayoutFrame> {
  const { seed, pcaDims, epochs, epochsPerFrame, neighbours, minDistance } = { ...LAYOUT_DEFAULTS, ...options };
  const reduced = pcaDims > 0 ? await principalComponents(features, pcaDims, seed) : features;
  throwIfStopped(options.signal);
  const rows: number[][] = [];
  for (let r = 0; r < reduced.count; r++) rows.push(Array.from(reduced.values.subarray(r * reduced.dim, (r + 1) * reduced.dim)));
  const rng = new Rng(seed);
  const umap = new UMAP({
    nComponents: 2,
    nNeighbors: Math.min(neighbours, rows.length - 1),
    nEpochs: epochs,
    minDist: minDistance,
    random: () => rng.next(),
  });
  const total = umap.initializeFit(rows);
  for (let epoch = 0; epoch < total;) {
    await yieldToEventLoop();
    throwIfStopped(options.signal);
    const until = Math.min(total, epoch + epochsPerFrame);
    while (epoch < until) epoch = umap.step();
    yield { positions: toUnitSquare(umap.getEmbedding()), epoch, epochs: total };
  }
}

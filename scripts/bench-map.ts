/**
 * `npm run bench:map`: how long the map of the test set takes, and how faithful it is, per model
 * and per number of principal components kept before the layout (0: the features as they are).
 *
 * Per setting: seconds for the features of the map's test images, for the layout (PCA, neighbour
 * search, epochs), and in all, as CPU time of this process (on a busy machine the wall clock
 * counts other programs' turns too; with one thread the CPU time is what an idle machine's clock
 * would show) and as wall-clock time; and two measures of the map (each over every image's 10 nearest):
 * how many of its nearest on the map share its class (next to the same in feature space), and how
 * many of its nearest in feature space are also its nearest on the map. Runs on WASM, like the page.
 *
 *   npm run bench:map -- [--models public/models/default,public/models/dense] [--images 2000]
 *                        [--pca 0,50] [--epochs 200] [--threads 1] [--seed 1]
 */
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import * as tf from '@tensorflow/tfjs';
import { balancedSample, startTestSetMap, type Features } from '../src/core/test-set-map/test-set-map.ts';
import { selectImages } from '../src/core/data/image-set.ts';
import { setupBackend } from './lib/backend.ts';
import { loadModelFromFile } from './lib/disk-model-files.ts';
import { loadSplit } from './lib/fashion-data.ts';
import { locateFashionMnist } from './lib/locate-data.ts';

const NEIGHBOURS = 10;

/** Each row's `k` nearest other rows (Euclidean), brute force. */
function knn(values: ArrayLike<number>, count: number, dim: number, k: number): Int32Array {
  const out = new Int32Array(count * k);
  const d = new Float64Array(count);
  const order = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    for (let j = 0; j < count; j++) {
      let s = 0;
      for (let c = 0; c < dim; c++) s += (values[i * dim + c] - values[j * dim + c]) ** 2;
      d[j] = i === j ? Infinity : s;
      order[j] = j;
    }
    const sorted = Array.from(order).sort((a, b) => d[a] - d[b]);
    out.set(sorted.slice(0, k), i * k);
  }
  return out;
}

const sameClass = (nn: Int32Array, labels: Uint8Array, k: number) => {
  let hits = 0;
  for (let i = 0; i < labels.length; i++) for (let j = 0; j < k; j++) hits += labels[nn[i * k + j]] === labels[i] ? 1 : 0;
  return hits / (labels.length * k);
};

const kept = (a: Int32Array, b: Int32Array, count: number, k: number) => {
  let hits = 0;
  for (let i = 0; i < count; i++) {
    const mine = new Set(a.subarray(i * k, (i + 1) * k));
    for (let j = 0; j < k; j++) hits += mine.has(b[i * k + j]) ? 1 : 0;
  }
  return hits / (count * k);
};

async function main() {
  const { values } = parseArgs({
    options: {
      models: { type: 'string', default: 'public/models/default' },
      images: { type: 'string', default: '2000' },
      pca: { type: 'string', default: '0,50' },
      epochs: { type: 'string', default: '200' },
      threads: { type: 'string', default: '1' },
      seed: { type: 'string', default: '1' },
    },
  });
  const backend = await setupBackend('wasm', { threads: Number(values.threads) });
  const test = loadSplit(await locateFashionMnist(), 'test');
  const sample = selectImages(test, balancedSample(test.labels, Number(values.images)));
  console.log(`map benchmark: ${sample.count} test images, ${backend.backend} (${backend.threads} thread(s)), ${values.epochs} epochs`);
  console.log(
    '| model | PCA dims | features, CPU s | layout, CPU s | total, CPU s (wall s) | same class on map | same class in features | neighbours kept |',
  );
  console.log('|---|---|---|---|---|---|---|---|');
  for (const dir of values.models!.split(',')) {
    const model = await loadModelFromFile(join(resolve(dir), 'model.json'));
    let reference: { nn: Int32Array; features: Features } | null = null;
    for (const pcaDims of values.pca!.split(',').map(Number)) {
      const cpu0 = process.cpuUsage();
      const start = performance.now();
      const map = await startTestSetMap(model, sample.images, sample.count, {
        pcaDims,
        epochs: Number(values.epochs),
        seed: Number(values.seed),
      });
      const cpu1 = process.cpuUsage();
      let positions: ArrayLike<number> = [];
      for await (const frame of map.frames) positions = frame.positions;
      const done = performance.now();
      const cpu2 = process.cpuUsage();
      reference ??= { features: map.features, nn: knn(map.features.values, map.features.count, map.features.dim, NEIGHBOURS) };
      const onMap = knn(positions, sample.count, 2, NEIGHBOURS);
      const s = (ms: number) => (ms / 1000).toFixed(2);
      const c = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => ((b.user + b.system - a.user - a.system) / 1e6).toFixed(2);
      const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
      console.log(
        `| ${dir} | ${pcaDims || `none (${map.features.dim})`} | ${c(cpu0, cpu1)} | ${c(cpu1, cpu2)} | ${c(cpu0, cpu2)} (${s(done - start)}) | ` +
          `${pct(sameClass(onMap, sample.labels, NEIGHBOURS))} | ${pct(sameClass(reference.nn, sample.labels, NEIGHBOURS))} | ${pct(kept(reference.nn, onMap, sample.count, NEIGHBOURS))} |`,
      );
    }
    model.dispose();
  }
  console.log(`tensors left: ${tf.memory().numTensors}`);
}

await main();

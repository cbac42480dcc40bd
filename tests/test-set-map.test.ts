/** The map of the test set's core (src/core/test-set-map/), in Node on the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, NUM_CLASSES } from '../src/core/classes.ts';
import { Rng } from '../src/core/rng.ts';
import { StoppedError } from '../src/core/signal.ts';
import { featureModel, featuresOf, TestSetMapError, type Features } from '../src/core/test-set-map/features.ts';
import { layoutFrames, type LayoutFrame } from '../src/core/test-set-map/layout.ts';
import { nearestNeighbours } from '../src/core/test-set-map/nearest.ts';
import { principalComponents, symmetricEigen } from '../src/core/test-set-map/pca.ts';
import { placeAmongNeighbours } from '../src/core/test-set-map/place.ts';
import { balancedSample } from '../src/core/test-set-map/sample.ts';
import { placePicture, startTestSetMap } from '../src/core/test-set-map/test-set-map.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Rows of `dim` numbers around `centres` (one cluster per centre, `perCluster` rows each), seeded. */
function clusters(centres: number[][], perCluster: number, spread: number, seed = 1): Features {
  const rng = new Rng(seed);
  const dim = centres[0].length;
  const count = centres.length * perCluster;
  const values = new Float32Array(count * dim);
  for (let r = 0; r < count; r++)
    for (let j = 0; j < dim; j++) values[r * dim + j] = centres[Math.floor(r / perCluster)][j] + spread * (rng.next() - 0.5);
  return { values, count, dim };
}

const randomImages = (count: number, seed: number) => {
  const rng = new Rng(seed);
  return Uint8Array.from({ length: count * IMAGE_PIXELS }, () => rng.int(256));
};

async function lastFrame(frames: AsyncGenerator<LayoutFrame>): Promise<{ last: LayoutFrame; count: number }> {
  let last: LayoutFrame | null = null;
  let count = 0;
  for await (const frame of frames) {
    if (last) expect(frame.epoch).toBeGreaterThan(last.epoch);
    last = frame;
    count++;
  }
  return { last: last!, count };
}

describe('balancedSample', () => {
  it('takes the same share of every class, the first of each in the set, ascending', () => {
    const labels = Uint8Array.from({ length: 500 }, (_, i) => (i * 7) % NUM_CLASSES);
    const sample = balancedSample(labels, 100);
    expect(sample).toHaveLength(100);
    expect(Array.from(sample)).toEqual([...sample].sort((a, b) => a - b));
    const perClass = new Array(NUM_CLASSES).fill(0);
    for (const i of sample) perClass[labels[i]]++;
    expect(perClass).toEqual(new Array(NUM_CLASSES).fill(10));
    expect(Array.from(balancedSample(labels, 100))).toEqual(Array.from(sample));
    expect(Array.from(sample.slice(0, 10))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it("gives a scarce class's share to the others, and refuses impossible counts", () => {
    const labels = Uint8Array.from([...new Array(50).fill(0), 1, 1]);
    const sample = balancedSample(labels, 10);
    expect(Array.from(sample).filter((i) => labels[i] === 1)).toHaveLength(2);
    expect(() => balancedSample(labels, 53)).toThrow('from 1 to 52, got 53');
    expect(() => balancedSample(labels, 0)).toThrow(RangeError);
    expect(() => balancedSample(labels, 2.5)).toThrow(RangeError);
  });
});

describe('features', () => {
  it('are the input of the last dense layer, as computed by hand on a known tiny model', async () => {
    const kernel = [
      [0.5, -1, 2],
      [1, 0.25, -0.5],
    ];
    const bias = [0.1, -0.2, 0.3];
    const model = tf.sequential({
      layers: [
        tf.layers.averagePooling2d({ inputShape: [28, 28, 1], poolSize: [14, 28], strides: [14, 28] }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 3, activation: 'relu', weights: [tf.tensor2d(kernel), tf.tensor1d(bias)] }),
        tf.layers.dropout({ rate: 0.5 }),
        tf.layers.dense({ units: NUM_CLASSES, activation: 'softmax' }),
      ],
    });
    const images = randomImages(5, 3);
    const features = await featuresOf(featureModel(model), images, 5, { batch: 2 });
    expect(features.dim).toBe(3);
    for (let n = 0; n < 5; n++) {
      // The pooling averages the top and the bottom half of the picture, in [0, 1].
      const halves = [0, 1].map((h) => {
        let sum = 0;
        for (let p = h * 392; p < (h + 1) * 392; p++) sum += images[n * IMAGE_PIXELS + p] / 255;
        return sum / 392;
      });
      for (let u = 0; u < 3; u++) {
        const expected = Math.max(0, halves[0] * kernel[0][u] + halves[1] * kernel[1][u] + bias[u]);
        expect(features.values[n * 3 + u]).toBeCloseTo(expected, 5);
      }
    }
    model.dispose();
  });

  it('refuses a model without a dense layer, saying what the map needs', () => {
    const model = tf.sequential({
      layers: [tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 10, kernelSize: 28, activation: 'softmax' }), tf.layers.flatten()],
    });
    expect(() => featureModel(model)).toThrow(TestSetMapError);
    expect(() => featureModel(model)).toThrow('last dense layer');
    model.dispose();
  });

  it('stop between batches when asked', async () => {
    const model = tf.sequential({
      layers: [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 4 }), tf.layers.dense({ units: 10 })],
    });
    await expect(featuresOf(featureModel(model), randomImages(4, 1), 4, { batch: 2, signal: { aborted: true } })).rejects.toThrow(
      StoppedError,
    );
    model.dispose();
  });
});

describe('nearestNeighbours', () => {
  it('are the true nearest rows, as sorting every distance finds them', () => {
    const features = clusters([[0, 0, 0, 0, 0]], 300, 4, 7);
    const rng = new Rng(11);
    for (let trial = 0; trial < 20; trial++) {
      const query = Array.from({ length: 5 }, () => 4 * (rng.next() - 0.5));
      const all = Array.from({ length: features.count }, (_, row) => ({
        row,
        distance: Math.hypot(...query.map((q, j) => features.values[row * 5 + j] - q)),
      })).sort((a, b) => a.distance - b.distance || a.row - b.row);
      const found = nearestNeighbours(features, query, 6);
      expect(found.rows).toEqual(all.slice(0, 6).map((a) => a.row));
      found.distances.forEach((d, i) => expect(d).toBeCloseTo(all[i].distance, 4));
    }
  });

  it('find a picture of the set itself first, at distance 0, and refuse a query of the wrong length', () => {
    const features = clusters([[0, 0, 0]], 20, 1);
    const found = nearestNeighbours(features, features.values.subarray(9, 12), 6);
    expect(found.rows[0]).toBe(3);
    expect(found.distances[0]).toBe(0);
    expect(nearestNeighbours(features, [0, 0, 0], 50).rows).toHaveLength(20);
    expect(() => nearestNeighbours(features, [0, 0], 6)).toThrow('the query has 2 features');
  });
});

describe('placeAmongNeighbours', () => {
  it('puts a picture closer to its nearer neighbours, and on a test image identical to it', () => {
    const positions = [0, 0, 1, 0, 0, 1];
    expect(placeAmongNeighbours(positions, { rows: [0, 1], distances: [1, 1] })).toEqual([0.5, 0]);
    const [x] = placeAmongNeighbours(positions, { rows: [1, 0], distances: [1, 3] });
    expect(x).toBeCloseTo(0.75);
    expect(placeAmongNeighbours(positions, { rows: [2, 1], distances: [0, 1] })).toEqual([0, 1]);
  });
});

describe('principal components', () => {
  it('eigen-decompose a symmetric matrix', () => {
    const { values, vectors } = symmetricEigen(Float64Array.from([2, 1, 0, 1, 2, 0, 0, 0, 5]), 3);
    expect(values.map((v) => +v.toFixed(6))).toEqual([5, 3, 1]);
    expect(Math.abs(vectors[2 * 3 + 0])).toBeCloseTo(1);
    expect(Math.abs(vectors[0 * 3 + 1])).toBeCloseTo(Math.SQRT1_2);
  });

  it('keep the distances of points that lie in a plane, and leave short vectors as they are', async () => {
    const rng = new Rng(5);
    const count = 60;
    const dim = 12;
    const u = Array.from({ length: dim }, () => rng.next() - 0.5);
    const v = Array.from({ length: dim }, () => rng.next() - 0.5);
    const values = new Float32Array(count * dim);
    for (let r = 0; r < count; r++) {
      const [a, b] = [rng.next() * 4, rng.next() * 4];
      for (let j = 0; j < dim; j++) values[r * dim + j] = 3 + a * u[j] + b * v[j];
    }
    const tensors = tf.memory().numTensors;
    const reduced = await principalComponents({ values, count, dim }, 2);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(reduced.dim).toBe(2);
    const distance = (f: Float32Array, d: number, i: number, j: number) =>
      Math.hypot(...Array.from({ length: d }, (_, k) => f[i * d + k] - f[j * d + k]));
    for (let i = 0; i < 10; i++) expect(distance(reduced.values, 2, i, i + 7)).toBeCloseTo(distance(values, dim, i, i + 7), 3);
    const short = { values, count, dim };
    expect(await principalComponents(short, dim)).toBe(short);
  });
});

describe('layoutFrames', () => {
  const features = clusters([Array(20).fill(0), Array(20).fill(3), [...Array(10).fill(3), ...Array(10).fill(-3)]], 40, 1);

  it('are the same for the same seed, frame after frame, and another seed gives another map', async () => {
    const options = { epochs: 60, epochsPerFrame: 20, pcaDims: 5 };
    const a = await lastFrame(layoutFrames(features, { ...options, seed: 3 }));
    const b = await lastFrame(layoutFrames(features, { ...options, seed: 3 }));
    const c = await lastFrame(layoutFrames(features, { ...options, seed: 4 }));
    expect(a.count).toBe(3);
    expect(a.last.epoch).toBe(a.last.epochs);
    expect(Array.from(b.last.positions)).toEqual(Array.from(a.last.positions));
    expect(Array.from(c.last.positions)).not.toEqual(Array.from(a.last.positions));
    for (const p of a.last.positions) {
      expect(p).toBeGreaterThanOrEqual(0);
      expect(p).toBeLessThanOrEqual(1);
    }
  });

  it('keep clusters of the features apart on the map', async () => {
    const { last } = await lastFrame(layoutFrames(features, { epochs: 100, pcaDims: 0 }));
    const cluster = (row: number) => Math.floor(row / 40);
    // Each point's nearest other point on the map belongs to its own cluster.
    let same = 0;
    for (let i = 0; i < features.count; i++) {
      let best = -1;
      let bestDistance = Infinity;
      for (let j = 0; j < features.count; j++) {
        const d =
          j === i
            ? Infinity
            : Math.hypot(last.positions[2 * i] - last.positions[2 * j], last.positions[2 * i + 1] - last.positions[2 * j + 1]);
        if (d < bestDistance) [best, bestDistance] = [j, d];
      }
      same += cluster(best) === cluster(i) ? 1 : 0;
    }
    expect(same).toBe(features.count);
  });

  it('stop between frames when asked', async () => {
    const signal = { aborted: false };
    const frames = layoutFrames(features, { epochs: 60, epochsPerFrame: 10, signal });
    await frames.next();
    signal.aborted = true;
    await expect(frames.next()).rejects.toThrow(StoppedError);
  });
});

describe('the map of a model', () => {
  it('places a picture among its nearest test images, and leaves no tensor behind', async () => {
    const model = tf.sequential({
      // Linear up to the features: no two random images share them (ReLU could zero them alike).
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 7, strides: 7 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 8 }),
        tf.layers.dense({ units: 10 }),
      ],
    });
    const images = randomImages(40, 9);
    const warm = await startTestSetMap(model, images, 40, { epochs: 20 });
    let positions: ArrayLike<number> = [];
    for await (const frame of warm.frames) positions = frame.positions;
    await placePicture(warm.probe, warm.features, positions, images.subarray(0, IMAGE_PIXELS));
    const tensors = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      const map = await startTestSetMap(model, images, 40, { epochs: 20 });
      for await (const frame of map.frames) positions = frame.positions;
      const picture = images.subarray(5 * IMAGE_PIXELS, 6 * IMAGE_PIXELS);
      const placed = await placePicture(map.probe, map.features, positions, picture);
      // A test image placed on its own map: itself first, and on its own point.
      expect(placed.nearest.rows[0]).toBe(5);
      expect(placed.nearest.rows).toHaveLength(6);
      expect(placed.position).toEqual([positions[10], positions[11]]);
    }
    expect(tf.memory().numTensors).toBe(tensors);
    model.dispose();
  });
});

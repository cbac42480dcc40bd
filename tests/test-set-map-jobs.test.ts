/** TestSetMapJobs (what the map worker does with each message), in Node on the cpu backend with a tiny model. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import { modelToData } from '../src/core/model-check.ts';
import type { ModelData } from '../src/core/model-json.ts';
import { Rng } from '../src/core/rng.ts';
import type { FromMapWorker } from '../src/app/test-set-map/test-set-map-protocol.ts';
import { TestSetMapJobs } from '../src/app/test-set-map/test-set-map-jobs.ts';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const COUNT = 60;
const images = (() => {
  const rng = new Rng(2);
  return Uint8Array.from({ length: COUNT * IMAGE_PIXELS }, () => rng.int(256));
})();

async function tinyModel(withDense = true): Promise<ModelData> {
  // Without a dense layer: ten 28×28 filters give the ten classes' scores straight away.
  const layers = withDense
    ? [
        // Linear up to the features: no two random images share them (ReLU could zero them alike).
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 2, kernelSize: 7, strides: 7 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 8 }),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ]
    : [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 10, kernelSize: 28 }),
        tf.layers.flatten(),
        tf.layers.activation({ activation: 'softmax' }),
      ];
  const model = tf.sequential({ layers });
  const data = await modelToData(model);
  model.dispose();
  return data;
}

function jobs() {
  const replies: FromMapWorker[] = [];
  const worker = new TestSetMapJobs(
    (message) => replies.push(message),
    async () => {},
  );
  return { worker, replies };
}

const picture = (row: number) => images.slice(row * IMAGE_PIXELS, (row + 1) * IMAGE_PIXELS);

describe('TestSetMapJobs', () => {
  it('sends the layout frame by frame, and a picture asked about early its nearest test images once they are known', async () => {
    const { worker, replies } = jobs();
    const data = await tinyModel();
    const done = worker.handle({ type: 'map', job: 1, data, images: images.slice(), count: COUNT, epochs: 50 });
    await worker.handle({ type: 'place', job: 1, request: 7, image: picture(4) });
    await done;
    const frames = replies.filter((r) => r.type === 'map-frame');
    expect(frames.map((f) => f.epoch)).toEqual([25, 50]);
    expect(frames[1].positions).toHaveLength(2 * COUNT);
    const placed = replies.find((r) => r.type === 'placed');
    expect(placed).toMatchObject({ job: 1, request: 7 });
    expect(placed!.type === 'placed' && placed!.rows[0]).toBe(4);
    // After the layout, pictures are answered at once.
    await worker.handle({ type: 'place', job: 1, request: 8, image: picture(9) });
    expect(replies.at(-1)).toMatchObject({ type: 'placed', request: 8, rows: expect.arrayContaining([9]) });
    worker.stop();
  });

  it('stops a map when a newer one comes, frees its model, and leaves no tensor behind', async () => {
    const { worker, replies } = jobs();
    const data = await tinyModel();
    await worker.handle({ type: 'map', job: 1, data, images: images.slice(), count: COUNT, epochs: 25 });
    worker.stop();
    const tensors = tf.memory().numTensors;
    const first = worker.handle({ type: 'map', job: 2, data, images: images.slice(), count: COUNT, epochs: 100 });
    // Let the first map get going, then replace it.
    await new Promise((resolve) => setTimeout(resolve, 0));
    const second = worker.handle({ type: 'map', job: 3, data, images: images.slice(), count: COUNT, epochs: 25 });
    await Promise.all([first, second]);
    const frames = replies.filter((r) => r.type === 'map-frame');
    expect(frames.filter((f) => f.job === 2).length).toBeLessThan(4);
    expect(frames.filter((f) => f.job === 3).map((f) => f.epoch)).toEqual([25]);
    await worker.handle({ type: 'place', job: 2, request: 1, image: picture(0) });
    expect(replies.filter((r) => r.type === 'placed')).toHaveLength(0);
    await worker.handle({ type: 'cancel', job: 3 });
    expect(tf.memory().numTensors).toBe(tensors);
  });

  it('says why a model cannot be mapped, and frees it', async () => {
    const { worker, replies } = jobs();
    const tensors = tf.memory().numTensors;
    await worker.handle({ type: 'map', job: 5, data: await tinyModel(false), images: images.slice(), count: COUNT });
    expect(replies).toEqual([{ type: 'map-failed', job: 5, message: expect.stringContaining('last dense layer'), refused: true }]);
    expect(tf.memory().numTensors).toBe(tensors);
  });
});

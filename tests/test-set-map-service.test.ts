/** TestSetMapService (app/test-set-map/): what it asks the map worker and what the page is shown, with a fake worker. */
import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import type { ModelData } from '../src/core/model-json.ts';
import type { FromMapWorker, ToMapWorker } from '../src/app/test-set-map/test-set-map-protocol.ts';
import { TestSetMapService, type MapWorkerLike } from '../src/app/test-set-map/test-set-map-service.ts';

class FakeWorker implements MapWorkerLike {
  readonly posted: ToMapWorker[] = [];
  private listener: ((event: { data: FromMapWorker }) => void) | null = null;
  private onError: ((event: { message?: string; preventDefault(): void }) => void) | null = null;
  terminated = false;
  postMessage(message: ToMapWorker): void {
    this.posted.push(message);
  }
  addEventListener(type: 'message' | 'error', listener: never): void {
    if (type === 'message') this.listener = listener;
    else this.onError = listener;
  }
  terminate(): void {
    this.terminated = true;
  }
  send(message: FromMapWorker): void {
    this.listener?.({ data: message });
  }
  crash(message: string): void {
    this.onError?.({ message, preventDefault: () => {} });
  }
  last<T extends ToMapWorker['type']>(type: T): Extract<ToMapWorker, { type: T }> {
    return this.posted.filter((m) => m.type === type).at(-1) as Extract<ToMapWorker, { type: T }>;
  }
}

const model = (): ModelData => ({ modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(8) }) as unknown as ModelData;
const testSet = () => {
  const labels = Uint8Array.from({ length: 3000 }, (_, i) => i % 10);
  const images = Uint8Array.from({ length: 3000 * IMAGE_PIXELS }, (_, p) => Math.floor(p / IMAGE_PIXELS) % 251);
  return { images, labels };
};

function setup() {
  const workers: FakeWorker[] = [];
  const service = new TestSetMapService(() => {
    const worker = new FakeWorker();
    workers.push(worker);
    return worker;
  });
  return { service, workers };
}

describe('TestSetMapService', () => {
  it('maps the answering model once the test set is in, on 2,000 of its images balanced by class', () => {
    const { service, workers } = setup();
    const data = model();
    service.setModel(data);
    expect(workers).toHaveLength(0);
    expect(service.getState().status).toEqual({ kind: 'waiting', message: 'The map comes once the test images are in.' });
    const { images, labels } = testSet();
    service.setTestSet(images, labels);
    const map = workers[0].last('map');
    expect(map.count).toBe(2000);
    expect(map.data.weightData).not.toBe(data.weightData);
    const { indices } = service.getState();
    expect(indices).toHaveLength(2000);
    // The 7th image sent is test image indices[7], byte for byte.
    expect(Array.from(map.images.subarray(7 * IMAGE_PIXELS, 8 * IMAGE_PIXELS))).toEqual(
      Array.from(images.subarray(indices![7] * IMAGE_PIXELS, (indices![7] + 1) * IMAGE_PIXELS)),
    );
    expect(service.getState().status).toEqual({ kind: 'computing', message: 'Reading 2,000 test images through the model…' });
  });

  it("maps a test set smaller than 2,000 images whole (the replay's)", () => {
    const { service, workers } = setup();
    service.setModel(model());
    service.setTestSet(
      new Uint8Array(500 * IMAGE_PIXELS),
      Uint8Array.from({ length: 500 }, (_, i) => i % 10),
    );
    expect(workers[0].last('map').count).toBe(500);
  });

  it('shows the layout as it forms, and the picture among its nearest test images', () => {
    const { service, workers } = setup();
    const { images, labels } = testSet();
    service.setTestSet(images, labels);
    service.setModel(model());
    const worker = workers[0];
    const job = worker.last('map').job;
    const picture = new Uint8Array(IMAGE_PIXELS).fill(3);
    service.place(picture);
    const place = worker.last('place');
    expect(place.job).toBe(job);
    expect(Array.from(place.image)).toEqual(Array.from(picture));
    const positions = new Float32Array(4000);
    positions.set([0.2, 0.4, 0.6, 0.8], 0);
    worker.send({ type: 'map-frame', job, positions, epoch: 25, epochs: 200 });
    expect(service.getState().status).toEqual({ kind: 'computing', message: 'Laying out the map: step 25 of 200…' });
    worker.send({ type: 'placed', job, request: place.request, rows: [1, 0], distances: [1, 1] });
    const state = service.getState();
    const { indices } = state;
    expect(state.nearest).toEqual([
      { index: indices![1], label: labels[indices![1]], distance: 1 },
      { index: indices![0], label: labels[indices![0]], distance: 1 },
    ]);
    expect(state.marker![0]).toBeCloseTo(0.4);
    expect(state.marker![1]).toBeCloseTo(0.6);
    worker.send({ type: 'map-frame', job, positions: new Float32Array(4000), epoch: 200, epochs: 200 });
    expect(service.getState().status).toEqual({ kind: 'ready' });
    expect(service.getState().marker).toEqual([0, 0]);
    service.place(null);
    expect(service.getState().nearest).toBeNull();
    expect(service.getState().marker).toBeNull();
  });

  it('stops the map of a model replaced meanwhile, and ignores what the worker still says about it', () => {
    const { service, workers } = setup();
    const { images, labels } = testSet();
    service.setTestSet(images, labels);
    service.setModel(model());
    const worker = workers[0];
    const old = worker.last('map').job;
    service.setModel(model());
    expect(worker.last('cancel').job).toBe(old);
    const next = worker.last('map').job;
    expect(next).not.toBe(old);
    worker.send({ type: 'map-frame', job: old, positions: new Float32Array(4000), epoch: 200, epochs: 200 });
    expect(service.getState().positions).toBeNull();
    worker.send({ type: 'map-failed', job: old, message: 'old', refused: false });
    expect(service.getState().status.kind).toBe('computing');
  });

  it('makes no map while a run trains: an unfinished one is stopped and made again after', () => {
    const { service, workers } = setup();
    const { images, labels } = testSet();
    service.setTestSet(images, labels);
    service.setModel(model());
    const worker = workers[0];
    const first = worker.last('map').job;
    service.setPaused(true);
    expect(worker.last('cancel').job).toBe(first);
    expect(service.getState().status).toEqual({
      kind: 'paused',
      message: 'The map is made once training ends, so that it does not slow training down.',
    });
    service.setPaused(false);
    const second = worker.last('map').job;
    expect(second).not.toBe(first);
    worker.send({ type: 'map-frame', job: second, positions: new Float32Array(4000), epoch: 200, epochs: 200 });
    const sent = worker.posted.length;
    service.setPaused(true);
    expect(worker.posted).toHaveLength(sent);
    expect(service.getState().status).toEqual({ kind: 'ready' });
    expect(service.getState().training).toBe(true);
    // The run's model takes over at its end: its map is made then, not before.
    const trained = model();
    service.setModel(trained);
    expect(worker.posted.filter((m) => m.type === 'map')).toHaveLength(2);
    expect(service.getState().status.kind).toBe('paused');
    service.setPaused(false);
    expect(worker.last('map').data.modelTopology).toBe(trained.modelTopology);
    expect(service.getState().training).toBe(false);
  });

  it('says why a model cannot be mapped, and starts a fresh worker after one stopped', () => {
    const { service, workers } = setup();
    const { images, labels } = testSet();
    service.setTestSet(images, labels);
    service.setModel(model());
    workers[0].send({ type: 'map-failed', job: workers[0].last('map').job, message: 'the map needs a dense layer', refused: true });
    expect(service.getState().status).toEqual({
      kind: 'error',
      message: 'The map could not be made for this model: the map needs a dense layer',
    });
    service.setModel(model());
    workers[0].crash('out of memory');
    expect(workers[0].terminated).toBe(true);
    expect(service.getState().status).toEqual({
      kind: 'error',
      message: "The map could not be made for this model: the map's worker stopped: out of memory",
    });
    service.setModel(model());
    expect(workers).toHaveLength(2);
    expect(workers[1].last('map')).toBeTruthy();
  });
});

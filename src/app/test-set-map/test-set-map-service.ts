/**
 * The map of the test set on the page, without React: which model is mapped (the one that answers
 * drawings and uploads), on which test images (MAP_IMAGES of them, balanced by class), the layout
 * as it forms, and the current picture's nearest test images and place on the map. The work is
 * done by the map worker (test-set-map-worker.ts); this decides what to ask and keeps what it says.
 *
 * - A new model or test set starts a new map; the one before is stopped and forgotten.
 * - While a run trains, no map is made (both would share the same few cores); an unfinished map is
 *   stopped and made again when the run ends. A finished one stays: the answering model changes
 *   only when a run hands its model over, at its end.
 * - The marker is placed on the page among the picture's nearest test images, so it follows the
 *   layout as it moves; the worker only finds the neighbours.
 */
import { IMAGE_PIXELS } from '../../core/classes.ts';
import type { ModelData } from '../../core/model-json.ts';
import { placeAmongNeighbours } from '../../core/test-set-map/place.ts';
import { balancedSample, MAP_IMAGES } from '../../core/test-set-map/sample.ts';
import type { FromMapWorker, ToMapWorker } from './test-set-map-protocol.ts';

/** What the service needs of a worker (a DOM Worker, or a fake in tests). */
export interface MapWorkerLike {
  postMessage(message: ToMapWorker, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: { data: FromMapWorker }) => void): void;
  addEventListener(type: 'error', listener: (event: { message?: string; preventDefault(): void }) => void): void;
  terminate(): void;
}

export type MapStatus =
  | { kind: 'waiting'; message: string }
  | { kind: 'paused'; message: string }
  | { kind: 'computing'; message: string }
  | { kind: 'ready' }
  | { kind: 'error'; message: string };

export interface NearestImage {
  /** Its index in the test set. */
  index: number;
  label: number;
  /** Its distance to the picture in the model's feature space. */
  distance: number;
}

export interface TestSetMapState {
  status: MapStatus;
  /** The map's test images: their indices in the test set and their labels; null before the test set is in. */
  indices: Int32Array | null;
  labels: Uint8Array | null;
  /** x, y in [0, 1]² per map image, the latest frame; null until the first. */
  positions: Float32Array | null;
  epoch: number;
  epochs: number;
  /** The current picture's nearest test images, nearest first; null without a picture or before they are found. */
  nearest: NearestImage[] | null;
  /** The current picture's place on the map, in [0, 1]². */
  marker: [number, number] | null;
  /** True while a run trains: the map shown (if any) stays the answering model's until the run ends. */
  training: boolean;
}

const WAITING_FOR_TEST_SET = 'The map comes once the test images are in.';
const WAITING_FOR_MODEL = 'The map comes once a model answers.';
const PAUSED = 'The map is made once training ends, so that it does not slow training down.';

export class TestSetMapService {
  private readonly spawn: () => MapWorkerLike;
  private worker: MapWorkerLike | null = null;
  private data: ModelData | null = null;
  private testSet: { images: Uint8Array; indices: Int32Array; labels: Uint8Array } | null = null;
  private paused = false;
  private image: Uint8Array | null = null;
  /** The map being made or shown: its job number and the model and test set it is of. */
  private job: { id: number; data: ModelData; testSet: NonNullable<TestSetMapService['testSet']>; done: boolean; started: number } | null =
    null;
  private nextJob = 1;
  private nextRequest = 1;
  private answered = 0;
  /** The latest frame of the layout, and the current picture's nearest rows. */
  private frame: { positions: Float32Array; epoch: number; epochs: number } | null = null;
  private rows: { rows: number[]; distances: number[] } | null = null;
  /** Why the last map failed, until another starts. */
  private error: string | null = null;
  private disposed = false;
  private state: TestSetMapState;
  private readonly listeners = new Set<() => void>();

  private readonly epochs: number | undefined;

  /**
   * @param spawn starts a map worker; called again after one stopped
   * @param epochs the layout's epochs (default: the layout's own)
   */
  constructor(spawn: () => MapWorkerLike, epochs?: number) {
    this.spawn = spawn;
    this.epochs = epochs;
    this.state = {
      status: { kind: 'waiting', message: WAITING_FOR_TEST_SET },
      indices: null,
      labels: null,
      positions: null,
      epoch: 0,
      epochs: 0,
      nearest: null,
      marker: null,
      training: false,
    };
  }

  getState = (): TestSetMapState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The test set (784 bytes per image, a label each): the map shows a balanced sample of it. */
  setTestSet(images: Uint8Array | null, labels: Uint8Array | null): void {
    if (images === this.testSet?.images || this.disposed) return;
    if (!images || !labels || labels.length === 0) this.testSet = null;
    else {
      // A smaller test set (the replay's) is mapped whole.
      const indices = balancedSample(labels, Math.min(MAP_IMAGES, labels.length));
      this.testSet = { images, indices, labels: Uint8Array.from(indices, (i) => labels[i]) };
    }
    this.update();
  }

  /** The model to map (the answering model's data); null when none answers. */
  setModel(data: ModelData | null): void {
    if (data === this.data || this.disposed) return;
    this.data = data;
    this.update();
  }

  /** True while a run trains. */
  setPaused(paused: boolean): void {
    if (paused === this.paused || this.disposed) return;
    this.paused = paused;
    this.update();
  }

  /** The current picture (784 bytes), or null: its nearest test images and place on the map. */
  place(image: Uint8Array | null): void {
    if (image === this.image || this.disposed) return;
    this.image = image;
    this.rows = null;
    if (image && this.job) this.ask(image);
    this.publish();
  }

  dispose(): void {
    this.disposed = true;
    this.worker?.terminate();
    this.worker = null;
    this.listeners.clear();
  }

  /** Starts, stops or keeps the map after a change of model, test set or training. */
  private update(): void {
    const { data, testSet, job } = this;
    const current = job !== null && job.data === data && job.testSet === testSet;
    if (job && (!current || (this.paused && !job.done))) {
      this.post({ type: 'cancel', job: job.id });
      this.job = null;
      this.frame = null;
      this.rows = null;
    }
    if (!this.job && data && testSet && !this.paused) this.start(data, testSet);
    this.publish();
  }

  private start(data: ModelData, testSet: NonNullable<TestSetMapService['testSet']>): void {
    const id = this.nextJob++;
    this.job = { id, data, testSet, done: false, started: performance.now() };
    this.error = null;
    const { indices } = testSet;
    const images = new Uint8Array(indices.length * IMAGE_PIXELS);
    indices.forEach((index, i) => images.set(testSet.images.subarray(index * IMAGE_PIXELS, (index + 1) * IMAGE_PIXELS), i * IMAGE_PIXELS));
    // A copy of the weights: the page keeps its own (to answer, store, download).
    const weightData = data.weightData.slice(0);
    this.post({ type: 'map', job: id, data: { ...data, weightData }, images, count: indices.length, epochs: this.epochs }, [
      weightData,
      images.buffer,
    ]);
    if (this.image) this.ask(this.image);
  }

  private ask(image: Uint8Array): void {
    const copy = image.slice();
    this.post({ type: 'place', job: this.job!.id, request: this.nextRequest++, image: copy }, [copy.buffer]);
  }

  private post(message: ToMapWorker, transfer: Transferable[] = []): void {
    if (!this.worker) {
      if (message.type !== 'map') return;
      this.worker = this.spawn();
      const worker = this.worker;
      worker.addEventListener('message', (event) => this.onMessage(event.data));
      worker.addEventListener('error', (event) => {
        event.preventDefault();
        if (worker !== this.worker) return;
        worker.terminate();
        this.worker = null;
        this.failed(`the map's worker stopped: ${event.message || 'it could not start'}`);
      });
    }
    this.worker.postMessage(message, transfer);
  }

  private failed(message: string): void {
    this.job = null;
    this.frame = null;
    this.rows = null;
    this.error = `The map could not be made for this model: ${message}`;
    this.publish();
  }

  private onMessage(message: FromMapWorker): void {
    if (this.disposed || message.job !== this.job?.id) return;
    switch (message.type) {
      case 'map-frame':
        this.frame = { positions: message.positions, epoch: message.epoch, epochs: message.epochs };
        if (message.epoch >= message.epochs && !this.job.done) {
          this.job.done = true;
          // For DevTools' performance panel and the browser test: how long a whole map took here.
          performance.measure('test-set-map', { start: this.job.started, end: performance.now() });
        }
        break;
      case 'placed':
        if (message.request <= this.answered || !this.image) return;
        this.answered = message.request;
        this.rows = { rows: message.rows, distances: message.distances };
        break;
      case 'map-failed':
        this.failed(message.message);
        return;
    }
    this.publish();
  }

  private statusOf(): MapStatus {
    if (this.error && !this.job) return { kind: 'error', message: this.error };
    if (!this.testSet) return { kind: 'waiting', message: WAITING_FOR_TEST_SET };
    if (!this.data) return { kind: 'waiting', message: WAITING_FOR_MODEL };
    if (!this.job) return { kind: 'paused', message: PAUSED };
    const frame = this.frame;
    if (this.job.done) return { kind: 'ready' };
    const count = this.testSet.indices.length.toLocaleString('en');
    if (!frame) return { kind: 'computing', message: `Reading ${count} test images through the model…` };
    return { kind: 'computing', message: `Laying out the map: step ${frame.epoch} of ${frame.epochs}…` };
  }

  private publish(): void {
    if (this.disposed) return;
    const frame = this.frame;
    const testSet = this.job?.testSet ?? this.testSet;
    const rows = this.rows;
    this.state = {
      status: this.statusOf(),
      indices: testSet?.indices ?? null,
      labels: testSet?.labels ?? null,
      positions: frame?.positions ?? null,
      epoch: frame?.epoch ?? 0,
      epochs: frame?.epochs ?? 0,
      nearest:
        rows && testSet
          ? rows.rows.map((row, i) => ({ index: testSet.indices[row], label: testSet.labels[row], distance: rows.distances[i] }))
          : null,
      marker: rows && frame ? placeAmongNeighbours(frame.positions, rows) : null,
      training: this.paused,
    };
    for (const listener of [...this.listeners]) listener();
  }
}

/**
 * A fake ModelRuntime for the classification service's tests: models are plain objects named by
 * their data, predictions wait until the test finishes them, and using or disposing a model that
 * is already disposed fails the test.
 */
import type { ModelData } from '../../src/core/model-json.ts';
import type { AnswerOptions, ModelRuntime, Prediction } from '../../src/app/classify/classification-service.ts';

export interface FakeModel {
  name: string;
  disposed: boolean;
}

interface PendingPrediction {
  model: FakeModel;
  image: Uint8Array;
  finish(): void;
  fail(message: string): void;
}

/** Model data the fake builds into a model called `name`; names starting with 'bad' do not build, 'nan' ones answer NaN. */
export function fakeData(name: string): ModelData {
  return { modelTopology: { name }, weightSpecs: [], weightData: new ArrayBuffer(0) };
}

export class FakeRuntime implements ModelRuntime<FakeModel> {
  readonly built: FakeModel[] = [];
  /** Every prediction asked for, in order: which model, which image. */
  readonly predictions: { model: string; image: Uint8Array }[] = [];
  /** Predictions started and not finished yet. */
  readonly pending: PendingPrediction[] = [];
  readonly disposed: string[] = [];
  /** Errors the runtime saw that the service should never cause. */
  readonly misuse: string[] = [];
  /** Builds of these names wait until release(name). */
  private readonly gates = new Map<string, { promise: Promise<void>; open: () => void }>();
  /** When true, predictions finish by themselves. */
  autoFinish = false;

  hold(name: string): void {
    let open!: () => void;
    const promise = new Promise<void>((resolve) => (open = resolve));
    this.gates.set(name, { promise, open });
  }

  release(name: string): void {
    this.gates.get(name)?.open();
  }

  /** The options each build was given, by model name: a model trained with flipTest answers with it. */
  readonly buildOptions = new Map<string, AnswerOptions | undefined>();

  async build(data: ModelData, options?: AnswerOptions): Promise<FakeModel> {
    const name = (data.modelTopology as { name: string }).name;
    this.buildOptions.set(name, options);
    await this.gates.get(name)?.promise;
    if (name.startsWith('bad')) throw new Error(`${name} expects input 32×32×3`);
    const model = { name, disposed: false };
    this.built.push(model);
    return model;
  }

  predict(model: FakeModel, image: Uint8Array): Promise<Prediction> {
    if (model.disposed) this.misuse.push(`predict with disposed ${model.name}`);
    this.predictions.push({ model: model.name, image });
    // The first class's probability is the image's first byte, so answers say which image they are for.
    // A model whose name starts with 'nan' answers NaN for the third class (Pullover).
    const result: Prediction = {
      probabilities: Float32Array.of(image[0], 0, model.name.startsWith('nan') ? NaN : 0, 0, 0, 0, 0, 0, 0, 0),
      ms: 1,
      tensors: 7,
    };
    return new Promise((resolve, reject) => {
      const entry: PendingPrediction = {
        model,
        image,
        finish: () => {
          this.settle(entry);
          if (model.disposed) this.misuse.push(`${model.name} disposed while predicting`);
          resolve(result);
        },
        fail: (message) => {
          this.settle(entry);
          reject(new Error(message));
        },
      };
      if (this.autoFinish) resolve(result);
      else this.pending.push(entry);
    });
  }

  private settle(entry: PendingPrediction): void {
    const at = this.pending.indexOf(entry);
    if (at >= 0) this.pending.splice(at, 1);
  }

  dispose(model: FakeModel): void {
    if (model.disposed) this.misuse.push(`${model.name} disposed twice`);
    model.disposed = true;
    this.disposed.push(model.name);
  }

  /** How many times the service closed the runtime (the classifier worker's is ended then). */
  closed = 0;

  close(): void {
    this.closed++;
  }

  /** Models built and not disposed. */
  alive(): string[] {
    return this.built.filter((m) => !m.disposed).map((m) => m.name);
  }
}

/** A 784-byte image whose first byte is `tag`. */
export function taggedImage(tag: number): Uint8Array {
  const image = new Uint8Array(784);
  image[0] = tag;
  return image;
}

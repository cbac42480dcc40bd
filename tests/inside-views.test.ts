/** InsideViews: latest request first, one inspection at a time, results per model key, errors said. */
import { describe, expect, it } from 'vitest';
import type { InspectRequest } from '../src/core/inside/inspector.ts';
import type { Inspection } from '../src/app/classify/classification-service.ts';
import { InsideViews, type InsideTarget } from '../src/app/inside/inside-views.ts';

interface Call {
  key: string;
  image: Uint8Array;
  request: InspectRequest;
  resolve(): void;
  reject(error: Error): void;
}

function fakeInspect() {
  const calls: Call[] = [];
  const inspect = (key: string, image: Uint8Array, request: InspectRequest) =>
    new Promise<Inspection>((resolve, reject) => {
      calls.push({
        key,
        image,
        request,
        resolve: () => resolve({ ms: image[0], why: { classIndex: request.explainClass ?? 0 } } as unknown as Inspection),
        reject,
      });
    });
  return { calls, inspect };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const picture = (v: number) => new Uint8Array(784).fill(v);
const target = (key: string, image: Uint8Array, explainClass: number | null = null, version: unknown = 1): InsideTarget => ({
  key,
  image,
  request: { explainClass },
  version,
});

describe('InsideViews', () => {
  it('runs one inspection at a time and skips to the latest picture', async () => {
    const { calls, inspect } = fakeInspect();
    const views = new InsideViews(inspect, (run) => run());
    const [a, b, c] = [picture(1), picture(2), picture(3)];
    views.show([target('default', a)]);
    expect(calls).toHaveLength(1);
    views.show([target('default', b)]);
    views.show([target('default', c)]);
    expect(calls).toHaveLength(1);
    expect(views.getState().default.busy).toBe(true);
    calls[0].resolve();
    await settle();
    // b was replaced by c before it ran.
    expect(calls.map((call) => call.image)).toEqual([a, c]);
    expect(views.getState().default.result?.ms).toBe(1);
    expect(views.getState().default.busy).toBe(true);
    calls[1].resolve();
    await settle();
    expect(views.getState().default).toMatchObject({ busy: false, error: null, result: { ms: 3 } });
  });

  it('asks again when the class to explain or the model changes, not when nothing does', async () => {
    const { calls, inspect } = fakeInspect();
    const views = new InsideViews(inspect, (run) => run());
    const a = picture(1);
    views.show([target('default', a)]);
    calls[0].resolve();
    await settle();
    views.show([target('default', a)]);
    expect(calls).toHaveLength(1);
    views.show([target('default', a, 4)]);
    expect(calls[1].request.explainClass).toBe(4);
    calls[1].resolve();
    await settle();
    views.show([target('default', a, 4, 2)]);
    expect(calls).toHaveLength(3);
  });

  it('keeps one view per model (both members side by side) and drops a key no longer shown', async () => {
    const { calls, inspect } = fakeInspect();
    const views = new InsideViews(inspect, (run) => run());
    const a = picture(5);
    views.show([target('dense', a), target('default', a)]);
    calls[0].resolve();
    await settle();
    calls[1].resolve();
    await settle();
    expect(calls.map((c) => c.key)).toEqual(['dense', 'default']);
    expect(Object.keys(views.getState())).toEqual(['dense', 'default']);
    views.show([target('default', a)]);
    expect(Object.keys(views.getState())).toEqual(['default']);
  });

  it('says why a view has no result', async () => {
    const { calls, inspect } = fakeInspect();
    const views = new InsideViews(inspect, (run) => run());
    views.show([target('file', picture(1))]);
    calls[0].reject(new Error('this view needs a model whose layers follow one another in a single chain'));
    await settle();
    expect(views.getState().file).toMatchObject({
      busy: false,
      result: null,
      error: 'this view needs a model whose layers follow one another in a single chain',
    });
  });
});

describe('ClassificationService.inspect', () => {
  it("looks inside the key's current model and disposes a model replaced meanwhile only once that is done", async () => {
    const { ClassificationService } = await import('../src/app/classify/classification-service.ts');
    const { fakeData, FakeRuntime } = await import('./helpers/fake-model-runtime.ts');
    const runtime = new FakeRuntime();
    let finish!: () => void;
    const looked: string[] = [];
    const inspect = (model: { name: string; disposed: boolean }) => {
      looked.push(model.name);
      return new Promise<Inspection>(
        (resolve) => (finish = () => resolve({ ms: 1, disposedMeanwhile: model.disposed } as unknown as Inspection)),
      );
    };
    const service = new ClassificationService(Object.assign(runtime, { inspect }));
    await service.setModel('default', fakeData('a'));
    const inspected = service.inspect('default', picture(1));
    await service.setModel('default', fakeData('b'));
    expect(runtime.disposed).toEqual([]);
    finish();
    expect(await inspected).toMatchObject({ disposedMeanwhile: false });
    expect(runtime.disposed).toEqual(['a']);
    expect(looked).toEqual(['a']);
    await expect(service.inspect('nothing', picture(1))).rejects.toThrow('that model is not ready');
  });
});

describe('shownModels', () => {
  it('shows the answering model, or both side-by-side members, each once it has answered', async () => {
    const { shownModels } = await import('../src/app/inside/shown-models.ts');
    const image = picture(1);
    const ok = (key: string) => ({ key, image, ok: true as const, probabilities: new Float32Array(10), ms: 1, tensors: 0 });
    const s = {
      image,
      answering: [],
      models: {},
      answers: {
        default: ok('default'),
        dense: ok('dense'),
        'compared-cnn': { key: 'compared-cnn', image, ok: false as const, message: 'NaN' },
      },
    };
    const answering = { key: 'default', title: 'The ready-trained Playground CNN' };
    const off = { on: false, members: [{ title: 'Dense network' }, { title: 'CNN' }] };
    expect(shownModels(s, answering, off, ['dense', 'default']).map((m) => [m.key, m.title])).toEqual([
      ['default', 'The ready-trained Playground CNN'],
    ]);
    expect(shownModels(s, answering, { ...off, on: true }, ['dense', 'default']).map((m) => [m.key, m.title])).toEqual([
      ['dense', 'Dense network'],
      ['default', 'CNN'],
    ]);
    // A member whose answer failed is not looked into; nothing is shown without a picture.
    expect(shownModels(s, answering, { ...off, on: true }, ['dense', 'compared-cnn']).map((m) => m.key)).toEqual(['dense']);
    expect(shownModels({ ...s, image: null }, answering, off, ['dense', 'default'])).toEqual([]);
    expect(shownModels(s, answering, off, [])[0].version).toBe(s.answers.default);
  });
});

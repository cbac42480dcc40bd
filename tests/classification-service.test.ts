/**
 * The page's classification service with fake models: latest request wins, every asked model
 * answers, models are disposed when replaced or with the service but never mid-prediction, and
 * errors come back as values.
 */
import { describe, expect, it, vi } from 'vitest';
import { ClassificationService, type Answer } from '../src/app/classify/classification-service.ts';
import { fakeData, FakeRuntime, taggedImage } from './helpers/fake-model-runtime.ts';

/** A service with models `names` built and answering. */
async function serviceWith(...names: string[]) {
  const runtime = new FakeRuntime();
  const service = new ClassificationService(runtime);
  for (const name of names) expect(await service.setModel(name, fakeData(name))).toEqual({ kind: 'ready' });
  service.answerWith(names);
  return { runtime, service };
}

/** Waits until `n` predictions have started (the service starts them on a later task). */
const started = (runtime: FakeRuntime, n: number) => vi.waitFor(() => expect(runtime.predictions).toHaveLength(n));

/** Lets every queued task run: a prediction the service would start has started by then. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

const tagOf = (answer: Answer | undefined) => (answer?.ok ? answer.probabilities[0] : null);

describe('ClassificationService', () => {
  it('answers the latest request: three quick requests give two predictions, the last image answered', async () => {
    const { runtime, service } = await serviceWith('a');
    const [first, second, third] = [taggedImage(1), taggedImage(2), taggedImage(3)];
    service.classify(first);
    await started(runtime, 1);
    service.classify(second); // waits
    service.classify(third); // replaces the waiting one
    runtime.pending[0].finish();
    await started(runtime, 2);
    runtime.pending[0].finish();
    await settle();
    expect(runtime.predictions.map((p) => p.image)).toEqual([first, third]);
    const answer = service.getState().answers.a;
    expect(answer).toMatchObject({ key: 'a', ok: true, image: third, ms: 1, tensors: 7 });
    expect(tagOf(answer)).toBe(3);
    expect(runtime.pending).toHaveLength(0);
    expect(runtime.misuse).toEqual([]);
  });

  it('collapses requests made in the same task into the latest', async () => {
    const { runtime, service } = await serviceWith('a');
    runtime.autoFinish = true;
    for (let tag = 1; tag <= 5; tag++) service.classify(taggedImage(tag));
    await settle();
    expect(runtime.predictions.map((p) => p.image[0])).toEqual([5]);
  });

  it('answers with every model it is asked to, one answer per key, and only those', async () => {
    const { runtime, service } = await serviceWith('dense', 'cnn', 'trained');
    runtime.autoFinish = true;
    service.answerWith(['trained', 'dense', 'cnn', 'dense']);
    const image = taggedImage(9);
    service.classify(image);
    await settle();
    expect(runtime.predictions.map((p) => p.model)).toEqual(['trained', 'dense', 'cnn']);
    const { answers, answering } = service.getState();
    expect(answering).toEqual(['trained', 'dense', 'cnn']);
    expect(Object.keys(answers).sort()).toEqual(['cnn', 'dense', 'trained']);
    for (const key of ['trained', 'dense', 'cnn']) expect(answers[key]).toMatchObject({ key, ok: true, image });

    // Fewer models asked: the others' answers go, nothing is predicted again.
    service.answerWith(['cnn']);
    expect(Object.keys(service.getState().answers)).toEqual(['cnn']);
    // One asked again answers the picture again; a clear removes every answer.
    service.answerWith(['cnn', 'dense']);
    await settle();
    expect(runtime.predictions.map((p) => p.model)).toEqual(['trained', 'dense', 'cnn', 'dense']);
    service.classify(null);
    expect(service.getState().answers).toEqual({});
    expect(service.getState().image).toBeNull();
  });

  it('a key whose model arrives later answers the latest picture then', async () => {
    const runtime = new FakeRuntime();
    runtime.autoFinish = true;
    const service = new ClassificationService(runtime);
    service.answerWith(['default']);
    const image = taggedImage(4);
    service.classify(image);
    await settle();
    expect(runtime.predictions).toHaveLength(0);
    const building = service.setModel('default', fakeData('default'));
    expect(service.getState().models.default).toEqual({ kind: 'building' });
    await building;
    await settle();
    expect(service.getState().models.default).toEqual({ kind: 'ready' });
    expect(service.getState().answers.default).toMatchObject({ ok: true, image });
  });

  it('disposes a replaced model only after the prediction using it finished, then answers with the new one', async () => {
    const { runtime, service } = await serviceWith('trained');
    const image = taggedImage(5);
    service.classify(image);
    await started(runtime, 1);
    const replaced = fakeData('trained-2');
    expect(await service.setModel('trained', replaced)).toEqual({ kind: 'ready' });
    expect(runtime.disposed).toEqual([]); // still predicting
    runtime.pending[0].finish();
    await vi.waitFor(() => expect(runtime.disposed).toEqual(['trained']));
    // The picture is answered again by the replacement.
    await started(runtime, 2);
    expect(runtime.predictions[1]).toEqual({ model: 'trained-2', image });
    runtime.pending[0].finish();
    await settle();
    expect(runtime.alive()).toEqual(['trained-2']);
    // The same data again builds nothing; a model not predicting is disposed at once.
    expect(await service.setModel('trained', replaced)).toEqual({ kind: 'ready' });
    expect(runtime.built).toHaveLength(2);
    await service.setModel('trained', fakeData('trained-3'));
    expect(runtime.disposed).toEqual(['trained', 'trained-2']);
    service.removeModel('trained');
    expect(runtime.disposed).toEqual(['trained', 'trained-2', 'trained-3']);
    expect(service.getState().answers).toEqual({});
    expect(runtime.misuse).toEqual([]);
  });

  it('drops a build that a later one superseded', async () => {
    const { runtime, service } = await serviceWith('file');
    runtime.hold('slow');
    const slow = service.setModel('file', fakeData('slow'));
    const fast = service.setModel('file', fakeData('fast'));
    expect(await fast).toEqual({ kind: 'ready' });
    runtime.release('slow');
    expect(await slow).toEqual({ kind: 'superseded' });
    expect(runtime.alive()).toEqual(['fast']);
  });

  it('dispose frees every model, one predicting once it is done and one still building when it is built', async () => {
    const { runtime, service } = await serviceWith('dense', 'cnn');
    runtime.hold('late');
    const late = service.setModel('late', fakeData('late'));
    service.classify(taggedImage(6));
    await started(runtime, 1);
    service.dispose();
    expect(runtime.disposed).toEqual(['cnn']); // dense is predicting
    expect(runtime.closed).toBe(1); // the runtime (the classifier worker) is closed once
    service.dispose();
    expect(runtime.closed).toBe(1);
    runtime.pending[0].finish();
    await vi.waitFor(() => expect(runtime.disposed).toEqual(['cnn', 'dense']));
    runtime.release('late');
    expect(await late).toEqual({ kind: 'superseded' });
    expect(runtime.alive()).toEqual([]);
    await settle();
    expect(runtime.predictions).toHaveLength(1); // cnn never ran
    expect(service.getState()).toEqual({ image: null, answering: [], models: {}, answers: {} });
    // A disposed service answers nothing and builds nothing.
    service.classify(taggedImage(7));
    expect(await service.setModel('dense', fakeData('again'))).toEqual({ kind: 'superseded' });
    await settle();
    expect(runtime.predictions).toHaveLength(1);
    expect(runtime.misuse).toEqual([]);
  });

  it('reports a failing prediction as that model answer, and the next request still works', async () => {
    const { runtime, service } = await serviceWith('a', 'b');
    const broken = taggedImage(8);
    service.classify(broken);
    await started(runtime, 1);
    runtime.pending[0].fail('the backend lost its context');
    await started(runtime, 2);
    runtime.pending[0].finish();
    await settle();
    expect(service.getState().answers.a).toEqual({ key: 'a', image: broken, ok: false, message: 'the backend lost its context' });
    expect(service.getState().answers.b).toMatchObject({ ok: true, image: broken });
    expect(runtime.predictions).toHaveLength(2); // a failed answer is not retried for the same picture

    runtime.autoFinish = true;
    const next = taggedImage(9);
    service.classify(next);
    await settle();
    expect(service.getState().answers.a).toMatchObject({ ok: true, image: next });
    expect(tagOf(service.getState().answers.a)).toBe(9);
  });

  it('reports a model that does not build as a value, keeping the model that was there', async () => {
    const { runtime, service } = await serviceWith('file');
    runtime.autoFinish = true;
    const result = await service.setModel('file', fakeData('bad-file'));
    expect(result).toMatchObject({ kind: 'error', message: 'bad-file expects input 32×32×3' });
    expect(service.getState().models.file).toEqual({ kind: 'ready' });
    service.classify(taggedImage(3));
    await settle();
    expect(runtime.predictions).toEqual([{ model: 'file', image: taggedImage(3) }]);
    // With no model before it, the key's status says why.
    await service.setModel('other', fakeData('bad-other'));
    expect(service.getState().models.other).toEqual({ kind: 'error', message: 'bad-other expects input 32×32×3' });
  });

  it('tells subscribers about every change with a new snapshot', async () => {
    const { service } = await serviceWith('a');
    const seen: unknown[] = [];
    const unsubscribe = service.subscribe(() => seen.push(service.getState()));
    const before = service.getState();
    service.classify(taggedImage(1));
    expect(seen).toHaveLength(1);
    expect(seen[0]).not.toBe(before);
    unsubscribe();
    service.classify(null);
    expect(seen).toHaveLength(1);
  });

  it('gives an answer that is not all finite numbers as an error, not as probabilities', async () => {
    const { runtime, service } = await serviceWith('nan-model', 'a');
    runtime.autoFinish = true;
    service.classify(taggedImage(4));
    await vi.waitFor(() => expect(Object.keys(service.getState().answers)).toHaveLength(2));
    const answers = service.getState().answers;
    expect(answers['nan-model']).toMatchObject({ ok: false, message: 'it answered NaN for Pullover instead of a probability' });
    expect(answers.a).toMatchObject({ ok: true });
  });
});

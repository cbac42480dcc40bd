/**
 * Which model answers the page's drawings and uploads (PageModels, with fake browser effects and
 * fake models): the shipped model fetched when needed; a trained model taking over only when it is
 * at least as good as the answering one on every figure both have (test accuracy, sketches,
 * photos), else offered with where each is better (and only its score changing on a
 * re-evaluation); the person's choice winning and remembered; the kept model and choice restored.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { atLeastAsGood, compareFigures, firstToAnswer } from '../src/app/classify/answering-rule.ts';
import { recordOf } from '../src/app/classify/stored-models.ts';
import { fakeData, taggedImage } from './helpers/fake-model-runtime.ts';
import { trainedModel, setUp, settle, ready } from './helpers/page-models-setup.ts';

describe('PageModels: which model answers', () => {
  it('fetches the ready-trained model only once the training images are in, or at once when a picture needs it', async () => {
    const waiting = setUp();
    waiting.models.setDataLoading(true);
    await waiting.models.restored;
    waiting.models.setBackendReady(true);
    await settle();
    expect(waiting.fetched).toEqual([]);
    expect(waiting.models.getState().status).toEqual({
      kind: 'loading',
      message: 'The ready-trained model comes once the training images are in, or as soon as you draw.',
    });
    waiting.models.setDataLoading(false);
    await vi.waitFor(() => expect(waiting.models.getState().active).toBe('default'));
    expect(waiting.fetched).toEqual(['default']);

    // A drawing before the images are in: the answer cannot wait.
    const drawing = setUp();
    drawing.models.setDataLoading(true);
    await drawing.models.restored;
    drawing.models.setBackendReady(true);
    await settle();
    drawing.models.classify(taggedImage(3));
    await vi.waitFor(() => expect(drawing.models.getState().answer?.key).toBe('default'));
    expect(drawing.fetched).toEqual(['default']);
  });

  it('answers with the shipped default CNN, fetched once the backend is ready, and times an upload', async () => {
    const { runtime, models, fetched, measures, choices } = setUp();
    await models.restored;
    // Coming, not answering: the page never claims a model that is not there.
    expect(models.getState().active).toBeNull();
    expect(models.getState().pending).toBe('default');
    expect(models.getState().status).toEqual({ kind: 'loading', message: 'Loading the ready-trained Playground CNN…' });
    expect(fetched).toEqual([]); // the page's tfjs is not ready yet
    models.setBackendReady(true);
    await vi.waitFor(() => expect(models.getState().status).toEqual({ kind: 'ready' }));
    expect(models.getState().active).toBe('default');
    expect(choices).toEqual([]); // nobody chose it
    expect(fetched).toEqual(['default']); // the dense baseline is fetched only when needed
    expect(models.getState().entries.default?.description).toBe('ready-trained Playground CNN (92.1% test accuracy)');
    expect(models.getState().entries.default?.accuracy).toBe(0.9211);

    const image = taggedImage(3);
    models.classify(image, 'upload: classify');
    await settle();
    expect(models.getState().answer).toMatchObject({
      key: 'default',
      ms: 1,
      tensors: 7,
      description: 'ready-trained Playground CNN (92.1% test accuracy)',
    });
    expect(runtime.predictions).toEqual([{ model: 'shipped-default', image }]);
    expect(measures).toEqual(['upload: classify: 5']);
    models.classify(null);
    expect(models.getState().answer).toBeNull();

    models.dispose();
    expect(runtime.alive()).toEqual([]);
  });

  it('keeps the better model answering: a worse trained model is offered, a choice wins and is remembered', async () => {
    const { runtime, models, stored, choices } = await ready();
    const worse = trainedModel(1, 'dense', 0.321);
    models.setTrained(worse);
    await settle();
    expect(models.getState().active).toBe('default');
    expect(models.getState().pending).toBeNull();
    expect(models.getState().offer).toEqual({
      key: 'trained',
      description: 'your Dense baseline, 1 epoch on 540 images (32.1% test accuracy)',
      comparison: 'your model reads fewer test images (32.1% against 92.1%)',
    });
    expect(runtime.alive()).toEqual(['shipped-default']); // not built until chosen
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.321]); // kept all the same
    expect(choices).toEqual([]);

    // The person chooses it: it answers, and that is remembered; the shipped one is offered back.
    models.choose('trained');
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    expect(choices).toEqual(['trained']);
    expect(models.getState().offer).toEqual({
      key: 'default',
      description: 'ready-trained Playground CNN (92.1% test accuracy)',
      comparison: null,
    });
    models.classify(taggedImage(1));
    await settle();
    expect(models.getState().answer?.key).toBe('trained');
    expect(runtime.predictions.at(-1)?.model).toBe('run-1-dense');

    // A new run at least as good as the answering one takes over by itself (not remembered as a choice).
    models.setTrained(trainedModel(2, 'tinyvgg', 0.5));
    await vi.waitFor(() => expect(runtime.alive()).toEqual(['shipped-default', 'run-2-tinyvgg']));
    expect(models.getState().active).toBe('trained');
    expect(choices).toEqual(['trained']);
    // A run with no test accuracy does not: the trained model that answered is replaced by it, so
    // the shipped default answers, and the new one is offered.
    models.setTrained(trainedModel(3, 'dense', null));
    await vi.waitFor(() => expect(models.getState().active).toBe('default'));
    expect(models.getState().offer?.description).toBe('your Dense baseline, 1 epoch on 540 images (not evaluated on the test set)');
  });

  it('lets a trained model at least as good take over; a later score of the same run keeps its model and the choice', async () => {
    const { runtime, models, stored, choices } = await ready();
    const first = trainedModel(1, 'dense', 0.93);
    models.setTrained(first);
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    expect(models.getState().entries.trained?.description).toBe('your Dense baseline, 1 epoch on 540 images (93.0% test accuracy)');
    expect(runtime.alive()).toEqual(['shipped-default', 'run-1-dense']);
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.93]);

    models.choose('default');
    await vi.waitFor(() => expect(models.getState().active).toBe('default'));
    models.setTrained({ ...first, evaluation: { epoch: 1, accuracy: 0.94, loss: 0.4 }, data: fakeData('copy') });
    await settle();
    expect(models.getState().active).toBe('default');
    expect(models.getState().entries.trained?.description).toBe('your Dense baseline, 1 epoch on 540 images (94.0% test accuracy)');
    expect(runtime.built.map((m) => m.name)).toEqual(['shipped-default', 'run-1-dense']);
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.93, 0.94]);
    expect(choices).toEqual(['default']);
  });

  it("answers with flip averaging when the model was trained with it (its configuration's flipTest)", async () => {
    const { runtime, models } = await ready();
    models.setTrained({ ...trainedModel(1, 'wide', 0.95), config: { ...DEFAULT_CONFIG, model: 'wide', flipTest: true } });
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    expect(runtime.buildOptions.get('run-1-wide')).toEqual({ flipTest: true });
    expect(runtime.buildOptions.get('shipped-default')).toEqual({ flipTest: false });
  });

  it('a stopped run scored later (Evaluate) takes over then if it is at least as good, unless the person chose meanwhile', async () => {
    const { models } = await ready();
    const stopped = trainedModel(1, 'dense', null);
    models.setTrained(stopped);
    await settle();
    expect(models.getState().active).toBe('default');
    models.setTrained({ ...stopped, evaluation: { epoch: 1, accuracy: 0.95, loss: 0.2 } });
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));

    const other = await ready();
    other.models.setTrained(stopped);
    other.models.choose('dense');
    other.models.setTrained({ ...stopped, evaluation: { epoch: 1, accuracy: 0.95, loss: 0.2 } });
    await vi.waitFor(() => expect(other.models.getState().active).toBe('dense'));
    await settle();
    expect(other.models.getState().active).toBe('dense');
  });

  it('restores the kept model and the remembered choice; without a choice, the better of kept and shipped', async () => {
    const record = recordOf(trainedModel(4, 'dense', 0.8), 0);
    const chosen = setUp({ stored: { trained: record }, choice: 'dense' });
    await chosen.models.restored;
    expect(chosen.models.getState().pending).toBe('dense');
    expect(chosen.models.getState().entries.trained?.data).toBe(record.model);

    // 80.0% is below the shipped default's 92.1%: the default answers, the kept one is offered.
    const worse = await ready({ stored: { trained: record } });
    expect(worse.models.getState().active).toBe('default');
    expect(worse.models.getState().offer?.key).toBe('trained');

    const better = recordOf(trainedModel(5, 'dense', 0.95), 0);
    const own = setUp({ stored: { trained: better } });
    await own.models.restored;
    expect(own.models.getState().pending).toBe('trained');
    own.models.setBackendReady(true);
    await vi.waitFor(() => expect(own.models.getState().active).toBe('trained'));
    expect(own.fetched).toEqual([]);
    expect(own.runtime.alive()).toEqual(['run-5-dense']);
    own.models.download();
    expect(own.downloads).toEqual([better.model]);

    // A remembered model that is not kept any more: the shipped default.
    const gone = setUp({ choice: 'file' });
    await gone.models.restored;
    expect(gone.models.getState().pending).toBe('default');
  });
});

describe('the answering rule: best on every figure both models have', () => {
  const shipped = { test: 0.9318, sketches: 0.394, photos: 0.91 };

  it('asks for test accuracy always, and for sketches and photos where both models have them', () => {
    // Better on the test set but worse on sketches: not better on all three.
    expect(atLeastAsGood({ test: 0.94, sketches: 0.3, photos: null }, shipped)).toBe(false);
    expect(atLeastAsGood({ test: 0.94, sketches: 0.55, photos: null }, shipped)).toBe(true);
    // Photos unknown on one side: compared on the figures both have.
    expect(atLeastAsGood({ test: 0.94, sketches: 0.55, photos: 0.5 }, { ...shipped, photos: null })).toBe(true);
    expect(atLeastAsGood({ test: 0.94, sketches: 0.55, photos: 0.5 }, shipped)).toBe(false);
    // No test accuracy on either side: never.
    expect(atLeastAsGood({ test: null, sketches: 0.9, photos: 0.99 }, shipped)).toBe(false);
    expect(atLeastAsGood({ test: 0.99, sketches: null, photos: null }, { test: null, sketches: 0.1, photos: 0.1 })).toBe(false);
  });

  it('says where each model is better, on the figures both have', () => {
    expect(compareFigures({ test: 0.903, sketches: 0.551, photos: null }, shipped)).toBe(
      'reads more sketches (55.1% against 39.4%) but fewer test images (90.3% against 93.2%)',
    );
    expect(compareFigures({ test: 0.5, sketches: 0.2, photos: 0.95 }, shipped)).toBe(
      'reads more product photos (95.0% against 91.0%) but fewer test images (50.0% against 93.2%) and sketches (20.0% against 39.4%)',
    );
    expect(compareFigures({ test: null, sketches: null, photos: null }, shipped)).toBeNull();
  });

  it("measures a trained model's sketches before it may replace the answering model, and offers it with words where it reads fewer", async () => {
    let measured: (accuracy: number) => void = () => {};
    const asked: boolean[] = [];
    const { models, stored } = await ready({
      shippedFigures: { sketches: 0.394, photos: 0.91 },
      measureSketches: (_data, flipTest) => {
        asked.push(flipTest);
        return new Promise((resolve) => (measured = resolve));
      },
    });
    // Better on the test set than the shipped 92.1%: under the old rule it took over at once.
    models.setTrained(trainedModel(1, 'wide', 0.95));
    await settle();
    expect(asked).toEqual([false]);
    expect(models.getState().active).toBe('default');
    expect(models.getState().offer?.comparison).toBe('measuring how it reads sketches…');
    measured(0.3);
    await vi.waitFor(() => expect(models.getState().entries.trained?.sketches).toBe(0.3));
    await settle();
    expect(models.getState().active).toBe('default');
    expect(models.getState().offer?.comparison).toBe(
      'your model reads more test images (95.0% against 92.1%) but fewer sketches (30.0% against 39.4%)',
    );
    expect(models.getState().entries.trained?.scores).toBe('reads 30.0% of sketches in our benchmark of what people give the page');
    expect(stored.at(-1)?.answers).toEqual({ sketchAccuracy: 0.3 }); // kept with it for the next visit

    // Better on both figures the shipped model and it have: it takes over once measured.
    models.setTrained(trainedModel(2, 'wide', 0.95));
    measured(0.5);
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    expect(models.getState().entries.trained?.sketches).toBe(0.5);
  });

  it('on a later visit, a kept model answers first only if it is at least as good on every figure both have', async () => {
    const kept = { ...recordOf(trainedModel(4, 'wide', 0.95), 0), answers: { sketchAccuracy: 0.3 } };
    const worse = await ready({ stored: { trained: kept }, shippedFigures: { sketches: 0.394, photos: 0.91 } });
    expect(worse.models.getState().active).toBe('default');
    expect(worse.models.getState().entries.trained?.sketches).toBe(0.3);
    const first = (sketches: number) =>
      firstToAnswer(null, { trained: { accuracy: 0.95 } }, Promise.resolve(shipped), () => ({ test: 0.95, sketches, photos: null }));
    expect(await first(0.3)).toBe('default');
    expect(await first(0.4)).toBe('trained');
  });
});

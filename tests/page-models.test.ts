/**
 * The page's models for drawings and uploads (PageModels) with fake browser effects and fake
 * models: the shipped model fetched when needed; a trained model taking over only when it is at
 * least as good as the answering one, else offered (and only its score changing on a
 * re-evaluation); the person's choice winning and remembered; the stored model and choice
 * restored; a switch to a shipped model that cannot be downloaded leaving the answering one in
 * place, with a Retry; models with NaN weights refused; the comparison's pair side by side; Load
 * model refusing what does not fit and saying when it cannot be kept.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { ModelCheckError, type ModelData } from '../src/core/model-json.ts';
import type { ModelCard } from '../src/core/model-card.ts';
import { MODEL_CATALOG, type ModelName } from '../src/core/models/catalog.ts';
import type { TrainedModel } from '../src/app/protocol.ts';
import { ClassificationService } from '../src/app/classify/classification-service.ts';
import type { ModelKey } from '../src/app/classify/describe-model.ts';
import { PageModels, recordOf, type PageModelsDeps } from '../src/app/classify/page-models.ts';
import type { StoredModel } from '../src/app/classify/stored-model.ts';
import { fakeData, FakeRuntime, taggedImage } from './helpers/fake-model-runtime.ts';

function trainedModel(runId: number, model: ModelName, accuracy: number | null, member = 0): TrainedModel {
  return {
    runId,
    member,
    config: { ...DEFAULT_CONFIG, model, epochs: 1, trainSize: 600 },
    epochs: 1,
    stopped: false,
    trainImages: 540,
    evaluation: accuracy === null ? null : { epoch: 1, accuracy, loss: 0.5 },
    data: fakeData(`run-${runId}-${model}`),
  };
}

interface SetUpOptions {
  stored?: Partial<Record<'trained' | 'file', StoredModel>>;
  choice?: ModelKey | null;
  fetchShipped?: PageModelsDeps['fetchShipped'];
  store?: PageModelsDeps['store'];
  writeChoice?: PageModelsDeps['writeChoice'];
}

/**
 * A model.json cheap to load but costly to run: the 28×28 input enlarged 100 times, one 3×3
 * filter, global average pooling, Dense(10) (94 million operations an answer).
 */
function costlyData(): ModelData {
  const layers = [
    { class_name: 'UpSampling2D', config: { name: 'up', size: [100, 100], batch_input_shape: [null, 28, 28, 1] } },
    { class_name: 'Conv2D', config: { name: 'conv', filters: 1, kernel_size: [3, 3], strides: [1, 1], padding: 'valid', dilation_rate: [1, 1] } },
    { class_name: 'GlobalAveragePooling2D', config: { name: 'pool' } },
    { class_name: 'Dense', config: { name: 'out', units: 10, activation: 'softmax' } },
  ];
  const weightSpecs = [
    { name: 'conv/kernel', shape: [3, 3, 1, 1], dtype: 'float32' as const },
    { name: 'conv/bias', shape: [1], dtype: 'float32' as const },
    { name: 'out/kernel', shape: [1, 10], dtype: 'float32' as const },
    { name: 'out/bias', shape: [10], dtype: 'float32' as const },
  ];
  return { modelTopology: { class_name: 'Sequential', config: { layers } }, weightSpecs, weightData: new Float32Array(30).buffer };
}

/** Model data whose second weight is NaN: a run that diverged. */
function nanData(name: string): ModelData {
  return { modelTopology: { name }, weightSpecs: [{ name: 'dense/kernel', shape: [3], dtype: 'float32' }], weightData: Float32Array.of(1, NaN, 2).buffer };
}

function setUp(options: SetUpOptions = {}) {
  const runtime = new FakeRuntime();
  runtime.autoFinish = true;
  const fetched: string[] = [];
  const stored: StoredModel[] = [];
  const forgotten: string[] = [];
  const choices: ModelKey[] = [];
  const measures: string[] = [];
  const downloads: ModelData[] = [];
  const cards: (ModelCard | null)[] = [];
  /** The card each file name's model.json holds: what the last download wrote, for 'downloaded.json'. */
  const cardOf = (name: string) => (name === 'downloaded.json' ? (cards.at(-1) ?? null) : null);
  let clock = 0;
  const deps: PageModelsDeps = {
    service: new ClassificationService(runtime),
    fetchShipped: async (key) => {
      if (options.fetchShipped) return options.fetchShipped(key);
      fetched.push(key);
      return fakeData(`shipped-${key}`);
    },
    shippedFacts: async (key) => ({ accuracy: key === 'default' ? 0.9211 : 0.8675, scores: null, calibration: null }),
    loadStored: async () => options.stored ?? {},
    store: async (record) => {
      if (options.store) return options.store(record);
      stored.push(record);
    },
    forget: async (slot) => {
      forgotten.push(slot);
    },
    readChoice: () => options.choice ?? null,
    writeChoice: (key) => {
      options.writeChoice?.(key);
      choices.push(key);
    },
    readFiles: async (files) => {
      const name = files[0].name;
      if (name === 'package.json') throw new ModelCheckError('package.json is not a Keras/tfjs layers model');
      if (name.startsWith('nan')) return { name, data: nanData(name), card: null };
      if (name.startsWith('costly')) return { name, data: costlyData(), card: null };
      return { name, data: fakeData(name.replace('.json', '')), card: cardOf(name) };
    },
    download: (data, card) => {
      downloads.push(data);
      cards.push(card);
    },
    now: () => (clock += 5),
    measure: (name, start, end) => measures.push(`${name}: ${end - start}`),
  };
  const models = new PageModels(deps);
  return { runtime, models, fetched, stored, forgotten, choices, measures, downloads, cards };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

/** Restored, the backend ready, and the shipped default answering. */
async function ready(options: SetUpOptions = {}) {
  const set = setUp(options);
  await set.models.restored;
  set.models.setBackendReady(true);
  await vi.waitFor(() => expect(set.models.getState().status).toEqual({ kind: 'ready' }));
  return set;
}

describe('PageModels', () => {
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
    expect(models.getState().answer).toMatchObject({ key: 'default', ms: 1, tensors: 7, description: 'ready-trained Playground CNN (92.1% test accuracy)' });
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
    expect(models.getState().offer).toEqual({ key: 'trained', description: 'your Dense baseline, 1 epoch on 540 images (32.1% test accuracy)' });
    expect(runtime.alive()).toEqual(['shipped-default']); // not built until chosen
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.321]); // kept all the same
    expect(choices).toEqual([]);

    // The person chooses it: it answers, and that is remembered; the shipped one is offered back.
    models.choose('trained');
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    expect(choices).toEqual(['trained']);
    expect(models.getState().offer).toEqual({ key: 'default', description: 'ready-trained Playground CNN (92.1% test accuracy)' });
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

  it('refuses a model with NaN weights: handed over by a run, or kept in IndexedDB (then removed)', async () => {
    const { models, stored, runtime } = await ready();
    models.setTrained({ ...trainedModel(1, 'dense', 0.95), data: nanData('diverged') });
    await settle();
    expect(models.getState().active).toBe('default');
    expect(models.getState().entries.trained).toBeUndefined();
    expect(models.getState().modelError).toBe(
      'Your trained model cannot answer, so it was not kept: its weights are not all finite numbers: weight "dense/kernel" holds NaN (value 2 of 3).',
    );
    expect(stored).toEqual([]);
    expect(runtime.built.map((m) => m.name)).toEqual(['shipped-default']);

    const record = { ...recordOf(trainedModel(4, 'dense', 0.95), 0), model: nanData('kept') };
    const restored = await ready({ stored: { trained: record }, choice: 'trained' });
    expect(restored.models.getState().active).toBe('default');
    expect(restored.models.getState().entries.trained).toBeUndefined();
    expect(restored.forgotten).toEqual(['trained']);
    expect(restored.models.getState().modelError).toBe(
      'Your trained model kept in this browser cannot answer and was removed: its weights are not all finite numbers: weight "dense/kernel" holds NaN (value 2 of 3).',
    );
  });

  it('refuses a model whose answers would cost far too much: at Load model, and kept from before (removed, so it does not stay chosen)', async () => {
    const cost = /answering one picture with it would take 94 million operations .* over this page's limit of 64 million: each answer would take seconds and hold up the page\.$/;
    const { models, runtime } = await ready();
    await models.loadFiles([new File(['{}'], 'costly.json')]);
    expect(models.getState().modelError).toMatch(/^This model cannot be used: answering one picture/);
    expect(models.getState().modelError).toMatch(cost);
    expect(models.getState().active).toBe('default');
    expect(runtime.built.map((m) => m.name)).toEqual(['shipped-default']);

    const kept: StoredModel = { ...recordOf(trainedModel(5, 'dense', null), 0), slot: 'file', name: 'costly.json', config: null, model: costlyData() };
    const restored = await ready({ stored: { file: kept }, choice: 'file' });
    expect(restored.models.getState().active).toBe('default');
    expect(restored.models.getState().entries.file).toBeUndefined();
    expect(restored.forgotten).toEqual(['file']);
    expect(restored.models.getState().modelError).toMatch(/^The model you loaded kept in this browser cannot answer and was removed: answering one picture/);
    expect(restored.models.getState().modelError).toMatch(cost);
  });

  it('answers side by side with the shipped pair, then with a comparison, which turns the view on', async () => {
    const { runtime, models, fetched } = setUp();
    await models.restored;
    models.setBackendReady(true);
    models.setSideBySide(true);
    const image = taggedImage(2);
    models.classify(image);
    await vi.waitFor(() => expect(models.getState().sideBySide.members.every((m) => m.probabilities !== null)).toBe(true));
    expect(fetched.sort()).toEqual(['default', 'dense']);
    expect(models.getState().sideBySide.members.map((m) => `${m.title}: ${m.label}`)).toEqual([
      'Dense network: Dense baseline (ready-trained)',
      'CNN: Playground CNN (ready-trained)',
    ]);
    // The default CNN answers for both the panel and the CNN side: it is predicted once.
    expect(runtime.predictions.map((p) => p.model).sort()).toEqual(['shipped-default', 'shipped-dense']);

    models.setSideBySide(false);
    const pair = [trainedModel(5, 'dense', 0.8, 0), trainedModel(5, 'tinyvgg', 0.82, 1)];
    models.setPair(pair);
    await settle();
    const side = models.getState().sideBySide;
    expect(side.on).toBe(true);
    expect(side.fromComparison).toBe(true);
    expect(side.members.map((m) => m.label)).toEqual(['Dense baseline from your comparison', 'TinyVGG from your comparison']);
    expect(runtime.predictions.map((p) => p.model).slice(2).sort()).toEqual(['run-5-dense', 'run-5-tinyvgg']);

    // The same comparison again (later scores): nothing rebuilt; switched off, the pair stops answering.
    models.setPair(pair.map((m) => ({ ...m, data: fakeData('copy') })));
    models.setSideBySide(false);
    models.classify(taggedImage(9));
    await settle();
    expect(runtime.built.filter((m) => m.name === 'copy')).toEqual([]);
    expect(runtime.predictions.at(-1)?.model).toBe('shipped-default');
    expect(runtime.predictions.filter((p) => p.image[0] === 9)).toHaveLength(1);
  });

  it('Load model refuses files that do not fit, keeping the model that answers, and answers with one that fits', async () => {
    const { runtime, models, stored, choices } = await ready();
    await models.loadFiles([new File(['{}'], 'package.json')]);
    expect(models.getState().modelError).toBe('This model cannot be used: package.json is not a Keras/tfjs layers model.');
    await models.loadFiles([new File(['{}'], 'bad-input.json')]);
    expect(models.getState().modelError).toBe('This model cannot be used: the files could not be read (bad-input expects input 32×32×3).');
    await models.loadFiles([new File(['{}'], 'nan.json')]);
    expect(models.getState().modelError).toBe(
      'This model cannot be used: its weights are not all finite numbers: weight "dense/kernel" holds NaN (value 2 of 3).',
    );
    expect(models.getState().active).toBe('default');

    await models.loadFiles([new File(['{}'], 'model.json')]);
    await vi.waitFor(() => expect(models.getState().active).toBe('file'));
    expect(models.getState().modelError).toBeNull();
    expect(choices).toEqual(['file']);
    expect(models.getState().entries.file?.description).toBe('model.json, the model you loaded (test accuracy unknown)');
    expect(stored.map((r) => r.slot)).toEqual(['file']);
    expect(runtime.alive()).toEqual(['shipped-default', 'model']);
  });

  it('Download saves what the model is with it, and Load model reads it back: name, layers, training, test accuracy', async () => {
    const { models, cards, stored } = await ready();
    // The ready-trained CNN: its name, layers and test accuracy.
    models.download();
    expect(cards[0]).toEqual({
      title: 'Playground CNN',
      architecture: MODEL_CATALOG.default.summary,
      parameters: MODEL_CATALOG.default.parameters,
      config: null,
      epochs: null,
      stopped: false,
      trainImages: null,
      evaluation: { accuracy: 0.9211, epoch: null, loss: null },
    });
    // A trained model: its whole run.
    const trained = trainedModel(7, 'dense', 0.95);
    models.setTrained(trained);
    await vi.waitFor(() => expect(models.getState().active).toBe('trained'));
    models.download();
    expect(cards[1]).toEqual({
      title: 'Dense baseline',
      architecture: MODEL_CATALOG.dense.summary,
      parameters: MODEL_CATALOG.dense.parameters,
      config: trained.config,
      epochs: 1,
      stopped: false,
      trainImages: 540,
      evaluation: trained.evaluation,
    });
    // Loaded back, it is that model again, and is downloaded with the same card.
    await models.loadFiles([new File(['{}'], 'downloaded.json')]);
    await vi.waitFor(() => expect(models.getState().active).toBe('file'));
    const entry = models.getState().entries.file!;
    expect(entry.description).toBe('downloaded.json, the model you loaded: Dense baseline, 1 epoch on 540 images (95.0% test accuracy when saved)');
    expect(entry.accuracy).toBe(0.95);
    expect(entry.details).toMatch(/^Flatten → Dense 128 ReLU → Dense 10 softmax\. Dense baseline · 1 epoch planned · batch 64 · /);
    expect(stored.at(-1)?.card).toEqual(cards[1]);
    models.download();
    expect(cards[2]).toEqual(cards[1]);
  });

  it('says when a loaded model cannot be kept for next time, and answers with it for this visit', async () => {
    const { models } = await ready({ store: async () => Promise.reject(new Error('QuotaExceededError: the disk is full')) });
    await models.loadFiles([new File(['{}'], 'model.json')]);
    await vi.waitFor(() => expect(models.getState().active).toBe('file'));
    await vi.waitFor(() =>
      expect(models.getState().modelError).toBe(
        'The model you loaded answers for this visit, but this browser could not keep it for next time: QuotaExceededError: the disk is full',
      ),
    );
  });

  it('says, once, when this browser will not remember the choice of model, which answers for this visit', async () => {
    const { models, choices } = await ready({
      writeChoice: () => {
        throw new Error('its local storage is blocked');
      },
    });
    expect(models.getState().modelError).toBeNull(); // the page's own pick is no choice to remember
    models.choose('dense');
    await vi.waitFor(() => expect(models.getState().active).toBe('dense'));
    expect(choices).toEqual([]);
    expect(models.getState().modelError).toBe(
      "The ready-trained Dense baseline answers for this visit, but this browser does not let the page remember your choice of model (its local storage is blocked), so the next visit starts with the page's own pick again.",
    );
    models.dismissModelError();
    models.choose('default');
    await vi.waitFor(() => expect(models.getState().active).toBe('default'));
    expect(models.getState().modelError).toBeNull();
  });

  it('a shipped model that cannot be downloaded: the answering model stays, the page says so, Retry and choosing again retry', async () => {
    let offline = false;
    const tries: string[] = [];
    const { models, choices } = await ready({
      fetchShipped: async (key) => {
        tries.push(key);
        if (offline) throw new TypeError('Failed to fetch');
        return fakeData(`shipped-${key}`);
      },
    });
    offline = true;
    models.choose('dense');
    expect(models.getState().pending).toBe('dense');
    expect(models.getState().active).toBe('default');
    expect(models.getState().status).toEqual({ kind: 'loading', message: 'Switching to the ready-trained Dense baseline…' });
    await vi.waitFor(() => expect(models.getState().switchError).not.toBeNull());
    const state = models.getState();
    expect(state.active).toBe('default');
    expect(state.pending).toBeNull();
    expect(state.status).toEqual({ kind: 'ready' });
    expect(state.switchError).toEqual({
      key: 'dense',
      message: 'The ready-trained Dense baseline could not be downloaded (are you offline?): Failed to fetch. The ready-trained Playground CNN (92.1% test accuracy) keeps answering.',
    });
    expect(choices).toEqual([]); // not remembered: it never answered
    // The answering model still answers.
    models.classify(taggedImage(5));
    await vi.waitFor(() => expect(models.getState().answer?.key).toBe('default'));

    // Retry (still offline), then choosing it again (back online): each fetches again.
    models.retry();
    await vi.waitFor(() => expect(tries).toEqual(['default', 'dense', 'dense']));
    await vi.waitFor(() => expect(models.getState().switchError?.key).toBe('dense'));
    offline = false;
    models.choose('dense');
    await vi.waitFor(() => expect(models.getState().active).toBe('dense'));
    expect(models.getState().switchError).toBeNull();
    expect(choices).toEqual(['dense']);
  });

  it('says no model answers when the first one cannot be downloaded, and Retry loads it', async () => {
    let fail = true;
    const { models } = setUp({
      fetchShipped: async (key) => {
        if (fail) throw new Error('models/default/model.json: HTTP 404');
        return fakeData(`shipped-${key}`);
      },
    });
    await models.restored;
    models.setBackendReady(true);
    await vi.waitFor(() => expect(models.getState().switchError).not.toBeNull());
    expect(models.getState().active).toBeNull();
    expect(models.getState().status).toEqual({ kind: 'none', message: 'No model answers yet.' });
    expect(models.getState().switchError?.message).toBe('The ready-trained Playground CNN could not be downloaded: models/default/model.json: HTTP 404. No model answers yet.');
    fail = false;
    models.retry();
    await vi.waitFor(() => expect(models.getState().status).toEqual({ kind: 'ready' }));
    expect(models.getState().active).toBe('default');
  });
});

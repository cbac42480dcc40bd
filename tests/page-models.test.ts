/**
 * The page's models for drawings and uploads (PageModels) with fake browser effects and fake
 * models: the shipped model fetched when needed, a trained model taking over (and only its score
 * changing on a re-evaluation), the stored model and choice restored, the comparison's pair side
 * by side, Load model refusing what does not fit.
 */
import { describe, expect, it, vi } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { ModelCheckError, type ModelData } from '../src/core/model-json.ts';
import type { ModelName } from '../src/core/models/catalog.ts';
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
}

function setUp(options: SetUpOptions = {}) {
  const runtime = new FakeRuntime();
  runtime.autoFinish = true;
  const fetched: string[] = [];
  const stored: StoredModel[] = [];
  const choices: ModelKey[] = [];
  const measures: string[] = [];
  const downloads: ModelData[] = [];
  let clock = 0;
  const deps: PageModelsDeps = {
    service: new ClassificationService(runtime),
    fetchShipped: async (key) => {
      if (options.fetchShipped) return options.fetchShipped(key);
      fetched.push(key);
      return fakeData(`shipped-${key}`);
    },
    shippedAccuracy: async (key) => (key === 'default' ? 0.9211 : 0.8675),
    loadStored: async () => options.stored ?? {},
    store: async (record) => {
      stored.push(record);
    },
    readChoice: () => options.choice ?? null,
    writeChoice: (key) => choices.push(key),
    readFiles: async (files) => {
      const name = files[0].name;
      if (name === 'package.json') throw new ModelCheckError('package.json is not a Keras/tfjs layers model');
      return { name, data: fakeData(name.replace('.json', '')) };
    },
    download: (data) => downloads.push(data),
    now: () => (clock += 5),
    measure: (name, start, end) => measures.push(`${name}: ${end - start}`),
  };
  const models = new PageModels(deps);
  return { runtime, models, fetched, stored, choices, measures, downloads };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

describe('PageModels', () => {
  it('answers with the shipped default CNN, fetched once the backend is ready, and times an upload', async () => {
    const { runtime, models, fetched, measures } = setUp();
    await models.restored;
    expect(models.getState().active).toBe('default');
    expect(fetched).toEqual([]); // the page's tfjs is not ready yet
    models.setBackendReady(true);
    await vi.waitFor(() => expect(models.getState().status).toEqual({ kind: 'ready' }));
    expect(fetched).toEqual(['default']); // the dense baseline is fetched only when needed
    expect(models.getState().entries.default?.description).toBe('shipped default CNN (92.1% test accuracy)');

    const image = taggedImage(3);
    models.classify(image, 'upload: classify');
    await settle();
    expect(models.getState().answer).toMatchObject({ key: 'default', ms: 1, tensors: 7, description: 'shipped default CNN (92.1% test accuracy)' });
    expect(runtime.predictions).toEqual([{ model: 'shipped-default', image }]);
    expect(measures).toEqual(['upload: classify: 5']);
    models.classify(null);
    expect(models.getState().answer).toBeNull();

    models.dispose();
    expect(runtime.alive()).toEqual([]);
  });

  it('lets a trained model take over; a later score of the same run keeps its model and the choice', async () => {
    const { runtime, models, stored, choices } = setUp();
    await models.restored;
    models.setBackendReady(true);
    const first = trainedModel(1, 'dense', 0.78);
    models.setTrained(first);
    expect(models.getState().active).toBe('trained');
    expect(choices).toEqual(['trained']);
    expect(models.getState().entries.trained?.description).toBe('your dense model, 1 epoch on 540 images (78.0% test accuracy)');
    await settle();
    expect(runtime.alive()).toEqual(['run-1-dense']);
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.78]);

    models.choose('default');
    models.setTrained({ ...first, evaluation: { epoch: 1, accuracy: 0.81, loss: 0.4 }, data: fakeData('copy') });
    await settle();
    expect(models.getState().active).toBe('default');
    expect(models.getState().entries.trained?.description).toBe('your dense model, 1 epoch on 540 images (81.0% test accuracy)');
    expect(runtime.built.map((m) => m.name)).toEqual(['run-1-dense', 'shipped-default']);
    expect(stored.map((r) => r.evaluation?.accuracy)).toEqual([0.78, 0.81]);

    // A new run: its model answers, the old one is freed.
    models.setTrained(trainedModel(2, 'tinyvgg', null));
    await settle();
    expect(models.getState().active).toBe('trained');
    expect(runtime.alive()).toEqual(['shipped-default', 'run-2-tinyvgg']);
    models.classify(taggedImage(1));
    await settle();
    expect(models.getState().answer?.key).toBe('trained');
    expect(runtime.predictions.at(-1)?.model).toBe('run-2-tinyvgg');
  });

  it('restores the kept model and the remembered choice', async () => {
    const record = recordOf(trainedModel(4, 'dense', 0.8), 0);
    const chosen = setUp({ stored: { trained: record }, choice: 'dense' });
    await chosen.models.restored;
    expect(chosen.models.getState().active).toBe('dense');
    expect(chosen.models.getState().entries.trained?.data).toBe(record.model);

    const own = setUp({ stored: { trained: record } });
    await own.models.restored;
    expect(own.models.getState().active).toBe('trained');
    own.models.setBackendReady(true);
    await settle();
    expect(own.fetched).toEqual([]);
    expect(own.runtime.alive()).toEqual(['run-4-dense']);
    own.models.download();
    expect(own.downloads).toEqual([record.model]);

    // A remembered model that is not kept any more: the shipped default.
    const gone = setUp({ choice: 'file' });
    await gone.models.restored;
    expect(gone.models.getState().active).toBe('default');
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
    const { runtime, models, stored } = setUp();
    await models.restored;
    models.setBackendReady(true);
    await models.loadFiles([new File(['{}'], 'package.json')]);
    expect(models.getState().modelError).toBe('This model cannot be used: package.json is not a Keras/tfjs layers model.');
    await models.loadFiles([new File(['{}'], 'bad-input.json')]);
    expect(models.getState().modelError).toBe('This model cannot be used: the files could not be read (bad-input expects input 32×32×3).');
    expect(models.getState().active).toBe('default');

    await models.loadFiles([new File(['{}'], 'model.json')]);
    expect(models.getState().modelError).toBeNull();
    expect(models.getState().active).toBe('file');
    expect(models.getState().entries.file?.description).toBe('model.json, the model you loaded (test accuracy unknown)');
    expect(stored.map((r) => r.slot)).toEqual(['file']);
    expect(runtime.alive()).toEqual(['shipped-default', 'model']);
  });

  it('says when the shipped model cannot be fetched, and tries again when chosen again', async () => {
    let fail = true;
    const { models } = setUp({
      fetchShipped: async (key) => {
        if (fail) throw new Error('models/default/model.json: HTTP 404');
        return fakeData(`shipped-${key}`);
      },
    });
    await models.restored;
    models.setBackendReady(true);
    await vi.waitFor(() =>
      expect(models.getState().status).toEqual({ kind: 'error', message: 'The model could not be loaded: models/default/model.json: HTTP 404' }),
    );
    fail = false;
    models.choose('default');
    await vi.waitFor(() => expect(models.getState().status).toEqual({ kind: 'ready' }));
  });
});

/**
 * The side-by-side pair and the shipped models' downloads (PageModels, with fake browser effects
 * and fake models): the shipped pair, then a comparison's, side by side; a switch to a shipped
 * model that cannot be downloaded leaving the answering one in place, with a Retry.
 */
import { describe, expect, it, vi } from 'vitest';
import { withBestAugmentation } from '../src/app/compare-members.ts';
import { fakeData, taggedImage } from './helpers/fake-model-runtime.ts';
import { trainedModel, setUp, settle, ready } from './helpers/page-models-setup.ts';

describe('PageModels: side by side, and shipped models that cannot be downloaded', () => {
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
    expect(side.members.map((m) => m.title)).toEqual(['Dense baseline', 'TinyVGG']);
    expect(
      runtime.predictions
        .map((p) => p.model)
        .slice(2)
        .sort(),
    ).toEqual(['run-5-dense', 'run-5-tinyvgg']);

    // The same comparison again (later scores): nothing rebuilt; switched off, the pair stops answering.
    models.setPair(pair.map((m) => ({ ...m, data: fakeData('copy') })));
    models.setSideBySide(false);
    models.classify(taggedImage(9));
    await settle();
    expect(runtime.built.filter((m) => m.name === 'copy')).toEqual([]);
    expect(runtime.predictions.at(-1)?.model).toBe('shipped-default');
    expect(runtime.predictions.filter((p) => p.image[0] === 9)).toHaveLength(1);
  });

  it("measures each comparison member's sketches, one after the other, and shows the figure by its bars", async () => {
    const measuring: { data: string; resolve: (accuracy: number) => void }[] = [];
    const { models } = await ready({
      measureSketches: (data) => new Promise((resolve) => measuring.push({ data: (data.modelTopology as { name: string }).name, resolve })),
    });
    models.setPair([trainedModel(6, 'dense', 0.8, 0), trainedModel(6, 'tinyvgg', 0.82, 1)]);
    await settle();
    const scores = () => models.getState().sideBySide.members.map((m) => m.scores);
    expect(scores()).toEqual(['measuring how it reads sketches…', 'measuring how it reads sketches…']);
    expect(measuring.map((m) => m.data)).toEqual(['run-6-dense']); // one at a time: they share the worker
    measuring[0].resolve(0.312);
    await vi.waitFor(() => expect(measuring).toHaveLength(2));
    measuring[1].resolve(0.5);
    await vi.waitFor(() =>
      expect(scores()).toEqual([
        'reads 31.2% of sketches in our benchmark of what people give the page',
        'reads 50.0% of sketches in our benchmark of what people give the page',
      ]),
    );
  });

  it('gives the files of each model it shows inside the model, for the map of the test set', async () => {
    const { models } = setUp();
    await models.restored;
    models.setBackendReady(true);
    expect(models.modelData('compared-cnn')).toBeNull();
    models.classify(taggedImage(3));
    await vi.waitFor(() => expect(models.getState().inside.map((m) => m.key)).toEqual(['default']));
    expect(models.modelData('default')).not.toBeNull();
    const pair = [trainedModel(6, 'dense', 0.8, 0), trainedModel(6, 'tinyvgg', 0.82, 1)];
    models.setPair(pair);
    await vi.waitFor(() => expect(models.getState().inside).toHaveLength(2));
    expect(models.getState().inside.map((m) => models.modelData(m.key))).toEqual(pair.map((m) => m.data));
  });

  it('titles an augmentation comparison\'s two CNNs by their augmentation, not "Dense network" and "CNN"', async () => {
    const { models } = setUp();
    await models.restored;
    const [plain, augmented] = [trainedModel(7, 'default', 0.9, 0), trainedModel(7, 'default', 0.91, 1)];
    models.setPair([plain, { ...augmented, config: withBestAugmentation(augmented.config) }]);
    await settle();
    expect(models.getState().sideBySide.members.map((m) => m.title)).toEqual([
      'Playground CNN, no augmentation',
      'Playground CNN, augmented',
    ]);
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
      message:
        'The ready-trained Dense baseline could not be downloaded (are you offline?): Failed to fetch. The ready-trained Playground CNN (92.1% test accuracy) keeps answering.',
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
    expect(models.getState().switchError?.message).toBe(
      'The ready-trained Playground CNN could not be downloaded: models/default/model.json: HTTP 404. No model answers yet.',
    );
    fail = false;
    models.retry();
    await vi.waitFor(() => expect(models.getState().status).toEqual({ kind: 'ready' }));
    expect(models.getState().active).toBe('default');
  });
});

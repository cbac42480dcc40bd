/**
 * Models the page refuses or cannot keep (PageModels, with fake browser effects and fake models):
 * NaN weights and models far too costly to run, wherever they come from; Load model refusing what
 * does not fit; Download and Load model carrying what a model is; saying when this browser will
 * not keep a model or the choice of one.
 */
import { describe, expect, it, vi } from 'vitest';
import { MODEL_CATALOG } from '../src/core/models/catalog.ts';
import { recordOf } from '../src/app/classify/stored-models.ts';
import type { StoredModel } from '../src/app/classify/stored-model.ts';
import { trainedModel, costlyData, nanData, settle, ready } from './helpers/page-models-setup.ts';

describe('PageModels: models refused, loaded and kept', () => {
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
    const cost =
      /answering one picture with it would take 94 million operations .* over this page's limit of 64 million: each answer would take seconds and hold up the page\.$/;
    const { models, runtime } = await ready();
    await models.loadFiles([new File(['{}'], 'costly.json')]);
    expect(models.getState().modelError).toMatch(/^This model cannot be used: answering one picture/);
    expect(models.getState().modelError).toMatch(cost);
    expect(models.getState().active).toBe('default');
    expect(runtime.built.map((m) => m.name)).toEqual(['shipped-default']);

    const kept: StoredModel = {
      ...recordOf(trainedModel(5, 'dense', null), 0),
      slot: 'file',
      name: 'costly.json',
      config: null,
      model: costlyData(),
    };
    const restored = await ready({ stored: { file: kept }, choice: 'file' });
    expect(restored.models.getState().active).toBe('default');
    expect(restored.models.getState().entries.file).toBeUndefined();
    expect(restored.forgotten).toEqual(['file']);
    expect(restored.models.getState().modelError).toMatch(
      /^The model you loaded kept in this browser cannot answer and was removed: answering one picture/,
    );
    expect(restored.models.getState().modelError).toMatch(cost);
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
    expect(entry.description).toBe(
      'downloaded.json, the model you loaded: Dense baseline, 1 epoch on 540 images (95.0% test accuracy when saved)',
    );
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
});

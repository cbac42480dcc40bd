/** What a model file says about itself (core/model-card.ts), written into model.json and read back. */
import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { cardMetadata, readCard, type ModelCard } from '../src/core/model-card.ts';
import { modelJsonText, parseModelJson, type ModelData } from '../src/core/model-json.ts';

const card: ModelCard = {
  title: 'Playground CNN',
  architecture: 'Conv 3×3 16 → …',
  parameters: 426_458,
  config: { ...DEFAULT_CONFIG, epochs: 3 },
  epochs: 3,
  stopped: false,
  trainImages: 54_000,
  evaluation: { accuracy: 0.9123, epoch: 3, loss: 0.25 },
};
const data: ModelData = { modelTopology: { class_name: 'Sequential' }, weightSpecs: [], weightData: new ArrayBuffer(0) };

describe('the model card in model.json', () => {
  it('goes out in userDefinedMetadata and comes back as it was', () => {
    const json = parseModelJson(modelJsonText(data, 'weights.bin', cardMetadata(card)));
    expect(json.userDefinedMetadata).toEqual({ fashionMnistPlayground: { version: 1, ...card } });
    expect(readCard(json.userDefinedMetadata)).toEqual(card);
    // Without a card, model.json has no userDefinedMetadata at all.
    expect(parseModelJson(modelJsonText(data)).userDefinedMetadata).toBeUndefined();
  });

  it('is no card when absent, of another version or nameless, and keeps only the fields that fit', () => {
    expect(readCard(undefined)).toBeNull();
    expect(readCard({ other: { title: 'x' } })).toBeNull();
    expect(readCard({ fashionMnistPlayground: { ...card, version: 2 } })).toBeNull();
    expect(readCard({ fashionMnistPlayground: { ...card, version: 1, title: '' } })).toBeNull();
    const odd = readCard({
      fashionMnistPlayground: {
        version: 1,
        title: 'Mine',
        architecture: 42,
        parameters: -1,
        config: { ...DEFAULT_CONFIG, epochs: 0 },
        epochs: 2.5,
        stopped: 'yes',
        trainImages: 100,
        evaluation: { accuracy: 1.5, epoch: 1, loss: 0.1 },
      },
    });
    expect(odd).toEqual({
      title: 'Mine',
      architecture: null,
      parameters: null,
      config: null,
      epochs: null,
      stopped: false,
      trainImages: 100,
      evaluation: null,
    });
    // A card saved before a hyperparameter existed: the missing field takes its default.
    const { outline: _, ...older } = DEFAULT_CONFIG;
    expect(readCard({ fashionMnistPlayground: { ...card, version: 1, config: older } })?.config).toEqual(DEFAULT_CONFIG);
  });
});

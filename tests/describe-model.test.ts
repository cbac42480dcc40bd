import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG } from '../src/core/config.ts';
import { describeConfig, describeShipped, describeStored } from '../src/app/classify/describe-model.ts';
import type { StoredModel } from '../src/app/classify/stored-model.ts';

const record = (over: Partial<StoredModel>): StoredModel => ({
  slot: 'trained',
  name: 'dense',
  savedAt: 0,
  config: { ...DEFAULT_CONFIG, model: 'dense', epochs: 1, trainSize: 600 },
  epochs: 1,
  stopped: false,
  trainImages: 540,
  evaluation: { epoch: 1, accuracy: 0.8123, loss: 0.5 },
  model: { modelTopology: {}, weightSpecs: [], weightData: new ArrayBuffer(0) },
  ...over,
});

describe('what the page says about the answering model', () => {
  it('names shipped models with their test accuracy once known', () => {
    expect(describeShipped('default', 0.9211)).toBe('ready-trained Playground CNN (92.1% test accuracy)');
    expect(describeShipped('dense', null)).toBe('ready-trained Dense baseline');
  });

  it('describes a trained model by its run, a stopped one and a loaded file', () => {
    expect(describeStored(record({}))).toBe('your Dense baseline, 1 epoch on 540 images (81.2% test accuracy)');
    expect(describeStored(record({ stopped: true, epochs: 0, evaluation: null, trainImages: 2700 }))).toBe(
      'your Dense baseline, stopped in its first epoch on 2,700 images (not evaluated on the test set)',
    );
    expect(describeStored(record({ stopped: true, epochs: 2, evaluation: { epoch: 2, accuracy: 0.85, loss: 0.4 } }))).toBe(
      'your Dense baseline, stopped after 2 epochs on 540 images (85.0% test accuracy)',
    );
    expect(describeStored(record({ slot: 'file', name: 'my-model.json', config: null }))).toBe(
      'my-model.json, the model you loaded (test accuracy unknown)',
    );
  });

  it('lists the configuration of a trained model', () => {
    const line = describeConfig(record({ config: { ...DEFAULT_CONFIG, model: 'tinyvgg', shift: 2, flip: true } }));
    expect(line).toMatch(
      /^TinyVGG · 5 epochs planned · batch 64 · adam, learning rate 0\.001 \(constant\) · 60,000 training images, 10% held out · shift 2 px · flips · seed 1\. Kept in this browser since /,
    );
    const quick = describeConfig(record({ config: { ...DEFAULT_CONFIG, schedule: 'cosine', warmup: 0.05, dropout: false } }));
    expect(quick).toContain('learning rate 0.001 (cosine, 5% warm-up)');
    expect(quick).toContain(' · no dropout · ');
    expect(describeConfig(record({ config: null }))).toBeNull();
  });
});

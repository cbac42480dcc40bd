import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  configFromLink,
  configFromParams,
  configToParams,
  parseField,
  PRESETS,
  quoted,
  validateConfig,
} from '../src/core/config.ts';

describe('training configuration', () => {
  it('fills left-out fields with the defaults', () => {
    expect(validateConfig({})).toEqual(DEFAULT_CONFIG);
    expect(validateConfig({ epochs: 3, model: 'tinyvgg' })).toMatchObject({ epochs: 3, model: 'tinyvgg', batchSize: 64 });
  });

  const numeric = [
    'epochs',
    'batchSize',
    'learningRate',
    'trainSize',
    'seed',
    'shift',
    'validationSplit',
    'erasing',
    'outline',
    'elastic',
    'stroke',
    'labelSmoothing',
    'weightDecay',
  ] as const;
  const bad: unknown[] = [-1, NaN, Infinity, '10', null, 'abc'];

  it('reads the outline probability from a link, and refuses one outside 0-1', () => {
    const ok = configFromParams((key) => new URLSearchParams('outline=0.3').get(key));
    expect(ok.config.outline).toBe(0.3);
    expect(ok.errors).toEqual([]);
    const bad = configFromParams((key) => new URLSearchParams('outline=2').get(key));
    expect(bad.errors).toEqual(['outline: must be >= 0 and <= 1 (got 2)']);
    expect(DEFAULT_CONFIG.outline).toBe(0);
  });
  for (const field of numeric) {
    for (const value of bad) {
      it(`rejects ${field} = ${String(value)} with an error naming ${field}`, () => {
        let error: unknown;
        try {
          validateConfig({ [field]: value });
        } catch (e) {
          error = e;
        }
        expect(error).toBeInstanceOf(ConfigError);
        expect((error as ConfigError).field).toBe(field);
        expect((error as Error).message).toMatch(new RegExp(`^${field}:`));
      });
    }
  }

  it.each(['epochs', 'batchSize', 'learningRate', 'trainSize'])('rejects %s = 0', (field) => {
    expect(() => validateConfig({ [field]: 0 })).toThrow(new RegExp(`^${field}:`));
  });

  it('rejects fractions where whole numbers are needed, and unknown names', () => {
    expect(() => validateConfig({ epochs: 10.8 })).toThrow(/^epochs: must be a whole number/);
    expect(() => validateConfig({ optimizer: 'adamw' })).toThrow(/^optimizer: must be one of adam, sgd, rmsprop/);
    expect(() => validateConfig({ model: 'resnet' })).toThrow(/^model:/);
    expect(() => validateConfig({ flip: 'yes' })).toThrow(/^flip:/);
    expect(() => validateConfig({ dropout: 0 })).toThrow(/^dropout: must be true or false/);
    expect(() => validateConfig({ warmup: 0.6 })).toThrow(/^warmup: must be >= 0 and <= 0.5/);
    expect(() => validateConfig({ epoch: 3 })).toThrow(/^epoch: unknown hyperparameter/);
    expect(() => validateConfig('epochs=3')).toThrow(/^config:/);
  });

  it('has the Best preset’s recipe fields, off by default, each within its range', () => {
    expect(DEFAULT_CONFIG).toMatchObject({ erasing: 0, labelSmoothing: 0, weightDecay: 0, flipTest: false });
    expect(validateConfig({ erasing: 1, labelSmoothing: 0.3, weightDecay: 0.01, flipTest: true })).toMatchObject({
      erasing: 1,
      labelSmoothing: 0.3,
      weightDecay: 0.01,
      flipTest: true,
    });
    expect(() => validateConfig({ erasing: 1.5 })).toThrow('erasing: must be >= 0 and <= 1 (got 1.5)');
    expect(() => validateConfig({ labelSmoothing: 0.31 })).toThrow('labelSmoothing: must be >= 0 and <= 0.3 (got 0.31)');
    expect(() => validateConfig({ weightDecay: 0.02 })).toThrow('weightDecay: must be >= 0 and <= 0.01 (got 0.02)');
    expect(() => validateConfig({ flipTest: 1 })).toThrow('flipTest: must be true or false (got 1)');
    expect(parseField('erasing', '0.5')).toBe(0.5);
    expect(parseField('labelSmoothing', '0.1')).toBe(0.1);
    expect(parseField('weightDecay', '5e-4')).toBe(0.0005);
    expect(parseField('flipTest', '1')).toBe(true);
    expect(() => parseField('flipTest', 'yes')).toThrow(/^flipTest: must be true or false/);
  });

  it('fills the new fields with their defaults in a description stored before they existed', () => {
    const stored = { ...DEFAULT_CONFIG } as Record<string, unknown>;
    for (const key of ['erasing', 'labelSmoothing', 'weightDecay', 'flipTest']) delete stored[key];
    expect(validateConfig(stored)).toEqual(DEFAULT_CONFIG);
  });

  it('reads fields from text as a URL or the CLI gives them', () => {
    expect(parseField('epochs', '12')).toBe(12);
    expect(parseField('learningRate', '0.003')).toBe(0.003);
    expect(parseField('flip', 'true')).toBe(true);
    expect(() => parseField('epochs', '')).toThrow(/^epochs:/);
    expect(() => parseField('epochs', 'abc')).toThrow('epochs: must be a finite number (got NaN)');
    expect(() => parseField('batchSize', '64px')).toThrow(/^batchSize:/);
  });

  it('round-trips through URL parameters, keeping only what differs from the defaults', () => {
    const config = validateConfig({ model: 'compact', epochs: 7, flip: true, learningRate: 0.01, warmup: 0.05, dropout: false });
    const params = configToParams(config);
    expect(params).toEqual({ model: 'compact', epochs: '7', flip: 'true', learningRate: '0.01', warmup: '0.05', dropout: 'false' });
    const back = configFromParams((key) => params[key] ?? null);
    expect(back.errors).toEqual([]);
    expect(back.config).toEqual(config);
  });

  it('round-trips the recipe fields through URL parameters', () => {
    const config = validateConfig({ model: 'wide', erasing: 0.5, labelSmoothing: 0.1, weightDecay: 0.0005, flipTest: true });
    const params = configToParams(config);
    expect(params).toEqual({ model: 'wide', erasing: '0.5', labelSmoothing: '0.1', weightDecay: '0.0005', flipTest: 'true' });
    const link = new URLSearchParams(params);
    const back = configFromParams((key) => link.get(key));
    expect(back.errors).toEqual([]);
    expect(back.config).toEqual(config);
    const bad = configFromParams((key) => new URLSearchParams('erasing=2&flipTest=maybe&labelSmoothing=0.2').get(key));
    expect(bad.config.labelSmoothing).toBe(0.2);
    expect(bad.errors).toEqual(['erasing: must be >= 0 and <= 1 (got 2)', 'flipTest: must be true or false (got "maybe")']);
  });

  it('quotes at most 32 characters of a bad value, and says how long it was', () => {
    const link = new URLSearchParams(`model=${'A'.repeat(6000)}&flip=${'é'.repeat(40)}`);
    const { errors } = configFromParams((key) => link.get(key));
    expect(errors[0]).toBe(
      `model: must be one of dense, tinyvgg, keras-cnn, compact, default, dense-wide, wide (got "${'A'.repeat(32)}…" (6,000 characters))`,
    );
    expect(errors[1]).toBe(`flip: must be true or false (got "${'é'.repeat(32)}…" (40 characters))`);
    expect(Math.max(...errors.map((e) => e.length))).toBeLessThan(150);
    expect(quoted('maybe')).toBe('"maybe"');
    expect(quoted('x'.repeat(32))).toBe(`"${'x'.repeat(32)}"`);
    // Characters, not UTF-16 units: an emoji is never cut in half.
    expect(quoted('👕'.repeat(33))).toBe(`"${'👕'.repeat(32)}…" (33 characters)`);
  });

  it('opens a link without settings, or with none that can be used, on the Quick preset; a partly bad one on its good settings over the defaults', () => {
    const link = (query: string) => configFromLink((key) => new URLSearchParams(query).get(key));
    expect(link('')).toEqual({ config: PRESETS.quick.config, errors: [], applies: 'quick' });
    expect(link('fake=1&mode=compare')).toEqual({ config: PRESETS.quick.config, errors: [], applies: 'quick' });
    expect(link('epochs=abc')).toEqual({
      config: PRESETS.quick.config,
      errors: ['epochs: must be a finite number (got NaN)'],
      applies: 'quick',
    });
    expect(link('epochs=abc&model=nope').applies).toBe('quick');
    const partly = link('epochs=abc&model=dense');
    expect(partly.applies).toBe('link');
    expect(partly.config).toEqual({ ...DEFAULT_CONFIG, model: 'dense' });
    expect(partly.errors).toHaveLength(1);
    // A link the page wrote: exactly its configuration.
    const best = new URLSearchParams(configToParams(PRESETS.best.config)).toString();
    expect(link(best)).toEqual({ config: PRESETS.best.config, errors: [], applies: 'link' });
  });

  it('keeps the good fields of a bad link and says what it ignored', () => {
    const link = new URLSearchParams('epochs=-2&model=dense&batchSize=32');
    const { config, errors } = configFromParams((key) => link.get(key));
    expect(config.model).toBe('dense');
    expect(config.batchSize).toBe(32);
    expect(config.epochs).toBe(DEFAULT_CONFIG.epochs);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/^epochs:/);
  });
});

import { describe, expect, it } from 'vitest';
import {
  ConfigError,
  DEFAULT_CONFIG,
  configFromParams,
  configToParams,
  parseField,
  validateConfig,
} from '../src/core/config.ts';

describe('training configuration', () => {
  it('fills left-out fields with the defaults', () => {
    expect(validateConfig({})).toEqual(DEFAULT_CONFIG);
    expect(validateConfig({ epochs: 3, model: 'tinyvgg' })).toMatchObject({ epochs: 3, model: 'tinyvgg', batchSize: 64 });
  });

  const numeric = ['epochs', 'batchSize', 'learningRate', 'trainSize', 'seed', 'shift', 'validationSplit'] as const;
  const bad: unknown[] = [-1, NaN, Infinity, '10', null, 'abc'];
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

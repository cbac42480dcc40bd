/** `npm run train` arguments: presets, overrides and the messages of bad combinations. */
import { describe, expect, it } from 'vitest';
import { PRESETS, recommendedConfig, validateConfig } from '../src/core/config.ts';
import { parseTrainArgs, UsageError } from '../scripts/lib/train-args.ts';

describe('parseTrainArgs', () => {
  it('trains the default model with its recommended settings when given nothing', () => {
    expect(parseTrainArgs([]).config).toEqual(recommendedConfig('default'));
  });

  it('--preset starts from the page’s preset, and other options still override it', () => {
    expect(parseTrainArgs(['--preset', 'quick']).config).toEqual(PRESETS.quick.config);
    expect(parseTrainArgs(['--preset', 'best']).config).toEqual(PRESETS.best.config);
    expect(parseTrainArgs(['--preset', 'quick', '--epochs', '1']).config).toEqual({ ...PRESETS.quick.config, epochs: 1 });
  });

  it('takes the warm-up fraction and the dropout switch', () => {
    const args = parseTrainArgs(['--model', 'default', '--warmup', '0.1', '--no-dropout']);
    expect(args.config.warmup).toBe(0.1);
    expect(args.config.dropout).toBe(false);
    expect(parseTrainArgs(['--preset', 'quick', '--dropout']).config.dropout).toBe(true);
    expect(() => parseTrainArgs(['--warmup', '2'])).toThrow(new UsageError('--warmup: must be >= 0 and <= 0.5 (got 2)'));
  });

  it('rejects an unknown preset, and a preset with a model', () => {
    expect(() => parseTrainArgs(['--preset', 'fast'])).toThrow(new UsageError('--preset: unknown preset "fast" (known: quick, best)'));
    expect(() => parseTrainArgs(['--preset', 'quick', '--model', 'dense'])).toThrow(/pick one/);
  });
});

describe('PRESETS', () => {
  it('are valid configurations of the default CNN, and differ from each other', () => {
    for (const preset of Object.values(PRESETS)) {
      expect(validateConfig(preset.config)).toEqual(preset.config);
      expect(preset.config.model).toBe('default');
    }
    expect(PRESETS.quick.config.epochs).toBeLessThan(PRESETS.best.config.epochs);
  });
});

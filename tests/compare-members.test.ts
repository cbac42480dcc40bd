/**
 * What the Compare tab trains (src/app/compare-members.ts): a dense network against a CNN, or one
 * CNN without against with the Best preset's augmentation, everything else the same; and how the
 * page names two members of one network.
 */
import { describe, expect, it } from 'vitest';
import { PRESETS, validateConfig } from '../src/core/config.ts';
import { compareMembers, differInAugmentationOnly, withBestAugmentation, withoutAugmentation } from '../src/app/compare-members.ts';
import { newRun } from '../src/app/state/run-state.ts';
import { memberTitles } from '../src/ui/charts/member-style.ts';

const config = validateConfig({ model: 'tinyvgg', epochs: 3, shift: 1, seed: 7 });

describe('compareMembers', () => {
  it('networks: the dense network, then the CNN, with the same hyperparameters', () => {
    const [a, b] = compareMembers(config, 'networks', 'default', 'dense-wide');
    expect([a.model, b.model]).toEqual(['dense-wide', 'default']);
    expect({ ...a, model: 'x' }).toEqual({ ...b, model: 'x' });
  });

  it("augmentation: the CNN plain, then with the Best preset's augmentation; nothing else differs", () => {
    const [plain, augmented] = compareMembers(config, 'augmentation', 'default', 'dense');
    expect([plain.model, augmented.model]).toEqual(['default', 'default']);
    expect([plain.shift, plain.flip, plain.erasing, plain.labelSmoothing]).toEqual([0, false, 0, 0]);
    const best = PRESETS.best.config;
    expect([augmented.shift, augmented.flip, augmented.erasing, augmented.labelSmoothing]).toEqual([
      best.shift,
      best.flip,
      best.erasing,
      best.labelSmoothing,
    ]);
    expect(augmented.erasing).toBeGreaterThan(0);
    expect({ ...withoutAugmentation(augmented) }).toEqual(plain);
    expect(withBestAugmentation(plain)).toEqual(augmented);
    expect([plain.seed, plain.epochs, plain.learningRate, plain.batchSize]).toEqual([
      augmented.seed,
      augmented.epochs,
      augmented.learningRate,
      augmented.batchSize,
    ]);
    expect(differInAugmentationOnly(plain, augmented)).toBe(true);
    expect(differInAugmentationOnly(plain, { ...augmented, seed: 8 })).toBe(false);
    expect(differInAugmentationOnly(plain, plain)).toBe(false);
  });

  it('names two members of one network by their augmentation, two others by number', () => {
    const run = (members: (typeof config)[]) =>
      newRun({ type: 'page/run', runId: 1, purpose: 'compare', members, evaluateEachEpoch: true, at: 0 });
    expect(memberTitles(run(compareMembers(config, 'augmentation', 'default', 'dense')))).toEqual([
      'Playground CNN, no augmentation',
      'Playground CNN, augmented',
    ]);
    expect(memberTitles(run(compareMembers(config, 'networks', 'tinyvgg', 'dense')))).toEqual(['Dense baseline', 'TinyVGG']);
    expect(memberTitles(run([config, { ...config, seed: 9 }]))).toEqual(['TinyVGG (1)', 'TinyVGG (2)']);
  });
});

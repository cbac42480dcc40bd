/**
 * What the Compare tab trains, as the members of one run: the dense network against a CNN, or a
 * CNN without against with the Best preset's augmentation. Same data, seed and schedule for both;
 * only the network, or only the augmentation, differs.
 */
import { PRESETS, type TrainingConfig } from '../core/config.ts';
import { isModelName, MODEL_CATALOG, type ModelName } from '../core/models/catalog.ts';

/** 'networks': dense against CNN. 'augmentation': the CNN without, then with, the Best recipe's augmentation. */
export type CompareWhat = 'networks' | 'augmentation';

/** The fields that make up augmentation (what the model sees and aims at, not the network). */
const AUGMENTATION_KEYS = ['shift', 'flip', 'erasing', 'labelSmoothing'] as const;

/** `config` with no augmentation at all. */
export function withoutAugmentation(config: TrainingConfig): TrainingConfig {
  return { ...config, shift: 0, flip: false, erasing: 0, labelSmoothing: 0 };
}

/** `config` with the Best preset's augmentation: shifts, flips, random erasing, label smoothing. */
export function withBestAugmentation(config: TrainingConfig): TrainingConfig {
  const best = PRESETS.best.config;
  return { ...config, shift: best.shift, flip: best.flip, erasing: best.erasing, labelSmoothing: best.labelSmoothing };
}

/** Whether `config` augments its training images or softens its targets at all. */
function augments(config: TrainingConfig): boolean {
  return AUGMENTATION_KEYS.some((k) => config[k] !== withoutAugmentation(config)[k]);
}

/**
 * Each member's network title; members of the same network are told apart by their augmentation
 * when that is what differs ("Playground CNN, augmented"), else by their number. The same words
 * in every chart, legend, status line and the classify panel's side-by-side view.
 */
export function memberTitles(configs: readonly TrainingConfig[]): string[] {
  const titles = configs.map((c) => MODEL_CATALOG[c.model].title);
  return titles.map((t, i) => {
    const same = configs.filter((_, j) => titles[j] === t);
    if (same.length === 1) return t;
    if (same.length === 2 && differInAugmentationOnly(same[0], same[1]))
      return `${t}, ${augments(configs[i]) ? 'augmented' : 'no augmentation'}`;
    return `${t} (${i + 1})`;
  });
}

/** True when the two configurations differ in augmentation only. */
export function differInAugmentationOnly(a: TrainingConfig, b: TrainingConfig): boolean {
  const keys = Object.keys(a) as (keyof TrainingConfig)[];
  const augmentation = new Set<keyof TrainingConfig>(AUGMENTATION_KEYS);
  return keys.every((k) => augmentation.has(k) || a[k] === b[k]) && AUGMENTATION_KEYS.some((k) => a[k] !== b[k]);
}

/**
 * The run's members for Compare: member 0 the baseline (the dense network, or the plain CNN),
 * member 1 the challenger (the CNN, or the augmented CNN).
 */
export function compareMembers(config: TrainingConfig, what: CompareWhat, cnn: ModelName, denseModel: ModelName): TrainingConfig[] {
  if (what === 'augmentation') {
    const base = { ...config, model: cnn };
    return [withoutAugmentation(base), withBestAugmentation(base)];
  }
  return [
    { ...config, model: denseModel },
    { ...config, model: cnn },
  ];
}

/** The CNN Compare trains: the model picked, if it is a CNN, else our default CNN. */
export function compareCnn(picked: string): ModelName {
  return isModelName(picked) && MODEL_CATALOG[picked].convolutional ? picked : 'default';
}

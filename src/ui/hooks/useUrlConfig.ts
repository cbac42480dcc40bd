/**
 * The page's settings as the URL holds them, so that a link repeats a run or a comparison: the
 * training configuration as the page edits it (one text draft per field, so a half-typed number
 * can be shown with its message, validated with the core's parseField), the tab (`mode=compare`,
 * or `#draw` for Draw or upload: a fragment, so a plain link to the page's drawing works too),
 * Compare's "Equal-size dense network" (`equalSize=1`) and what it compares (`compare=augmentation`:
 * the CNN without and with augmentation). Mirrored into the query with
 * history.replaceState.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  CONFIG_FIELDS,
  configFromLink,
  configToParams,
  parseField,
  PRESETS,
  recommendedConfig,
  type LinkConfig,
  type PresetName,
  validateConfig,
  type TrainingConfig,
} from '../../core/config.ts';
import type { ModelName } from '../../core/models/catalog.ts';
import type { CompareWhat } from '../../app/compare-members.ts';
import type { Mode } from '../compare/ModeTabs.tsx';

export type ConfigKey = keyof TrainingConfig;
export type ConfigDrafts = { [K in ConfigKey]: string };

export const CONFIG_KEYS = Object.keys(CONFIG_FIELDS) as ConfigKey[];

function draftsOf(config: TrainingConfig): ConfigDrafts {
  const drafts = {} as ConfigDrafts;
  for (const key of CONFIG_KEYS) drafts[key] = String(config[key]);
  return drafts;
}

interface UrlSettings extends LinkConfig {
  mode: Mode;
  equalSize: boolean;
  compareWhat: CompareWhat;
}

/** The Draw or upload tab's fragment. */
export const DRAW_HASH = '#draw';

/** The settings in the URL; a URL without a usable configuration gets the Quick preset: a first run in minutes. */
function readUrl(): UrlSettings {
  const params = new URLSearchParams(window.location.search);
  const mode: Mode = window.location.hash === DRAW_HASH ? 'draw' : params.get('mode') === 'compare' ? 'compare' : 'train';
  const page = {
    mode,
    equalSize: params.get('equalSize') === '1',
    compareWhat: params.get('compare') === 'augmentation' ? ('augmentation' as const) : ('networks' as const),
  };
  return { ...configFromLink((key) => params.get(key)), ...page };
}

/** Writes the settings into the query; a configuration being edited (null: invalid) stays as it was. */
function writeUrl(config: TrainingConfig | null, mode: Mode, equalSize: boolean, compareWhat: CompareWhat): void {
  const params = new URLSearchParams(window.location.search);
  if (config) {
    for (const key of CONFIG_KEYS) params.delete(key);
    for (const [key, value] of Object.entries(configToParams(config))) params.set(key, value);
  }
  if (mode === 'compare') params.set('mode', 'compare');
  else params.delete('mode');
  if (equalSize) params.set('equalSize', '1');
  else params.delete('equalSize');
  if (compareWhat === 'augmentation') params.set('compare', 'augmentation');
  else params.delete('compare');
  const query = params.toString();
  // The Draw tab is the #draw fragment; leaving it drops the fragment (any other one stays).
  const hash = mode === 'draw' ? DRAW_HASH : window.location.hash === DRAW_HASH ? '' : window.location.hash;
  const url = `${window.location.pathname}${query ? `?${query}` : ''}${hash}`;
  if (url !== `${window.location.pathname}${window.location.search}${window.location.hash}`) {
    window.history.replaceState(window.history.state, '', url);
  }
}

export interface UrlConfig {
  drafts: ConfigDrafts;
  /** One message per invalid field (absent when the field is valid). */
  fieldErrors: Partial<Record<ConfigKey, string>>;
  /** The valid configuration, or null while any field is invalid. */
  config: TrainingConfig | null;
  /** What the URL held that could not be used. */
  urlErrors: string[];
  /** What applies instead: the defaults for those fields, or the Quick preset when none could be used. */
  urlFallback: LinkConfig['applies'];
  dismissUrlErrors(): void;
  setField(key: ConfigKey, text: string): void;
  /** Picks a model and applies its recommended hyperparameters. */
  applyModel(model: ModelName): void;
  /** Applies a preset's whole configuration. */
  applyPreset(preset: PresetName): void;
  /** The tab: Train one model, or Compare. */
  mode: Mode;
  setMode(mode: Mode): void;
  /** Compare's dense network: the baseline, or one with about as many parameters as the CNN. */
  equalSize: boolean;
  setEqualSize(value: boolean): void;
  /** What Compare trains against what: networks, or the CNN without and with augmentation. */
  compareWhat: CompareWhat;
  setCompareWhat(value: CompareWhat): void;
}

export function useUrlConfig(): UrlConfig {
  const [initial] = useState(readUrl);
  const [drafts, setDrafts] = useState(() => draftsOf(initial.config));
  const [urlErrors, setUrlErrors] = useState(initial.errors);
  const [mode, setMode] = useState<Mode>(initial.mode);
  const [equalSize, setEqualSize] = useState(initial.equalSize);
  const [compareWhat, setCompareWhat] = useState<CompareWhat>(initial.compareWhat);

  const { fieldErrors, config } = useMemo(() => {
    const errors: Partial<Record<ConfigKey, string>> = {};
    const values: Record<string, unknown> = {};
    for (const key of CONFIG_KEYS) {
      try {
        values[key] = parseField(key, drafts[key]);
      } catch (e) {
        errors[key] = (e as Error).message;
      }
    }
    let valid: TrainingConfig | null = null;
    if (Object.keys(errors).length === 0) valid = validateConfig(values);
    return { fieldErrors: errors, config: valid };
  }, [drafts]);

  useEffect(() => writeUrl(config, mode, equalSize, compareWhat), [config, mode, equalSize, compareWhat]);
  // A link to #draw (the page's own, or one typed into the address bar) opens the Draw tab.
  useEffect(() => {
    const follow = () => {
      if (window.location.hash === DRAW_HASH) setMode('draw');
    };
    window.addEventListener('hashchange', follow);
    return () => window.removeEventListener('hashchange', follow);
  }, []);

  const setField = useCallback((key: ConfigKey, text: string) => setDrafts((d) => ({ ...d, [key]: text })), []);
  const applyModel = useCallback((model: ModelName) => setDrafts(draftsOf(recommendedConfig(model))), []);
  const applyPreset = useCallback((preset: PresetName) => setDrafts(draftsOf(PRESETS[preset].config)), []);
  const dismissUrlErrors = useCallback(() => setUrlErrors([]), []);

  return {
    drafts,
    fieldErrors,
    config,
    urlErrors,
    urlFallback: initial.applies,
    dismissUrlErrors,
    setField,
    applyModel,
    applyPreset,
    mode,
    setMode,
    equalSize,
    setEqualSize,
    compareWhat,
    setCompareWhat,
  };
}

/**
 * The training configuration as the page edits it: one text draft per field (so a half-typed
 * number can be shown with its message), validated with the core's parseField, mirrored into the
 * URL query with history.replaceState so that a link repeats a run.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import {
  CONFIG_FIELDS,
  configFromParams,
  configToParams,
  parseField,
  PRESETS,
  recommendedConfig,
  type PresetName,
  validateConfig,
  type TrainingConfig,
} from '../../core/config.ts';
import type { ModelName } from '../../core/models/catalog.ts';

export type ConfigKey = keyof TrainingConfig;
export type ConfigDrafts = { [K in ConfigKey]: string };

export const CONFIG_KEYS = Object.keys(CONFIG_FIELDS) as ConfigKey[];

function draftsOf(config: TrainingConfig): ConfigDrafts {
  const drafts = {} as ConfigDrafts;
  for (const key of CONFIG_KEYS) drafts[key] = String(config[key]);
  return drafts;
}

/** The configuration in the URL; a URL without any gets the Quick preset: a first run in minutes. */
function readUrl(): { config: TrainingConfig; errors: string[] } {
  const params = new URLSearchParams(window.location.search);
  if (!CONFIG_KEYS.some((key) => params.has(key))) return { config: PRESETS.quick.config, errors: [] };
  return configFromParams((key) => params.get(key));
}

function writeUrl(config: TrainingConfig): void {
  const params = new URLSearchParams(window.location.search);
  for (const key of CONFIG_KEYS) params.delete(key);
  for (const [key, value] of Object.entries(configToParams(config))) params.set(key, value);
  const query = params.toString();
  const url = `${window.location.pathname}${query ? `?${query}` : ''}${window.location.hash}`;
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
  /** What the URL held that could not be used (those fields took their defaults). */
  urlErrors: string[];
  dismissUrlErrors(): void;
  setField(key: ConfigKey, text: string): void;
  /** Picks a model and applies its recommended hyperparameters. */
  applyModel(model: ModelName): void;
  /** Applies a preset's whole configuration. */
  applyPreset(preset: PresetName): void;
}

export function useUrlConfig(): UrlConfig {
  const [initial] = useState(readUrl);
  const [drafts, setDrafts] = useState(() => draftsOf(initial.config));
  const [urlErrors, setUrlErrors] = useState(initial.errors);

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

  useEffect(() => {
    if (config) writeUrl(config);
  }, [config]);

  const setField = useCallback((key: ConfigKey, text: string) => setDrafts((d) => ({ ...d, [key]: text })), []);
  const applyModel = useCallback((model: ModelName) => setDrafts(draftsOf(recommendedConfig(model))), []);
  const applyPreset = useCallback((preset: PresetName) => setDrafts(draftsOf(PRESETS[preset].config)), []);
  const dismissUrlErrors = useCallback(() => setUrlErrors([]), []);

  return { drafts, fieldErrors, config, urlErrors, dismissUrlErrors, setField, applyModel, applyPreset };
}

/**
 * Model files in and out of the page: reading what a person picks in "Load model" (model.json and
 * its weights file(s)) into checked plain data and what the model says it is, fetching a shipped
 * model, and downloading a model as model.json + weights.bin that `tf.loadLayersModel` reads.
 */
import { cardMetadata, readCard, type ModelCard } from '../../core/model-card.ts';
import {
  assembleModelData,
  expectedWeightBytes,
  ModelCheckError,
  modelJsonText,
  parseModelJson,
  type ModelData,
  type ModelJson,
} from '../../core/model-json.ts';

export const WEIGHTS_FILE = 'weights.bin';

/** A chosen file's name as it was saved: browsers rename a second download "weights (1).bin". */
const savedName = (name: string): string => name.replace(/ \(\d+\)(?=\.[^.]*$|$)/, '');

const bytes = (n: number): string => `${n.toLocaleString('en')} byte${n === 1 ? '' : 's'}`;

/**
 * Which chosen files are the weights of `json`'s manifest, by name or by size.
 * One weights file (what Download saves, and most converters): the one file whose size is the
 * bytes the weight specs need, whatever it is called ("weights (1).bin" next to "model (1).json");
 * where several have that size, the one named as in model.json. Several files (shards): by name,
 * as saved ("group1-shard1of2 (1).bin" is "group1-shard1of2.bin").
 * @throws ModelCheckError saying which file is missing or which sizes do not fit
 */
function pickWeights(json: ModelJson, jsonName: string, candidates: readonly File[]): Map<string, File> {
  const paths = json.weightsManifest.flatMap((g) => g.paths);
  const base = (path: string) => path.split('/').pop() ?? path;
  const picked = new Map<string, File>();
  if (paths.length === 1) {
    const [path] = paths;
    const need = expectedWeightBytes(json.weightsManifest[0].weights);
    const named = (f: File) => f.name === base(path) || savedName(f.name) === base(path);
    const fits = candidates.filter((f) => f.size === need);
    const file = fits.find(named) ?? fits[0] ?? (candidates.length === 1 ? candidates[0] : candidates.find(named));
    if (file) {
      // A single file of another size: assembleModelData names it and both byte counts.
      picked.set(path, file);
      return picked;
    }
    if (candidates.length === 0) {
      throw new ModelCheckError(`${jsonName} needs the weights file ${path} (${bytes(need)}): choose it together with ${jsonName}`);
    }
    const sizes = candidates.map((f) => `${f.name} has ${bytes(f.size)}`).join(', ');
    throw new ModelCheckError(`none of the chosen files is the weights file of ${jsonName}, which needs ${bytes(need)}: ${sizes}`);
  }
  for (const path of paths) {
    const file =
      candidates.find((f) => f.name === path || f.name === base(path)) ?? candidates.find((f) => savedName(f.name) === base(path));
    if (file) picked.set(path, file);
  }
  return picked;
}

/**
 * Turns the files picked in "Load model" into model data, checking the weight byte counts.
 * The files are told apart by content, not by name (a browser saves a second download as
 * "model (1).json" and "weights (1).bin"): the .json file that is a layers model, and its weights
 * file(s) by size (see pickWeights). The model itself is built and checked (input, outputs) by the
 * classifier.
 * @throws ModelCheckError saying what is missing or does not fit
 */
export async function readModelFiles(files: File[]): Promise<{ name: string; data: ModelData; card: ModelCard | null }> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length === 0) {
    throw new ModelCheckError('choose the model.json file together with its weights file (e.g. model.json and weights.bin)');
  }
  const models: { file: File; json: ModelJson }[] = [];
  let refusal: unknown = null;
  for (const file of jsons) {
    try {
      models.push({ file, json: parseModelJson(await file.text(), file.name) });
    } catch (error) {
      refusal ??= error;
    }
  }
  if (models.length === 0) {
    if (jsons.length === 1) throw refusal;
    throw new ModelCheckError(`none of ${jsons.map((f) => f.name).join(', ')} is a Keras/tfjs layers model.json`);
  }
  if (models.length > 1) {
    throw new ModelCheckError(`choose one model at a time: ${models.map((m) => m.file.name).join(' and ')} are both model.json files`);
  }
  const [{ file: jsonFile, json }] = models;
  const candidates = files.filter((f) => !jsons.includes(f));
  const weights = new Map<string, ArrayBuffer>();
  for (const [path, file] of pickWeights(json, jsonFile.name, candidates)) weights.set(path, await file.arrayBuffer());
  return { name: jsonFile.name, data: assembleModelData(json, weights, jsonFile.name), card: readCard(json.userDefinedMetadata) };
}

/** Fetches a model folder's model.json and weights (e.g. `models/default/`). */
export async function fetchModel(baseUrl: string): Promise<ModelData> {
  const jsonUrl = new URL('model.json', baseUrl);
  const response = await fetch(jsonUrl);
  if (!response.ok) throw new Error(`${jsonUrl.pathname}: HTTP ${response.status}`);
  const json = parseModelJson(await response.text(), jsonUrl.pathname);
  const files = new Map<string, ArrayBuffer>();
  for (const path of json.weightsManifest.flatMap((g) => g.paths)) {
    const url = new URL(path, baseUrl);
    const r = await fetch(url);
    if (!r.ok) throw new Error(`${url.pathname}: HTTP ${r.status}`);
    files.set(path, await r.arrayBuffer());
  }
  return assembleModelData(json, files, jsonUrl.pathname);
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  // The download has its own reference once started; revoke later so slow browsers still get it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * Downloads `data` as model.json + weights.bin (the files `tf.loadLayersModel` expects side by
 * side), with what the model is (`card`) in model.json's userDefinedMetadata.
 */
export function downloadModel(data: ModelData, card: ModelCard | null): void {
  saveBlob(
    new Blob([modelJsonText(data, WEIGHTS_FILE, card ? cardMetadata(card) : undefined)], { type: 'application/json' }),
    'model.json',
  );
  saveBlob(new Blob([data.weightData], { type: 'application/octet-stream' }), WEIGHTS_FILE);
}

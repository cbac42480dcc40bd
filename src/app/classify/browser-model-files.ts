/**
 * Model files in and out of the page: reading what a person picks in "Load model" (model.json and
 * its weights file(s)) into checked plain data, fetching a shipped model, and downloading a model
 * as model.json + weights.bin that `tf.loadLayersModel` reads.
 */
import { assembleModelData, ModelCheckError, modelJsonText, parseModelJson, type ModelData } from '../../core/model-json.ts';

export const WEIGHTS_FILE = 'weights.bin';

/**
 * Turns the files picked in "Load model" into model data, checking the weight byte counts.
 * The model itself is built and checked (input, outputs) by the classifier.
 * @throws ModelCheckError saying what is missing or does not fit
 */
export async function readModelFiles(files: File[]): Promise<{ name: string; data: ModelData }> {
  const jsons = files.filter((f) => f.name.toLowerCase().endsWith('.json'));
  if (jsons.length === 0) {
    throw new ModelCheckError('choose the model.json file together with its weights file (e.g. model.json and weights.bin)');
  }
  if (jsons.length > 1) throw new ModelCheckError(`choose one model.json at a time, not ${jsons.map((f) => f.name).join(', ')}`);
  const jsonFile = jsons[0];
  const json = parseModelJson(await jsonFile.text(), jsonFile.name);
  const weights = new Map<string, ArrayBuffer>();
  for (const f of files) if (f !== jsonFile) weights.set(f.name, await f.arrayBuffer());
  return { name: jsonFile.name, data: assembleModelData(json, weights, jsonFile.name) };
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

/** Downloads `data` as model.json + weights.bin (the files `tf.loadLayersModel` expects side by side). */
export function downloadModel(data: ModelData): void {
  saveBlob(new Blob([modelJsonText(data, WEIGHTS_FILE)], { type: 'application/json' }), 'model.json');
  saveBlob(new Blob([data.weightData], { type: 'application/octet-stream' }), WEIGHTS_FILE);
}

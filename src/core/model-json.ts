/**
 * Model files as plain data, without tfjs: parsing a model.json, checking that its weight files
 * hold exactly the bytes its manifest needs, joining them, and writing model.json back. The page
 * imports this without loading tfjs; model-check.ts adds the checks that build the model.
 */
import type * as tf from '@tensorflow/tfjs';

/** A model as plain data: what the worker hands to the page, what the page stores and exports. */
export interface ModelData {
  /** The Keras-style topology (model.json's `modelTopology`). */
  modelTopology: object;
  /** One entry per weight tensor, in the order of `weightData`. */
  weightSpecs: tf.io.WeightsManifestEntry[];
  /** Every weight's bytes, concatenated in the order of `weightSpecs`. */
  weightData: ArrayBuffer;
}

export class ModelCheckError extends Error {
  override name = 'ModelCheckError';
}

/** The parts of a model.json this check reads. */
export interface ModelJson {
  format?: string;
  modelTopology: object;
  weightsManifest: { paths: string[]; weights: tf.io.WeightsManifestEntry[] }[];
  /** Whatever its maker kept about it (ours: model-card.ts); unchecked. */
  userDefinedMetadata?: unknown;
}

const BYTES_PER_DTYPE: Record<string, number> = {
  float32: 4,
  int32: 4,
  bool: 1,
  uint8: 1,
  float16: 2,
  uint16: 2,
  complex64: 8,
};

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** "32×32×3" for [null, 32, 32, 3] (the batch dimension dropped; unknown sizes as "?"). */
export function formatShape(shape: readonly (number | null)[]): string {
  return (
    shape
      .slice(1)
      .map((d) => (d === null ? '?' : String(d)))
      .join('×') || 'a scalar'
  );
}

/**
 * Parses model.json text and checks it is a tfjs layers model (not a graph model, not some other
 * JSON). `name` is the file's name, for messages.
 * @throws ModelCheckError saying what the file is instead
 */
export function parseModelJson(text: string, name = 'model.json'): ModelJson {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new ModelCheckError(`${name} is not a Keras/tfjs layers model: it is not valid JSON`);
  }
  if (!isObject(json)) throw new ModelCheckError(`${name} is not a Keras/tfjs layers model: it holds no JSON object`);
  if (json.format === 'graph-model') {
    throw new ModelCheckError(
      `${name} is a tfjs graph model, not a Keras/tfjs layers model: convert it with --output_format=tfjs_layers_model`,
    );
  }
  if (!isObject(json.modelTopology)) {
    throw new ModelCheckError(`${name} is not a Keras/tfjs layers model: it has no "modelTopology"`);
  }
  const manifest = json.weightsManifest;
  if (!Array.isArray(manifest) || !manifest.every((g) => isObject(g) && Array.isArray(g.paths) && Array.isArray(g.weights))) {
    throw new ModelCheckError(`${name} is not a Keras/tfjs layers model: it has no valid "weightsManifest"`);
  }
  return json as unknown as ModelJson;
}

/** Bytes one weight entry takes in the weights file (quantized entries take their stored dtype's size). */
function entryBytes(entry: tf.io.WeightsManifestEntry): number {
  const dtype = entry.quantization?.dtype ?? entry.dtype;
  const size = BYTES_PER_DTYPE[dtype];
  if (size === undefined) throw new ModelCheckError(`weight "${entry.name}" has the unsupported dtype "${dtype}"`);
  if (!Array.isArray(entry.shape) || !entry.shape.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new ModelCheckError(`weight "${entry.name}" has an invalid shape ${JSON.stringify(entry.shape)}`);
  }
  return entry.shape.reduce((n, d) => n * d, 1) * size;
}

/** Bytes the weights of model.json's manifest need in all, from their specs. */
export function expectedWeightBytes(weights: readonly tf.io.WeightsManifestEntry[]): number {
  return weights.reduce((n, w) => n + entryBytes(w), 0);
}

/** How many weights (numbers, not bytes) the specs hold in all. */
export function presentWeights(weights: readonly tf.io.WeightsManifestEntry[]): number {
  return weights.reduce((n, w) => n + (Array.isArray(w.shape) ? w.shape.reduce((p, d) => p * d, 1) : 0), 0);
}

/** The first weight value that is NaN or infinite: which weight, where in it, and what it is. */
export interface NonFiniteWeight {
  name: string;
  /** Its index in the weight, read as a flat array. */
  index: number;
  /** How many values the weight holds. */
  size: number;
  value: number;
}

/**
 * Finds the first NaN or infinite value in a model's weights (float32 and float16 weights;
 * quantized ones whose scale or minimum is not finite), in the order of `weightSpecs`. A model
 * with one answers NaN for every class: the page refuses it instead.
 * @throws ModelCheckError when a spec's dtype is not supported or the data is too short
 */
export function findNonFiniteWeight(data: ModelData): NonFiniteWeight | null {
  const view = new DataView(data.weightData);
  let offset = 0;
  for (const spec of data.weightSpecs) {
    const bytes = entryBytes(spec);
    if (offset + bytes > view.byteLength) throw new ModelCheckError(`the weights end before weight "${spec.name}"`);
    const size = spec.shape.reduce((n, d) => n * d, 1);
    const q = spec.quantization;
    if (q) {
      const dtype = q.dtype as string;
      if (dtype === 'float16') {
        for (let i = 0; i < size; i++) {
          const half = view.getUint16(offset + 2 * i, true);
          if ((half & 0x7c00) === 0x7c00) {
            const value = half & 0x03ff ? NaN : half & 0x8000 ? -Infinity : Infinity;
            return { name: spec.name, index: i, size, value };
          }
        }
      } else {
        for (const value of [q.scale, q.min]) {
          if (value !== undefined && !Number.isFinite(value)) return { name: spec.name, index: 0, size, value };
        }
      }
    } else if (spec.dtype === 'float32' || spec.dtype === 'complex64') {
      const count = spec.dtype === 'complex64' ? 2 * size : size;
      const aligned = offset % 4 === 0 ? new Float32Array(data.weightData, offset, count) : null;
      for (let i = 0; i < count; i++) {
        const value = aligned ? aligned[i] : view.getFloat32(offset + 4 * i, true);
        // value - value is 0 for a finite number, NaN for NaN and ±Infinity.
        if (value - value !== 0) return { name: spec.name, index: spec.dtype === 'complex64' ? i >> 1 : i, size, value };
      }
    }
    offset += bytes;
  }
  return null;
}

/** "weight "dense/kernel" holds NaN (value 3 of 100,352)". */
export function describeNonFinite(bad: NonFiniteWeight): string {
  return `weight "${bad.name}" holds ${String(bad.value)} (value ${(bad.index + 1).toLocaleString('en')} of ${bad.size.toLocaleString('en')})`;
}

/**
 * Refuses weights that hold NaN or infinity, naming the first.
 * @throws ModelCheckError "its weights are not all numbers: weight "dense/kernel" holds NaN (value 1 of 7,840)"
 */
export function checkWeightsFinite(data: ModelData): void {
  const bad = findNonFiniteWeight(data);
  if (bad) throw new ModelCheckError(`its weights are not all finite numbers: ${describeNonFinite(bad)}, so it would answer NaN`);
}

/**
 * Joins the weight files model.json's manifest names, checking each is there and each group
 * (the files of one manifest entry) has exactly the bytes its specs need.
 * @param files the weight files by name (a path's last segment also matches: "group1-shard1of1.bin")
 * @returns the weights as ModelData, ready for `loadCheckedModel`
 * @throws ModelCheckError naming the missing file or the byte counts that differ
 */
export function assembleModelData(json: ModelJson, files: ReadonlyMap<string, ArrayBuffer>, name = 'model.json'): ModelData {
  const specs: tf.io.WeightsManifestEntry[] = [];
  const parts: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    const buffers = group.paths.map((path) => {
      const file = files.get(path) ?? files.get(path.split('/').pop() ?? path);
      if (!file) {
        throw new ModelCheckError(`${name} needs the weights file ${path}: choose it together with ${name}`);
      }
      return file;
    });
    const have = buffers.reduce((n, b) => n + b.byteLength, 0);
    const need = expectedWeightBytes(group.weights);
    if (have !== need) {
      const which = group.paths.join(' + ');
      throw new ModelCheckError(`${which} ${group.paths.length === 1 ? 'has' : 'have'} ${have} bytes, ${name} needs ${need}`);
    }
    specs.push(...group.weights);
    parts.push(...buffers.map((b) => new Uint8Array(b)));
  }
  return { modelTopology: json.modelTopology, weightSpecs: specs, weightData: concatBytes(parts) };
}

/** The weight files' bytes as one buffer, in order: what a model's `weightData` is. */
export function concatBytes(parts: readonly Uint8Array[]): ArrayBuffer {
  const joined = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let offset = 0;
  for (const p of parts) {
    joined.set(p, offset);
    offset += p.length;
  }
  return joined.buffer;
}

/**
 * The model.json text for `data`, whose weights live in one file named `weightsFile`, with
 * `userDefinedMetadata` when given (what the model is: model-card.ts).
 */
export function modelJsonText(data: ModelData, weightsFile = 'weights.bin', userDefinedMetadata?: Record<string, unknown>): string {
  return JSON.stringify({
    format: 'layers-model',
    generatedBy: 'TensorFlow.js tfjs-layers (layers-model format)',
    convertedBy: 'Fashion-MNIST Playground',
    modelTopology: data.modelTopology,
    weightsManifest: [{ paths: [weightsFile], weights: data.weightSpecs }],
    ...(userDefinedMetadata ? { userDefinedMetadata } : {}),
  });
}

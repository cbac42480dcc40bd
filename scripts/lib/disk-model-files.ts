/**
 * Saves and loads models in the tfjs layers format (model.json + one weights file) on disk.
 * tfjs's own `file://` handler ships only with @tensorflow/tfjs-node, which cannot be installed
 * here, so this is the small Node equivalent. The files are what `tf.loadLayersModel` reads in a
 * browser from a URL, and what our own loader reads back in tests.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { concatBytes } from '../../src/core/model-json.ts';

export const WEIGHTS_FILE = 'weights.bin';

/** Writes `model` as DIR/model.json + DIR/weights.bin; returns the paths written. */
export async function saveModelToDir(model: tf.LayersModel, dir: string): Promise<{ modelJson: string; weights: string }> {
  mkdirSync(dir, { recursive: true });
  const modelJson = join(dir, 'model.json');
  const weights = join(dir, WEIGHTS_FILE);
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const data = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      const json = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [WEIGHTS_FILE], weights: artifacts.weightSpecs ?? [] }],
      };
      writeFileSync(weights, new Uint8Array(data));
      writeFileSync(modelJson, JSON.stringify(json));
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: data.byteLength } };
    }),
  );
  return { modelJson, weights };
}

/** Reads a model saved by saveModelToDir (or by the page's Download) from its model.json path. */
export async function loadModelFromFile(modelJsonPath: string): Promise<tf.LayersModel> {
  const json = JSON.parse(readFileSync(modelJsonPath, 'utf8')) as tf.io.ModelJSON;
  const dir = dirname(modelJsonPath);
  const specs: tf.io.WeightsManifestEntry[] = [];
  const buffers: Uint8Array[] = [];
  for (const group of json.weightsManifest) {
    specs.push(...group.weights);
    for (const path of group.paths) buffers.push(readFileSync(join(dir, path)));
  }
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs: specs, weightData: concatBytes(buffers) }));
}

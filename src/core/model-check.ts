/**
 * Checks that a model file set (a tfjs layers model.json and its weight files) is a Fashion-MNIST
 * classifier this app can use: input 28×28×1, ten outputs ending in softmax, every weight byte
 * present. Each failure throws a ModelCheckError whose message says what does not fit, in words a
 * person can act on ("expects input 28×28×1, this model takes 32×32×3").
 *
 * Pure TypeScript plus tfjs (to build the model): runs in Node tests and in the page alike. The
 * file-level part that needs no tfjs lives in model-json.ts (re-exported here).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from './classes.ts';
import { expectedWeightBytes, formatShape, ModelCheckError, type ModelData } from './model-json.ts';

export * from './model-json.ts';

const EXPECTED_INPUT = [IMAGE_SIZE, IMAGE_SIZE, 1];

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The activation the output layer ends in ('softmax', 'linear', …), or null if it cannot tell. */
function outputActivation(model: tf.LayersModel): string | null {
  const last = model.outputLayers[0] ?? model.layers[model.layers.length - 1];
  if (!last) return null;
  if (last.getClassName() === 'Softmax') return 'softmax';
  const activation = (last.getConfig() as { activation?: unknown }).activation;
  if (typeof activation === 'string') return activation;
  if (isObject(activation) && typeof activation.class_name === 'string') return activation.class_name.toLowerCase();
  return null;
}

/**
 * Checks a built model's interface: one input of 28×28×1, one output of 10 ending in softmax.
 * @throws ModelCheckError saying what does not fit
 */
export function checkModelShape(model: tf.LayersModel): void {
  if (model.inputs.length !== 1) throw new ModelCheckError(`expects one input of 28×28×1, this model has ${model.inputs.length} inputs`);
  const input = model.inputs[0].shape;
  const dims = input.slice(1);
  if (dims.length !== 3 || dims.some((d, i) => d !== EXPECTED_INPUT[i])) {
    throw new ModelCheckError(`expects input 28×28×1, this model takes ${formatShape(input)}`);
  }
  if (model.outputs.length !== 1) throw new ModelCheckError(`expects one output, this model has ${model.outputs.length}`);
  const output = model.outputs[0].shape;
  const classes = output[output.length - 1];
  if (output.length !== 2 || classes !== NUM_CLASSES) {
    throw new ModelCheckError(`${NUM_CLASSES} outputs expected, got ${output.length === 2 ? classes : formatShape(output)}`);
  }
  const activation = outputActivation(model);
  if (activation !== 'softmax') {
    throw new ModelCheckError(`the last layer must end in softmax (class probabilities), this one ends in ${activation ?? 'something else'}`);
  }
}

/**
 * Builds a model from plain data and checks it (shape, outputs, softmax). The caller owns the
 * returned model and disposes it; a model that fails the check is disposed here.
 * @throws ModelCheckError saying what does not fit
 */
export async function loadCheckedModel(data: ModelData): Promise<tf.LayersModel> {
  const need = expectedWeightBytes(data.weightSpecs);
  if (data.weightData.byteLength !== need) {
    throw new ModelCheckError(`the weights have ${data.weightData.byteLength} bytes, the model needs ${need}`);
  }
  let model: tf.LayersModel;
  try {
    model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: data.modelTopology, weightSpecs: data.weightSpecs, weightData: data.weightData }));
  } catch (error) {
    throw new ModelCheckError(`not a Keras/tfjs layers model this app can build: ${(error as Error).message}`);
  }
  try {
    checkModelShape(model);
  } catch (error) {
    model.dispose();
    throw error;
  }
  return model;
}

/**
 * Serialises a model for storage and export: topology, weight specs and one weights buffer.
 * Reads the weights from the backend (asynchronously on WebGL).
 */
export async function modelToData(model: tf.LayersModel): Promise<ModelData> {
  let data: ModelData | null = null;
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weightData = artifacts.weightData ? tf.io.CompositeArrayBuffer.join(artifacts.weightData) : new ArrayBuffer(0);
      data = { modelTopology: artifacts.modelTopology as object, weightSpecs: artifacts.weightSpecs ?? [], weightData };
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: weightData.byteLength } };
    }),
  );
  if (!data) throw new Error('the model did not save');
  return data;
}

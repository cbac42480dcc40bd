/**
 * Checks that a model file set (a tfjs layers model.json and its weight files) is a Fashion-MNIST
 * classifier this app can use: input 28×28×1, ten outputs ending in softmax, every weight byte
 * present, no more weights declared than the file holds, no NaN or infinite weight. Each failure
 * throws a ModelCheckError whose message says what does not fit, in words a person can act on
 * ("expects input 28×28×1, this model takes 32×32×3"), and leaves tfjs's memory as it was.
 *
 * Pure TypeScript plus tfjs (to build the model): runs in Node tests and in the page alike. The
 * file-level part that needs no tfjs lives in model-json.ts (re-exported here).
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_SIZE, NUM_CLASSES } from './classes.ts';
import { checkDeclaredWeights } from './declared-weights.ts';
import { checkWeightsFinite, expectedWeightBytes, formatShape, ModelCheckError, type ModelData } from './model-json.ts';
import { checkPredictionCost } from './prediction-cost.ts';

export * from './model-json.ts';
export { checkDeclaredWeights } from './declared-weights.ts';

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
    throw new ModelCheckError(
      `the last layer must end in softmax (class probabilities), this one ends in ${activation ?? 'something else'}`,
    );
  }
}

/**
 * Builds the layers of a topology (with fresh weights), freeing what it made when that fails:
 * tfjs builds the layers one by one and drops the half-built model when a later one fails, and a
 * layer whose weight name tfjs refuses ("my dense/kernel") has made the weight's initial value
 * before the refusal.
 */
async function buildLayers(topology: object): Promise<tf.LayersModel> {
  const engine = tf.engine();
  const variables = () => engine.state.registeredVariables;
  const before = new Set(Object.keys(variables()));
  // modelFromJSON builds every layer synchronously, before its first await: the variables and
  // tensors that appear inside this scope are this model's, even when building it fails. The
  // scope only lists them: ending it with all of them as its result disposes none.
  engine.startScope();
  let tensors: tf.Tensor[];
  let building: Promise<tf.LayersModel>;
  try {
    building = tf.models.modelFromJSON({ modelTopology: topology } as tf.io.ModelJSON);
  } finally {
    tensors = engine.state.activeScope.track.slice();
    engine.endScope(tensors);
  }
  const made = Object.entries(variables())
    .filter(([name]) => !before.has(name))
    .map(([, variable]) => variable);
  try {
    return await building;
  } catch (error) {
    for (const tensor of [...made, ...tensors]) if (!tensor.isDisposed) tensor.dispose();
    throw new ModelCheckError(`not a Keras/tfjs layers model this app can build: ${(error as Error).message}`);
  }
}

/** Puts the weights of `data` into `model` (tfjs checks every name and shape), freeing the decoded copies. */
function setWeights(model: tf.LayersModel, data: ModelData): void {
  // Decoded inside tidy: a spec that fails to decode frees the ones decoded before it.
  const decoded = tf.tidy(() => tf.io.decodeWeights(data.weightData, data.weightSpecs));
  try {
    const weights: tf.NamedTensorMap = {};
    // Optimizer state saved with a Keras model is not the model's: it is decoded and dropped.
    for (const spec of data.weightSpecs) if (spec.group !== 'optimizer') weights[spec.name] = decoded[spec.name];
    model.loadWeights(weights, true);
  } catch (error) {
    throw new ModelCheckError(`its weights do not fit its layers: ${(error as Error).message}`);
  } finally {
    tf.dispose(Object.values(decoded));
  }
}

/**
 * Builds a model from plain data and checks it: the weight bytes, the weights its layers declare,
 * finite weights and what one answer costs (before building anything), then the built model's
 * shape, outputs and softmax.
 * The caller owns the returned model and disposes it; on every failure whatever was built is
 * freed here (tf.memory() is as before).
 * @throws ModelCheckError saying what does not fit
 */
export async function loadCheckedModel(data: ModelData): Promise<tf.LayersModel> {
  const need = expectedWeightBytes(data.weightSpecs);
  if (data.weightData.byteLength !== need) {
    throw new ModelCheckError(`the weights have ${data.weightData.byteLength} bytes, the model needs ${need}`);
  }
  checkDeclaredWeights(data);
  checkWeightsFinite(data);
  checkPredictionCost(data.modelTopology);
  const model = await buildLayers(data.modelTopology);
  try {
    setWeights(model, data);
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

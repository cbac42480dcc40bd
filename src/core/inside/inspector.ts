/**
 * "Inside the model" for one model: what each layer makes of a picture, and why the model gives a
 * class its score. One probe model (the model's own layers, with every stage's output as an
 * output) gives all activations in one forward pass; the why maps differentiate the class's logit
 * (why-maps.ts). Everything is read back as plain arrays and every tensor is freed before the
 * promise resolves. Pure tfjs: the classifier worker runs it, and so do Node tests and benchmarks.
 */
import * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../classes.ts';
import { logitsFromFeatures } from './forward.ts';
import { camStages, defaultCamStage, InsideError, modelStages, type ModelStages, type Stage } from './model-stages.ts';
import { gradCam, smoothGrad, toPicture } from './why-maps.ts';

/** The feature maps of a convolution or pooling stage for one picture. */
export interface FeatureMaps {
  stage: Stage;
  height: number;
  width: number;
  channels: number;
  /** Channel after channel, each row-major: values[(c · height + y) · width + x]. */
  values: Float32Array;
  /** Each channel's mean activation. */
  strength: Float32Array;
  /** Channel indices, strongest mean activation first. */
  order: number[];
}

/** A dense stage's values for one picture; the last dense stage gives the logits. */
export interface DenseValues {
  stage: Stage;
  values: Float32Array;
  /** True for the last dense layer: its values are the class scores before softmax. */
  logits: boolean;
}

/** A heat map over the 28×28 picture, scaled so that its largest value is 1 (all 0 when nothing speaks for the class). */
export interface HeatMap {
  values: Float32Array;
  /** Its largest value before scaling (0: nothing in the picture raises the class's score). */
  peak: number;
}

export interface WhyMaps {
  /** The class explained. */
  classIndex: number;
  /** Grad-CAM's layer and map; null for a model without convolutions. */
  gradCam: (HeatMap & { stage: Stage; height: number; width: number }) | null;
  smoothGrad: HeatMap;
}

export interface InsideView {
  maps: FeatureMaps[];
  dense: DenseValues[];
  logits: Float32Array;
  probabilities: Float32Array;
  why: WhyMaps;
}

export interface InspectRequest {
  /** The class to explain; default: the model's top answer. */
  explainClass?: number | null;
  /** The model's layer name of the convolution Grad-CAM explains at; default: defaultCamStage. */
  camLayer?: string | null;
}

/** Values scaled to peak 1 (or left at 0), with the peak. */
function scaled(values: Float32Array): HeatMap {
  let peak = 0;
  for (const v of values) if (v > peak) peak = v;
  const out = new Float32Array(values.length);
  if (peak > 0) for (let i = 0; i < values.length; i++) out[i] = values[i] / peak;
  return { values: out, peak };
}

const strongestFirst = (strength: Float32Array): number[] => Array.from(strength.keys()).sort((a, b) => strength[b] - strength[a] || a - b);

export class ModelInspector {
  readonly stages: ModelStages;
  /** The convolutions Grad-CAM may explain at, and the default one. */
  readonly camStages: Stage[];
  readonly defaultCam: Stage | null;
  private readonly model: tf.LayersModel;
  private readonly probe: tf.LayersModel;
  /** Stages whose activations the probe outputs (all but the last dense, whose logits come from its input). */
  private readonly probed: Stage[];
  /** For each probed stage, then for the last dense layer's input: its output's index in the probe. */
  private readonly probeIndex: number[];

  /** @throws InsideError when the model cannot be looked into (model-stages.ts says why) */
  constructor(model: tf.LayersModel) {
    this.model = model;
    this.stages = modelStages(model);
    this.camStages = camStages(this.stages.stages);
    this.defaultCam = defaultCamStage(this.stages.stages);
    this.probed = this.stages.stages.filter((s) => s.outputIndex !== this.stages.logitIndex);
    const wanted = [
      ...this.probed.map((s) => model.layers[s.outputIndex].output as tf.SymbolicTensor),
      model.layers[this.stages.logitIndex].input as tf.SymbolicTensor,
    ];
    // Each tensor once: a model that asks for one output twice gets nothing for the second.
    const outputs = [...new Set(wanted)];
    this.probeIndex = wanted.map((t) => outputs.indexOf(t));
    // Shares the model's layers and weights; it holds no tensor of its own, so it is never disposed
    // (disposing it would free the model's weights).
    this.probe = tf.model({ inputs: model.inputs, outputs });
  }

  /**
   * Activations of every stage and the why maps of one class for `image` (784 bytes, row-major,
   * 0 = background), read back asynchronously.
   * @throws RangeError for an image that is not 784 bytes; InsideError for an unknown layer
   */
  async inspect(image: Uint8Array, request: InspectRequest = {}): Promise<InsideView> {
    if (image.length !== IMAGE_PIXELS)
      throw new RangeError(`image has ${image.length} bytes, expected ${IMAGE_PIXELS} (${IMAGE_SIZE}×${IMAGE_SIZE})`);
    const cam = request.camLayer ? this.camStages.find((s) => s.name === request.camLayer) : this.defaultCam;
    if (cam === undefined) throw new InsideError(`there is no convolution layer named ${request.camLayer} to explain at`);
    const explain = request.explainClass ?? null;
    const pixels = Float32Array.from(image, (v) => v / 255);
    // One flat list, so one tf.dispose frees it: logits, probabilities, class, SmoothGrad, then
    // Grad-CAM's picture and coarse maps (when there is a convolution), then each probed stage's
    // values and (for maps) strengths.
    const tensors = tf.tidy((): tf.Tensor[] => {
      const input = tf.tensor4d(pixels, [1, IMAGE_SIZE, IMAGE_SIZE, 1]);
      const predicted = this.probe.predict(input);
      // A probe of one output (a model without convolutions) gives a tensor, not a list.
      const unique = Array.isArray(predicted) ? predicted : [predicted];
      const outputs = this.probeIndex.map((i) => unique[i]);
      const logits = logitsFromFeatures(this.model, this.stages, outputs[outputs.length - 1]);
      const classes = logits.shape[1];
      if (explain !== null && !(Number.isInteger(explain) && explain >= 0 && explain < classes)) {
        throw new RangeError(`explainClass must be a class index from 0 to ${classes - 1}, got ${explain}`);
      }
      const target = (explain === null ? tf.argMax(logits, 1) : tf.tensor1d([explain], 'int32')) as tf.Tensor1D;
      const camMap = cam ? gradCam(this.model, this.stages, cam, outputs[this.probed.indexOf(cam)] as tf.Tensor4D, target) : null;
      const stageValues = this.probed.flatMap((s, i) => {
        const a = outputs[i];
        return s.kind === 'dense' ? [a.reshape([-1])] : [tf.transpose(a.squeeze([0]), [2, 0, 1]).reshape([-1]), tf.mean(a, [0, 1, 2])];
      });
      const why = camMap ? [toPicture(camMap), camMap] : [];
      return [
        logits.reshape([-1]),
        tf.softmax(logits).reshape([-1]),
        target,
        smoothGrad(this.model, this.stages, input, target),
        ...why,
        ...stageValues,
      ];
    });
    try {
      const values = (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[];
      const [logits, probabilities, target, smooth] = values;
      const [camPicture, camCoarse] = cam ? values.slice(4, 6) : [null, null];
      let next = cam ? 6 : 4;
      const maps: FeatureMaps[] = [];
      const dense: DenseValues[] = [];
      for (const stage of this.probed) {
        if (stage.kind === 'dense') {
          dense.push({ stage, values: values[next++], logits: false });
          continue;
        }
        const [v, strength] = [values[next++], values[next++]];
        maps.push({
          stage,
          height: stage.shape[0],
          width: stage.shape[1],
          channels: stage.shape[2],
          values: v,
          strength,
          order: strongestFirst(strength),
        });
      }
      const last = this.stages.stages[this.stages.stages.length - 1];
      dense.push({ stage: last, values: logits, logits: true });
      const camPeak = camCoarse ? scaled(camCoarse).peak : 0;
      return {
        maps,
        dense,
        logits,
        probabilities,
        why: {
          classIndex: Math.round(target[0]),
          gradCam:
            cam && camPicture && camCoarse
              ? { ...scaled(camPicture), peak: camPeak, stage: cam, height: cam.shape[0], width: cam.shape[1] }
              : null,
          smoothGrad: scaled(smooth),
        },
      };
    } finally {
      tf.dispose(tensors);
    }
  }
}
export { InsideError };

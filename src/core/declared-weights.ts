/**
 * How many weights a Keras/tfjs layers model.json declares, worked out from its topology's layer
 * configs alone (no tfjs, nothing built): a model.json can declare Dense(1000000) over a 31 kB
 * weights file, and tfjs would allocate gigabytes for it before noticing that the weights do not
 * fit. model-check.ts refuses such a model before building anything.
 *
 * The same walk (walkTopology) gives each layer's output shape and multiply-adds, from which
 * prediction-cost.ts works out what answering one picture costs.
 *
 * The count is exact for the layers it knows (Dense, convolutions, pooling, BatchNormalization,
 * Flatten, Reshape, the activations and dropouts, …) in Sequential and functional models, and a
 * lower bound otherwise: a layer it does not know counts 0, and where a shape cannot be followed
 * every unknown size counts as 1. So a model it refuses can never load: its declared weights are
 * more than the weights file holds.
 */

import { ModelCheckError, presentWeights, type ModelData } from './model-json.ts';

/** A tensor's shape without the batch dimension; null entries (or null) are unknown. */
export type Shape = (number | null)[] | null;

export interface Counted {
  /** The layer's weights (a lower bound where its input's shape is not known). */
  params: number;
  out: Shape;
  /**
   * Multiply-adds of one image through the layer (convolutions, dense layers, pooling windows);
   * 0 for elementwise layers and where a shape is not known.
   */
  macs: number;
}

export interface DeclaredWeights {
  /** Weights (numbers, not bytes) the topology declares: exact, or a lower bound. */
  total: number;
  /** The layer that declares the most. */
  largest: { name: string; params: number } | null;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : null);
/** An unknown size as 1: the smallest it can be. */
const atLeast1 = (v: number | null): number => (v === null ? 1 : v);
const product = (dims: readonly (number | null)[]): number | null =>
  dims.reduce<number | null>((p, d) => (p === null || d === null ? null : p * d), 1);

/** kernel_size, strides, pool_size…: a number for every spatial axis, or null when not given right. */
function tuple(v: unknown, rank: number): number[] | null {
  if (num(v) !== null) return Array.from({ length: rank }, () => v as number);
  if (Array.isArray(v) && v.length === rank && v.every((d) => num(d) !== null)) return v as number[];
  return null;
}

/** The input shape a layer's config declares (batch_input_shape, batch_shape or input_shape). */
function declaredInput(config: Record<string, unknown>): Shape {
  const batched = config.batch_input_shape ?? config.batch_shape;
  if (Array.isArray(batched)) return batched.slice(1).map(num);
  if (Array.isArray(config.input_shape)) return config.input_shape.map(num);
  return null;
}

function channelsFirst(config: Record<string, unknown>): boolean {
  return config.data_format === 'channels_first';
}

/** Output size of one spatial axis of a convolution or pooling window. */
function windowOut(n: number | null, kernel: number, stride: number, padding: unknown, dilation = 1): number | null {
  if (n === null || stride <= 0) return null;
  if (padding === 'same') return Math.ceil(n / stride);
  const span = (kernel - 1) * dilation + 1;
  return Math.max(0, Math.floor((n - span) / stride) + 1);
}

/** Splits a channels-last or channels-first shape into its spatial axes and channels. */
function spatial(shape: Shape, rank: number, first: boolean): { dims: (number | null)[]; channels: number | null } | null {
  if (!shape || shape.length !== rank + 1) return null;
  return first ? { dims: shape.slice(1), channels: shape[0] } : { dims: shape.slice(0, rank), channels: shape[rank] };
}

function join(dims: (number | null)[], channels: number | null, first: boolean): Shape {
  return first ? [channels, ...dims] : [...dims, channels];
}

const SAME_SHAPE = new Set([
  'Activation',
  'Dropout',
  'SpatialDropout1D',
  'SpatialDropout2D',
  'SpatialDropout3D',
  'GaussianNoise',
  'GaussianDropout',
  'AlphaDropout',
  'ReLU',
  'LeakyReLU',
  'ELU',
  'ThresholdedReLU',
  'Softmax',
  'Masking',
  'Rescaling',
  'ActivityRegularization',
]);

const MERGE_SAME = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);

/** One layer: its weights and its output's shape, from its config and its inputs' shapes. */
function countLayer(className: string, config: Record<string, unknown>, inputs: Shape[]): Counted {
  const input = inputs[0] ?? null;
  const unknown: Counted = { params: 0, out: null, macs: 0 };
  const useBias = config.use_bias !== false;
  const conv = /^(Conv|SeparableConv|DepthwiseConv)([123])D(Transpose)?$/.exec(className);
  if (conv) {
    const rank = Number(conv[2]);
    const first = channelsFirst(config);
    const kernel = tuple(config.kernel_size, rank);
    const strides = tuple(config.strides ?? 1, rank);
    const dilation = tuple(config.dilation_rate ?? 1, rank);
    if (!kernel || !strides || !dilation) return unknown;
    const split = spatial(input, rank, first);
    const cin = split?.channels ?? null;
    const window = kernel.reduce((p, k) => p * k, 1);
    let params: number;
    let cout: number | null;
    /** The kernel's weights: the multiply-adds at each position it is applied at. */
    let kernelWeights: number;
    if (conv[1] === 'DepthwiseConv') {
      const multiplier = num(config.depth_multiplier) ?? 1;
      cout = cin === null ? null : cin * multiplier;
      kernelWeights = window * atLeast1(cin) * multiplier;
      params = kernelWeights + (useBias ? atLeast1(cin) * multiplier : 0);
    } else {
      const filters = num(config.filters);
      if (filters === null) return unknown;
      cout = filters;
      if (conv[1] === 'SeparableConv') {
        const multiplier = num(config.depth_multiplier) ?? 1;
        kernelWeights = window * atLeast1(cin) * multiplier + atLeast1(cin) * multiplier * filters;
      } else {
        kernelWeights = window * atLeast1(cin) * filters;
      }
      params = kernelWeights + (useBias ? filters : 0);
    }
    if (!split) return { params, out: null, macs: 0 };
    const dims = split.dims.map((n, i) => {
      if (!conv[3]) return windowOut(n, kernel[i], strides[i], config.padding, dilation[i]);
      if (n === null) return null;
      return config.padding === 'same' ? n * strides[i] : n * strides[i] + Math.max(kernel[i] - strides[i], 0);
    });
    // A convolution applies its kernel at each output position; a transposed one at each input position.
    const positions = product(conv[3] ? split.dims : dims) ?? 0;
    return { params, out: join(dims, cout, first), macs: positions * kernelWeights };
  }
  const pool = /^(Max|Average)Pooling([123])D$/.exec(className);
  if (pool) {
    const rank = Number(pool[2]);
    const first = channelsFirst(config);
    const size = tuple(config.pool_size ?? 2, rank);
    const strides = config.strides == null ? size : tuple(config.strides, rank);
    const split = spatial(input, rank, first);
    if (!size || !strides || !split) return unknown;
    const dims = split.dims.map((n, i) => windowOut(n, size[i], strides[i], config.padding));
    const out = join(dims, split.channels, first);
    return { params: 0, out, macs: (out ? (product(out) ?? 0) : 0) * size.reduce((p, k) => p * k, 1) };
  }
  if (/^Global(Max|Average)Pooling[123]D$/.test(className)) {
    if (!input) return unknown;
    return { params: 0, out: [channelsFirst(config) ? input[0] : input[input.length - 1]], macs: product(input) ?? 0 };
  }
  switch (className) {
    case 'InputLayer':
      return { params: 0, out: declaredInput(config), macs: 0 };
    case 'Dense': {
      const units = num(config.units);
      if (units === null) return unknown;
      const cin = input && input.length > 0 ? input[input.length - 1] : null;
      const out = input && input.length > 0 ? [...input.slice(0, -1), units] : null;
      // Applied along the last axis at every position of the others.
      const positions = input && input.length > 0 ? product(input.slice(0, -1)) : null;
      return {
        params: atLeast1(cin) * units + (useBias ? units : 0),
        out,
        macs: positions === null || cin === null ? 0 : positions * cin * units,
      };
    }
    case 'BatchNormalization':
    case 'LayerNormalization': {
      const axis =
        typeof config.axis === 'number'
          ? config.axis
          : Array.isArray(config.axis) && config.axis.length === 1
            ? Number(config.axis[0])
            : -1;
      // axis counts the batch dimension (-1: the last one).
      const at = input ? (axis < 0 ? input.length + axis : axis - 1) : -1;
      const channels = input && at >= 0 && at < input.length ? input[at] : null;
      const perChannel =
        (config.scale !== false ? 1 : 0) + (config.center !== false ? 1 : 0) + (className === 'BatchNormalization' ? 2 : 0);
      return { params: channels === null ? 0 : perChannel * channels, out: input, macs: 0 };
    }
    case 'Flatten':
      return { params: 0, out: input ? [product(input)] : null, macs: 0 };
    case 'Reshape': {
      const target = config.target_shape;
      if (!Array.isArray(target)) return unknown;
      const dims = target.map((d) => (typeof d === 'number' ? d : null));
      const free = dims.indexOf(-1);
      if (free >= 0) {
        const known = product(dims.filter((_, i) => i !== free));
        const all = input ? product(input) : null;
        dims[free] = known && all !== null && all % known === 0 ? all / known : null;
      }
      return { params: 0, out: dims.map((d) => (d === null || d < 0 ? null : d)), macs: 0 };
    }
    case 'Permute': {
      const dims = config.dims;
      if (!input || !Array.isArray(dims) || dims.length !== input.length) return unknown;
      return { params: 0, out: dims.map((d) => (typeof d === 'number' ? (input[d - 1] ?? null) : null)), macs: 0 };
    }
    case 'ZeroPadding2D':
    case 'UpSampling2D': {
      const first = channelsFirst(config);
      const split = spatial(input, 2, first);
      if (!split) return unknown;
      if (className === 'UpSampling2D') {
        const size = tuple(config.size ?? 2, 2);
        if (!size) return unknown;
        return {
          params: 0,
          out: join(
            split.dims.map((n, i) => (n === null ? null : n * size[i])),
            split.channels,
            first,
          ),
          macs: 0,
        };
      }
      const p = config.padding ?? 1;
      const pads =
        num(p) !== null
          ? [2 * (p as number), 2 * (p as number)]
          : Array.isArray(p) && p.length === 2 && p.every((x) => num(x) !== null)
            ? [2 * p[0], 2 * p[1]]
            : Array.isArray(p) && p.length === 2 && p.every((x) => Array.isArray(x) && x.length === 2 && x.every((y) => num(y) !== null))
              ? [p[0][0] + p[0][1], p[1][0] + p[1][1]]
              : null;
      if (!pads) return unknown;
      return {
        params: 0,
        out: join(
          split.dims.map((n, i) => (n === null ? null : n + pads[i])),
          split.channels,
          first,
        ),
        macs: 0,
      };
    }
    case 'PReLU': {
      if (!input) return unknown;
      const shared = Array.isArray(config.shared_axes) ? config.shared_axes.filter((a): a is number => typeof a === 'number') : [];
      return { params: product(input.map((d, i) => (shared.includes(i + 1) ? 1 : d))) ?? 0, out: input, macs: 0 };
    }
    case 'Embedding': {
      const n = num(config.input_dim);
      const d = num(config.output_dim);
      if (n === null || d === null) return unknown;
      return { params: n * d, out: input ? [...input, d] : null, macs: 0 };
    }
    case 'Concatenate': {
      if (inputs.length === 0 || inputs.some((s) => !s)) return unknown;
      const rank = inputs[0]!.length;
      const axis = typeof config.axis === 'number' ? config.axis : -1;
      const at = axis < 0 ? rank + axis : axis - 1;
      if (at < 0 || at >= rank || inputs.some((s) => s!.length !== rank)) return unknown;
      const out = [...inputs[0]!];
      out[at] = inputs.reduce<number | null>((sum, s) => (sum === null || s![at] === null ? null : sum + s![at]!), 0);
      return { params: 0, out, macs: 0 };
    }
    default:
      if (SAME_SHAPE.has(className) || MERGE_SAME.has(className)) return { params: 0, out: input, macs: 0 };
      return unknown;
  }
}

interface LayerSpec {
  className: string;
  config: Record<string, unknown>;
  name: string;
}

function layerSpec(raw: unknown, index: number): LayerSpec | null {
  if (!isObject(raw) || typeof raw.class_name !== 'string') return null;
  const config = isObject(raw.config) ? raw.config : {};
  const name = typeof config.name === 'string' ? config.name : typeof raw.name === 'string' ? raw.name : `layer ${index + 1}`;
  return { className: raw.class_name, config, name };
}

/** The layer names a functional layer's first inbound node reads (tfjs's and Keras 2's format). */
function inboundNames(raw: Record<string, unknown>): string[] | null {
  const nodes = raw.inbound_nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return [];
  const node = nodes[0];
  if (!Array.isArray(node)) return null;
  const names = node.map((entry) => (Array.isArray(entry) && typeof entry[0] === 'string' ? entry[0] : null));
  return names.every((n) => n !== null) ? (names as string[]) : null;
}

/** One layer as the walk meets it: its name and class, its inputs' shapes, and what it counts. */
export interface WalkedLayer {
  name: string;
  className: string;
  inputs: Shape[];
  counted: Counted;
}

/**
 * Follows a model.json's topology (`modelTopology`, or a Keras file's `model_config`) layer by
 * layer, Sequential or functional, calling `visit` with each layer's counts in order.
 */
export function walkTopology(topology: object, visit: (layer: WalkedLayer) => void): void {
  let root: unknown = topology;
  if (isObject(root) && isObject(root.model_config)) root = root.model_config;
  if (!isObject(root)) return;
  const config = root.config;
  const layers = Array.isArray(config) ? config : isObject(config) && Array.isArray(config.layers) ? config.layers : [];
  if (root.class_name === 'Sequential') {
    let shape: Shape = null;
    layers.forEach((raw, i) => {
      const spec = layerSpec(raw, i);
      if (!spec) {
        shape = null;
        return;
      }
      if (i === 0 || spec.className === 'InputLayer') shape = declaredInput(spec.config) ?? shape;
      const inputs = [shape];
      const counted = countLayer(spec.className, spec.config, inputs);
      visit({ name: spec.name, className: spec.className, inputs, counted });
      shape = counted.out;
    });
    return;
  }
  // A functional model: each layer reads the outputs of the layers its inbound node names.
  const outputs = new Map<string, Shape>();
  layers.forEach((raw, i) => {
    const spec = layerSpec(raw, i);
    if (!spec || !isObject(raw)) return;
    const names = inboundNames(raw);
    const inputs: Shape[] = names && names.length > 0 ? names.map((n) => outputs.get(n) ?? null) : [declaredInput(spec.config)];
    const counted = countLayer(spec.className, spec.config, inputs);
    visit({ name: spec.name, className: spec.className, inputs, counted });
    outputs.set(spec.name, counted.out);
  });
}

/**
 * The weights a model.json's topology declares (`modelTopology`, or a Keras file's `model_config`).
 * Exact for the layers it knows, a lower bound otherwise (see the file's comment).
 */
export function declaredWeights(topology: object): DeclaredWeights {
  const result: DeclaredWeights = { total: 0, largest: null };
  walkTopology(topology, ({ name, counted: { params } }) => {
    result.total += params;
    if (params > 0 && (!result.largest || params > result.largest.params)) result.largest = { name, params };
  });
  return result;
}

const formatCount = (n: number): string => n.toLocaleString('en');
const formatBytes = (n: number): string => (n >= 1e9 ? `${(n / 1e9).toFixed(1)} GB` : `${(n / 1e6).toFixed(1)} MB`);

/**
 * Refuses, before anything is built, a model.json whose layers declare more weights than its
 * weights hold (declaredWeights above): tfjs would allocate them all (gigabytes for a Dense(1000000))
 * before noticing that the weights do not fit.
 * @throws ModelCheckError saying how many weights are declared and how many are there
 */
export function checkDeclaredWeights(data: ModelData): void {
  const declared = declaredWeights(data.modelTopology);
  const present = presentWeights(data.weightSpecs);
  if (declared.total <= present) return;
  const largest =
    declared.largest && declared.largest.params < declared.total
      ? `; layer "${declared.largest.name}" alone ${formatCount(declared.largest.params)}`
      : '';
  throw new ModelCheckError(
    `its layers declare ${formatCount(declared.total)} weights (${formatBytes(declared.total * 4)} as float32${largest}), ` +
      `its weights hold ${formatCount(present)} (${formatCount(data.weightData.byteLength)} bytes): model.json and the weights do not belong together`,
  );
}

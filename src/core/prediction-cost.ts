/**
 * What answering one picture with a model costs, worked out from its model.json's topology before
 * anything is built (no tfjs): the multiply-adds of its convolutions, dense layers and pooling
 * windows, plus every value its layers compute. A model file can be tiny and still cost a fortune
 * to run: an UpSampling2D of 100 × 100 on the 28 × 28 input, then one 3 × 3 filter, is a 2 kB
 * model.json whose every answer took 1.8 s of the page's main thread. The page refuses such a
 * model at load, and a test keeps every model of the zoo well under the limit.
 */
import { walkTopology } from './declared-weights.ts';
import { ModelCheckError } from './model-json.ts';

/**
 * The most one answer may cost (multiply-adds plus values computed). Every model of the zoo needs
 * under half of it (the widest, `wide`, 29.5 million: tests/prediction-cost.test.ts); the attack
 * above needs 94 million.
 */
export const COST_LIMIT = 64_000_000;

export interface PredictionCost {
  /** Multiply-adds of one picture through the model. */
  macs: number;
  /** Values its layers compute for one picture (their outputs' sizes). */
  values: number;
  /** macs + values: what the limit is about. */
  total: number;
  /** The layer that costs the most. */
  largest: { name: string; cost: number } | null;
  /** The first layer whose output the walk could not follow (its cost is then unknown), or null. */
  unknown: { name: string; className: string } | null;
}

const size = (shape: readonly (number | null)[]): number | null =>
  shape.reduce<number | null>((p, d) => (p === null || d === null ? null : p * d), 1);

/** The cost of one picture through the model of `topology` (model.json's `modelTopology`). */
export function predictionCost(topology: object): PredictionCost {
  const cost: PredictionCost = { macs: 0, values: 0, total: 0, largest: null, unknown: null };
  walkTopology(topology, ({ name, className, counted }) => {
    const values = counted.out ? size(counted.out) : null;
    if (values === null) {
      cost.unknown ??= { name, className };
      return;
    }
    const layer = counted.macs + values;
    cost.macs += counted.macs;
    cost.values += values;
    cost.total += layer;
    if (!cost.largest || layer > cost.largest.cost) cost.largest = { name, cost: layer };
  });
  return cost;
}

const millions = (n: number): string => `${(n / 1e6).toLocaleString('en', { maximumFractionDigits: 1 })} million`;

/**
 * Refuses, before anything is built, a model whose answers would cost more than COST_LIMIT, or
 * whose cost cannot be worked out (a layer whose output the walk cannot follow).
 * @throws ModelCheckError saying what one answer would cost, against the limit
 */
export function checkPredictionCost(topology: object): void {
  const cost = predictionCost(topology);
  if (cost.unknown) {
    throw new ModelCheckError(
      `this page cannot work out what answering a picture with it costs: it cannot tell the shape that layer "${cost.unknown.name}" (${cost.unknown.className}) outputs`,
    );
  }
  if (cost.total <= COST_LIMIT) return;
  const largest =
    cost.largest && cost.largest.cost < cost.total ? `, layer "${cost.largest.name}" alone ${millions(cost.largest.cost)}` : '';
  throw new ModelCheckError(
    `answering one picture with it would take ${millions(cost.total)} operations (multiply-adds and values computed${largest}), ` +
      `over this page's limit of ${millions(COST_LIMIT)}: each answer would take seconds and hold up the page`,
  );
}

/**
 * The check every model passes before the page builds or keeps it, wherever it comes from (Load
 * model, the model a run hands over, one kept in IndexedDB): one that fails is refused, saying why.
 */
import { checkDeclaredWeights } from '../../core/declared-weights.ts';
import { describeNonFinite, findNonFiniteWeight, type ModelData } from '../../core/model-json.ts';
import { checkPredictionCost } from '../../core/prediction-cost.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/**
 * Why a model cannot answer, or null when it can: its weights (NaN or infinity, not readable, or
 * fewer than its layers declare), or what one answer would cost (prediction-cost.ts: far more than any model of the zoo, which
 * would hold up the page at every stroke).
 */
export function unusableModel(data: ModelData): string | null {
  try {
    const bad = findNonFiniteWeight(data);
    if (bad) return `its weights are not all finite numbers: ${describeNonFinite(bad)}`;
  } catch (error) {
    return `its weights cannot be read: ${messageOf(error)}`;
  }
  try {
    // A model.json that does not belong to its weights says so first: that is what is wrong with it.
    checkDeclaredWeights(data);
    checkPredictionCost(data.modelTopology);
  } catch (error) {
    return messageOf(error);
  }
  return null;
}

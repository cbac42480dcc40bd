/**
 * Load model: the files a person picks become the page's 'file' model only once they are read,
 * checked (unusable-model.ts) and built, so that files that do not fit replace nothing.
 */
import type { ModelCard } from '../../core/model-card.ts';
import { ModelCheckError, type ModelData } from '../../core/model-json.ts';
import type { SetModelResult } from './classification-service.ts';
import { fileRecord } from './model-cards.ts';
import type { StoredModel } from './stored-model.ts';
import { unusableModel } from './unusable-model.ts';

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** The outcome: its record to keep, a later load or choice took over meanwhile, or why it cannot be used. */
export type LoadedFiles = { kind: 'built'; record: StoredModel } | { kind: 'superseded' } | { kind: 'refused'; message: string };

/**
 * @param readFiles model.json and its weights, checked for byte counts (browser-model-files.ts)
 * @param build builds the checked model in the classification service
 */
export async function loadModelFiles(
  files: File[],
  readFiles: (files: File[]) => Promise<{ name: string; data: ModelData; card: ModelCard | null }>,
  build: (data: ModelData, options: { flipTest: boolean }) => Promise<SetModelResult>,
): Promise<LoadedFiles> {
  try {
    const { name, data, card } = await readFiles(files);
    const unusable = unusableModel(data);
    if (unusable) throw new ModelCheckError(unusable);
    const result = await build(data, { flipTest: card?.config?.flipTest === true });
    if (result.kind === 'superseded') return result;
    if (result.kind === 'error') throw result.error;
    // What its model.json says it is (a model Download saved): name, layers, training, score.
    return { kind: 'built', record: fileRecord(name, data, card, Date.now()) };
  } catch (error) {
    const what = error instanceof ModelCheckError ? error.message : `the files could not be read (${messageOf(error)})`;
    return { kind: 'refused', message: `This model cannot be used: ${what}.` };
  }
}

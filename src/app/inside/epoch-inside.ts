/**
 * The engine's "Inside the model" after each epoch: a member looked into on the first test image
 * (the same every epoch, so the page shows its filters and maps forming), as a 'run-inside'
 * message with the buffers to transfer. A model this view cannot read gets no message.
 */
import type * as tf from '@tensorflow/tfjs';
import { IMAGE_PIXELS } from '../../core/classes.ts';
import type { ImageSet } from '../../core/data/image-set.ts';
import { insideBuffers, lookInsideOnce } from '../../core/inside/look-inside.ts';
import { InsideError } from '../../core/inside/model-stages.ts';
import type { WorkerToPage } from '../protocol.ts';

export async function epochInside(
  at: { runId: number; member: number; epoch: number },
  model: tf.LayersModel,
  test: ImageSet,
): Promise<{ message: WorkerToPage; transfer: ArrayBuffer[] } | null> {
  const image = test.images.slice(0, IMAGE_PIXELS);
  try {
    const result = await lookInsideOnce(model, image);
    return { message: { type: 'run-inside', ...at, image, result }, transfer: insideBuffers(result) };
  } catch (error) {
    if (error instanceof InsideError) return null;
    throw error;
  }
}

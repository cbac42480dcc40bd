/** What the page keeps of the dataset: the test set (for misclassified tiles) and a small gallery. */
import { IMAGE_PIXELS, NUM_CLASSES } from '../../core/classes.ts';
import type { ImageSet } from '../../core/data/image-set.ts';
import type { DatasetSummary } from '../protocol.ts';

export const GALLERY_PER_CLASS = 8;

/** Copies, so the worker's own arrays stay intact when the summary's buffers are transferred. */
export function summarize(train: ImageSet, test: ImageSet, perClass = GALLERY_PER_CLASS): DatasetSummary {
  const images = new Uint8Array(NUM_CLASSES * perClass * IMAGE_PIXELS);
  const labels = new Uint8Array(NUM_CLASSES * perClass);
  // The first `perClass` training images of each class, class by class: the same gallery every time.
  const taken = new Array<number>(NUM_CLASSES).fill(0);
  for (let i = 0; i < train.count && taken.some((n) => n < perClass); i++) {
    const label = train.labels[i];
    if (taken[label] >= perClass) continue;
    const slot = label * perClass + taken[label]++;
    images.set(train.images.subarray(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS), slot * IMAGE_PIXELS);
    labels[slot] = label;
  }
  return {
    trainCount: train.count,
    testCount: test.count,
    testImages: test.images.slice(),
    testLabels: test.labels.slice(),
    gallery: { perClass, images, labels },
  };
}

/** The buffers of a summary, to transfer rather than copy across postMessage. */
export function summaryTransfer(summary: DatasetSummary): ArrayBuffer[] {
  return [summary.testImages, summary.testLabels, summary.gallery.images, summary.gallery.labels].map((a) => a.buffer as ArrayBuffer);
}

/**
 * The ten Fashion-MNIST classes, indexed by label (0-9), as Zalando's dataset defines them.
 * The single source of truth for class names: the data manifest, the CLI tables and the page all
 * read them from here.
 */
export const CLASS_NAMES = [
  'T-shirt/top',
  'Trouser',
  'Pullover',
  'Dress',
  'Coat',
  'Sandal',
  'Shirt',
  'Sneaker',
  'Bag',
  'Ankle boot',
] as const;

export type ClassName = (typeof CLASS_NAMES)[number];

export const NUM_CLASSES = CLASS_NAMES.length;

/** Every image is IMAGE_SIZE × IMAGE_SIZE pixels, one grayscale channel, 0 = background. */
export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

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

/** The class names where space is short (a phone's confusion matrix): the two long ones cut. */
export const SHORT_CLASS_NAMES: Readonly<Record<ClassName, string>> = {
  'T-shirt/top': 'T-shirt',
  Trouser: 'Trouser',
  Pullover: 'Pullover',
  Dress: 'Dress',
  Coat: 'Coat',
  Sandal: 'Sandal',
  Shirt: 'Shirt',
  Sneaker: 'Sneaker',
  Bag: 'Bag',
  'Ankle boot': 'Boot',
};

export const NUM_CLASSES = CLASS_NAMES.length;

/** Every image is IMAGE_SIZE × IMAGE_SIZE pixels, one grayscale channel, 0 = background. */
export const IMAGE_SIZE = 28;
export const IMAGE_PIXELS = IMAGE_SIZE * IMAGE_SIZE;

/**
 * How a test image shown in the results (a misclassified tile, a confusion-matrix cell's tile)
 * opens in the Draw or upload panel, to be answered and looked inside: the page provides a
 * function, image tiles call it. Without a provider (a tile outside the page) tiles stay plain.
 */
import { createContext } from 'react';

export interface OpenedPicture {
  /** 784 bytes, row-major, 0 = background: what the model reads. */
  image: Uint8Array;
  /** What it is, said above the answers ("True Shirt, predicted Coat (93.0% confident)"). */
  caption: string;
}

export const OpenPictureContext = createContext<((picture: OpenedPicture) => void) | null>(null);

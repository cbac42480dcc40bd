/**
 * Sprite layout shared by the data build script (which packs images into PNG shards) and the
 * browser (which draws a shard onto a canvas and unpacks it). Both sides must agree exactly, so the
 * layout lives here and nowhere else.
 *
 * Images are tiled left to right, top to bottom, SPRITE_COLUMNS tiles per row. Image i of a shard
 * sits at column i % SPRITE_COLUMNS, row floor(i / SPRITE_COLUMNS). A full shard is
 * 100 × 28 = 2800 px wide and 50 × 28 = 1400 px tall: under the 4096 px texture/canvas limit that
 * some browsers and GPUs still have.
 *
 * Pure: no DOM, no Node.
 */
import { IMAGE_PIXELS, IMAGE_SIZE } from './classes.ts';

/** Tiles per sprite row. */
export const SPRITE_COLUMNS = 100;
/** Images per PNG shard (the last shard of a split may hold fewer). */
export const IMAGES_PER_SHARD = 5000;
/** Largest side we allow, in pixels: older WebGL/canvas implementations cap textures at 4096. */
export const MAX_SPRITE_SIDE = 4096;

/** Where a shard's tiles go and how big its image is. */
export interface SpriteGeometry {
  /** Tiles per row actually used: SPRITE_COLUMNS, or fewer when the shard holds fewer images. */
  columns: number;
  rows: number;
  /** Pixels. */
  width: number;
  height: number;
}

/**
 * Size of the sprite holding `count` images (1 to IMAGES_PER_SHARD).
 * @throws Error when count is not an integer in that range
 */
export function spriteGeometry(count: number): SpriteGeometry {
  if (!Number.isInteger(count) || count < 1 || count > IMAGES_PER_SHARD) {
    throw new Error(`sprite image count must be an integer from 1 to ${IMAGES_PER_SHARD}, got ${count}`);
  }
  const columns = Math.min(count, SPRITE_COLUMNS);
  const rows = Math.ceil(count / SPRITE_COLUMNS);
  return { columns, rows, width: columns * IMAGE_SIZE, height: rows * IMAGE_SIZE };
}

/** One shard of a split: images firstIndex .. firstIndex + count - 1. */
export interface ShardRange {
  firstIndex: number;
  count: number;
}

/**
 * Cuts `total` images into shards of IMAGES_PER_SHARD (the last one may be smaller).
 * @throws Error when total is not a positive integer
 */
export function shardRanges(total: number): ShardRange[] {
  if (!Number.isInteger(total) || total < 1) {
    throw new Error(`image count must be a positive integer, got ${total}`);
  }
  const ranges: ShardRange[] = [];
  for (let first = 0; first < total; first += IMAGES_PER_SHARD) {
    ranges.push({ firstIndex: first, count: Math.min(IMAGES_PER_SHARD, total - first) });
  }
  return ranges;
}

/**
 * Tiles `count` images (count × 28 × 28 bytes, one after another) into a one-channel sprite.
 * Unused tiles of a partial last row stay 0 (background).
 * @throws Error when count is out of range or images has the wrong length
 */
export function packSprite(images: Uint8Array, count: number): { width: number; height: number; gray: Uint8Array } {
  const { width, height } = spriteGeometry(count);
  if (images.length !== count * IMAGE_PIXELS) {
    throw new Error(`packSprite: expected ${count} images × ${IMAGE_PIXELS} = ${count * IMAGE_PIXELS} bytes, got ${images.length}`);
  }
  const gray = new Uint8Array(width * height);
  for (let i = 0; i < count; i++) {
    const x0 = (i % SPRITE_COLUMNS) * IMAGE_SIZE;
    const y0 = Math.floor(i / SPRITE_COLUMNS) * IMAGE_SIZE;
    for (let r = 0; r < IMAGE_SIZE; r++) {
      const src = i * IMAGE_PIXELS + r * IMAGE_SIZE;
      gray.set(images.subarray(src, src + IMAGE_SIZE), (y0 + r) * width + x0);
    }
  }
  return { width, height, gray };
}

/**
 * Cuts `count` images back out of a sprite. Reads only the first channel of each pixel, so it takes
 * RGBA from a browser canvas (channels 4), RGBA or gray from pngjs (4 or 1), or anything between.
 * The sprite must have exactly the size spriteGeometry(count) gives: any other size means the
 * count or the file is wrong, and guessing would mislabel images.
 * @returns count × 28 × 28 bytes, the exact inverse of packSprite
 * @throws Error on a bad channel count, a buffer of the wrong length or a sprite of the wrong size
 */
export function unpackSprite(
  pixels: Uint8Array | Uint8ClampedArray,
  width: number,
  height: number,
  channels: 1 | 2 | 3 | 4,
  count: number,
): Uint8Array {
  if (![1, 2, 3, 4].includes(channels)) {
    throw new Error(`unpackSprite: channels must be 1, 2, 3 or 4, got ${channels}`);
  }
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
    throw new Error(`unpackSprite: bad sprite size ${width}×${height}`);
  }
  if (pixels.length !== width * height * channels) {
    throw new Error(`unpackSprite: ${width}×${height}×${channels} needs ${width * height * channels} bytes, got ${pixels.length}`);
  }
  const g = spriteGeometry(count);
  if (width < g.width || height < g.height) {
    throw new Error(`unpackSprite: sprite ${width}×${height} is too small for ${count} images (needs ${g.width}×${g.height})`);
  }
  if (width !== g.width || height !== g.height) {
    throw new Error(
      `unpackSprite: sprite ${width}×${height} is larger than the ${g.width}×${g.height} layout for ${count} images ` +
        '(wrong image count or wrong file?)',
    );
  }
  const out = new Uint8Array(count * IMAGE_PIXELS);
  for (let i = 0; i < count; i++) {
    const x0 = (i % SPRITE_COLUMNS) * IMAGE_SIZE;
    const y0 = Math.floor(i / SPRITE_COLUMNS) * IMAGE_SIZE;
    for (let r = 0; r < IMAGE_SIZE; r++) {
      let src = ((y0 + r) * width + x0) * channels;
      const dst = i * IMAGE_PIXELS + r * IMAGE_SIZE;
      if (channels === 1) {
        out.set(pixels.subarray(src, src + IMAGE_SIZE), dst);
        continue;
      }
      for (let c = 0; c < IMAGE_SIZE; c++, src += channels) out[dst + c] = pixels[src];
    }
  }
  return out;
}

import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS } from '../src/core/classes.ts';
import {
  IMAGES_PER_SHARD,
  MAX_SPRITE_SIDE,
  SPRITE_COLUMNS,
  packSprite,
  shardRanges,
  spriteGeometry,
  unpackSprite,
} from '../src/core/sprites.ts';
import { encodeGrayPng } from '../scripts/data.ts';
import { fakeImages, firstDifference } from './helpers/idx-fixtures.ts';

describe('sprite geometry', () => {
  it('lays a full shard out as 100 × 50 tiles within the texture limit', () => {
    expect(SPRITE_COLUMNS).toBe(100);
    expect(IMAGES_PER_SHARD).toBe(5000);
    const g = spriteGeometry(IMAGES_PER_SHARD);
    expect(g).toEqual({ columns: 100, rows: 50, width: 2800, height: 1400 });
    expect(Math.max(g.width, g.height)).toBeLessThanOrEqual(MAX_SPRITE_SIDE);
  });

  it('shrinks for partial shards', () => {
    expect(spriteGeometry(1)).toEqual({ columns: 1, rows: 1, width: 28, height: 28 });
    expect(spriteGeometry(100)).toEqual({ columns: 100, rows: 1, width: 2800, height: 28 });
    expect(spriteGeometry(101)).toEqual({ columns: 100, rows: 2, width: 2800, height: 56 });
  });

  it('rejects counts outside 1..IMAGES_PER_SHARD', () => {
    for (const bad of [0, -1, 1.5, NaN, IMAGES_PER_SHARD + 1]) {
      expect(() => spriteGeometry(bad)).toThrow(/sprite image count must be an integer from 1 to 5000/);
    }
  });

  it('cuts a split into shards', () => {
    expect(shardRanges(60_000)).toHaveLength(12);
    expect(shardRanges(10_001)).toEqual([
      { firstIndex: 0, count: 5000 },
      { firstIndex: 5000, count: 5000 },
      { firstIndex: 10_000, count: 1 },
    ]);
    expect(() => shardRanges(0)).toThrow(/positive integer/);
  });
});

describe('packSprite', () => {
  it('puts image i at column i % 100, row floor(i / 100)', () => {
    const count = 205;
    const images = fakeImages(count);
    const { width, height, gray } = packSprite(images, count);
    expect([width, height]).toEqual([2800, 84]);
    for (const i of [0, 1, 99, 100, 204]) {
      const x0 = (i % 100) * 28;
      const y0 = Math.floor(i / 100) * 28;
      for (const [r, c] of [
        [0, 0],
        [0, 27],
        [13, 5],
        [27, 27],
      ]) {
        expect(gray[(y0 + r) * width + x0 + c], `image ${i} pixel ${r},${c}`).toBe(images[i * IMAGE_PIXELS + r * 28 + c]);
      }
    }
    // Unused tiles of the last row stay background.
    expect(gray.subarray(2 * 28 * width + 5 * 28, 2 * 28 * width + 6 * 28).every((v) => v === 0)).toBe(true);
  });

  it('rejects image data of the wrong length', () => {
    expect(() => packSprite(new Uint8Array(IMAGE_PIXELS * 3 - 1), 3)).toThrow(/expected 3 images × 784 = 2352 bytes, got 2351/);
  });
});

describe('pack → PNG → unpack', () => {
  for (const count of [1, 137, IMAGES_PER_SHARD]) {
    it(`is bit-exact through a real grayscale PNG for ${count} images`, () => {
      const images = fakeImages(count, count);
      const sprite = packSprite(images, count);
      const png = encodeGrayPng(sprite);
      expect(png[25], 'IHDR colour type: grayscale').toBe(0);
      const decoded = PNG.sync.read(Buffer.from(png)); // pngjs hands back RGBA
      expect([decoded.width, decoded.height]).toEqual([sprite.width, sprite.height]);
      expect(decoded.data.length).toBe(sprite.width * sprite.height * 4);
      expect(firstDifference(unpackSprite(decoded.data, decoded.width, decoded.height, 4, count), images)).toBe(-1);
    });
  }

  it('reads only the first channel of 1, 2, 3 and 4 channel pixels', () => {
    const count = 150;
    const images = fakeImages(count, 7);
    const { width, height, gray } = packSprite(images, count);
    expect(firstDifference(unpackSprite(gray, width, height, 1, count), images)).toBe(-1);
    for (const channels of [2, 3, 4] as const) {
      // Canvas-style RGBA, but with other channels deliberately different from the first.
      const pixels = new Uint8ClampedArray(width * height * channels);
      for (let p = 0; p < width * height; p++) {
        pixels[p * channels] = gray[p];
        for (let c = 1; c < channels; c++) pixels[p * channels + c] = 255 - gray[p] + c;
      }
      expect(firstDifference(unpackSprite(pixels, width, height, channels, count), images), `${channels} channels`).toBe(-1);
    }
  });
});

describe('unpackSprite argument checks', () => {
  const count = 120;
  const { width, height, gray } = packSprite(fakeImages(count), count);

  it('rejects a sprite too small for the count', () => {
    expect(() => unpackSprite(gray, width, height, 1, 201)).toThrow(/sprite 2800×56 is too small for 201 images \(needs 2800×84\)/);
    const narrow = new Uint8Array(28 * 28 * 2);
    expect(() => unpackSprite(narrow, 28, 56, 1, 2)).toThrow(/too small for 2 images \(needs 56×28\)/);
  });

  it('rejects a sprite larger than the layout (wrong count)', () => {
    expect(() => unpackSprite(gray, width, height, 1, 100)).toThrow(/larger than the 2800×28 layout for 100 images/);
  });

  it('rejects a buffer that does not match width × height × channels', () => {
    expect(() => unpackSprite(gray, width, height, 4, count)).toThrow(/needs 627200 bytes, got 156800/);
    expect(() => unpackSprite(gray.subarray(1), width, height, 1, count)).toThrow(/needs 156800 bytes/);
  });

  it('rejects bad channel counts, sizes and image counts', () => {
    expect(() => unpackSprite(gray, width, height, 5 as 4, count)).toThrow(/channels must be 1, 2, 3 or 4/);
    expect(() => unpackSprite(gray, 0, height, 1, count)).toThrow(/bad sprite size/);
    expect(() => unpackSprite(gray, width, height, 1, 0)).toThrow(/sprite image count/);
  });
});

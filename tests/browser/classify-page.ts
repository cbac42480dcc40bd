/**
 * The Classify panel as the browser tests drive it: test images the shipped model is sure of,
 * pictures made for uploading (photos rendered in the page, PNGs of any size, a corrupt one), and
 * the panel's answer as it shows it.
 */
import { readFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { IMAGE_PIXELS } from '../../src/core/classes.ts';
import { classifyImage } from '../../src/core/classify-image.ts';
import { loadModelFromFile } from '../../scripts/lib/disk-model-files.ts';
import { loadSplit } from '../../scripts/lib/fashion-data.ts';
import { locateFashionMnist } from '../../scripts/lib/locate-data.ts';
import { previewBytes } from './pad.ts';

/** One test image per class we upload, chosen where the shipped model is sure of the 28×28 original. */
export interface Sample {
  label: number;
  pixels: Uint8Array;
}

/**
 * Test images the shipped default model gets right with confidence: Trouser, Bag, Ankle boot,
 * Sneaker. It was trained with label smoothing 0.1 (targets of 0.91), which keeps its answers
 * near 0.9–0.95.
 */
export async function confidentSamples(): Promise<Sample[]> {
  const samples: Sample[] = [];
  await tf.setBackend('cpu');
  const test = loadSplit(await locateFashionMnist(), 'test');
  const model = await loadModelFromFile('public/models/default/model.json');
  for (const label of [1, 8, 9, 7]) {
    for (let i = 0; i < test.count; i++) {
      if (test.labels[i] !== label) continue;
      const pixels = test.images.slice(i * IMAGE_PIXELS, (i + 1) * IMAGE_PIXELS);
      const p = await classifyImage(model, pixels);
      if (p[label] > 0.85) {
        samples.push({ label, pixels });
        break;
      }
    }
  }
  model.dispose();
  return samples;
}

/** A grayscale PNG of any size, encoded row by row (pngjs would need width × height × 4 bytes). */
export function grayPng(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
  const raw = Buffer.alloc((width + 1) * height);
  for (let y = 0; y < height; y++) {
    const row = y * (width + 1);
    for (let x = 0; x < width; x++) raw[row + 1 + x] = pixel(x, y);
  }
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 0; // grayscale
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw, { level: 1 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** A PNG whose header is fine and whose compressed pixels are garbage (with a valid chunk CRC). */
export function corruptPng(): Buffer {
  const good = grayPng(64, 48, () => 200);
  const idat = good.indexOf('IDAT', 0, 'latin1');
  const length = good.readUInt32BE(idat - 4);
  for (let i = 0; i < length; i++) good[idat + 4 + i] = (i * 151 + 7) & 255;
  good.writeUInt32BE(crc32(good.subarray(idat, idat + 4 + length)), idat + 4 + length);
  return good;
}

export const predictions = (page: Page) => page.getByRole('region', { name: 'Predictions', exact: true });
export const answering = (page: Page) => page.locator('.answering');
export const caption = (page: Page) => page.locator('.input-preview figcaption');

/** The exact probabilities the page shows. */
export async function shownProbabilities(page: Page): Promise<number[]> {
  const json = await predictions(page).getAttribute('data-probabilities');
  expect(json).toBeTruthy();
  return JSON.parse(json!) as number[];
}

/**
 * The predictions' text once the page has answered the last picture: drawing is answered
 * throttled and latest-wins, so an earlier stroke's answer may show for a moment.
 */
export async function settledAnswer(page: Page): Promise<string> {
  let last = '';
  await expect
    .poll(
      async () => {
        const now = `${(await predictions(page).textContent()) ?? ''}|${(await previewBytes(page)).join(',')}`;
        const same = now === last && /^\S.* \d{1,3}\.\d%/.test(now);
        last = now;
        return same;
      },
      { timeout: 30_000, interval: 300 },
    )
    .toBe(true);
  return (await predictions(page).textContent())!;
}

/**
 * Renders a 28×28 test image in the page as a `width` × `height` photo: the product dark on a light,
 * slightly uneven background, enlarged with smoothing, off-centre. Returns the encoded file.
 * `onItsSide` stores it turned a quarter anticlockwise, as a phone held upright stores its sensor's
 * frame: with EXIF orientation 6 added, it shows upright at `width` × `height`.
 */
export async function photo(
  page: Page,
  pixels: Uint8Array,
  type: 'image/png' | 'image/jpeg',
  width = 1200,
  height = 900,
  onItsSide = false,
): Promise<Buffer> {
  const side = Math.round(Math.min(width, height) * 0.75);
  const b64 = (await page.evaluate(`(async () => {
    const px = ${JSON.stringify(Array.from(pixels))};
    const small = document.createElement('canvas');
    small.width = small.height = 28;
    const sctx = small.getContext('2d');
    const img = sctx.createImageData(28, 28);
    for (let i = 0; i < 784; i++) {
      const ink = px[i] / 255;
      img.data[4 * i] = Math.round(242 * (1 - ink) + 40 * ink);
      img.data[4 * i + 1] = Math.round(240 * (1 - ink) + 36 * ink);
      img.data[4 * i + 2] = Math.round(235 * (1 - ink) + 34 * ink);
      img.data[4 * i + 3] = 255;
    }
    sctx.putImageData(img, 0, 0);
    const big = document.createElement('canvas');
    big.width = ${onItsSide ? height : width};
    big.height = ${onItsSide ? width : height};
    const ctx = big.getContext('2d');
    // On its side: what is drawn at (x, y) upright lands at (y, width - x) in the stored frame.
    if (${onItsSide}) ctx.setTransform(0, -1, 1, 0, 0, ${width});
    const g = ctx.createLinearGradient(0, 0, ${width}, ${height});
    g.addColorStop(0, '#f4f2ee');
    g.addColorStop(1, '#ebe9e4');
    ctx.fillStyle = g;
    ctx.fillRect(0, 0, ${width}, ${height});
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'high';
    // The 28×28 frame's corners are background already; only the product shows.
    ctx.drawImage(small, ${Math.min(Math.round(width * 0.3), Math.round(width * 0.95) - side)}, ${Math.round(height * 0.1)}, ${side}, ${side});
    const blob = await new Promise((r) => big.toBlob(r, '${type}', 0.92));
    window.__photo = blob; // for drop and paste
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
    return btoa(s);
  })()`)) as string;
  return Buffer.from(b64, 'base64');
}

/**
 * Page script that gives the page the files in its DataTransfer `dt` as a person does: dropped on
 * the drop zone (dragover, then drop) or pasted anywhere.
 */
export function giveFilesScript(how: 'drop' | 'paste'): string {
  return how === 'drop'
    ? `const zone = document.querySelector('.drop-zone');
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));`
    : `document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));`;
}

/** Drops (on the drop zone) or pastes (anywhere) the last photo() made in the page, as file `name`. */
export async function dropOrPaste(page: Page, how: 'drop' | 'paste', name: string, mimeType: string): Promise<void> {
  await page.evaluate(`(() => {
    const dt = new DataTransfer();
    dt.items.add(new File([window.__photo], '${name}', { type: '${mimeType}' }));
    ${giveFilesScript(how)}
  })()`);
}

export async function upload(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
  await page.getByLabel('Upload image').setInputFiles({ name, mimeType, buffer });
}

/** Uploads `buffer` and waits until the page shows its answer; returns the top class's line. */
/** Uploads a picture and waits for the answer to it (not the previous one: two pictures may get the same words). */
export async function uploadAndWait(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<string> {
  const answeredUploads = `performance.getEntriesByName('upload: classify').length`;
  const before = (await page.evaluate(answeredUploads)) as number;
  await upload(page, name, mimeType, buffer);
  await expect.poll(() => caption(page).textContent(), { timeout: 30_000 }).toContain(name);
  await expect.poll(() => page.evaluate(answeredUploads), { timeout: 30_000 }).toBeGreaterThan(before);
  await expect.poll(async () => (await predictions(page).textContent()) ?? '', { timeout: 30_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);
  return (await predictions(page).textContent())!;
}

/** The ready-trained Playground CNN's test accuracy as the page words it, from the metrics.json it reads. */
export const SHIPPED_PERCENT = (JSON.parse(readFileSync('public/models/default/metrics.json', 'utf8')).test.accuracy * 100).toFixed(1);
export const SHIPPED = `ready-trained Playground CNN \\(${SHIPPED_PERCENT.replace('.', '\\.')}% test accuracy\\)`;
export const shippedAnswering = new RegExp(`^Answering: ${SHIPPED}`);

/** A 10000 × 10000 PNG of a dark trouser-like shape on white: two legs joined at the top. */
export function hugeTrouserPng(): Buffer {
  return grayPng(10_000, 10_000, (x, y) => {
    const inLegs = y > 1500 && y < 9000 && ((x > 3500 && x < 4700) || (x > 5300 && x < 6500));
    const inHips = y > 1500 && y < 3500 && x > 3500 && x < 6500;
    return inLegs || inHips ? 30 : 250;
  });
}

/** Files that are not pictures the page can read, each with the message it must give. */
export function badUploads(): { name: string; mimeType: string; buffer: Buffer; message: RegExp }[] {
  return [
    {
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('not a picture at all\n'),
      message: /notes\.txt is not an image this page can read/,
    },
    { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0), message: /empty\.png is empty \(0 bytes\)/ },
    {
      name: 'broken.png',
      mimeType: 'image/png',
      buffer: corruptPng(),
      message: /broken\.png could not be decoded: the PNG data is damaged/,
    },
    {
      name: 'drawing.svg',
      mimeType: 'image/svg+xml',
      buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'),
      message: /SVG is not supported; export it as PNG/,
    },
  ];
}

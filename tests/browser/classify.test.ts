/**
 * Drawing, uploading and classifying, and keeping, exporting and loading models, in Debian's
 * Chromium against the production build: the shipped model answers a drawing before any training;
 * real test images rendered as large light-background photos (PNG and JPEG) get their class; bad
 * uploads get their message and leave the page working; a trained model worse than the shipped one
 * is offered next to the bars instead of taking over, and once chosen survives a reload; its
 * download loads in Node (same predictions) and back into the page, also renamed as a browser
 * saves a second download; bad model files (wrong shape, NaN weights, a topology far bigger than
 * its weights) are refused; a shipped model that cannot be downloaded leaves the answering one in
 * place, with a Retry.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLASS_NAMES, IMAGE_PIXELS } from '../../src/core/classes.ts';
import { classifyImage } from '../../src/core/classify-image.ts';
import { MODEL_CATALOG } from '../../src/core/models/catalog.ts';
import { loadModelFromFile, saveModelToDir } from '../../scripts/lib/disk-model-files.ts';
import { loadSplit } from '../../scripts/lib/fashion-data.ts';
import { DEBIAN_DIR, locateFashionMnist } from '../../scripts/lib/locate-data.ts';
import { withOrientation } from '../helpers/exif.ts';
import { SHOTS, useAppUnderTest } from './app-under-test.ts';
import { previewBytes } from './pad.ts';
import { haveChromium, longTasksSince, pageNow } from './chromium.ts';

/** A quick run: the dense model, one epoch, 540 training images (WASM is chosen on SwiftShader). */
const QUICK_RUN = 'model=dense&epochs=1&trainSize=600&validationSplit=0.1';

/** One test image per class we upload, chosen where the shipped model is sure of the 28×28 original. */
interface Sample {
  label: number;
  pixels: Uint8Array;
}

/** A grayscale PNG of any size, encoded row by row (pngjs would need width × height × 4 bytes). */
function grayPng(width: number, height: number, pixel: (x: number, y: number) => number): Buffer {
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
function corruptPng(): Buffer {
  const good = grayPng(64, 48, () => 200);
  const idat = good.indexOf('IDAT', 0, 'latin1');
  const length = good.readUInt32BE(idat - 4);
  for (let i = 0; i < length; i++) good[idat + 4 + i] = (i * 151 + 7) & 255;
  good.writeUInt32BE(crc32(good.subarray(idat, idat + 4 + length)), idat + 4 + length);
  return good;
}

const escapeRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

const haveTestImages = existsSync(join(DEBIAN_DIR, 't10k-images-idx3-ubyte.gz'));

describe.skipIf(!haveChromium || !haveTestImages)('drawing, uploading and keeping models in Chromium', () => {
  const app = useAppUnderTest('classify');
  let work: string;
  const samples: Sample[] = [];

  beforeAll(async () => {
    const started = Date.now();
    await tf.setBackend('cpu');
    // Test images the shipped default model gets right with confidence: Trouser, Bag, Ankle boot,
    // Sneaker. It was trained with label smoothing 0.1 (targets of 0.91), which keeps its answers
    // near 0.9–0.95.
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
    expect(samples).toHaveLength(4);
    work = mkdtempSync(join(tmpdir(), 'fmnist-classify-'));
    console.log(`[classify] set-up: ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }, 300_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  const predictions = (page: Page) => page.getByRole('region', { name: 'Predictions', exact: true });
  const answering = (page: Page) => page.locator('.answering');
  const caption = (page: Page) => page.locator('.input-preview figcaption');

  /** The exact probabilities the page shows. */
  async function shownProbabilities(page: Page): Promise<number[]> {
    const json = await predictions(page).getAttribute('data-probabilities');
    expect(json).toBeTruthy();
    return JSON.parse(json!) as number[];
  }

  /**
   * The predictions' text once the page has answered the last picture: drawing is answered
   * throttled and latest-wins, so an earlier stroke's answer may show for a moment.
   */
  async function settledAnswer(page: Page): Promise<string> {
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
  async function photo(page: Page, pixels: Uint8Array, type: 'image/png' | 'image/jpeg', width = 1200, height = 900, onItsSide = false): Promise<Buffer> {
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

  /** Drops (on the drop zone) or pastes (anywhere) the last photo() made in the page, as file `name`. */
  async function dropOrPaste(page: Page, how: 'drop' | 'paste', name: string, mimeType: string): Promise<void> {
    await page.evaluate(`(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([window.__photo], '${name}', { type: '${mimeType}' }));
      if ('${how}' === 'drop') {
        const zone = document.querySelector('.drop-zone');
        zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
        zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      } else {
        document.body.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
      }
    })()`);
  }

  async function upload(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<void> {
    await page.getByLabel('Upload image').setInputFiles({ name, mimeType, buffer });
  }

  /** Uploads `buffer` and waits until the page shows its answer; returns the top class's line. */
  /** Uploads a picture and waits for the answer to it (not the previous one: two pictures may get the same words). */
  async function uploadAndWait(page: Page, name: string, mimeType: string, buffer: Buffer): Promise<string> {
    const answeredUploads = `performance.getEntriesByName('upload: classify').length`;
    const before = (await page.evaluate(answeredUploads)) as number;
    await upload(page, name, mimeType, buffer);
    await expect.poll(() => caption(page).textContent(), { timeout: 30_000 }).toContain(name);
    await expect.poll(() => page.evaluate(answeredUploads), { timeout: 30_000 }).toBeGreaterThan(before);
    await expect.poll(async () => (await predictions(page).textContent()) ?? '', { timeout: 30_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);
    return (await predictions(page).textContent())!;
  }

  /** The ready-trained Playground CNN's test accuracy as the page words it, from the metrics.json it reads. */
  const SHIPPED_PERCENT = (JSON.parse(readFileSync('public/models/default/metrics.json', 'utf8')).test.accuracy * 100).toFixed(1);
  const SHIPPED = `ready-trained Playground CNN \\(${SHIPPED_PERCENT.replace('.', '\\.')}% test accuracy\\)`;
  const shippedAnswering = new RegExp(`^Answering: ${SHIPPED}`);

  it('answers a drawing with the shipped model before any training, showing the 28×28 input', async () => {
    await app.withPage('classify-draw', '', async (page, b) => {
      await expect.poll(() => answering(page).textContent(), { timeout: 120_000 }).toMatch(shippedAnswering); // it comes once the dataset is in
      // The page above grows while the dataset streams in: draw once it is all in and the pad stays put.
      await page.getByText(/^All in: /).waitFor({ timeout: 90_000 });
      const pad = page.getByRole('application', { name: 'Drawing pad' });
      await pad.scrollIntoViewIfNeeded();
      await page.getByLabel('Brush size').fill('28');
      let box = (await pad.boundingBox())!;
      const at = (x: number, y: number) => [box.x + (x * box.width) / 280, box.y + (y * box.height) / 280] as const;
      const stroke = async (points: [number, number][]) => {
        box = (await pad.boundingBox())!;
        await page.mouse.move(...at(...points[0]));
        await page.mouse.down();
        for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 8 });
        await page.mouse.up();
      };
      const since = await pageNow(page);
      // A pair of trousers: a waistband, two long legs apart, filled at the hips.
      await stroke([[95, 30], [185, 30]]);
      await stroke([[100, 35], [92, 150], [88, 255]]);
      await stroke([[180, 35], [188, 150], [192, 255]]);
      await stroke([[110, 45], [170, 45], [165, 80], [115, 80]]);
      const text = await settledAnswer(page);
      const top = CLASS_NAMES.find((n) => text.startsWith(`${n} `));
      console.log(`[classify] drawing of trousers: ${text.slice(0, 60)}…`);
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-drawing.png') });
      expect(top).toBe('Trouser');
      // Ten bars, sorted.
      const probs = await shownProbabilities(page);
      expect(probs).toHaveLength(10);
      expect(probs.reduce((s, p) => s + p, 0)).toBeCloseTo(1, 4);
      const values = await predictions(page).locator('.bar-value').allTextContents();
      expect(values).toHaveLength(10);
      const numbers = values.map((v) => Number(v.replace('%', '')));
      expect([...numbers].sort((x, y) => y - x)).toEqual(numbers);
      // The preview shows the model's input: bright strokes on black, centred.
      const input = await previewBytes(page);
      expect(input.filter((v) => v > 128).length).toBeGreaterThan(60);
      expect(input[0]).toBe(0);
      expect(await caption(page).textContent()).toContain('From your drawing');
      const ms = Number(await page.locator('.answered-by').getAttribute('data-ms'));
      const tasks = await longTasksSince(page, since);
      console.log(`[classify] inference in the classifier worker: ${ms.toFixed(1)} ms (last drawing); long tasks while drawing: ${tasks.length}, max ${Math.round(Math.max(0, ...tasks))} ms`);

      // Undo removes the last stroke and the answer follows; Clear empties everything.
      await page.getByRole('button', { name: 'Undo' }).click();
      await expect.poll(async () => (await previewBytes(page)).filter((v) => v > 128).length).not.toBe(input.filter((v) => v > 128).length);
      await page.getByRole('button', { name: 'Clear' }).click();
      await expect.poll(() => predictions(page).textContent()).toContain('Draw something');
      expect((await previewBytes(page)).every((v) => v === 0)).toBe(true);

      // The same trousers with the keyboard alone: arrows move the pen 10 px from the centre,
      // Space puts it down and lifts it, Ctrl+Z undoes.
      await pad.focus();
      const scrolled = await page.evaluate('window.scrollY');
      let pen: [number, number] = [140, 140];
      const penTo = async (x: number, y: number) => {
        for (; pen[0] !== x; pen = [pen[0] + Math.sign(x - pen[0]) * 10, pen[1]]) await page.keyboard.press(x > pen[0] ? 'ArrowRight' : 'ArrowLeft');
        for (; pen[1] !== y; pen = [pen[0], pen[1] + Math.sign(y - pen[1]) * 10]) await page.keyboard.press(y > pen[1] ? 'ArrowDown' : 'ArrowUp');
      };
      const keyStroke = async (points: [number, number][]) => {
        await penTo(...points[0]);
        await page.keyboard.press('Space');
        for (const p of points.slice(1)) await penTo(...p);
        await page.keyboard.press('Space');
      };
      // The pen moves along one axis at a time, so the legs go straight down: slanted legs would be
      // staircases, which read as a pullover's sleeves.
      await keyStroke([[100, 30], [180, 30]]);
      await keyStroke([[100, 40], [100, 250]]);
      await keyStroke([[180, 40], [180, 250]]);
      await keyStroke([[110, 50], [170, 50]]);
      const keyed = await settledAnswer(page);
      console.log(`[classify] trousers drawn with the keyboard: ${keyed.slice(0, 60)}…`);
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-keyboard.png') });
      expect(keyed).toMatch(/^Trouser \d/);
      const keyedInput = await previewBytes(page);
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await previewBytes(page)).filter((v) => v > 128).length).toBeLessThan(keyedInput.filter((v) => v > 128).length);
      // The pad kept the keys to itself: still focused, and the page did not scroll under them.
      expect(await page.evaluate('document.activeElement.getAttribute("aria-label")')).toBe('Drawing pad');
      expect(await page.evaluate('window.scrollY')).toBe(scrolled);
      await page.getByRole('button', { name: 'Clear' }).click();
      expect(await page.getByRole('alert').count()).toBe(0);
      expect(b.errors).toEqual([]);
    });
  }, 120_000);

  // One page (a fresh browser costs ~10 s of the suite): good uploads, bad ones, then the network
  // taken away from a shipped model.
  it('classifies real test images rendered as large photos (PNG, JPEG, dropped, pasted, sideways); gives each bad upload its message, decodes a 10000 × 10000 picture safely, and keeps working; offline, a shipped model that cannot be downloaded leaves the answering one answering, and Retry gets it', async () => {
    const huge = grayPng(10_000, 10_000, (x, y) => {
      // A dark trouser-like shape on white: two legs joined at the top.
      const inLegs = y > 1500 && y < 9000 && ((x > 3500 && x < 4700) || (x > 5300 && x < 6500));
      const inHips = y > 1500 && y < 3500 && x > 3500 && x < 6500;
      return inLegs || inHips ? 30 : 250;
    });
    const bad: { name: string; mimeType: string; buffer: Buffer; message: RegExp }[] = [
      { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture at all\n'), message: /notes\.txt is not an image this page can read/ },
      { name: 'empty.png', mimeType: 'image/png', buffer: Buffer.alloc(0), message: /empty\.png is empty \(0 bytes\)/ },
      { name: 'broken.png', mimeType: 'image/png', buffer: corruptPng(), message: /broken\.png could not be decoded: the PNG data is damaged/ },
      { name: 'drawing.svg', mimeType: 'image/svg+xml', buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="5" height="5"/></svg>'), message: /SVG is not supported; export it as PNG/ },
    ];
    await app.withPage('classify-upload', '', async (page, b) => {
      await expect.poll(() => answering(page).textContent(), { timeout: 120_000 }).toMatch(shippedAnswering); // it comes once the dataset is in
      const tensors: number[] = [];
      for (const [i, sample] of samples.entries()) {
        const type = i % 2 === 0 ? 'image/png' : 'image/jpeg';
        const name = `${CLASS_NAMES[sample.label].replace('/', '-').replace(' ', '-').toLowerCase()}.${type === 'image/png' ? 'png' : 'jpg'}`;
        const file = await photo(page, sample.pixels, type);
        const text = await uploadAndWait(page, name, type, file);
        const ms = await page.locator('.answered-by').getAttribute('data-ms');
        console.log(`[classify] ${name} (${file.length} bytes): ${text.slice(0, 40)}… (inference ${ms} ms)`);
        expect(text).toMatch(new RegExp(`^${escapeRe(CLASS_NAMES[sample.label])} \\d`));
        expect(await caption(page).textContent()).toContain('1,200 × 900, read at 1024 × 768');
        tensors.push(Number(await page.locator('.answered-by').getAttribute('data-tensors')));
      }
      // Dropped on the zone and pasted: the same answers.
      for (const [how, sample] of [['drop', samples[1]], ['paste', samples[2]]] as const) {
        await photo(page, sample.pixels, 'image/png');
        const name = `${how}.png`;
        await dropOrPaste(page, how, name, 'image/png');
        await expect.poll(() => caption(page).textContent(), { timeout: 30_000 }).toContain(name);
        await expect.poll(async () => (await predictions(page).textContent()) ?? '', { timeout: 30_000 }).toMatch(new RegExp(`^${escapeRe(CLASS_NAMES[sample.label])} \\d`));
        tensors.push(Number(await page.locator('.answered-by').getAttribute('data-tensors')));
      }
      // Every prediction frees its tensors: the page's count stays where the model's weights put it.
      console.log(`[classify] tensors alive in the page's tfjs after each answer: ${tensors.join(', ')}`);
      expect(tensors[0]).toBeGreaterThan(0);
      expect(new Set(tensors).size).toBe(1);
      // The same file in both formats gets the same answer.
      const trouser = samples[0];
      const jpeg = await uploadAndWait(page, 'trouser-again.jpg', 'image/jpeg', await photo(page, trouser.pixels, 'image/jpeg'));
      expect(jpeg).toMatch(/^Trouser \d/);
      // A phone photo: stored on its side, 1600 × 1200, with EXIF orientation 6. It is read upright,
      // at its own aspect, not squeezed into the stored frame's.
      const upright = await previewBytes(page);
      const sideways = withOrientation(await photo(page, trouser.pixels, 'image/jpeg', 1200, 1600, true), 6);
      const phone = await uploadAndWait(page, 'phone.jpg', 'image/jpeg', sideways);
      expect(phone).toMatch(/^Trouser \d/);
      expect(await caption(page).textContent()).toContain('1,200 × 1,600, read at 768 × 1024');
      // The same trouser, framed differently: its 28×28 input is near the landscape photo's.
      const input = await previewBytes(page);
      const meanDifference = input.reduce((sum, v, i) => sum + Math.abs(v - upright[i]), 0) / input.length;
      console.log(`[classify] phone photo on its side: ${phone.slice(0, 40)}…, mean input difference from the upright photo ${meanDifference.toFixed(1)} / 255`);
      expect(meanDifference).toBeLessThan(20);
      expect(await page.getByRole('alert').count()).toBe(0);

      // Bad uploads, each followed by a good one.
      // A corrupt JPEG: a real one cut off after its frame header (no scan data at all).
      const whole = await photo(page, samples[0].pixels, 'image/jpeg', 400, 300);
      const sos = whole.indexOf(Buffer.from([0xff, 0xda]));
      bad.push({ name: 'broken.jpg', mimeType: 'image/jpeg', buffer: Buffer.concat([whole.subarray(0, sos), Buffer.alloc(64, 0x55)]), message: /broken\.jpg could not be decoded: the JPEG data is damaged/ });
      const good = await photo(page, samples[0].pixels, 'image/png', 600, 450);
      for (const file of bad) {
        await upload(page, file.name, file.mimeType, file.buffer);
        const alert = page.getByRole('alert').filter({ hasText: file.message });
        await alert.waitFor({ timeout: 20_000 });
        expect(await page.getByRole('alert').count(), file.name).toBe(1);
        if (file.name === 'broken.jpg') await page.screenshot({ path: join(SHOTS, 'classify-bad-upload-alert.png'), fullPage: true });
        // The page still works: a good picture is answered and the alert goes.
        const text = await uploadAndWait(page, `good-after-${file.name}.png`, 'image/png', good);
        expect(text).toMatch(/^Trouser \d/);
        expect(await page.getByRole('alert').count()).toBe(0);
      }
      // 10000 × 10000: decoded at 1024 × 1024 off the main thread, and answered. (Long tasks are
      // recorded once the dataset is in: its gallery's rendering is the page's, not the upload's.)
      await page.getByText(/^All in: /).waitFor({ timeout: 90_000 });
      const since = await pageNow(page);
      const started = Date.now();
      const answered = `performance.getEntriesByName('upload: classify').length`;
      const answeredBefore = (await page.evaluate(answered)) as number;
      const text = await uploadAndWait(page, 'huge.png', 'image/png', huge);
      const tasks = await longTasksSince(page, since);
      // 'upload: decode+preprocess (worker)', then 'upload: classify' once the answering model has answered.
      await expect.poll(() => page.evaluate(answered), { timeout: 30_000 }).toBe(answeredBefore + 1);
      const measures = await page.evaluate(`performance.getEntriesByType('measure').slice(-2).map((m) => m.name + ' ' + Math.round(m.duration) + ' ms').join(', ')`);
      const starts = await page.evaluate(`JSON.stringify(window.__longTasks.filter(([s]) => s >= ${since}).map(([s, d]) => [Math.round(s - ${since}), Math.round(d)]))`);
      console.log(`[classify] huge: ${measures}; long tasks [start, ms]: ${starts}`);
      console.log(`[classify] 10000 × 10000 PNG (${(huge.length / 1e6).toFixed(1)} MB): ${text.slice(0, 30)}… in ${Date.now() - started} ms; long tasks ${tasks.length}, max ${Math.round(Math.max(0, ...tasks))} ms`);
      expect(await caption(page).textContent()).toContain('10,000 × 10,000, read at 1024 × 1024');
      expect(text).toMatch(/^Trouser \d/);
      // Decoded off the main thread (its long tasks are printed above for the record, never
      // asserted: durations say nothing on a shared machine).
      expect(measures).toMatch(/^upload: decode\+preprocess \(worker\) \d+ ms, upload: classify \d+ ms$/);
      expect(b.errors).toEqual([]);

      // ---- Offline: a shipped model that cannot be downloaded leaves the answering one answering, and Retry gets it ----
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(shippedAnswering);
      // The network goes away for the dense baseline's files: fetch() fails as it does offline.
      let refused = 0;
      await page.route(/\/models\/dense\/(model\.json|weights\.bin)$/, (route) => {
        refused++;
        return route.abort('internetdisconnected');
      });
      await page.getByLabel('Answering model').selectOption('dense');
      const alert = page.getByRole('alert').filter({ hasText: 'The ready-trained Dense baseline could not be downloaded (are you offline?)' });
      await alert.waitFor({ timeout: 30_000 });
      expect(await alert.textContent()).toContain(`The ready-trained Playground CNN (${SHIPPED_PERCENT}% test accuracy) keeps answering.`);
      expect(await answering(page).textContent()).toMatch(shippedAnswering);
      expect(await page.getByLabel('Answering model').inputValue()).toBe('default');
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-offline-alert.png') });
      // The shipped default still answers a picture.
      const offlineAnswer = await uploadAndWait(page, 'trouser.png', 'image/png', good);
      expect(offlineAnswer).toMatch(/^Trouser \d/);
      // Retry while still offline: tried again, still refused.
      const before = refused;
      await alert.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => refused, { timeout: 30_000 }).toBeGreaterThan(before);
      await alert.waitFor({ timeout: 30_000 });
      expect(await answering(page).textContent()).toMatch(shippedAnswering);
      // Back online: choosing it again in the menu gets it.
      await page.unroute(/\/models\/dense\/(model\.json|weights\.bin)$/);
      await page.getByLabel('Answering model').selectOption('dense');
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(/^Answering: ready-trained Dense baseline \(86\.\d% test accuracy\)/);
      expect(await alert.count()).toBe(0);
      await expect.poll(async () => (await predictions(page).textContent()) ?? '', { timeout: 30_000 }).toMatch(/^\S.* \d{1,3}\.\d%/);
      // The failed download's console messages are the browser's own; nothing else went wrong.
      expect(b.errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to load resource/.test(e))).toEqual([]);
    });
  }, 360_000);

  it('keeps a trained model across a reload; its download loads in Node with the same predictions and loads back', async () => {
    const downloads = join(work, 'downloads');
    mkdirSync(downloads, { recursive: true });
    // Model files that do not fit, made in Node.
    const badModel = async (dir: string, layers: tf.layers.Layer[]) => {
      const model = tf.sequential({ layers });
      await saveModelToDir(model, join(work, dir));
      model.dispose();
      return [join(work, dir, 'model.json'), join(work, dir, 'weights.bin')];
    };
    const wrongInput = await badModel('wrong-input', [tf.layers.flatten({ inputShape: [32, 32, 3] }), tf.layers.dense({ units: 10, activation: 'softmax' })]);
    const fiveOutputs = await badModel('five-outputs', [tf.layers.flatten({ inputShape: [28, 28, 1] }), tf.layers.dense({ units: 5, activation: 'softmax' })]);
    const notAModel = join(work, 'package.json');
    writeFileSync(notAModel, JSON.stringify({ name: 'not-a-model', version: '1.0.0' }));

    await app.withPage('classify-trained', QUICK_RUN, async (page, b) => {
      await expect.poll(() => answering(page).textContent(), { timeout: 120_000 }).toMatch(shippedAnswering); // it comes once the dataset is in
      const train = page.getByRole('button', { name: 'Train', exact: true });
      await expect.poll(() => train.isEnabled(), { timeout: 120_000 }).toBe(true);
      await train.click();
      // 540 images for one epoch: far below the shipped CNN. The shipped model keeps answering,
      // and the trained one is offered right next to the bars; the shipped one with its benchmark
      // scores from its metrics.json.
      const offered = new RegExp(`^Answering: ${SHIPPED}; reads \\d{1,3}\\.\\d% of sketches and \\d{1,3}\\.\\d% of product photos in our benchmark of what people give the page · Ready too: your Dense baseline, 1 epoch on 540 images \\((\\d{1,3}\\.\\d)% test accuracy\\) Use your model$`);
      await expect.poll(() => answering(page).textContent(), { timeout: 120_000 }).toMatch(offered);
      const accuracy = offered.exec((await answering(page).textContent())!)![1];
      expect(Number(accuracy)).toBeLessThan(Number(SHIPPED_PERCENT));
      expect(await page.locator('.accuracy').textContent()).toBe(`Test accuracy: ${accuracy}%`);
      // The answering line sits in the answer's column, right above the bars.
      expect(await page.locator('.classify-result > .answering-model:has(.answering) + .predictions').count()).toBe(1);
      await page.locator('#classify').screenshot({ path: join(SHOTS, 'classify-offered.png') });
      await page.getByRole('button', { name: 'Use your model' }).click();
      const yours = new RegExp(`^Answering: your Dense baseline, 1 epoch on 540 images \\((\\d{1,3}\\.\\d)% test accuracy\\) · Switch to the ${SHIPPED}$`);
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(yours);
      expect(yours.exec((await answering(page).textContent())!)![1]).toBe(accuracy);
      expect(await page.locator('.model-details').textContent()).toMatch(/^Dense baseline · 1 epoch planned · batch 64 · adam, learning rate 0\.001/);

      const photoFile = await photo(page, samples[3].pixels, 'image/png');
      await uploadAndWait(page, 'sneaker.png', 'image/png', photoFile);
      const trained = await shownProbabilities(page);
      const input = await previewBytes(page);

      // Reload: the trained model, chosen, is back and answers the same.
      await page.reload();
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(yours);
      expect(yours.exec((await answering(page).textContent())!)![1]).toBe(accuracy);
      await uploadAndWait(page, 'sneaker.png', 'image/png', photoFile);
      expect(await shownProbabilities(page)).toEqual(trained);
      await page.screenshot({ path: join(SHOTS, 'classify-after-reload.png'), fullPage: true });

      // Download: model.json + weights.bin, which plain tfjs loads in Node with the same predictions.
      const saved: string[] = [];
      page.on('download', (d) => {
        const path = join(downloads, d.suggestedFilename());
        saved.push(d.suggestedFilename());
        void d.saveAs(path);
      });
      await page.getByRole('button', { name: 'Download model' }).click();
      await expect.poll(() => saved.slice().sort(), { timeout: 20_000 }).toEqual(['model.json', 'weights.bin']);
      await expect.poll(() => { try { return readFileSync(join(downloads, 'weights.bin')).length; } catch { return 0; } }).toBeGreaterThan(0);
      const inNode = await loadModelFromFile(join(downloads, 'model.json'));
      const nodeProbs = await classifyImage(inNode, input);
      inNode.dispose();
      for (let k = 0; k < 10; k++) expect(Math.abs(nodeProbs[k] - trained[k]), `class ${k}`).toBeLessThan(1e-5);
      // model.json says what the model is: its name, layers, training and test accuracy.
      const card = (JSON.parse(readFileSync(join(downloads, 'model.json'), 'utf8')) as { userDefinedMetadata: Record<string, Record<string, unknown>> }).userDefinedMetadata.fashionMnistPlayground;
      expect(card).toMatchObject({
        version: 1,
        title: 'Dense baseline',
        architecture: MODEL_CATALOG.dense.summary,
        parameters: MODEL_CATALOG.dense.parameters,
        epochs: 1,
        stopped: false,
        trainImages: 540,
        config: { model: 'dense', epochs: 1, trainSize: 600, validationSplit: 0.1, batchSize: 64 },
      });
      expect(((card.evaluation as { accuracy: number }).accuracy * 100).toFixed(1)).toBe(accuracy);

      // Back to the shipped model, then Load model with the downloaded files: the same answers.
      await page.getByLabel('Answering model').selectOption('default');
      await expect.poll(() => answering(page).textContent()).toMatch(shippedAnswering);
      await page.getByLabel('Load model').setInputFiles([join(downloads, 'model.json'), join(downloads, 'weights.bin')]);
      // Loaded back, it is that model again: name, training, test accuracy and settings.
      const loaded = `Answering: model.json, the model you loaded: Dense baseline, 1 epoch on 540 images (${accuracy}% test accuracy when saved)`;
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(new RegExp(`^${loaded.replace(/[.()]/g, '\\$&')}`));
      expect(await page.locator('.model-details').textContent()).toMatch(/^Flatten → Dense 128 ReLU → Dense 10 softmax\. Dense baseline · 1 epoch planned · batch 64 · /);
      await uploadAndWait(page, 'sneaker.png', 'image/png', photoFile);
      expect(await shownProbabilities(page)).toEqual(trained);

      // A second download, renamed by the browser: matched by content, it loads too.
      const renamed = join(work, 'renamed');
      mkdirSync(renamed, { recursive: true });
      writeFileSync(join(renamed, 'model (1).json'), readFileSync(join(downloads, 'model.json')));
      writeFileSync(join(renamed, 'weights (1).bin'), readFileSync(join(downloads, 'weights.bin')));
      await page.getByLabel('Load model').setInputFiles([join(renamed, 'model (1).json'), join(renamed, 'weights (1).bin')]);
      await expect.poll(() => answering(page).textContent(), { timeout: 30_000 }).toMatch(/^Answering: model \(1\)\.json, the model you loaded/);
      await uploadAndWait(page, 'sneaker-renamed.png', 'image/png', photoFile);
      expect(await shownProbabilities(page)).toEqual(trained);

      // Model files that do not fit: each says why, and the loaded model keeps answering.
      const truncated = join(work, 'truncated');
      mkdirSync(truncated, { recursive: true });
      writeFileSync(join(truncated, 'model.json'), readFileSync(join(downloads, 'model.json')));
      writeFileSync(join(truncated, 'weights.bin'), readFileSync(join(downloads, 'weights.bin')).subarray(0, 1200));
      // A weight that is NaN (a run that diverged), and a Dense layer of a million units over the same weights.
      const nan = join(work, 'nan');
      mkdirSync(nan, { recursive: true });
      writeFileSync(join(nan, 'model.json'), readFileSync(join(downloads, 'model.json')));
      const nanWeights = Buffer.from(readFileSync(join(downloads, 'weights.bin')));
      nanWeights.writeFloatLE(NaN, 4 * 10);
      writeFileSync(join(nan, 'weights.bin'), nanWeights);
      const huge = join(work, 'huge');
      mkdirSync(huge, { recursive: true });
      const hugeJson = JSON.parse(readFileSync(join(downloads, 'model.json'), 'utf8')) as { modelTopology: { config: { layers: { class_name: string; config: { units?: number } }[] } } };
      hugeJson.modelTopology.config.layers.find((l) => l.class_name === 'Dense')!.config.units = 1_000_000;
      writeFileSync(join(huge, 'model.json'), JSON.stringify(hugeJson));
      writeFileSync(join(huge, 'weights.bin'), readFileSync(join(downloads, 'weights.bin')));
      const cases: [string[], RegExp][] = [
        [[join(truncated, 'model.json'), join(truncated, 'weights.bin')], /weights\.bin has 1200 bytes, model\.json needs 407080/],
        [[join(nan, 'model.json'), join(nan, 'weights.bin')], /its weights are not all finite numbers: weight "[^"]+" holds NaN \(value 11 of /],
        [[join(huge, 'model.json'), join(huge, 'weights.bin')], /its layers declare [\d,]+ weights .*its weights hold 101,770 /],
        [wrongInput, /expects input 28×28×1, this model takes 32×32×3/],
        [fiveOutputs, /10 outputs expected, got 5/],
        [[notAModel], /package\.json is not a Keras\/tfjs layers model/],
        [[join(downloads, 'model.json')], /model\.json needs the weights file weights\.bin/],
      ];
      for (const [files, message] of cases) {
        await page.getByLabel('Load model').setInputFiles(files);
        await page.getByRole('alert').filter({ hasText: message }).waitFor({ timeout: 20_000 });
        expect(await page.getByRole('alert').count()).toBe(1);
      }
      await page.screenshot({ path: join(SHOTS, 'classify-bad-model.png'), fullPage: true });
      expect(await answering(page).textContent()).toMatch(/^Answering: model \(1\)\.json, the model you loaded/);
      await uploadAndWait(page, 'sneaker-again.png', 'image/png', photoFile);
      expect(await shownProbabilities(page)).toEqual(trained);
      expect(b.errors).toEqual([]);
    });
  }, 300_000);
});

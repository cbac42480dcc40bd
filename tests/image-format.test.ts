import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { boundedSize, sniffImage } from '../src/core/image-format.ts';
import { exifSegment, withOrientation } from './helpers/exif.ts';

const ascii = (s: string) => Uint8Array.from(s, (c) => c.charCodeAt(0));

function png(width: number, height: number): Uint8Array {
  const image = new PNG({ width, height });
  image.data.fill(255);
  return new Uint8Array(PNG.sync.write(image));
}

/** A minimal JPEG header: SOI, an APP0 segment, then SOF0 with the size. */
function jpegHeader(width: number, height: number): Uint8Array {
  const app0 = [0xff, 0xe0, 0x00, 0x10, ...ascii('JFIF\0'), 1, 1, 0, 0, 1, 0, 1, 0, 0];
  const sof = [0xff, 0xc0, 0x00, 0x11, 8, height >> 8, height & 255, width >> 8, width & 255, 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  return Uint8Array.from([0xff, 0xd8, ...app0, ...sof]);
}

describe('sniffImage', () => {
  it('reads the size of PNG, JPEG, GIF, BMP and WebP headers', () => {
    expect(sniffImage(png(37, 21))).toEqual({ kind: 'raster', format: 'png', width: 37, height: 21 });
    expect(sniffImage(jpegHeader(1200, 900))).toEqual({ kind: 'raster', format: 'jpeg', width: 1200, height: 900 });
    expect(sniffImage(Uint8Array.from([...ascii('GIF89a'), 10, 0, 3, 1]))).toEqual({
      kind: 'raster',
      format: 'gif',
      width: 10,
      height: 259,
    });
    const bmp = new Uint8Array(54);
    bmp.set(ascii('BM'));
    new DataView(bmp.buffer).setInt32(18, 640, true);
    new DataView(bmp.buffer).setInt32(22, -480, true);
    expect(sniffImage(bmp)).toEqual({ kind: 'raster', format: 'bmp', width: 640, height: 480 });
    const webp = new Uint8Array(30);
    webp.set(ascii('RIFF'));
    webp.set(ascii('WEBPVP8X'), 8);
    webp.set([0xff, 0x03, 0x00, 0x2b, 0x01, 0x00], 24); // 1024 × 300
    expect(sniffImage(webp)).toEqual({ kind: 'raster', format: 'webp', width: 1024, height: 300 });
  });

  it("gives a JPEG's size as shown: EXIF orientations 5-8 turn it a quarter, so width and height swap", () => {
    const frame = jpegHeader(1600, 1200);
    for (const byteOrder of ['II', 'MM'] as const) {
      for (const orientation of [1, 2, 3, 4]) {
        expect(sniffImage(withOrientation(frame, orientation, byteOrder))).toMatchObject({ width: 1600, height: 1200 });
      }
      for (const orientation of [5, 6, 7, 8]) {
        expect(sniffImage(withOrientation(frame, orientation, byteOrder))).toMatchObject({ width: 1200, height: 1600 });
      }
    }
    // An orientation out of range, or an EXIF block cut short, leaves the frame as it is.
    expect(sniffImage(withOrientation(frame, 9))).toMatchObject({ width: 1600, height: 1200 });
    const cutShort = exifSegment(6).slice(0, 20);
    new DataView(cutShort.buffer).setUint16(2, cutShort.length - 2);
    expect(sniffImage(Uint8Array.from([...frame.subarray(0, 2), ...cutShort, ...frame.subarray(2)]))).toMatchObject({
      width: 1600,
      height: 1200,
    });
  });

  it('knows a 10000×10000 PNG from its header alone', () => {
    const full = png(1, 1);
    const header = full.slice(0, 33);
    new DataView(header.buffer).setUint32(16, 10_000);
    new DataView(header.buffer).setUint32(20, 10_000);
    expect(sniffImage(header)).toEqual({ kind: 'raster', format: 'png', width: 10_000, height: 10_000 });
  });

  it('tells SVG, text, empty and cut-short files apart', () => {
    expect(sniffImage(ascii('<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"></svg>'))).toEqual({ kind: 'svg' });
    expect(sniffImage(ascii('  <svg width="10" height="10"/>'))).toEqual({ kind: 'svg' });
    expect(sniffImage(ascii('<html><body>hi</body></html>'))).toEqual({ kind: 'unknown' });
    expect(sniffImage(ascii('just some notes'))).toEqual({ kind: 'unknown' });
    expect(sniffImage(new Uint8Array(0))).toEqual({ kind: 'unknown' });
    expect(sniffImage(png(5, 5).slice(0, 20))).toMatchObject({ kind: 'corrupt', format: 'png' });
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xe0, 0x00]))).toMatchObject({ kind: 'corrupt', format: 'jpeg' });
    expect(sniffImage(Uint8Array.from([0xff, 0xd8, 0xff, 0xd9]))).toMatchObject({ kind: 'corrupt', format: 'jpeg' });
    const zeroSize = png(1, 1);
    new DataView(zeroSize.buffer).setUint32(16, 0);
    expect(sniffImage(zeroSize)).toMatchObject({ kind: 'corrupt', format: 'png', reason: 'its header gives a size of 0 × 1' });
  });
});

describe('boundedSize', () => {
  it('scales the longest side down to the bound, keeping the aspect ratio', () => {
    expect(boundedSize(10_000, 10_000, 1024)).toEqual({ width: 1024, height: 1024 });
    expect(boundedSize(4000, 1000, 1000)).toEqual({ width: 1000, height: 250 });
    expect(boundedSize(640, 480, 1024)).toEqual({ width: 640, height: 480 });
    expect(boundedSize(100_000, 1, 1000)).toEqual({ width: 1000, height: 1 });
  });
});

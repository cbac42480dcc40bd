/**
 * The decode worker's side of an upload, in Node with a fake decoder: decoded pixels come back as
 * the model's 28×28 input with what the caption says (format, sizes, inverted), a blank picture as
 * empty, and failures as error replies that say whether the file is to blame.
 */
import { describe, expect, it } from 'vitest';
import { IMAGE_PIXELS, IMAGE_SIZE } from '../src/core/classes.ts';
import { preprocessImage } from '../src/core/preprocess.ts';
import { answerDecodeRequest, readUpload, UploadError, type Decode, type DecodedPicture } from '../src/app/classify/upload-input.ts';

/** A light 400 × 300 RGBA picture (a 4000 × 3000 JPEG read at a tenth) with a dark 80 × 160 shape, or blank. */
function photo(blank = false): DecodedPicture {
  const width = 400;
  const height = 300;
  const pixels = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) pixels.set([240, 238, 236, 255], p * 4);
  if (!blank) {
    for (let y = 100; y < 260; y++) for (let x = 50; x < 130; x++) pixels.set([30, 30, 35, 255], (y * width + x) * 4);
  }
  return { pixels, width, height, originalWidth: 4000, originalHeight: 3000, format: 'JPEG' };
}

const decodeTo =
  (picture: DecodedPicture): Decode =>
  async () =>
    picture;
const file = new Blob([new Uint8Array([0xff, 0xd8, 0xff])], { type: 'image/jpeg' });

describe('reading an upload in the decode worker', () => {
  it("trims a photo's item without the faint halo that JPEG and noise leave around it", async () => {
    // The dark 80 × 160 shape of photo(), inside a 4-pixel halo 7% as dark as the item (ringing).
    const picture = photo();
    const { width } = picture;
    for (let y = 96; y < 264; y++)
      for (let x = 46; x < 134; x++)
        if (y < 100 || y >= 260 || x < 50 || x >= 130) picture.pixels.set([225, 223, 221, 255], (y * width + x) * 4);
    const reply = await answerDecodeRequest({ id: 1, file }, decodeTo(picture));
    if (!('input' in reply)) throw new Error('expected an input');
    // The item fills the full 28 rows, as Fashion-MNIST's items do: the halo is not part of it.
    const rows = Array.from({ length: IMAGE_SIZE }, (_, y) =>
      reply.input.image.subarray(y * IMAGE_SIZE, (y + 1) * IMAGE_SIZE).some((v) => v > 128),
    );
    expect(rows.every(Boolean)).toBe(true);
  });

  it('answers with the 28×28 input, preprocessed as on the page, and what the caption needs', async () => {
    const picture = photo();
    const reply = await answerDecodeRequest({ id: 7, file, name: 'boot.jpg' }, decodeTo(picture));
    expect(reply.id).toBe(7);
    if (!('input' in reply)) throw new Error(`expected an input, got ${JSON.stringify(reply)}`);
    const { input } = reply;
    expect(input.image).toBeInstanceOf(Uint8Array);
    expect(input.image).toHaveLength(IMAGE_PIXELS);
    // 784 bytes cross back to the page, not the 480,000 of the decoded picture.
    expect(input.image.buffer.byteLength).toBe(IMAGE_PIXELS);
    expect(Object.values(input).some((v) => v instanceof Uint8ClampedArray)).toBe(false);
    expect(input).toMatchObject({
      empty: false,
      inverted: true,
      format: 'JPEG',
      originalWidth: 4000,
      originalHeight: 3000,
      width: 400,
      height: 300,
    });
    // The same bytes as preprocessing on the page: the shape bright on black, 14 × 28, centred.
    expect(Array.from(input.image)).toEqual(Array.from(preprocessImage(picture.pixels, 400, 300, 4).image));
    expect(input.image[14 * IMAGE_SIZE + 14]).toBe(255);
    expect(input.image[14 * IMAGE_SIZE + 2]).toBe(0);
    // A worker reply must survive structured cloning.
    expect(structuredClone(reply)).toEqual(reply);
  });

  it('says when the picture is blank', async () => {
    const input = await readUpload(file, decodeTo(photo(true)), 'white.png');
    expect(input.empty).toBe(true);
    expect(input.image.every((v) => v === 0)).toBe(true);
  });

  it('passes the name to the decoder and answers its errors as values, saying whether the file is to blame', async () => {
    const names: (string | undefined)[] = [];
    const refuse: Decode = async (_file, name) => {
      names.push(name);
      throw new UploadError(`${name ?? 'the pasted picture'} is empty (0 bytes): choose a picture file.`);
    };
    expect(await answerDecodeRequest({ id: 1, file, name: 'empty.png' }, refuse)).toEqual({
      id: 1,
      error: 'empty.png is empty (0 bytes): choose a picture file.',
      upload: true,
    });
    expect(await answerDecodeRequest({ id: 2, file }, refuse)).toMatchObject({
      id: 2,
      upload: true,
      error: expect.stringMatching(/^the pasted picture is empty/),
    });
    expect(names).toEqual(['empty.png', undefined]);
    const crash: Decode = async () => {
      throw new Error('createImageBitmap is not defined');
    };
    expect(await answerDecodeRequest({ id: 3, file }, crash)).toEqual({ id: 3, error: 'createImageBitmap is not defined', upload: false });
  });
});

/**
 * EXIF orientation for test JPEGs: phone cameras store the sensor's frame and an Orientation tag
 * that tells viewers to turn it (6: a quarter turn clockwise), and browsers honour it when decoding.
 */

/** An APP1 segment holding only an Orientation tag, in either TIFF byte order. */
export function exifSegment(orientation: number, byteOrder: 'II' | 'MM' = 'MM'): Uint8Array {
  const tiff = new Uint8Array(26);
  const view = new DataView(tiff.buffer);
  const little = byteOrder === 'II';
  tiff.set([byteOrder.charCodeAt(0), byteOrder.charCodeAt(1)]);
  view.setUint16(2, 42, little);
  view.setUint32(4, 8, little); // IFD0 right after the header
  view.setUint16(8, 1, little); // one entry
  view.setUint16(10, 0x0112, little); // Orientation
  view.setUint16(12, 3, little); // SHORT
  view.setUint32(14, 1, little); // one value
  view.setUint16(18, orientation, little);
  // Bytes 22-25: no next IFD.
  const payload = [...Array.from('Exif', (c) => c.charCodeAt(0)), 0, 0, ...tiff];
  const length = payload.length + 2;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 255, ...payload]);
}

/** `jpeg` with an EXIF Orientation segment put right after its start-of-image marker. */
export function withOrientation(jpeg: Uint8Array, orientation: number, byteOrder: 'II' | 'MM' = 'MM'): Buffer {
  return Buffer.concat([jpeg.subarray(0, 2), exifSegment(orientation, byteOrder), jpeg.subarray(2)]);
}

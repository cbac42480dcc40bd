/** Drawing on the page's pad from a browser test, with the mouse, and reading back the model's input. */
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';

/** Draws three strokes (a pair of trousers, roughly) on the pad. */
export async function drawOnPad(page: Page, pad: Locator): Promise<void> {
  const b = await pad.boundingBox();
  expect(b, 'the pad is laid out').not.toBeNull();
  const at = (x: number, y: number) => [b!.x + (x * b!.width) / 280, b!.y + (y * b!.height) / 280] as const;
  for (const points of [
    [
      [95, 30],
      [185, 30],
    ],
    [
      [100, 35],
      [92, 150],
      [88, 255],
    ],
    [
      [180, 35],
      [188, 150],
      [192, 255],
    ],
  ] as [number, number][][]) {
    await page.mouse.move(...at(...points[0]));
    await page.mouse.down();
    for (const p of points.slice(1)) await page.mouse.move(...at(...p), { steps: 6 });
    await page.mouse.up();
  }
}

/** The 28×28 bytes of the input preview: what the model was given. */
export async function previewBytes(page: Page): Promise<Uint8Array> {
  const values = (await page.evaluate(`(() => {
      const c = document.querySelector('.input-preview canvas');
      const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
      return Array.from({ length: 784 }, (_, i) => d[i * 4]);
    })()`)) as number[];
  return Uint8Array.from(values);
}

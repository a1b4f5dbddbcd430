import type { Locator, Page } from 'playwright-core';

/** A signature-like squiggle across the box: points as fractions of its width and height. */
const STROKE: readonly (readonly [number, number])[] = Array.from({ length: 24 }, (_, i) => {
  const x = 0.1 + (0.8 * i) / 23;
  return [x, 0.45 + 0.25 * Math.sin(i * 0.9)] as const;
});

async function pointsIn(canvas: Locator): Promise<{ x: number; y: number }[]> {
  await canvas.scrollIntoViewIfNeeded();
  const box = await canvas.boundingBox();
  if (!box) throw new Error('the signature pad is not on screen');
  return STROKE.map(([fx, fy]) => ({ x: box.x + box.width * fx, y: box.y + box.height * fy }));
}

/** Draws with the mouse: press, drag through the points, release. */
export async function drawWithMouse(page: Page, canvas: Locator): Promise<void> {
  const [first, ...rest] = await pointsIn(canvas);
  await page.mouse.move(first!.x, first!.y);
  await page.mouse.down();
  for (const point of rest) await page.mouse.move(point.x, point.y, { steps: 2 });
  await page.mouse.up();
}

/**
 * Draws with a finger: real touch input through the DevTools protocol (touchStart, touchMove…,
 * touchEnd), which Chromium turns into touch and pointer events of type `touch`, as on a phone.
 */
export async function drawWithTouch(page: Page, canvas: Locator): Promise<void> {
  const points = await pointsIn(canvas);
  const cdp = await page.context().newCDPSession(page);
  try {
    const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', point?: { x: number; y: number }) =>
      cdp.send('Input.dispatchTouchEvent', { type, touchPoints: point ? [{ x: point.x, y: point.y, id: 1 }] : [] });
    await touch('touchStart', points[0]);
    for (const point of points.slice(1)) await touch('touchMove', point);
    await touch('touchEnd');
  } finally {
    await cdp.detach();
  }
}

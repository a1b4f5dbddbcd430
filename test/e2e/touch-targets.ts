import type { Page } from 'playwright-core';
import { expect } from 'vitest';

/**
 * Every control a finger can hit in the page's main content is at least 44×44 CSS px (a checkbox or
 * radio counts by its label, which is what takes the tap; a link stretched over its card by its card). Hidden controls and the visually-hidden
 * ones (screen-reader only) are left out.
 */
export async function expectTouchTargets(page: Page, label: string, min = 44): Promise<void> {
  const small = await page.evaluate((minimum) => {
    const found: string[] = [];
    const controls = document.querySelectorAll<HTMLElement>('main a[href], main button, main input, main select, main textarea');
    for (const control of controls) {
      const target =
        control instanceof HTMLInputElement && ['checkbox', 'radio'].includes(control.type)
          ? (control.closest('label') ?? control.labels?.[0] ?? control)
          : control;
      const style = getComputedStyle(target);
      if (style.visibility === 'hidden' || style.display === 'none') continue;
      // A "stretched" link (an absolutely placed ::after over its card) is as big as the card.
      const after = getComputedStyle(target, '::after');
      const stretchedOver = after.content !== 'none' && after.position === 'absolute' ? target.offsetParent : null;
      const box = (stretchedOver ?? target).getBoundingClientRect();
      if (box.width <= 1 || box.height <= 1) continue;
      // Half a pixel of layout rounding is not a smaller target.
      if (box.width + 0.5 < minimum || box.height + 0.5 < minimum) {
        const name = (target.getAttribute('aria-label') ?? target.textContent ?? target.getAttribute('name') ?? '').trim().slice(0, 40);
        found.push(`${target.tagName.toLowerCase()} "${name}" ${Math.round(box.width)}×${Math.round(box.height)}`);
      }
    }
    return found;
  }, min);
  expect(small, `${label}: touch targets under ${min} px`).toEqual([]);
}

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/browser.js';
import { JOURNEY_TIMEOUT, usePortalJourney } from './portal-journey.js';
import { type PortalFiles, writePortalFiles } from './portal-files-fixtures.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE } from './portal-page-checks.js';

/**
 * Files in the customer portal, in a real Chromium against the real app and its real worker:
 * photos attached to a new request (each with its own progress, three at a time), refused files
 * explained beside their names without blocking the others, thumbnails once the worker has
 * re-encoded them, the lightbox by keyboard, the original downloaded without its EXIF, a reply
 * with a document shown optimistically, and the profile photo in the header.
 */
describeWithBrowser('portal files in Chromium', () => {
  const j = usePortalJourney('portal-files', { signIn: true });
  const { shot, heading } = j;
  let dir: string;
  let files: PortalFiles;
  /** The request the first journey creates, which the second one replies to. */
  let ticketPath = '';

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-files-'));
    files = await writePortalFiles(dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newContext = (options: object) => openContext(j.browser, { ...options, acceptDownloads: true }, j.signedIn);
  const uploadRow = (page: Page, name: string) => page.locator('.upload').filter({ hasText: name });
  const isFocused = (page: Page, selector: string) => page.locator(selector).evaluate((el) => el === document.activeElement);
  /** Runs the worker until the page shows `count` loaded thumbnails (images are re-encoded in the background). */
  const waitForThumbnails = async (page: Page, count: number) => {
    await expect
      .poll(
        async () => {
          await j.server.worker.runOnce();
          return page.locator('.attachment-thumb img').count();
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe(count);
    await expect
      .poll(() =>
        page.locator('.attachment-thumb img').evaluateAll((images) => images.every((i) => (i as HTMLImageElement).naturalWidth > 0)),
      )
      .toBe(true);
  };

  it(
    'attaches photos to a new request with a progress bar each, explains refused files, and shows the photos in a lightbox (desktop)',
    async () => {
      const { context, page, problems } = await newContext(DESKTOP);
      await page.goto(`${j.portalUrl}/tickets/new`);
      await heading(page, 'New request').waitFor();
      await page.getByText('Up to 10 files, 10 MB each. Photos, PDFs, text, CSV and Office documents.').waitFor();

      // Uploads are held at the network until released, so the bars can be seen mid-way.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      let uploadRequests = 0;
      await page.route('**/api/uploads', async (route) => {
        uploadRequests += 1;
        await held;
        await route.continue();
      });

      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Add files' }).click();
      await (await chooser).setFiles([...files.photos, files.fakeJpeg, files.svg, files.tooLarge]);

      // The browser refuses two at once, beside their names, with the server's wording.
      await expect.poll(() => uploadRow(page, 'notes.svg').innerText()).toContain('“notes.svg” is not a file type we accept.');
      expect(await uploadRow(page, 'scan-of-the-house.pdf').innerText()).toContain(
        '“scan-of-the-house.pdf” is larger than 10 MB, the limit for one file.',
      );
      // Four are on their way: three uploading, one waiting its turn; each has its own bar.
      const bars = page.getByRole('progressbar');
      await expect.poll(() => bars.count()).toBe(4);
      await expect.poll(() => uploadRequests).toBe(3);
      expect(await uploadRow(page, 'holiday.jpg').innerText()).toContain('Waiting…');
      for (const name of ['kitchen-tap.jpg', 'damp-cupboard.png', 'valve-under-sink.jpg']) {
        const bar = page.getByRole('progressbar', { name: `Uploading ${name}` });
        const value = Number(await bar.getAttribute('aria-valuenow'));
        expect(value).toBeGreaterThanOrEqual(0);
        expect(value).toBeLessThanOrEqual(100);
      }
      // Image previews come from the browser's own copy of the file.
      expect(await uploadRow(page, 'kitchen-tap.jpg').locator('img').getAttribute('src')).toMatch(/^blob:/);
      // Submitting waits for the uploads.
      const submit = page.getByRole('button', { name: 'Uploading…' });
      expect(await submit.getAttribute('aria-disabled')).toBe('true');
      await expectNoAxeViolations(page, 'new request with files uploading (desktop)');
      await shot(page, 'desktop-1-new-request-uploading');

      release();
      for (const name of ['kitchen-tap.jpg', 'damp-cupboard.png', 'valve-under-sink.jpg']) {
        await expect.poll(() => uploadRow(page, name).innerText()).toContain('Uploaded');
      }
      expect(uploadRequests).toBe(4);
      // The server reads the bytes: a web page named .jpg is refused with its own message.
      await expect.poll(() => uploadRow(page, 'holiday.jpg').innerText()).toContain('“holiday.jpg” is not really a JPG file');
      // Sending it again would get the same answer: no Retry, and it says it stays behind.
      expect(await uploadRow(page, 'holiday.jpg').getByRole('button', { name: 'Retry' }).count()).toBe(0);
      expect(await uploadRow(page, 'holiday.jpg').innerText()).toContain('It will not be sent.');
      await expect.poll(() => bars.count()).toBe(0);
      await page.unroute('**/api/uploads');

      // Removing a refused file gives the focus to the next file's Remove button.
      await page.getByRole('button', { name: 'Remove notes.svg' }).click();
      await expect.poll(() => uploadRow(page, 'notes.svg').count()).toBe(0);
      expect(await isFocused(page, '[aria-label="Remove scan-of-the-house.pdf"]')).toBe(true);

      await page.getByLabel('Title').fill('Tap and cupboard photos');
      await page.getByLabel('Description').fill('Photos of the leak, as promised.');
      await expectNoAxeViolations(page, 'new request with files attached (desktop)');
      await shot(page, 'desktop-2-new-request-ready');
      // Refused files do not block the others.
      await page.getByRole('button', { name: 'Submit request' }).click();
      await heading(page, 'Tap and cupboard photos').waitFor();
      ticketPath = new URL(page.url()).pathname;

      // Right after submitting the photos are being re-encoded: placeholders, then thumbnails.
      const first = page.locator('.conversation > li').first();
      expect(await first.locator('.attachment-thumb').count()).toBe(3);
      await shot(page, 'desktop-3-ticket-processing');
      await waitForThumbnails(page, 3);
      const thumbs = first.locator('.attachment-thumb img');
      // In the order the server received them (three were uploading at once).
      const names = await thumbs.evaluateAll((images) => images.map((i) => i.getAttribute('alt') ?? ''));
      expect([...names].sort()).toEqual(['damp-cupboard.png', 'kitchen-tap.jpg', 'valve-under-sink.jpg']);
      const tap = first.locator('.attachment-thumb').filter({ has: page.getByAltText('kitchen-tap.jpg') });
      expect(await tap.locator('img').getAttribute('src')).toMatch(/\/api\/files\/[^/?]+\?variant=thumb$/);
      expect(await tap.locator('img').getAttribute('loading')).toBe('lazy');
      expect(await tap.locator('img').getAttribute('width')).toBe('1600');
      expect(await tap.locator('img').getAttribute('height')).toBe('1200');
      expect(await page.getByText('holiday.jpg').count()).toBe(0);
      await expectNoAxeViolations(page, 'ticket with photos (desktop)');
      await shot(page, 'desktop-4-ticket-photos');

      // The lightbox, by keyboard: Enter opens, → goes on, Tab stays inside, Escape closes.
      await page.locator('.attachment-thumb').first().focus();
      await page.keyboard.press('Enter');
      const dialog = page.getByRole('dialog', { name: names[0] });
      await dialog.waitFor();
      const large = page.locator('dialog img.lightbox__image');
      await expect.poll(() => large.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      expect(await large.getAttribute('src')).toMatch(/\?variant=display$/);
      expect(await dialog.innerText()).toContain('Image 1 of 3');
      await page.keyboard.press('ArrowRight');
      await page.getByRole('dialog', { name: names[1] }).waitFor();
      expect(await page.getByRole('dialog').innerText()).toContain('Image 2 of 3');
      await page.getByRole('button', { name: 'Next image' }).click();
      await page.getByRole('dialog', { name: names[2] }).waitFor();
      await expect.poll(() => large.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      for (let i = 0; i < 6; i += 1) {
        await page.keyboard.press('Tab');
        expect(await page.evaluate(() => document.activeElement?.closest('dialog') !== null)).toBe(true);
      }
      await expectNoAxeViolations(page, 'lightbox (desktop)');
      await shot(page, 'desktop-5-lightbox', { fullPage: false });
      await page.keyboard.press('Escape');
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);
      // The focus is back on the thumbnail of the image last shown.
      expect(await page.evaluate(() => document.activeElement?.querySelector('img')?.getAttribute('alt'))).toBe(names[2]);

      // "Download original": the customer's file name, a JPEG whose camera data is gone.
      expect((await sharp(files.photos[0]).metadata()).exif).toBeDefined();
      await tap.click();
      await page.getByRole('dialog', { name: 'kitchen-tap.jpg' }).waitFor();
      const downloading = page.waitForEvent('download');
      await page.getByRole('link', { name: 'Download original' }).click();
      const download = await downloading;
      expect(download.suggestedFilename()).toBe('kitchen-tap.jpg');
      const saved = path.join(dir, 'downloaded.jpg');
      await download.saveAs(saved);
      const original = await sharp(saved).metadata();
      expect(original.format).toBe('jpeg');
      expect(original.exif).toBeUndefined();
      expect([original.width, original.height]).toEqual([1600, 1200]);
      // A click beside the picture closes it too.
      await page.mouse.click(8, 400);
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

      // Files dragged over the page light up the drop zone and land in it wherever they are dropped;
      // a screenshot pasted into the message box is attached with a name of its own.
      await page.evaluate(() => {
        const transfer = new DataTransfer();
        transfer.items.add(new File(['Boiler model: K2\n'], 'boiler-label.txt', { type: 'text/plain' }));
        (window as unknown as { dropTransfer: DataTransfer }).dropTransfer = transfer;
        document.body.dispatchEvent(new DragEvent('dragenter', { bubbles: true, dataTransfer: transfer }));
      });
      await page.locator('.dropzone--active').waitFor();
      await page.getByText('Drop the files to attach them').waitFor();
      await page.evaluate(() => {
        const transfer = (window as unknown as { dropTransfer: DataTransfer }).dropTransfer;
        document.body.dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: transfer }));
      });
      await expect.poll(() => page.locator('.dropzone--active').count()).toBe(0);
      await expect.poll(() => uploadRow(page, 'boiler-label.txt').innerText()).toContain('Uploaded');
      const screenshot = await sharp({ create: { width: 40, height: 30, channels: 3, background: '#1d4ed8' } })
        .png()
        .toBuffer();
      await page.getByLabel('Your message').evaluate(
        (textarea, bytes) => {
          const transfer = new DataTransfer();
          transfer.items.add(new File([new Uint8Array(bytes)], 'image.png', { type: 'image/png' }));
          textarea.dispatchEvent(new ClipboardEvent('paste', { bubbles: true, cancelable: true, clipboardData: transfer }));
        },
        [...screenshot],
      );
      await expect.poll(() => uploadRow(page, 'Pasted image 1.png').innerText()).toContain('Uploaded');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await expect.poll(() => page.locator('.conversation > li').count()).toBe(2);
      await page
        .locator('.conversation > li')
        .last()
        .getByRole('link', { name: /boiler-label\.txt/ })
        .waitFor();
      await waitForThumbnails(page, 4);

      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'replies with a photo and a PDF, shown at once with their previews, then as the server has them (phone)',
    async () => {
      expect(ticketPath, 'the first journey creates the request').not.toBe('');
      const { context, page, problems } = await newContext(PHONE);
      await page.goto(`${j.server.origin}${ticketPath}`);
      await heading(page, 'Tap and cupboard photos').waitFor();
      await page.locator('.attachment-thumb img').first().waitFor();
      const before = await page.locator('.attachment-thumb').count();
      // A touch screen offers the camera.
      await page.getByRole('button', { name: 'Take photo' }).waitFor();

      const chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Add files' }).click();
      await (await chooser).setFiles([files.photos[2]!, files.pdf]);
      for (const name of ['valve-under-sink.jpg', 'plumber-invoice.pdf']) {
        await expect.poll(() => uploadRow(page, name).innerText()).toContain('Uploaded');
      }
      await shot(page, 'phone-1-reply-files');
      // Full-page shots drop the touch emulation; this one shows the composer as a phone has it.
      await page.getByRole('button', { name: 'Take photo' }).scrollIntoViewIfNeeded();
      await shot(page, 'phone-1b-reply-files-viewport', { fullPage: false });
      await expectNoHorizontalScroll(page, 'composer with files');
      await expectNoAxeViolations(page, 'reply with files (phone)');

      // Sent with no text: files alone make a reply. It shows at once, with the local preview.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/tickets/*/messages', async (route) => {
        await held;
        await route.continue();
      });
      await page.getByRole('button', { name: 'Send reply' }).click();
      const sending = page.getByTestId('reply-sending');
      await sending.waitFor();
      expect(await sending.locator('img').getAttribute('src')).toMatch(/^blob:/);
      expect(await sending.innerText()).toContain('plumber-invoice.pdf');
      expect(await page.locator('.upload').count()).toBe(0);
      await shot(page, 'phone-2-reply-sending');
      release();
      await expect.poll(() => sending.count()).toBe(0);
      await page.unroute('**/api/tickets/*/messages');

      const last = page.locator('.conversation > li').last();
      const invoice = last.getByRole('link', { name: /plumber-invoice\.pdf/ });
      expect(await invoice.getAttribute('download')).toBe('plumber-invoice.pdf');
      expect(await invoice.getAttribute('href')).toMatch(/\/api\/files\/[^/?]+$/);
      expect(await invoice.innerText()).toMatch(/\d+ (byte|kB)/);
      await waitForThumbnails(page, before + 1);
      await expectNoHorizontalScroll(page, 'ticket with files');
      await shot(page, 'phone-3-ticket-files');

      // The lightbox on a phone: previous/next go through all the ticket's images.
      await last.locator('.attachment-thumb').click();
      const dialog = page.getByRole('dialog', { name: 'valve-under-sink.jpg' });
      await dialog.waitFor();
      expect(await dialog.innerText()).toContain(`Image ${before + 1} of ${before + 1}`);
      await expect.poll(() => dialog.locator('img').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      await expectNoAxeViolations(page, 'lightbox (phone)');
      await shot(page, 'phone-4-lightbox', { fullPage: false });
      await page.getByRole('button', { name: 'Close', exact: true }).click();
      await expect.poll(() => page.getByRole('dialog').count()).toBe(0);

      expect(problems).toEqual([]);
      await context.close();

      const dark = await openContext(j.browser, { ...PHONE, colorScheme: 'dark' }, j.signedIn);
      await dark.page.goto(`${j.server.origin}${ticketPath}`);
      await heading(dark.page, 'Tap and cupboard photos').waitFor();
      await waitForThumbnails(dark.page, before + 1);
      await expectNoAxeViolations(dark.page, 'ticket with files (phone, dark)');
      await shot(dark.page, 'phone-5-ticket-files-dark');
      expect(dark.problems).toEqual([]);
      await dark.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

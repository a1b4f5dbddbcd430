import { existsSync, mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { computeQuote } from '../../src/features/quotes/quote.domain.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { formatQuoteMoney } from '../../src/web/team/quotes/quote-format.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { type E2eServer, mailIdsOf, startE2eServer, waitForNewMail } from './e2e-server.js';
import {
  DESKTOP,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  openContext,
  PHONE,
  saveShot,
  type StorageState,
} from './portal-page-checks.js';
import { seedTeamApp, type TeamAppWorld } from './team-app-seed.js';
import { signInToTeamApp } from './team-app-session.js';
import { expectTouchTargets } from './touch-targets.js';

/**
 * The team's quotes in a real Chromium against the real server, at 1280×800 and at 375×812: a
 * member writes a quote with three lines (one taxed) and a 10 % discount and watches the totals
 * change as they type, saves a draft, sends it (the client's contact gets an email with the
 * total), finds it under Sent, revises it into version 2 and reads the version history, then
 * duplicates it, sends the copy and withdraws that one. Axe on the list, the editor and the quote
 * page (and 44 px touch targets on the phone); a screenshot of each step under test-results/team-quotes/.
 */
const SHOTS = path.resolve('test-results', 'team-quotes');
const JOURNEY_TIMEOUT = 120_000;
const SIZES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

/** Intl writes a no-break space in some currency formats; emails and pages are compared without it. */
const plain = (text: string) => text.replace(/[\u00a0\u202f]/g, ' ');

describeWithBrowser('team quotes in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let world: TeamAppWorld;
  let appUrl: string;
  let ownerState: StorageState;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    world = await seedTeamApp(server);
    appUrl = `${server.origin}/app`;
    browser = await launchChromium();
    ownerState = await signInToTeamApp(browser, appUrl, world.ownerEmail);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  // From the top: a full-page capture of a scrolled page draws the sticky header in the middle.
  const shot = async (page: Page, name: string, options?: { fullPage?: boolean }) => {
    if (options?.fullPage !== false) await page.evaluate(() => window.scrollTo(0, 0));
    await saveShot(page, SHOTS, name, options);
  };
  const checkPage = async (page: Page, label: string) => {
    await expectNoHorizontalScroll(page, label);
    await expectNoAxeViolations(page, label);
    if (label.startsWith('phone')) await expectTouchTargets(page, label);
  };

  for (const [size, viewport] of SIZES) {
    it(
      `writes, sends, revises and withdraws quotes (${size})`,
      async () => {
        const { context, page, problems } = await openContext(browser, viewport, ownerState);
        const title = `Replace the kitchen tap (${size})`;
        const lines = [
          { description: 'Kitchen mixer tap, chrome', quantity: '1', price: '189.99', tax: '8.25' },
          { description: 'Labour', quantity: '1.5', price: '95', tax: '' },
          { description: 'Call-out', quantity: '1', price: '45', tax: '' },
        ];
        const expected = computeQuote(
          [
            { description: 'a', quantity: '1', unitPrice: 18_999, taxRatePercent: '8.25' },
            { description: 'b', quantity: '1.5', unitPrice: 9_500, taxRatePercent: null },
            { description: 'c', quantity: '1', unitPrice: 4_500, taxRatePercent: null },
          ],
          { kind: 'percent', percent: '10' },
        );
        const undiscounted = computeQuote(
          [
            { description: 'a', quantity: '1', unitPrice: 18_999, taxRatePercent: '8.25' },
            { description: 'b', quantity: '1.5', unitPrice: 9_500, taxRatePercent: null },
            { description: 'c', quantity: '1', unitPrice: 4_500, taxRatePercent: null },
          ],
          null,
        );
        const usd = (minor: number) => plain(formatQuoteMoney(minor, 'USD', 'en-US'));

        // The desktop starts from the list and finds the client by typing; the phone starts from a
        // ticket, which fills in its client and itself.
        if (size === 'desktop') {
          await page.goto(`${appUrl}/quotes`);
          await heading(page, 'Quotes').waitFor();
          await page.getByRole('link', { name: 'New quote' }).click();
          await heading(page, 'New quote').waitFor();
          await page.getByRole('combobox', { name: 'Client' }).fill('Rivera');
          await page.getByRole('option', { name: /Rivera Household/ }).click();
          await page.getByLabel('Ticket (optional)').selectOption({ label: `#${world.tickets.tap!.number} Kitchen tap drips all night` });
        } else {
          await page.goto(`${appUrl}/tickets/${world.tickets.tap!.id}`);
          await heading(page, 'Kitchen tap drips all night').waitFor();
          await page.getByRole('link', { name: 'New quote for this ticket' }).click();
          await heading(page, 'New quote').waitFor();
          await expect.poll(() => page.getByLabel('Ticket (optional)').inputValue()).toBe(world.tickets.tap!.id);
        }
        await page.locator('.chip').getByText('Rivera Household').waitFor();
        // The organisation's default terms and a validity 30 days out are filled in.
        await expect.poll(() => page.getByLabel('Valid until').inputValue()).toMatch(/^\d{4}-\d{2}-\d{2}$/);

        await page.getByLabel('Title', { exact: true }).fill(title);
        for (const [index, line] of lines.entries()) {
          const n = index + 1;
          if (index > 0) {
            await page.getByRole('button', { name: 'Add line' }).click();
            // A new line takes the focus on its description.
            await expect
              .poll(() => page.evaluate(() => document.activeElement?.id))
              .toBe(await page.getByLabel(`Description, line ${n}`).getAttribute('id'));
          }
          await page.getByLabel(`Description, line ${n}`).fill(line.description);
          await page.getByLabel(`Quantity, line ${n}`).fill(line.quantity);
          await page.getByLabel(`Unit price (USD), line ${n}`).fill(line.price);
          if (line.tax) await page.getByLabel(`Tax rate %, line ${n}`).fill(line.tax);
        }
        const totals = page.locator('.quote-form__totals');
        await expect.poll(async () => plain((await totals.textContent()) ?? '')).toContain(`Total (preview)${usd(undiscounted.total)}`);
        await page.getByLabel('Percent', { exact: true }).check();
        await page.getByLabel('Percent off').fill('10');
        // The totals follow the typing, by the server's own rounding rule.
        await expect.poll(async () => plain((await totals.textContent()) ?? '')).toContain(`Total (preview)${usd(expected.total)}`);
        expect(plain((await totals.textContent()) ?? '')).toContain(`Subtotal${usd(expected.subtotal)}`);
        expect(plain((await totals.textContent()) ?? '')).toContain(`Discount−${usd(expected.discount)}`);
        expect(plain((await totals.textContent()) ?? '')).toContain(`Tax${usd(expected.tax)}`);
        // Keyboard: Alt+↓ in the first line's description moves it down, and the focus stays with it.
        await page.getByLabel('Description, line 1').focus();
        await page.keyboard.press('Alt+ArrowDown');
        await expect.poll(() => page.getByLabel('Description, line 2').inputValue()).toBe('Kitchen mixer tap, chrome');
        await expect
          .poll(() => page.evaluate(() => (document.activeElement as HTMLTextAreaElement | null)?.value))
          .toBe('Kitchen mixer tap, chrome');
        await page.getByRole('button', { name: 'Move line 2 up' }).click();
        await expect.poll(() => page.getByLabel('Description, line 1').inputValue()).toBe('Kitchen mixer tap, chrome');
        await checkPage(page, `${size} editor`);
        await shot(page, `${size}-1-editor`);

        await page.getByRole('button', { name: 'Save draft' }).click();
        await heading(page, title).waitFor();
        await page.locator('.quote-notice').getByText('Saved as a draft. Only the team sees it until it is sent.').waitFor();
        await page.locator('.quote-head').getByText('Draft', { exact: true }).waitFor();
        const quoteUrl = page.url();
        const quoteId = new URL(quoteUrl).pathname.split('/').pop()!;
        const number = ((await page.locator('.quote-head__number').textContent()) ?? '').split(' ')[0]!;
        expect(number).toMatch(/^Q-\d+$/);
        expect(plain((await page.locator('.quote-head__total').textContent()) ?? '')).toContain(usd(expected.total));
        await checkPage(page, `${size} draft`);
        await shot(page, `${size}-2-draft`);

        // Send: the client's contact gets an email with the total.
        const seen = await mailIdsOf(server.origin, world.jordan.email);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.locator('.quote-notice').getByText(`${number} was sent. The client gets it by email.`).waitFor();
        await page.locator('.quote-head').getByText('Sent', { exact: true }).waitFor();
        const mail = await waitForNewMail(server, world.jordan.email, seen);
        expect(plain(mail.text)).toContain(usd(expected.total));

        // The list, on the Sent tab, shows it as sent.
        await page.goto(`${appUrl}/quotes?status=sent`);
        await heading(page, 'Quotes').waitFor();
        const row = page.locator('.quotes-row').filter({ hasText: title });
        await row.waitFor();
        await row.getByText('Sent', { exact: true }).waitFor();
        expect(plain((await row.locator('.quotes-col-total').textContent()) ?? '')).toBe(usd(expected.total));
        await expect
          .poll(async () => Number(await page.locator('.status-tabs__tab[aria-current="page"] .status-tabs__count').textContent()))
          .toBeGreaterThan(0);
        await checkPage(page, `${size} list`);
        await shot(page, `${size}-3-list-sent`);

        // Revise the sent quote: the page says what saving does, and saving makes version 2.
        await row.locator('.quotes-row__title').click();
        await heading(page, title).waitFor();
        await page.getByRole('link', { name: 'Edit (new version)' }).click();
        await heading(page, `Edit ${number} v1`).waitFor();
        await page.getByText(/Saving creates version 2 and emails it to the recipients at once/).waitFor();
        await page.getByLabel('Quantity, line 2').fill('2');
        await checkPage(page, `${size} revise`);
        await shot(page, `${size}-4-revise`);
        const seenBeforeRevision = await mailIdsOf(server.origin, world.jordan.email);
        await page.getByRole('button', { name: 'Save version 2 and send' }).click();
        await page.locator('.quote-notice').getByText('Saved as version 2 and sent to the client.').waitFor();
        await page.locator('.quote-head__number').getByText('version 2').waitFor();
        const versions = page.getByRole('region', { name: 'Versions' });
        await versions.getByText('v2', { exact: true }).waitFor();
        await versions.getByText('v1', { exact: true }).waitFor();
        await versions.getByText('Current', { exact: true }).waitFor();
        expect(await versions.locator('.quote-version').count()).toBe(2);
        await waitForNewMail(server, world.jordan.email, seenBeforeRevision);
        await checkPage(page, `${size} detail`);
        await shot(page, `${size}-5-detail-v2`);
        // The PDF downloads with the session, as a PDF.
        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
        const pdf = await readFile((await download.path())!);
        expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');

        // Another quote: a duplicate, sent, then withdrawn after a confirmation.
        await page.getByRole('button', { name: 'Duplicate' }).click();
        await page.locator('.quote-notice').getByText(`A copy of ${number}, as a new draft.`).waitFor();
        await expect.poll(() => page.url()).not.toBe(quoteUrl);
        const copyNumber = ((await page.locator('.quote-head__number').textContent()) ?? '').split(' ')[0]!;
        expect(copyNumber).not.toBe(number);
        await page.getByRole('button', { name: 'Send', exact: true }).click();
        await page.locator('.quote-head').getByText('Sent', { exact: true }).waitFor();
        await page.getByRole('button', { name: 'Withdraw' }).click();
        const dialog = page.getByRole('dialog', { name: `Withdraw ${copyNumber}?` });
        await dialog.waitFor();
        await expectNoAxeViolations(page, `${size} withdraw dialog`);
        await shot(page, `${size}-6-withdraw`, { fullPage: false });
        await dialog.getByRole('button', { name: 'Withdraw quote' }).click();
        await page.locator('.quote-head').getByText('Withdrawn', { exact: true }).waitFor();
        await expect.poll(() => page.getByRole('button', { name: 'Withdraw' }).count()).toBe(0);
        await shot(page, `${size}-7-withdrawn`);

        // The first quote is untouched, and the client's page lists both.
        const stored = (await (await page.request.get(`${server.origin}/api/team/quotes/${quoteId}`)).json()) as {
          quote: { status: string; version: number };
        };
        expect(stored.quote).toMatchObject({ status: 'sent', version: 2 });
        await page.goto(`${appUrl}/clients/${world.jordan.clientId}`);
        await heading(page, 'Rivera Household').waitFor();
        const related = page.getByRole('region', { name: 'Quotes' });
        await related.getByText(title).first().waitFor();
        await expect.poll(() => related.locator('.related-quote').filter({ hasText: title }).count()).toBe(2);
        await shot(page, `${size}-8-client`);

        await page.goto(`${appUrl}/quotes`);
        await heading(page, 'Quotes').waitFor();
        await page.locator('.quotes-row').filter({ hasText: copyNumber }).getByText('Withdrawn').waitFor();
        await checkPage(page, `${size} list all`);
        await shot(page, `${size}-9-list-all`);
        expect(problems).toEqual([]);
        await context.close();
      },
      JOURNEY_TIMEOUT,
    );
  }

  it(
    'keeps the default terms that new quotes start with (owner, settings)',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP, ownerState);
      await page.goto(`${appUrl}/settings/organisation`);
      const terms = page.getByLabel('Default terms for new quotes');
      await terms.fill('Payment within 14 days of completion.');
      await page.getByRole('button', { name: 'Save terms' }).click();
      await page.getByText('Saved. New quotes start with these terms.').waitFor();
      await expectNoAxeViolations(page, 'settings');
      await shot(page, 'desktop-10-settings');
      await page.goto(`${appUrl}/quotes/new`);
      await heading(page, 'New quote').waitFor();
      await expect.poll(() => page.getByLabel('Terms', { exact: true }).inputValue()).toBe('Payment within 14 days of completion.');
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { TEAM_PASSWORD } from '../helpers/factories.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { JOURNEY_TIMEOUT } from './portal-journey.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE, saveShot } from './portal-page-checks.js';
import { type PortalQuotesWorld, QUOTES_ORG, seedPortalQuotes, type SentQuote } from './portal-quotes-seed.js';
import { drawWithMouse, drawWithTouch } from './signature-drawing.js';
import { expectTouchTargets } from './touch-targets.js';
import { signInToTeamApp } from './team-app-session.js';

/**
 * Customers and their quotes in a real Chromium against the real app: each opens the emailed
 * quote link (through the confirmation page), reads the quote, and accepts it with a signature
 * drawn by touch (phone) or with the mouse (desktop), declines it with a reason, or asks for
 * changes. The signed PDF is downloaded from the page and read back with pdftotext; its pages and
 * the pages' screenshots are kept in test-results/portal-quotes/ to be looked at.
 */
const SHOTS = path.resolve('test-results', 'portal-quotes');

describeWithBrowser('portal quotes in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let world: PortalQuotesWorld;
  let portalUrl: string;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    world = await seedPortalQuotes(server);
    portalUrl = `${server.origin}/portal/${world.tenant.slug}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const shot = (page: Page, name: string, options?: { fullPage?: boolean }) => saveShot(page, SHOTS, name, options);
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  /** Opens the emailed link, signs in on the confirmation page and lands on the quote. */
  async function openFromEmail(page: Page, quote: SentQuote): Promise<void> {
    expect(quote.mail.text).toContain(QUOTES_ORG);
    // The customer meets the organisation's brand only, in the email as on the pages.
    expect(`${quote.mail.subject}\n${quote.mail.text}\n${quote.mail.html}`).not.toMatch(/servelo/i);
    await page.goto(quote.link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await heading(page, quote.title).waitFor();
    expect(new URL(page.url()).pathname).toBe(`/portal/${world.tenant.slug}/quotes/${quote.id}`);
  }

  /** Downloads the PDF from the page's link, keeps its pages as pictures, and returns its text. */
  async function downloadPdf(page: Page, name: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    const file = path.join(SHOTS, `${name}.pdf`);
    await download.saveAs(file);
    for (const old of readdirSync(SHOTS).filter((f) => f.startsWith(`${name}-pdf-`))) rmSync(path.join(SHOTS, old));
    execFileSync('pdftoppm', ['-png', '-r', '60', file, path.join(SHOTS, `${name}-pdf`)]);
    expect(readdirSync(SHOTS).filter((f) => f.startsWith(`${name}-pdf-`)).length).toBeGreaterThan(0);
    const text = execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
    expect(text).toContain(QUOTES_ORG);
    expect(text).not.toMatch(/servelo/i);
    return text;
  }

  it(
    'Jordan opens the emailed quote on a phone, reads it, draws a signature with a finger and accepts; the PDF carries it',
    async () => {
      const { context, page, problems } = await openContext(browser, PHONE);
      const quote = world.tapQuote;
      await openFromEmail(page, quote);
      expect(await page.title()).toBe(`${quote.number} ${quote.title} · ${QUOTES_ORG}`);
      const head = page.locator('.quote-head');
      expect(await head.innerText()).toContain('$1,234.00');
      expect(await head.innerText()).toContain('May 12, 2099');
      await head.getByRole('link', { name: `#${world.ticket.number} Leaking kitchen tap` }).waitFor();
      await page.getByRole('link', { name: 'Quotes', exact: true }).waitFor();
      // The document: the organisation's letterhead, three lines, the totals and the terms.
      const doc = page.locator('.quote-doc');
      expect(await doc.innerText()).toContain(QUOTES_ORG);
      expect(await doc.locator('tbody tr').count()).toBe(3);
      expect(await doc.locator('.quote-totals').innerText()).toMatch(/Subtotal\s+\$1,232\.00\s+Tax\s+\$2\.00\s+Total\s+\$1,234\.00/);
      expect(await doc.innerText()).toContain('Payment within 14 days of completion.');
      expect(await page.content()).not.toMatch(/servelo/i);
      await expectNoHorizontalScroll(page, 'quote (phone)');
      await expectNoAxeViolations(page, 'quote view (phone)');
      await expectTouchTargets(page, 'quote view (phone)');
      await shot(page, 'phone-1-quote');

      // Nothing signed or ticked: each problem is said next to its control.
      const accept = page.getByRole('button', { name: 'Accept quote' });
      await accept.click();
      const pad = page.getByRole('img', { name: /Signature drawing area/ });
      await expect.poll(() => pad.getAttribute('aria-invalid')).toBe('true');
      expect(await page.locator('.signature').innerText()).toContain('Draw your signature in the box');
      const confirm = page.getByRole('checkbox', { name: 'I accept quote ' + quote.number + ' (v1) for $1,234.00' });
      expect(await confirm.getAttribute('aria-invalid')).toBe('true');
      expect(await pad.evaluate((el) => el === document.activeElement)).toBe(true);
      await expectNoAxeViolations(page, 'accept form with errors (phone)');
      await shot(page, 'phone-2-accept-errors');

      // The signer is the signed-in contact; a finger draws the signature.
      expect(await page.getByLabel('Your full name').inputValue()).toBe('Jordan Rivera');
      await drawWithTouch(page, pad);
      await expect.poll(() => pad.getAttribute('aria-label')).toBe('Signature drawing area, signed');
      await page.getByRole('button', { name: 'Clear' }).waitFor();
      // Turning the phone sideways keeps the drawing.
      await page.setViewportSize({ width: 812, height: 375 });
      await page.setViewportSize({ width: 375, height: 812 });
      expect(await pad.evaluate((c) => (c as HTMLCanvasElement).toDataURL().length)).toBeGreaterThan(2_000);
      await confirm.check();
      await expectNoAxeViolations(page, 'accept form filled (phone)');
      await shot(page, 'phone-3-accept-filled');
      await accept.click();

      const accepted = page.getByRole('heading', { level: 2, name: 'Accepted' });
      await accepted.waitFor();
      expect(await page.locator('.quote-head .badge').innerText()).toBe('Accepted');
      const outcome = page.locator('.outcome--accepted');
      expect(await outcome.innerText()).toContain('Jordan Rivera');
      expect(await outcome.innerText()).toContain('Version 1');
      const hash = (await page.getByTestId('content-hash').textContent()) ?? '';
      expect(hash).toMatch(/^[0-9a-f]{64}$/);
      expect(await outcome.locator('.outcome__hash-short').innerText()).toBe(`${hash.slice(0, 8)}…${hash.slice(-8)}`);
      expect(await page.getByRole('button', { name: 'Accept quote' }).count()).toBe(0);
      await expectNoAxeViolations(page, 'accepted quote (phone)');
      await expectTouchTargets(page, 'accepted quote (phone)');
      await shot(page, 'phone-4-accepted');

      const pdf = await downloadPdf(page, 'tap-quote');
      expect(pdf).toContain('Jordan Rivera');
      expect(pdf).toContain('$1,234.00');
      expect(pdf.replace(/\s+/g, '')).toContain(hash);

      // The ticket lists the quote, as a link to it.
      await page.goto(`${portalUrl}/tickets/${world.ticket.id}`);
      await page.getByRole('link', { name: quote.title }).click();
      await heading(page, quote.title).waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'Jordan accepts another quote on a desktop, drawing with the mouse, and finds both on the Quotes page',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP);
      const quote = world.fanQuote;
      await openFromEmail(page, quote);
      expect(await page.locator('.quote-totals').innerText()).toMatch(/Discount \(10%\)\s+-\$18\.90/);
      expect(await page.locator('.quote-totals').innerText()).toContain('$184.13');
      await expectNoAxeViolations(page, 'quote view (desktop)');
      await shot(page, 'desktop-1-quote');

      // Typing the name is the keyboard's way to sign: it must match the signer's name.
      await page.getByRole('radio', { name: 'Type your name' }).check();
      await page.getByLabel('Type your full name').fill('J. Rivera');
      await page.getByRole('button', { name: 'Accept quote' }).click();
      await page.getByText('Type your name exactly as in “Your full name” above.').waitFor();
      await expectNoAxeViolations(page, 'accept form, typed signature with an error (desktop)');
      await shot(page, 'desktop-2-typed-error');

      await page.getByRole('radio', { name: 'Draw' }).check();
      await drawWithMouse(page, page.getByRole('img', { name: /Signature drawing area/ }));
      // The keyboard confirms and sends: Space ticks the sentence, Tab reaches the button, Enter accepts.
      const confirm = page.getByRole('checkbox', { name: /^I accept quote Q-\d+ \(v1\) for \$184\.13$/ });
      await confirm.focus();
      await page.keyboard.press('Space');
      expect(await confirm.isChecked()).toBe(true);
      await shot(page, 'desktop-3-accept-filled');
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => document.activeElement?.textContent?.trim())).toBe('Accept quote');
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { level: 2, name: 'Accepted' }).waitFor();
      await shot(page, 'desktop-4-accepted');
      const hash = (await page.getByTestId('content-hash').textContent()) ?? '';
      const pdf = await downloadPdf(page, 'fan-quote');
      expect(pdf).toContain('Jordan Rivera');
      expect(pdf).toContain('$184.13');
      expect(pdf.replace(/\s+/g, '')).toContain(hash);

      // The Quotes page: nothing waits any more; Accepted lists both.
      await page.getByRole('link', { name: 'Quotes', exact: true }).click();
      await heading(page, 'Your quotes').waitFor();
      await page.getByText('No quotes waiting for you').waitFor();
      await page.getByRole('link', { name: 'Accepted', exact: true }).click();
      await expect.poll(() => page.locator('.quote-card').count()).toBe(2);
      expect(await page.getByRole('link', { name: 'Accepted', exact: true }).getAttribute('aria-current')).toBe('page');
      expect(await page.locator('.quote-card').first().innerText()).toMatch(/Accepted/);
      await expectNoAxeViolations(page, 'quotes page (desktop)');
      await shot(page, 'desktop-5-quotes');
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'Casey declines a quote with a reason and asks for changes to another (phone)',
    async () => {
      const { context, page, problems } = await openContext(browser, PHONE);
      await openFromEmail(page, world.softenerQuote);
      const declineButton = page.getByRole('button', { name: 'Decline quote' });
      const dialog = page.getByRole('dialog', { name: `Decline quote ${world.softenerQuote.number}?` });
      // Escape closes the dialog without declining, and the focus returns to the button.
      await declineButton.click();
      await dialog.waitFor();
      await page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      expect(await declineButton.evaluate((el) => el === document.activeElement)).toBe(true);
      await declineButton.click();
      await dialog.waitFor();
      await dialog.getByLabel('Reason (optional)').fill('We found a cheaper softener.');
      await expectNoAxeViolations(page, 'decline dialog (phone)');
      await shot(page, 'phone-5-decline-dialog', { fullPage: false });
      await dialog.getByRole('button', { name: 'Decline quote' }).click();
      await page.getByRole('heading', { level: 2, name: 'Declined' }).waitFor();
      expect(await page.locator('.outcome--declined').innerText()).toContain('We found a cheaper softener.');
      expect(await page.locator('.quote-head .badge').innerText()).toBe('Declined');
      await shot(page, 'phone-6-declined');

      // The quotes page on a phone: Casey still has one waiting.
      await page.getByRole('link', { name: 'Quotes', exact: true }).click();
      await heading(page, 'Your quotes').waitFor();
      await expect.poll(() => page.locator('.quote-card').count()).toBe(1);
      expect(await page.locator('.quote-card').innerText()).toContain(world.outdoorQuote.title);
      expect(await page.locator('.quote-card').innerText()).toContain('$120.00');
      // Casey sees the quotes sent to Casey, not Jordan's (the household's contacts each see their own).
      await page.getByRole('link', { name: 'All', exact: true }).click();
      await expect.poll(() => page.locator('.quote-card').count()).toBe(2);
      await page.getByRole('link', { name: 'Waiting for you', exact: true }).click();
      await expect.poll(() => page.locator('.quote-card').count()).toBe(1);
      // Jordan's quote is not Casey's to see: the page says so, without telling anything about it.
      await page.goto(`${portalUrl}/quotes/${world.tapQuote.id}`);
      await page.getByRole('heading', { name: 'Quote not found' }).waitFor();
      expect(await page.content()).not.toContain(world.tapQuote.title);
      await expectNoAxeViolations(page, 'quote not found (phone)');
      await shot(page, 'phone-7b-not-found');
      await page.getByRole('link', { name: 'Back to your quotes' }).click();
      await heading(page, 'Your quotes').waitFor();
      await expectNoHorizontalScroll(page, 'quotes (phone)');
      await expectNoAxeViolations(page, 'quotes page (phone)');
      await expectTouchTargets(page, 'quotes page (phone)');
      await shot(page, 'phone-7-quotes');

      // Asking for changes posts the message on a request (opened for it) and links there.
      await page.getByRole('link', { name: new RegExp(world.outdoorQuote.title) }).click();
      await heading(page, world.outdoorQuote.title).waitFor();
      await page.getByRole('button', { name: 'Ask for changes' }).click();
      await page.getByLabel('What would you like changed?').fill('Could you fit it on the north wall instead?');
      await page.getByRole('button', { name: 'Send request' }).click();
      const follow = page.getByRole('link', { name: /^Follow it on/ });
      await follow.waitFor();
      expect(await page.locator('.quote-head .badge').innerText()).toBe('Changes requested');
      await shot(page, 'phone-8-changes-requested');
      await follow.click();
      await page.getByText('Could you fit it on the north wall instead?').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'the team sees who viewed and accepted (desktop) and who declined and why (phone)',
    async () => {
      const teamState = await signInToTeamApp(browser, `${server.origin}/app`, world.teamEmail, TEAM_PASSWORD);
      const desktop = await openContext(browser, DESKTOP, teamState);
      await desktop.page.goto(`${server.origin}/app/quotes/${world.tapQuote.id}`);
      await heading(desktop.page, world.tapQuote.title).waitFor();
      await desktop.page.locator('.quote-head').getByText('Accepted', { exact: true }).waitFor();
      const acceptance = desktop.page.getByRole('region', { name: 'Accepted' });
      expect(await acceptance.innerText()).toContain('Jordan Rivera');
      expect(await acceptance.innerText()).toMatch(/[0-9a-f]{64}/);
      expect(await desktop.page.locator('.facts').first().innerText()).toContain('First viewed by Jordan Rivera');
      await expectNoAxeViolations(desktop.page, 'team quote, accepted (desktop)');
      await shot(desktop.page, 'team-desktop-accepted');
      expect(desktop.problems).toEqual([]);
      await desktop.context.close();

      const phone = await openContext(browser, PHONE, teamState);
      await phone.page.goto(`${server.origin}/app/quotes/${world.softenerQuote.id}`);
      await heading(phone.page, world.softenerQuote.title).waitFor();
      const decline = phone.page.getByRole('region', { name: 'Declined' });
      await decline.waitFor();
      expect(await decline.innerText()).toContain('Casey Rivera');
      expect(await decline.innerText()).toContain('We found a cheaper softener.');
      await expectNoHorizontalScroll(phone.page, 'team quote, declined (phone)');
      await expectNoAxeViolations(phone.page, 'team quote, declined (phone)');
      await expectTouchTargets(phone.page, 'team quote, declined (phone)');
      await shot(phone.page, 'team-phone-declined');
      expect(phone.problems).toEqual([]);
      await phone.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

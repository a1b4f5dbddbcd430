import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { findContactById } from '../../src/features/clients/client.service.js';
import { deriveUnsubscribeToken } from '../../src/features/notifications/customer-unsubscribe.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE } from './portal-page-checks.js';

/** The unsubscribe link of a customer email, opened in a real Chromium: the confirm page, its button, the answer. */
describeWithBrowser('portal unsubscribe page in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let g: TenantGraph;

  beforeAll(async () => {
    server = await startE2eServer();
    browser = await launchChromium();
    g = await createTenantGraph(server.deps, { name: 'Harbour & Sons Plumbing' });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const linkOf = (token: string) => `${server.origin}/portal/${g.tenant.slug}/unsubscribe?token=${encodeURIComponent(token)}`;

  it('asks, then stops the emails with one button; readable and axe-clean on a phone and a desktop', async () => {
    const link = linkOf(deriveUnsubscribeToken(server.deps.appSecret, g.tenant.id, g.contact.id));
    // The phone asks and unsubscribes; the desktop, opened after, says they are already off.
    for (const [label, options, title] of [
      ['phone', PHONE, 'Stop emails about your requests?'],
      ['desktop', DESKTOP, 'These emails are already off'],
    ] as const) {
      const { context, page, problems } = await openContext(browser, options);
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      expect(await page.title()).toContain('Harbour & Sons Plumbing');
      expect(await page.content()).not.toContain('Servelo');
      await expectNoAxeViolations(page, `unsubscribe confirm (${label})`);
      await expectNoHorizontalScroll(page, `unsubscribe confirm (${label})`);
      if (label === 'phone') {
        await page.getByRole('button', { name: 'Stop these emails' }).click();
        await page.getByRole('heading', { level: 1, name: 'You will no longer get these emails' }).waitFor();
        await expectNoAxeViolations(page, `unsubscribe done (${label})`);
        const contact = await findContactById(forTenant(server.deps.db, g.tenant.id), g.contact.id);
        expect(contact?.emailUpdatesOffAt).not.toBeNull();
      }
      expect(problems).toEqual([]);
      await context.close();
    }
  }, 60_000);

  it('answers a forged link with a page saying it is not valid, also axe-clean', async () => {
    const { context, page } = await openContext(browser, PHONE);
    const response = await page.goto(linkOf(`${g.contact.id}.${'A'.repeat(43)}`));
    expect(response?.status()).toBe(400);
    await page.getByRole('heading', { level: 1, name: 'This link is not valid' }).waitFor();
    await expectNoAxeViolations(page, 'unsubscribe invalid');
    await context.close();
  }, 60_000);
});

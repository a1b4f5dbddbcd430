import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { startDnsServer, type TestDnsServer } from '../helpers/dns-server.js';
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
 * Settings → Portal → Custom domain in a real Chromium at 1280×800 and 375×812: the owner claims a
 * name and walks it through every state by changing the records of a real DNS server on loopback
 * and pressing Check now — waiting for DNS, failed, verified, certificate pending, active, lapsed,
 * active again — then removes it through the confirm dialog, by keyboard. The operator's approval
 * and the certificate are written to the database as the operator console and the certificate
 * worker would. Axe, no sideways scrolling, touch targets on the phone; screenshots under
 * test-results/team-custom-domain/.
 */
const SHOTS = path.resolve('test-results', 'team-custom-domain');
const TARGET = 'portal.e2e-servelo.example';
const TARGET_ADDRESS = '203.0.113.10';
const SIZES = [
  ['desktop', DESKTOP],
  ['phone', PHONE],
] as const;

describeWithBrowser('the team’s custom domain settings in Chromium', () => {
  let server: E2eServer;
  let dns: TestDnsServer;
  let browser: Browser;
  let world: TeamAppWorld;
  let appUrl: string;
  let ownerState: StorageState;
  // "Check now" is allowed once per 10 s: the server's clock follows real time, shifted ahead by the test.
  let shift = 0;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    dns = await startDnsServer({ [TARGET]: { a: [TARGET_ADDRESS] } });
    server = await startE2eServer({
      env: { DNS_SERVERS: dns.address, PORTAL_CNAME_TARGET: TARGET },
      clock: { now: () => new Date(Date.now() + shift) },
    });
    world = await seedTeamApp(server);
    appUrl = `${server.origin}/app`;
    browser = await launchChromium();
    ownerState = await signInToTeamApp(browser, appUrl, world.ownerEmail);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await dns?.close();
  });

  const card = (page: Page) => page.getByRole('region', { name: 'Custom domain' });
  const badge = (page: Page) => card(page).getByTestId('domain-status');

  async function checkNow(page: Page, expected: string): Promise<void> {
    shift += 11_000;
    await card(page).getByRole('button', { name: 'Check now' }).click();
    await expect.poll(() => badge(page).innerText(), { timeout: 15_000 }).toBe(expected.toUpperCase());
  }

  async function look(page: Page, size: string, state: string): Promise<void> {
    await expectNoHorizontalScroll(page, `${size} ${state}`);
    await expectNoAxeViolations(page, `${size} ${state}`);
    if (size === 'phone') await expectTouchTargets(page, `${size} ${state}`);
    await saveShot(page, SHOTS, `${size}-${state}`);
  }

  /** What the operator console and the certificate worker do, written as they would write it. */
  async function domainRow(host: string) {
    return server.deps.db.selectFrom('custom_domain').selectAll().where('host', '=', host).executeTakeFirstOrThrow();
  }

  for (const [size, viewport] of SIZES) {
    it(`walks a domain through every state and removes it (${size})`, async () => {
      const host = `support-${size}.harbor-e2e.example`;
      const { context, page, problems } = await openContext(browser, viewport, ownerState);
      try {
        await page.goto(`${appUrl}/settings/portal`);
        await card(page).waitFor();
        await look(page, size, '0-empty');

        // A name that cannot be claimed: the field says why.
        const field = card(page).getByLabel('Domain name');
        await field.fill('co.uk');
        await field.press('Enter');
        await expect.poll(() => card(page).innerText()).toContain('public suffix');
        await expect.poll(() => field.evaluate((el) => el === document.activeElement)).toBe(true);

        // Claimed by keyboard.
        await field.fill(host.toUpperCase());
        await field.press('Enter');
        await expect.poll(() => badge(page).innerText()).toBe('WAITING FOR DNS');
        const cnameValue = await card(page).getByRole('textbox', { name: 'CNAME Value' }).inputValue();
        expect(cnameValue).toBe(TARGET);
        expect(await card(page).getByRole('textbox', { name: 'CNAME Name' }).inputValue()).toBe(host);
        expect(await card(page).getByRole('textbox', { name: 'TXT Name' }).inputValue()).toBe(`_servelo-challenge.${host}`);
        const token = await card(page).getByRole('textbox', { name: 'TXT Value' }).inputValue();
        expect(token).toMatch(/^[A-Za-z0-9_-]{32}$/);
        await expect.poll(() => card(page).innerText()).toContain('browsers warn');
        await look(page, size, '1-waiting');

        await checkNow(page, 'Waiting for DNS');
        await expect.poll(() => card(page).getByTestId('domain-reason').innerText()).toContain(`${host} does not exist in DNS yet`);

        // Seven days without proof (the wait began long ago): failed.
        const since = new Date(Date.now() + shift - 8 * 86_400_000).toISOString();
        await server.deps.db.updateTable('custom_domain').set({ pending_since: since }).where('host', '=', host).execute();
        await checkNow(page, 'Failed');
        await expect.poll(() => card(page).getByTestId('domain-reason').innerText()).toContain('We found no proof within 7 days.');
        await look(page, size, '2-failed');

        // The records appear: verified, waiting for the operator.
        dns.set(host, { cname: TARGET });
        dns.set(`_servelo-challenge.${host}`, { txt: [token] });
        await checkNow(page, 'Verified');
        await expect.poll(() => card(page).innerText()).toContain('the operator of this service issues it');
        await look(page, size, '3-verified');

        // The operator issues: certificate pending.
        const now = new Date(Date.now() + shift).toISOString();
        await server.deps.db.updateTable('custom_domain').set({ status: 'issuing', approved_at: now }).where('host', '=', host).execute();
        await page.reload();
        await expect.poll(() => badge(page).innerText()).toBe('CERTIFICATE PENDING');
        await look(page, size, '4-issuing');

        // The certificate arrives: active.
        const row = await domainRow(host);
        await server.deps.db
          .insertInto('domain_certificate')
          .values({
            id: `cert-${row.id}`,
            tenant_id: row.tenant_id,
            domain_id: row.id,
            host,
            source: 'acme',
            status: 'active',
            cert_ciphertext: 'x',
            key_ciphertext: 'x',
            issuer: 'Pebble Intermediate CA',
            serial: '01',
            fingerprint: 'ff',
            not_before: now,
            not_after: new Date(Date.now() + shift + 90 * 86_400_000).toISOString(),
            created_at: now,
          })
          .execute();
        await server.deps.db
          .updateTable('custom_domain')
          .set({ status: 'active', activated_at: now, status_reason: null })
          .where('host', '=', host)
          .execute();
        await page.reload();
        await expect.poll(() => badge(page).innerText()).toBe('ACTIVE');
        await expect
          .poll(() =>
            card(page)
              .getByRole('link', { name: `https://${host}` })
              .count(),
          )
          .toBe(1);
        await expect.poll(() => card(page).innerText()).toContain('Certificate from Pebble Intermediate CA');
        await look(page, size, '5-active');

        // DNS moves away: lapsed, with what the name resolves to now.
        dns.set('elsewhere.example.net', { a: ['198.51.100.20'] });
        dns.set(host, { cname: 'elsewhere.example.net' });
        dns.set(`_servelo-challenge.${host}`, undefined);
        await checkNow(page, 'Lapsed');
        await expect
          .poll(() => card(page).getByTestId('domain-reason').innerText())
          .toContain(`${host} points to elsewhere.example.net, not ${TARGET}.`);
        await expect.poll(() => card(page).innerText()).toContain('198.51.100.20');
        await look(page, size, '6-lapsed');

        // Fixed: active again (the TXT record is no longer needed).
        dns.set(host, { cname: TARGET });
        await checkNow(page, 'Active');

        // Too soon for another check: said in words.
        await card(page).getByRole('button', { name: 'Check now' }).click();
        await expect.poll(() => card(page).getByRole('alert').innerText()).toContain('DNS was checked a moment ago');

        // Remove, by keyboard: Escape keeps it, Enter on "Remove domain" removes it.
        const remove = card(page).getByRole('button', { name: 'Remove', exact: true });
        await remove.focus();
        await page.keyboard.press('Enter');
        const dialog = page.getByRole('dialog', { name: `Remove ${host}?` });
        await dialog.waitFor();
        await saveShot(page, SHOTS, `${size}-7-remove`, { fullPage: false });
        await expectNoAxeViolations(page, `${size} remove dialog`);
        await page.keyboard.press('Escape');
        await dialog.waitFor({ state: 'detached' });
        expect(await badge(page).innerText()).toBe('ACTIVE');
        await remove.click();
        await dialog.getByRole('button', { name: 'Remove domain' }).focus();
        await page.keyboard.press('Enter');
        await dialog.waitFor({ state: 'detached' });
        await card(page).getByLabel('Domain name').waitFor();
        expect(await server.deps.db.selectFrom('custom_domain').select('id').where('host', '=', host).execute()).toEqual([]);
        expect(problems.filter((p) => !p.includes('429'))).toEqual([]);
      } finally {
        await context.close();
      }
    }, 120_000);
  }
});

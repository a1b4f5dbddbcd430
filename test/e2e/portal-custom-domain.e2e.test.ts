import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { CHROMIUM_LAUNCH_OPTIONS, describeWithBrowser, runAxe } from '../helpers/browser.js';
import { insertCustomDomain } from '../helpers/custom-domains.js';
import { openContactTicket } from '../helpers/factories.js';
import { type E2eServer, mailIdsOf, readSignInMail, startE2eServer, waitForNewMail } from './e2e-server.js';

/**
 * A customer signs in on the organisation's custom domain in Chromium: the browser resolves the
 * domain to 127.0.0.1 (`--host-resolver-rules`), the portal is served at the root of the domain
 * (base path ''), the emailed link names the domain, and the signed-in pages stay on it.
 */
const SHOTS = path.resolve('test-results', 'portal-custom-domain');
const DOMAIN = 'support.acme.test';
const ORG_NAME = 'Acme Boiler Service';
const MOBILE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;

describeWithBrowser('the portal on a custom domain in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let tenant: Tenant;
  let contact: Contact;
  /** The domain with the test server's port: Chromium maps the name, not the port. */
  let domainOrigin: string;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    const ctx = { db: server.deps.db, clock: server.deps.clock };
    tenant = await createTenant(ctx, { slug: 'acme-boilers', name: ORG_NAME, accentColor: '#9a3412' });
    const client = await createClient(ctx, tenant.id, { name: 'Okafor Household' });
    contact = await addContact(ctx, tenant.id, client.id, { name: 'Ada Okafor', email: 'ada@okafor.example.com' });
    await openContactTicket(ctx, contact, { title: 'Boiler pressure keeps dropping', body: 'It loses a bar a day.' });
    await insertCustomDomain(ctx, tenant.id, DOMAIN, { status: 'active', approvedAt: ctx.clock.now() });
    await server.app.hostRouter.refresh();
    domainOrigin = `http://${DOMAIN}:${new URL(server.origin).port}`;
    browser = await chromium.launch({
      ...CHROMIUM_LAUNCH_OPTIONS,
      args: [...(CHROMIUM_LAUNCH_OPTIONS.args ?? []), `--host-resolver-rules=MAP ${DOMAIN} 127.0.0.1`],
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it('signs in on the domain with the emailed link and sees the tickets there, at phone and desktop size', async () => {
    const context = await browser.newContext(MOBILE);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));

    await page.goto(`${domainOrigin}/`);
    await page.getByLabel('Email address').fill(contact.email);
    const seen = await mailIdsOf(server.origin, contact.email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    expect(new URL(page.url()).host).toBe(new URL(domainOrigin).host);

    const { link } = readSignInMail(await waitForNewMail(server, contact.email, seen));
    // The link is the tenant's canonical URL: its domain (on the default port in production).
    expect(link.startsWith(`http://${DOMAIN}/auth/confirm#token=`)).toBe(true);
    await page.goto(link.replace(`http://${DOMAIN}`, domainOrigin));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
    await page.getByText('Boiler pressure keeps dropping').waitFor();
    // Still on the domain, at its root: never sent away to the platform host.
    expect(new URL(page.url()).host).toBe(new URL(domainOrigin).host);
    expect(new URL(page.url()).pathname).toBe('/');
    const cookies = await context.cookies();
    const session = cookies.find((c) => c.name === 'sid');
    expect(session?.domain).toBe(DOMAIN);
    expect(await page.evaluate(() => document.cookie)).toBe('');

    const violations = await runAxe(page);
    expect(violations, JSON.stringify(violations, null, 2)).toEqual([]);
    await page.screenshot({ path: path.join(SHOTS, 'mobile-signed-in.png'), fullPage: true });

    await page.getByText('Boiler pressure keeps dropping').click();
    await page.getByRole('heading', { level: 1, name: 'Boiler pressure keeps dropping' }).waitFor();
    expect(new URL(page.url()).pathname).toMatch(/^\/tickets\//);

    const desktop = await browser.newContext({ ...DESKTOP, storageState: await context.storageState() });
    const desktopPage = await desktop.newPage();
    await desktopPage.goto(`${domainOrigin}/`);
    await desktopPage.getByText('Boiler pressure keeps dropping').waitFor();
    await desktopPage.screenshot({ path: path.join(SHOTS, 'desktop-signed-in.png'), fullPage: true });
    // The same browser on the platform host's address of the portal has no session there (host-only cookie).
    await desktopPage.goto(`${server.origin}/portal/${tenant.slug}`);
    await desktopPage.getByLabel('Email address').waitFor();

    expect(problems).toEqual([]);
    await desktop.close();
    await context.close();
  }, 180_000);
});

import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { insertDomain, makeCertificate, uniqueHost } from '../helpers/domain-certs.js';
import { createTenantGraph } from '../helpers/factories.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE, saveShot } from './portal-page-checks.js';

/**
 * The operator console's Domains page in a real Chromium (no ACME configured: a proxy issues on
 * demand): the queue of verified domains waiting for a certificate, Issue (the domain goes active
 * and the TLS ask endpoint then allows it), an upload refused with the reason shown, a good upload,
 * and revoking with a reason; at phone and desktop widths, axe-clean, no sideways scrolling.
 */
const SHOTS = path.resolve('test-results', 'operator-domains');
const JOURNEY_TIMEOUT = 180_000;
const EMAIL = 'olga@ops.example.com';
const PASSWORD = 'operator console passphrase';

describeWithBrowser('operator console: domains in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let queuedHost: string;
  let uploadHost: string;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    await addOperator(server.deps, { email: EMAIL, name: 'Olga Ops', password: PASSWORD }, server.config.teamAuth.argon2);
    const harbor = await createTenantGraph(server.deps, { name: 'Harbor Heating' });
    const zephyr = await createTenantGraph(server.deps, { name: 'Zephyr Plumbing' });
    queuedHost = uniqueHost('support');
    uploadHost = uniqueHost('help');
    await insertDomain(server.deps, harbor.tenant.id, queuedHost, { status: 'verified' });
    await insertDomain(server.deps, zephyr.tenant.id, uploadHost, { status: 'verified' });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const card = (page: Page, host: string) => page.getByRole('listitem').filter({ has: page.getByRole('heading', { name: host }) });
  const ask = async (host: string) =>
    (await server.app.inject({ url: `/internal/tls/ask?domain=${host}`, headers: { host: '127.0.0.1' }, remoteAddress: '127.0.0.1' }))
      .statusCode;

  it(
    'issues a queued domain, refuses a wrong upload with its reason, takes a right one and revokes it',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP);
      // Signed in over the API in the browser's own context (the console's sign-in has its own journey).
      const api = (route: string, data: object) =>
        context.request.post(`${server.origin}/api/operator/${route}`, { data, headers: { origin: server.origin } });
      expect((await api('auth/sign-in', { email: EMAIL, password: PASSWORD })).status()).toBe(200);
      const { secret } = (await (await api('auth/totp/setup', {})).json()) as { secret: string };
      const code = totpCode(fromBase32(secret), totpStepAt(new Date()));
      expect((await api('auth/totp/confirm', { code })).status()).toBe(200);
      await page.goto(`${server.origin}/operator/domains`);
      await heading(page, 'Domains').waitFor();
      const queued = card(page, queuedHost);
      await queued.getByText('Verified').waitFor();
      await queued.getByRole('link', { name: 'Harbor Heating' }).waitFor();
      await expectNoAxeViolations(page, 'domains queue');
      await saveShot(page, SHOTS, 'desktop-1-queue');

      expect(await ask(queuedHost)).toBe(404);
      await queued.getByRole('button', { name: 'Issue certificate' }).click();
      // Issued: it leaves the queue; the proxy may now get its certificate.
      await expect.poll(() => card(page, queuedHost).count()).toBe(0);
      expect(await ask(queuedHost)).toBe(200);
      await page.getByRole('link', { name: /^Active/ }).click();
      await card(page, queuedHost).getByText('Active').waitFor();

      await page.getByRole('link', { name: /^Waiting for a certificate/ }).click();
      const upload = card(page, uploadHost);
      await upload.getByRole('button', { name: 'Upload certificate…' }).click();
      const dialog = page.getByRole('dialog', { name: `Upload a certificate for ${uploadHost}` });
      const wrong = makeCertificate({ names: ['someone-else.example'] });
      await dialog.getByLabel(/Certificate chain/).fill(wrong.certPem);
      await dialog.getByLabel('Private key (PEM)').fill(wrong.keyPem);
      await dialog.getByRole('button', { name: 'Upload' }).click();
      await dialog.getByText(`This certificate is not valid for ${uploadHost}.`).waitFor();
      await expectNoAxeViolations(page, 'upload dialog');
      await saveShot(page, SHOTS, 'desktop-2-upload-refused', { fullPage: false });
      const right = makeCertificate({ names: [uploadHost] });
      await dialog.getByLabel(/Certificate chain/).fill(right.certPem);
      await dialog.getByLabel('Private key (PEM)').fill(right.keyPem);
      await dialog.getByRole('button', { name: 'Upload' }).click();
      await expect.poll(() => dialog.count()).toBe(0);

      await page.getByRole('link', { name: /^Active/ }).click();
      const active = card(page, uploadHost);
      await active.getByText(/Uploaded ·/).waitFor();
      await saveShot(page, SHOTS, 'desktop-3-active');
      await active.getByRole('button', { name: 'Revoke…' }).click();
      const revoke = page.getByRole('dialog', { name: `Revoke the certificate of ${uploadHost}?` });
      await revoke.getByLabel(/Why/).fill('Key leaked');
      await page.keyboard.press('Enter');
      await expect.poll(() => card(page, uploadHost).count()).toBe(0);
      expect(problems).toEqual([]);
      const state = await context.storageState();
      await context.close();

      const phone = await openContext(browser, PHONE, state);
      await phone.page.goto(`${server.origin}/operator/domains?filter=all`);
      await heading(phone.page, 'Domains').waitFor();
      await card(phone.page, uploadHost).getByText('Verified').waitFor();
      await expectNoAxeViolations(phone.page, 'domains on a phone');
      await expectNoHorizontalScroll(phone.page, 'domains on a phone');
      await saveShot(phone.page, SHOTS, 'phone-1-all');
      expect(phone.problems).toEqual([]);
      await phone.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

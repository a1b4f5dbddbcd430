import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { createTenantGraph } from '../helpers/factories.js';
import { type E2eServer, startE2eServer } from './e2e-server.js';
import { DESKTOP, expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE, saveShot } from './portal-page-checks.js';

/**
 * The operator console in a real Chromium: first sign-in enrols the authenticator (the code
 * computed from the secret the page shows), the organisations list with search, suspending (the
 * dialog says what happens; the portal then answers "not found") and resuming, the settings
 * switch, and sign-out; the pages at phone and desktop widths, axe-clean.
 */
const SHOTS = path.resolve('test-results', 'operator-console');
const JOURNEY_TIMEOUT = 180_000;
const EMAIL = 'olga@ops.example.com';
const PASSWORD = 'operator console passphrase';

describeWithBrowser('operator console in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let slug: string;

  beforeAll(async () => {
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    await addOperator(server.deps, { email: EMAIL, name: 'Olga Ops', password: PASSWORD }, server.config.teamAuth.argon2);
    await createTenantGraph(server.deps, { name: 'Harbor Heating' });
    slug = (await createTenantGraph(server.deps, { name: 'Zephyr Plumbing' })).tenant.slug;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });
  const codeNow = (secret: string, offset = 0) => totpCode(fromBase32(secret), totpStepAt(new Date()) + offset);

  it(
    'enrols TOTP at the first sign-in, then lists, searches, suspends and resumes organisations and flips a setting',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP);
      await page.goto(`${server.origin}/operator`);
      await heading(page, 'Operator sign-in').waitFor();
      await expectNoAxeViolations(page, 'sign-in');
      await saveShot(page, SHOTS, 'desktop-1-sign-in');
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();

      await heading(page, 'Set up two-step sign-in').waitFor();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      const secret = ((await page.locator('.totp-setup__secret').textContent()) ?? '').trim();
      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      // Nothing else is reachable before enrolment.
      expect((await page.request.get(`${server.origin}/api/operator/tenants`)).status()).toBe(403);
      await expectNoAxeViolations(page, 'enrol');
      await saveShot(page, SHOTS, 'desktop-2-enrol');
      await page.getByLabel('Code from the app').fill(codeNow(secret, 5));
      await page.getByRole('button', { name: 'Turn on and continue' }).click();
      await page.getByText(/That code is not valid/).waitFor();
      await page.getByLabel('Code from the app').fill(codeNow(secret));
      await page.getByRole('button', { name: 'Turn on and continue' }).click();
      const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
      await expect.poll(() => codes.count()).toBe(10);
      await page.getByRole('button', { name: 'I have saved them' }).click();

      await heading(page, 'Organisations').waitFor();
      await page.getByRole('link', { name: 'Zephyr Plumbing' }).waitFor();
      await page.getByRole('link', { name: 'Harbor Heating' }).waitFor();
      await expectNoAxeViolations(page, 'organisations');
      await saveShot(page, SHOTS, 'desktop-3-organisations');
      await page.getByRole('searchbox', { name: 'Search organisations' }).fill('zephyr');
      await expect.poll(() => page.getByRole('link', { name: 'Harbor Heating' }).count()).toBe(0);
      await page.getByRole('link', { name: 'Zephyr Plumbing' }).click();

      await heading(page, 'Zephyr Plumbing').waitFor();
      await page.getByRole('button', { name: 'Suspend organisation…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Suspend Zephyr Plumbing?' });
      await dialog.getByText('Its customer portal answers “not found”.').waitFor();
      await expectNoAxeViolations(page, 'suspend dialog');
      await saveShot(page, SHOTS, 'desktop-4-suspend-dialog', { fullPage: false });
      await dialog.getByRole('button', { name: 'Suspend' }).click();
      await page.getByRole('button', { name: 'Resume organisation' }).waitFor();
      expect((await page.request.get(`${server.origin}/portal/${slug}/api/me`)).status()).toBe(404);
      await saveShot(page, SHOTS, 'desktop-5-suspended');
      await page.getByRole('button', { name: 'Resume organisation' }).click();
      await page.getByRole('button', { name: 'Suspend organisation…' }).waitFor();
      await page.getByRole('link', { name: 'Audit log', exact: true }).last().click();
      await heading(page, 'Audit log of Zephyr Plumbing').waitFor();
      await page.getByRole('cell', { name: 'operator.tenant.suspended' }).waitFor();
      await page.getByRole('cell', { name: 'operator.tenant.resumed' }).waitFor();
      await expectNoAxeViolations(page, 'audit log');
      await saveShot(page, SHOTS, 'desktop-6-audit');

      await page.getByRole('link', { name: 'Settings' }).click();
      await heading(page, 'Settings').waitFor();
      const toggle = page.getByRole('switch', { name: /Issue certificates automatically/ });
      expect(await toggle.isChecked()).toBe(false);
      await toggle.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => toggle.isChecked()).toBe(true);
      await expect
        .poll(async () => (await page.request.get(`${server.origin}/api/operator/settings`)).json())
        .toEqual({ autoIssueCertificates: true });
      await expectNoAxeViolations(page, 'settings');
      await saveShot(page, SHOTS, 'desktop-7-settings');

      await page.getByRole('button', { name: 'Sign out' }).click();
      await heading(page, 'Operator sign-in').waitFor();
      expect((await page.request.get(`${server.origin}/api/operator/me`)).status()).toBe(401);

      // A later sign-in asks for the code (the next step's: the enrolment spent this one).
      await page.getByLabel('Email address').fill(EMAIL);
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Two-step sign-in').waitFor();
      await page.getByLabel('Authentication code').fill(codeNow(secret, 1));
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await heading(page, 'Organisations').waitFor();
      const state = await context.storageState();
      expect(problems).toEqual([]);
      await context.close();

      const phone = await openContext(browser, PHONE, state);
      for (const [route, title, name] of [
        ['/operator/tenants', 'Organisations', 'phone-1-organisations'],
        ['/operator/tenants/new', 'New organisation', 'phone-2-new-organisation'],
        ['/operator/settings', 'Settings', 'phone-3-settings'],
        ['/operator/audit', 'Audit log', 'phone-4-audit'],
      ] as const) {
        await phone.page.goto(`${server.origin}${route}`);
        await heading(phone.page, title).waitFor();
        await expectNoAxeViolations(phone.page, name);
        await expectNoHorizontalScroll(phone.page, name);
        await saveShot(phone.page, SHOTS, name);
      }
      expect(phone.problems).toEqual([]);
      await phone.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

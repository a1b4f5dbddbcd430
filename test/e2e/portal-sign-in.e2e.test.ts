import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { maskEmail } from '../../src/features/auth/portal-auth.presenter.js';
import { generateLogoPng } from '../../src/features/tenants/branding.service.js';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { createTenant, setTenantLogo, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium, runAxe } from '../helpers/browser.js';
import { type E2eServer, mailIdsOf, readSignInMail, startE2eServer, waitForNewMail } from './e2e-server.js';

/**
 * The customer's sign-in journeys in a real Chromium against the real app: ask for a link, read
 * it from the dev mailbox, confirm, land signed in, sign out; the code on a second device; and a
 * link that is only opened (as a mail scanner would) stays unspent.
 */
const SHOTS = path.resolve('test-results', 'portal-sign-in');
const MOBILE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true } as const;
const DESKTOP = { viewport: { width: 1280, height: 800 } } as const;
const ORG_NAME = 'Harbour Plumbing & Heating';
const JOURNEY_TIMEOUT = 180_000;

interface LayoutShiftWindow {
  __layoutShift: number;
}

/** Runs in every page before its own scripts: sums layout shifts the way CLS does. */
function recordLayoutShifts(): void {
  const w = window as unknown as LayoutShiftWindow;
  w.__layoutShift = 0;
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries() as unknown as { value: number; hadRecentInput: boolean }[]) {
      if (!entry.hadRecentInput) w.__layoutShift += entry.value;
    }
  }).observe({ type: 'layout-shift', buffered: true });
}

describeWithBrowser('portal sign-in in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let tenant: Tenant;
  let contacts: Contact[];
  let portalUrl: string;

  beforeAll(async () => {
    // `npm ci` builds the web app (prepare script) before `npm test`; without it there is no page to drive.
    expect(existsSync(path.join(defaultWebDir(), '.vite', 'manifest.json')), 'dist/web is missing: run `npm run build` first').toBe(true);
    mkdirSync(SHOTS, { recursive: true });
    server = await startE2eServer();
    const ctx = { db: server.deps.db, clock: server.deps.clock };
    tenant = await createTenant(ctx, { slug: 'harbour', name: ORG_NAME, accentColor: '#0f766e' });
    const logoKey = `tenants/${tenant.id}/logo.png`;
    await server.deps.files.put(logoKey, await generateLogoPng(ORG_NAME, '#0f766e'));
    await setTenantLogo(ctx, tenant.id, logoKey);
    const client = await createClient(ctx, tenant.id, { name: 'Rivera Household' });
    // One contact per journey: requests for one address are rate limited to one a minute.
    contacts = [];
    for (const [name, email] of [
      ['Jordan Rivera', 'jordan@rivera.example.com'],
      ['Sam Rivera', 'sam@rivera.example.com'],
      ['Alex Rivera', 'alex@rivera.example.com'],
    ] as const) {
      contacts.push(await addContact(ctx, tenant.id, client.id, { name, email }));
    }
    portalUrl = `${server.origin}/portal/${tenant.slug}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** A browser context that fails the test on any script error or failed asset of the page. */
  async function newContext(options: object = MOBILE): Promise<{ context: BrowserContext; page: Page; problems: string[] }> {
    const context = await browser.newContext(options);
    await context.addInitScript(recordLayoutShifts);
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && !/Failed to load resource: the server responded with a status of 4\d\d/.test(message.text()))
        problems.push(`console: ${message.text()}`);
    });
    return { context, page, problems };
  }

  /** Cumulative layout shift of the current document so far (shifts right after input excluded). */
  async function expectNoLayoutShift(page: Page, label: string): Promise<void> {
    // One more frame, so shifts caused by the last render are reported.
    await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => requestAnimationFrame(resolve))));
    const shift = await page.evaluate(() => (window as unknown as LayoutShiftWindow).__layoutShift);
    expect(shift, `${label}: cumulative layout shift`).toBeLessThan(0.01);
  }

  async function expectNoAxeViolations(page: Page, label: string): Promise<void> {
    const violations = await runAxe(page);
    expect(violations, `${label}: ${JSON.stringify(violations, null, 2)}`).toEqual([]);
  }

  async function h1Text(page: Page): Promise<string> {
    const headings = page.locator('h1');
    await expect.poll(() => headings.count()).toBe(1);
    return (await headings.first().innerText()).trim();
  }

  /** Requests a link through the sign-in form (mouse-free) and returns the email that arrived. */
  async function requestLinkWithKeyboard(page: Page, email: string): Promise<{ shownMessage: string; serverMessage: string }> {
    await page.goto(portalUrl);
    const emailField = page.getByLabel('Email address');
    await emailField.waitFor();
    // Keyboard only: Tab from the top of the page to the email field, type, Enter.
    let reached = false;
    for (let i = 0; i < 6 && !reached; i += 1) {
      await page.keyboard.press('Tab');
      reached = await emailField.evaluate((el) => el === document.activeElement);
    }
    expect(reached, 'the email field is reachable with Tab').toBe(true);
    await page.keyboard.type(email);
    const answer = page.waitForResponse((r) => r.url().endsWith('/api/auth/request-link') && r.request().method() === 'POST');
    await page.keyboard.press('Enter');
    const response = await answer;
    expect(response.status()).toBe(202);
    const serverMessage = ((await response.json()) as { message: string }).message;
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    const shownMessage = (await page.getByTestId('request-link-message').innerText()).trim();
    return { shownMessage, serverMessage };
  }

  it(
    'signs in with the emailed link (keyboard on the form), passes axe, and signs out',
    async () => {
      const contact = contacts[0]!;
      const { context, page, problems } = await newContext();

      await page.goto(portalUrl);
      await page.getByLabel('Email address').waitFor();
      expect(await h1Text(page)).toBe('Sign in to see your tickets');
      expect(await page.title()).toBe(`Sign in · ${ORG_NAME}`);
      await expectNoLayoutShift(page, 'sign-in page load');
      expect(await page.getByLabel('Email address').getAttribute('type')).toBe('email');
      expect(await page.getByLabel('Email address').getAttribute('autocomplete')).toBe('email');
      await expectNoAxeViolations(page, 'sign-in page');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-1-sign-in.png'), fullPage: true });

      // An address that is no email is caught before any request, and the field says why.
      await page.getByLabel('Email address').fill('jordan@');
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await expect.poll(() => page.getByLabel('Email address').getAttribute('aria-invalid')).toBe('true');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-1b-sign-in-error.png'), fullPage: true });
      await page.getByLabel('Email address').fill('');

      const seen = await mailIdsOf(server.origin, contact.email);
      const { shownMessage, serverMessage } = await requestLinkWithKeyboard(page, contact.email);
      expect(shownMessage).toBe(serverMessage);
      expect(await page.title()).toBe(`Check your email · ${ORG_NAME}`);
      // Focus moved to the new page's heading.
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      await expectNoAxeViolations(page, 'check-email page');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-2-check-email.png'), fullPage: true });

      const mail = await waitForNewMail(server, contact.email, seen);
      const { link } = readSignInMail(mail);
      expect(link.startsWith(`${portalUrl}/auth/confirm#token=`)).toBe(true);

      await page.goto(link);
      const confirmHeading = `Sign in to ${ORG_NAME} as ${maskEmail(contact.email)}?`;
      await page.getByRole('heading', { level: 1, name: confirmHeading }).waitFor();
      // The token leaves the address bar (and so the history) as soon as the page has read it.
      expect(page.url()).toBe(`${portalUrl}/auth/confirm`);
      expect(await page.title()).toBe(`Confirm sign-in · ${ORG_NAME}`);
      expect(await page.getByRole('button').count()).toBe(1);
      await expectNoLayoutShift(page, 'confirm page load');
      await expectNoAxeViolations(page, 'confirm page');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-3-confirm.png'), fullPage: true });

      await page.getByRole('button', { name: 'Sign in' }).click();
      // Signed in, the home page is the customer's requests (none yet) and the header names them.
      await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
      await page.getByRole('link', { name: `${contact.name}, profile` }).waitFor();
      await page.getByText('No open requests').waitFor();
      expect(new URL(page.url()).pathname).toBe(`/portal/${tenant.slug}`);
      expect(await page.title()).toBe(`Requests · ${ORG_NAME}`);
      await expectNoAxeViolations(page, 'signed-in page');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-4-signed-in.png'), fullPage: true });
      // Coming back later: the server's page, then the session check, then the signed-in page.
      await page.reload();
      await page.getByText('No open requests').waitFor();
      await expectNoLayoutShift(page, 'signed-in page load');

      // Sign-out lives on the profile page, with the account the customer belongs to.
      await page.getByRole('link', { name: `${contact.name}, profile` }).click();
      await page.getByRole('heading', { level: 1, name: 'Your profile' }).waitFor();
      await expect.poll(() => page.getByText('Rivera Household').count()).toBe(1);
      await page.getByRole('button', { name: 'Sign out', exact: true }).click();
      await page.getByLabel('Email address').waitFor();
      expect(await h1Text(page)).toBe('Sign in to see your tickets');
      const me = await page.evaluate(async (url) => (await fetch(url, { credentials: 'same-origin' })).status, `${portalUrl}/api/me`);
      expect(me).toBe(401);

      // The spent link now says so and offers a new one.
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: 'This link has already been used' }).waitFor();
      const resend = page.getByRole('button', { name: 'Email me a new link' });
      await resend.click();
      await expect.poll(() => page.getByRole('status').filter({ hasText: /\S/ }).count()).toBeGreaterThan(0);
      await expectNoAxeViolations(page, 'used-link page');
      await page.screenshot({ path: path.join(SHOTS, 'mobile-5-link-used.png'), fullPage: true });

      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'signs in with the code on a second device (a fresh browser context)',
    async () => {
      const contact = contacts[1]!;
      const first = await newContext();
      const seen = await mailIdsOf(server.origin, contact.email);
      await requestLinkWithKeyboard(first.page, contact.email);
      const { code } = readSignInMail(await waitForNewMail(server, contact.email, seen));
      await first.context.close();

      const second = await newContext();
      const { page } = second;
      await page.goto(`${portalUrl}/sign-in/code`);
      await page.getByRole('heading', { level: 1, name: 'Enter your code' }).waitFor();
      expect(await page.title()).toBe(`Enter your code · ${ORG_NAME}`);
      const codeField = page.getByLabel('Code', { exact: true });
      expect(await codeField.getAttribute('autocomplete')).toBe('one-time-code');
      expect(await codeField.getAttribute('inputmode')).toBe('text');
      await expectNoAxeViolations(page, 'code page');

      // A wrong code: the server's message shows on the code field, and both fields keep their values.
      await page.getByLabel('Email address').fill(contact.email);
      await codeField.fill(code.startsWith('A') ? 'BBBBBBBB' : 'AAAAAAAA');
      await page.getByRole('button', { name: 'Sign in' }).click();
      await expect.poll(() => codeField.getAttribute('aria-invalid')).toBe('true');
      const describedBy = (await codeField.getAttribute('aria-describedby')) ?? '';
      const errorText = await page.locator(`[id="${describedBy.split(' ').pop() ?? ''}"]`).innerText();
      expect(errorText).toMatch(/code/i);
      expect(await page.getByLabel('Email address').inputValue()).toBe(contact.email);
      await page.screenshot({ path: path.join(SHOTS, 'mobile-6-code-error.png'), fullPage: true });

      // The code as it is printed in the email, lower case with a dash and spaces: still accepted.
      await codeField.fill(` ${code.slice(0, 4).toLowerCase()}-${code.slice(4)} `);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
      await page.getByRole('link', { name: `${contact.name}, profile` }).waitFor();

      expect(second.problems).toEqual([]);
      expect(first.problems).toEqual([]);
      await second.context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'does not spend a link that is only opened; the button still works; desktop layout',
    async () => {
      const contact = contacts[2]!;
      const seen = await mailIdsOf(server.origin, contact.email);
      const requester = await newContext(DESKTOP);
      await requester.page.goto(portalUrl);
      await requester.page.getByLabel('Email address').waitFor();
      await requester.page.screenshot({ path: path.join(SHOTS, 'desktop-1-sign-in.png'), fullPage: true });
      await requester.page.getByLabel('Email address').fill(contact.email);
      await requester.page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await requester.page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
      await requester.context.close();
      const { link } = readSignInMail(await waitForNewMail(server, contact.email, seen));

      // A mail scanner opens the link, runs the page's scripts and waits: nothing is spent.
      const scanner = await newContext(DESKTOP);
      await scanner.page.goto(link, { waitUntil: 'networkidle' });
      await scanner.page.getByRole('button', { name: 'Sign in' }).waitFor();
      await scanner.context.close();

      const user = await newContext(DESKTOP);
      const { page } = user;
      await page.goto(link);
      await page.getByRole('button', { name: 'Sign in' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'desktop-2-confirm.png'), fullPage: true });
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
      await page.screenshot({ path: path.join(SHOTS, 'desktop-3-signed-in.png'), fullPage: true });

      // Re-opened where its own contact is signed in, the used link goes straight to the portal.
      await page.goto(link);
      await page.waitForURL((url) => url.pathname === `/portal/${tenant.slug}`);
      await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();

      // Unknown paths inside the portal get the portal's own not-found page.
      await page.goto(`${portalUrl}/no/such/page`);
      await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
      expect(await page.title()).toBe(`Page not found · ${ORG_NAME}`);

      expect(user.problems).toEqual([]);
      await user.context.close();

      // Dark mode keeps contrast and focus visible too.
      const dark = await newContext({ ...MOBILE, colorScheme: 'dark' });
      await dark.page.goto(portalUrl);
      await dark.page.getByLabel('Email address').focus();
      await expectNoAxeViolations(dark.page, 'sign-in page, dark');
      await dark.page.screenshot({ path: path.join(SHOTS, 'mobile-7-sign-in-dark.png'), fullPage: true });
      await dark.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

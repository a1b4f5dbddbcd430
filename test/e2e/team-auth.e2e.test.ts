import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { fromBase32, totpCode, totpStepAt } from '../../src/features/auth/totp.js';
import { defaultWebDir } from '../../src/platform/http/web-assets.js';
import { describeWithBrowser, launchChromium } from '../helpers/browser.js';
import { type DevMailMessage, type E2eServer, mailIdsOf, startE2eServer, waitForNewMail } from './e2e-server.js';
import { DESKTOP, expectNoAxeViolations, openContext, saveShot } from './portal-page-checks.js';
import { createTeamMemberWithPassword } from '../helpers/factories.js';
import { PASSWORD, seedTeamApp, type TeamAppWorld } from './team-app-seed.js';
import { signInToTeamApp } from './team-app-session.js';

/**
 * Team sign-in in a real Chromium: a forgotten password reset by the emailed link (the token in the
 * fragment), two-step sign-in set up with the code the server's QR code encodes and then used with
 * a recovery code, the lockout message with its time, and an invitation accepted by someone new.
 */
const SHOTS = path.resolve('test-results', 'team-app');
const JOURNEY_TIMEOUT = 180_000;
const NEW_PASSWORD = 'a much longer new passphrase 42';

function linkIn(message: DevMailMessage, page: 'reset' | 'accept-invite'): string {
  const link = new RegExp(`https?://[^\\s<>"]+/app/${page}#token=[A-Za-z0-9_-]+`).exec(message.text)?.[0];
  if (!link) throw new Error(`no /app/${page} link in the email text:\n${message.text}`);
  return link;
}

describeWithBrowser('team sign-in in Chromium', () => {
  let server: E2eServer;
  let browser: Browser;
  let world: TeamAppWorld;
  let appUrl: string;

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

  const heading = (page: Page, name: string | RegExp) => page.getByRole('heading', { level: 1, name });

  it(
    'resets a forgotten password from the emailed link, then sets up two-step sign-in and signs in with a recovery code',
    async () => {
      const { context, page, problems } = await openContext(browser, DESKTOP);
      await page.goto(`${appUrl}/sign-in`);
      await page.getByRole('link', { name: 'Forgot your password?' }).click();
      await heading(page, 'Reset your password').waitFor();
      const seen = await mailIdsOf(server.origin, world.agentEmail);
      await page.getByLabel('Email address').fill(world.agentEmail);
      await page.getByRole('button', { name: 'Email me a reset link' }).click();
      await heading(page, 'Check your email').waitFor();
      const link = linkIn(await waitForNewMail(server, world.agentEmail, seen), 'reset');

      await page.goto(link);
      await heading(page, 'Choose a new password').waitFor();
      // The token left the address bar at once.
      expect(new URL(page.url()).hash).toBe('');
      const field = page.getByLabel('New password', { exact: true });
      await field.fill('short');
      await page.getByText('Password strength: Too short').waitFor();
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await page.getByText('Use at least 12 characters.').waitFor();
      await field.fill(NEW_PASSWORD);
      await page.getByText('Password strength: Strong').waitFor();
      await expectNoAxeViolations(page, 'reset');
      await saveShot(page, SHOTS, 'auth-1-reset');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await heading(page, 'Your password is changed').waitFor();
      // The link works once (a fresh load: the same path with a new fragment would not reload).
      await page.goto('about:blank');
      await page.goto(link);
      await page.getByRole('button', { name: 'Save the new password' }).waitFor();
      await page.getByLabel('New password', { exact: true }).fill('another long passphrase 7');
      await page.getByRole('button', { name: 'Save the new password' }).click();
      await heading(page, 'This link cannot be used').waitFor();

      // Two-step sign-in: the secret the page shows is the one the QR code carries.
      await page.goto(`${appUrl}/sign-in`);
      await page.getByLabel('Email address').fill(world.agentEmail);
      await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Inbox').waitFor();
      await page.getByRole('button', { name: /Sam Agent/ }).click();
      await page.getByRole('link', { name: 'Account and security' }).click();
      await heading(page, 'Account and security').waitFor();
      await page.getByRole('button', { name: 'Set up two-step sign-in' }).click();
      await page.getByRole('img', { name: 'QR code for your authenticator app' }).waitFor();
      const secret = ((await page.locator('.secret').textContent()) ?? '').replace(/\s/g, '');
      await page.getByLabel('Enter the 6-digit code the app shows').fill('000000');
      await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      await page.getByText(/That code is not valid/).waitFor();
      await page.getByLabel('Enter the 6-digit code the app shows').fill(totpCode(fromBase32(secret), totpStepAt(new Date())));
      await page.getByRole('button', { name: 'Turn on two-step sign-in' }).click();
      const codes = page.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
      await expect.poll(() => codes.count()).toBeGreaterThanOrEqual(8);
      const recoveryCode = (await codes.first().textContent()) ?? '';
      await expectNoAxeViolations(page, 'recovery codes');
      await saveShot(page, SHOTS, 'auth-2-recovery-codes');
      await page.getByRole('button', { name: 'I have saved them' }).click();
      await page.getByRole('button', { name: 'Turn off two-step sign-in' }).waitFor();

      await page.getByRole('button', { name: /Sam Agent/ }).click();
      await page.getByRole('button', { name: 'Sign out' }).click();
      await heading(page, 'Sign in to Servelo').waitFor();
      await page.getByLabel('Email address').fill(world.agentEmail);
      await page.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await heading(page, 'Two-step sign-in').waitFor();
      await saveShot(page, SHOTS, 'auth-3-code-step');
      await page.getByLabel('Authentication code').fill(recoveryCode);
      await page.getByRole('button', { name: 'Verify and sign in' }).click();
      await heading(page, 'Inbox').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'says until when an account is locked after repeated wrong passwords',
    async () => {
      const { context, page } = await openContext(browser, DESKTOP);
      await page.goto(`${appUrl}/sign-in`);
      await page.getByLabel('Email address').fill(world.ownerEmail);
      for (let attempt = 0; attempt < 5; attempt += 1) {
        await page.getByLabel('Password', { exact: true }).fill(`wrong password ${attempt}`);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.getByText('The email or password is not correct.').waitFor();
      }
      await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.getByText(/^Too many failed sign-in attempts\. You can try again at \d{1,2}:\d{2}/).waitFor();
      await saveShot(page, SHOTS, 'auth-4-locked');
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'an admin invites a teammate, who joins with a new password and lands in the inbox',
    async () => {
      // An admin (the owner is locked by the journey before) signs in and invites.
      const adminEmail = 'ada@harbor.example.com';
      await createTeamMemberWithPassword(server, world.tenant.id, {
        email: adminEmail,
        name: 'Ada Admin',
        role: 'admin',
        password: PASSWORD,
      });
      const admin = await openContext(browser, DESKTOP, await signInToTeamApp(browser, appUrl, adminEmail));
      await admin.page.goto(`${appUrl}/settings/team`);
      await heading(admin.page, 'Team').waitFor();
      // Admins do not see the owner role in the invitation form.
      expect(await admin.page.getByLabel('Role', { exact: true }).locator('option').allTextContents()).toEqual(['Agent', 'Admin']);
      const inviteeEmail = 'noor@harbor.example.com';
      const seen = await mailIdsOf(server.origin, inviteeEmail);
      await admin.page.getByLabel('Email', { exact: true }).fill(inviteeEmail);
      await admin.page.getByLabel('Name', { exact: true }).fill('Noor Newcomer');
      await admin.page.getByRole('button', { name: 'Send invitation' }).click();
      const row = admin.page.locator('.member').filter({ hasText: 'Noor Newcomer' });
      await row.getByText('Invited', { exact: true }).waitFor();
      await admin.context.close();

      const link = linkIn(await waitForNewMail(server, inviteeEmail, seen), 'accept-invite');
      const { context, page, problems } = await openContext(browser, DESKTOP);
      await page.goto(link);
      await heading(page, 'Join your team on Servelo').waitFor();
      expect(new URL(page.url()).hash).toBe('');
      await page.getByLabel('Choose a password', { exact: true }).fill(NEW_PASSWORD);
      await expectNoAxeViolations(page, 'accept invitation');
      await saveShot(page, SHOTS, 'auth-5-accept-invite');
      await page.getByRole('button', { name: 'Accept and sign in' }).click();
      await heading(page, 'Inbox').waitFor();
      await page.getByRole('button', { name: /Noor Newcomer/ }).waitFor();
      // Agents have no Settings.
      expect(await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).count()).toBe(0);
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

import type { Browser } from 'playwright-core';
import { type E2eServer, mailIdsOf, readSignInMail, waitForNewMail } from './e2e-server.js';
import { openContext, type StorageState } from './portal-page-checks.js';

/**
 * Signs `email` in the way a customer does (the form, the emailed link, "Sign in") and returns the
 * browser state with the session cookie, for journeys that start signed in.
 */
export async function signInThroughEmail(server: E2eServer, browser: Browser, portalUrl: string, email: string): Promise<StorageState> {
  const { context, page } = await openContext(browser, {});
  try {
    await page.goto(portalUrl);
    await page.getByLabel('Email address').fill(email);
    const seen = await mailIdsOf(server.origin, email);
    await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
    await page.getByRole('heading', { level: 1, name: 'Check your email' }).waitFor();
    const { link } = readSignInMail(await waitForNewMail(server, email, seen));
    await page.goto(link);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Your requests' }).waitFor();
    return await context.storageState();
  } finally {
    await context.close();
  }
}

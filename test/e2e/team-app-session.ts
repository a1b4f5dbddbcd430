import type { Browser } from 'playwright-core';
import { openContext, type StorageState } from './portal-page-checks.js';
import { PASSWORD } from './team-app-seed.js';

/** Signs a team member in through the sign-in form and returns the browser state with the session cookie. */
export async function signInToTeamApp(browser: Browser, appUrl: string, email: string, password = PASSWORD): Promise<StorageState> {
  const { context, page } = await openContext(browser, {});
  try {
    await page.goto(`${appUrl}/sign-in`);
    await page.getByLabel('Email address').fill(email);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Inbox' }).waitFor();
    return await context.storageState();
  } finally {
    await context.close();
  }
}

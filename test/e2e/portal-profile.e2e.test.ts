import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { type PortalFiles, writePortalFiles } from './portal-files-fixtures.js';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { updatePortalSettings } from '../../src/features/tenants/tenant.service.js';
import { describeWithBrowser } from '../helpers/browser.js';
import { JOURNEY_TIMEOUT, usePortalJourney } from './portal-journey.js';
import { DESKTOP, expectNoAxeViolations, openContext, PHONE, type StorageState } from './portal-page-checks.js';
import { ORG_NAME } from './portal-tickets-seed.js';

/**
 * The signed-in customer in a real Chromium, past the tickets themselves: the profile, every page
 * on a desktop and in dark mode, the organisation turning submissions off, a session that ends,
 * and a profile photo that shows in the header. With axe on every page and screenshots of each.
 */
describeWithBrowser('portal profile, desktop and settings in Chromium', () => {
  const j = usePortalJourney('portal-tickets', { signIn: true });
  const { shot, heading, rows, pathAndQuery } = j;
  let dir: string;
  let files: PortalFiles;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'portal-profile-'));
    files = await writePortalFiles(dir);
  });

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const newContext = (options: object, state?: StorageState) => openContext(j.browser, options, state);

  it(
    'edits the profile: phone in any format, shown in national format; a bad number is refused on the field (phone)',
    async () => {
      const { context, page, problems } = await newContext(PHONE, j.signedIn);
      await page.goto(j.portalUrl);
      await page.getByRole('link', { name: 'Jordan Rivera, profile' }).click();
      await heading(page, 'Your profile').waitFor();
      expect(await page.getByTestId('profile-email').innerText()).toBe(j.world.jordan.email);
      await page.getByText(`Only ${ORG_NAME} can change your email address`).waitFor();
      await page.getByText('Rivera Household').waitFor();
      await expectNoAxeViolations(page, 'profile (phone)');
      await shot(page, 'phone-4-profile');

      const phone = page.getByLabel('Phone');
      await phone.fill('12');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await expect.poll(() => phone.getAttribute('aria-invalid')).toBe('true');
      expect(await phone.evaluate((el) => el === document.activeElement)).toBe(true);
      await shot(page, 'phone-4b-profile-phone-error');

      await phone.fill('+1 312.555.0199');
      await page.getByLabel('Name').fill('Jordan A. Rivera');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Your profile is saved.').waitFor();
      expect(await phone.inputValue()).toBe('(312) 555-0199');
      await shot(page, 'phone-4c-profile-saved');
      expect(await phone.getAttribute('aria-invalid')).toBeNull();
      // The header follows the new name at once.
      await page.getByRole('link', { name: 'Jordan A. Rivera, profile' }).waitFor();
      await page.reload();
      await heading(page, 'Your profile').waitFor();
      await expect.poll(() => page.getByLabel('Phone').inputValue()).toBe('(312) 555-0199');

      // Put the name back for the other journeys.
      await page.getByLabel('Name').fill('Jordan Rivera');
      await page.getByRole('button', { name: 'Save changes' }).click();
      await page.getByText('Your profile is saved.').waitFor();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
  it(
    'works on a desktop: table-like list, ticket, new request and profile pass axe; dark mode too',
    async () => {
      const { context, page, problems } = await newContext(DESKTOP, j.signedIn);
      await page.goto(j.portalUrl);
      await heading(page, 'Your requests').waitFor();
      await expect.poll(() => rows(page).count()).toBeGreaterThan(3);
      expect(await page.locator('.ticket-table__head').isVisible()).toBe(true);
      await expectNoAxeViolations(page, 'list (desktop)');
      await shot(page, 'desktop-1-list');

      // Keyboard: Tab reaches the header links, then the page; Enter on a row's link opens it.
      const profileLink = page.getByRole('link', { name: 'Jordan Rivera, profile' });
      let reached = false;
      for (let i = 0; i < 6 && !reached; i += 1) {
        await page.keyboard.press('Tab');
        reached = await profileLink.evaluate((el) => el === document.activeElement);
      }
      expect(reached, 'the profile link is reachable with Tab').toBe(true);
      await page.getByRole('link', { name: /Radiator in the bedroom/ }).focus();
      await page.keyboard.press('Enter');
      await heading(page, 'Radiator in the bedroom stays cold').waitFor();
      await expectNoAxeViolations(page, 'ticket (desktop)');
      await shot(page, 'desktop-2-ticket');

      await page.goto(`${j.portalUrl}/tickets/new`);
      await heading(page, 'New request').waitFor();
      await expectNoAxeViolations(page, 'new request (desktop)');
      await shot(page, 'desktop-3-new-request');

      await page.goto(`${j.portalUrl}/profile`);
      await heading(page, 'Your profile').waitFor();
      await expectNoAxeViolations(page, 'profile (desktop)');
      await shot(page, 'desktop-4-profile');
      expect(problems).toEqual([]);
      await context.close();

      const dark = await newContext({ ...PHONE, colorScheme: 'dark' }, j.signedIn);
      await dark.page.goto(`${j.portalUrl}/tickets/${j.world.tickets.boiler!.id}`);
      await heading(dark.page, 'Annual boiler service').waitFor();
      await expectNoAxeViolations(dark.page, 'ticket (phone, dark)');
      await shot(dark.page, 'phone-5-ticket-dark');
      await dark.page.goto(j.portalUrl);
      await expect.poll(() => rows(dark.page).count()).toBeGreaterThan(3);
      await expectNoAxeViolations(dark.page, 'list (phone, dark)');
      await shot(dark.page, 'phone-5b-list-dark');
      expect(dark.problems).toEqual([]);
      await dark.context.close();
    },
    JOURNEY_TIMEOUT,
  );
  it(
    'hides "New request" when the organisation turned submissions off, and returns to sign-in when the session ends',
    async () => {
      const ctx = { db: j.server.deps.db, clock: j.server.deps.clock };
      await updatePortalSettings(ctx, j.world.tenant.id, { submissionsEnabled: false });
      try {
        const { context, page, problems } = await newContext(DESKTOP, j.signedIn);
        await page.goto(j.portalUrl);
        await heading(page, 'Your requests').waitFor();
        await expect.poll(() => rows(page).count()).toBeGreaterThan(0);
        expect(await page.getByRole('link', { name: 'New request' }).count()).toBe(0);
        await page.goto(`${j.portalUrl}/tickets/new`);
        await heading(page, 'New requests are not taken here').waitFor();
        expect(await page.getByRole('button', { name: 'Submit request' }).count()).toBe(0);
        // The API says the same.
        const status = await page.evaluate(
          async (url) =>
            (
              await fetch(url, {
                method: 'POST',
                headers: { 'content-type': 'application/json' },
                body: JSON.stringify({ title: 'x', description: 'y' }),
              })
            ).status,
          `${j.portalUrl}/api/tickets`,
        );
        expect(status).toBe(403);

        // The session ends elsewhere: the next request answers 401 and the sign-in form returns.
        await page
          .getByRole('link', { name: 'All requests' })
          .or(page.getByRole('link', { name: 'Back to your requests' }))
          .click();
        await heading(page, 'Your requests').waitFor();
        await context.clearCookies();
        await page.getByRole('link', { name: /Leaking kitchen tap/ }).click();
        await heading(page, 'Sign in to see your tickets').waitFor();
        await page.getByLabel('Email address').waitFor();
        expect(pathAndQuery(page)).toBe('/');
        expect(await page.getByRole('navigation', { name: 'Your account' }).count()).toBe(0);
        expect(problems).toEqual([]);
        await context.close();
      } finally {
        await updatePortalSettings(ctx, j.world.tenant.id, { submissionsEnabled: true });
      }
    },
    JOURNEY_TIMEOUT,
  );

  it(
    'uploads a profile photo that shows in the header, and removes it again (phone)',
    async () => {
      const { context, page, problems } = await newContext(PHONE, j.signedIn);
      await page.goto(`${j.portalUrl}/profile`);
      await heading(page, 'Your profile').waitFor();
      const nav = page.getByRole('navigation', { name: 'Your account' });
      expect(await nav.locator('.avatar--initials').getAttribute('data-initials')).toBe('JR');

      // A document is not a photo: said at once, nothing is sent.
      let chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await (await chooser).setFiles(files.pdf);
      await page.getByText('“plumber-invoice.pdf” is not a photo.').waitFor();

      chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await (await chooser).setFiles(files.portrait);
      await page.getByRole('button', { name: 'Change photo' }).waitFor();
      expect(await page.getByText('is not a photo').count()).toBe(0);
      const headerPhoto = nav.locator('img.avatar');
      await expect.poll(() => headerPhoto.evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);
      // Re-encoded to a square of at most 512 px.
      expect(
        await headerPhoto.evaluate((img) => [(img as HTMLImageElement).naturalWidth, (img as HTMLImageElement).naturalHeight]),
      ).toEqual([512, 512]);
      await page.getByRole('link', { name: 'Jordan Rivera, profile' }).waitFor();
      await expectNoAxeViolations(page, 'profile with photo (phone)');
      await shot(page, 'phone-6-profile-photo');

      // It stays after a reload (it is the customer's, not the page's).
      await page.reload();
      await expect.poll(() => nav.locator('img.avatar').evaluate((img) => (img as HTMLImageElement).naturalWidth)).toBeGreaterThan(0);

      await page.getByRole('button', { name: 'Remove', exact: true }).click();
      await page.getByRole('button', { name: 'Upload photo' }).waitFor();
      expect(await nav.locator('.avatar--initials').getAttribute('data-initials')).toBe('JR');
      expect(await page.getByRole('button', { name: 'Upload photo' }).evaluate((el) => el === document.activeElement)).toBe(true);

      // Put a photo back for the desktop look at the header.
      chooser = page.waitForEvent('filechooser');
      await page.getByRole('button', { name: 'Upload photo' }).click();
      await (await chooser).setFiles(files.portrait);
      await page.getByRole('button', { name: 'Change photo' }).waitFor();
      expect(problems).toEqual([]);
      await context.close();

      const desktop = await newContext(DESKTOP, j.signedIn);
      await desktop.page.goto(j.portalUrl);
      await heading(desktop.page, 'Your requests').waitFor();
      await expect
        .poll(() =>
          desktop.page
            .getByRole('navigation', { name: 'Your account' })
            .locator('img.avatar')
            .evaluate((img) => (img as HTMLImageElement).naturalWidth),
        )
        .toBeGreaterThan(0);
      await shot(desktop.page, 'desktop-6-header-photo', { fullPage: false });
      expect(desktop.problems).toEqual([]);
      await desktop.context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

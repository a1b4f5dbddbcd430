import { expect, it } from 'vitest';
import { describeWithBrowser } from '../helpers/browser.js';
import { JOURNEY_TIMEOUT, usePortalJourney } from './portal-journey.js';
import { mailIdsOf, readSignInMail, waitForNewMail } from './e2e-server.js';
import { expectNoAxeViolations, expectNoHorizontalScroll, openContext, PHONE, type StorageState } from './portal-page-checks.js';
import { ORG_NAME } from './portal-tickets-seed.js';

/**
 * The signed-in customer in a real Chromium against the real app: signing in by the emailed link,
 * the list with its filters, search and second page; a ticket with its conversation, an optimistic
 * reply, closing (with and without a message) and reopening by reply; a new request. On a phone,
 * with axe on every page and screenshots of each.
 */
describeWithBrowser('portal tickets in Chromium', () => {
  const j = usePortalJourney('portal-tickets', { signIn: false });
  const { shot, heading, rows, pathAndQuery } = j;
  /** Jordan's signed-in browser state (the session cookie), shared by the journeys after the first. */
  let signedIn: StorageState;

  const newContext = (options: object, state?: StorageState) => openContext(j.browser, options, state);

  it(
    'signs in from the emailed link and lists, filters, searches and pages the requests (phone)',
    async () => {
      const { context, page, problems } = await newContext(PHONE);
      await page.goto(j.portalUrl);
      await page.getByLabel('Email address').fill(j.world.jordan.email);
      const seen = await mailIdsOf(j.server.origin, j.world.jordan.email);
      await page.getByRole('button', { name: 'Email me a sign-in link' }).click();
      await heading(page, 'Check your email').waitFor();
      const { link } = readSignInMail(await waitForNewMail(j.server, j.world.jordan.email, seen));
      await page.goto(link);
      await page.getByRole('button', { name: 'Sign in' }).click();

      // The home page is now the list of open requests, newest activity first.
      await heading(page, 'Your requests').waitFor();
      await expect.poll(() => rows(page).count()).toBe(5);
      expect(await page.title()).toBe(`Requests · ${ORG_NAME}`);
      const titles = await page.locator('.ticket-row__title').allInnerTexts();
      expect(titles).toEqual([
        'Leaking kitchen tap',
        'Radiator in the bedroom stays cold',
        'Water pressure check',
        'Annual boiler service',
        'Replace bathroom extractor fan',
      ]);
      expect(await page.content()).not.toContain('Neighbour');
      const tap = rows(page).filter({ hasText: 'Leaking kitchen tap' });
      expect(await tap.innerText()).toContain(`#${j.world.tickets.tap!.number}`);
      expect(await tap.innerText()).toContain('Open');
      expect(await tap.innerText()).toContain('High');
      expect(await tap.innerText()).toContain('$125.00');
      expect(await tap.innerText()).toContain('2 hours ago');
      const activity = tap.locator('.ticket-row__activity time');
      expect(new Date((await activity.getAttribute('datetime'))!).getTime()).toBeGreaterThan(Date.now() - 3 * 3_600_000);
      expect(await activity.getAttribute('title')).toMatch(/\d{4}/);
      // Minor units follow the charge's own currency: yen have none.
      expect(await rows(page).filter({ hasText: 'Radiator' }).innerText()).toContain('¥4,500');
      expect(await rows(page).filter({ hasText: 'Radiator' }).innerText()).toContain('Urgent');
      // Header: the organisation, then Requests (current) and the customer's profile.
      const nav = page.getByRole('navigation', { name: 'Your account' });
      expect(await nav.getByRole('link', { name: 'Requests' }).getAttribute('aria-current')).toBe('page');
      await nav.getByRole('link', { name: 'Jordan Rivera, profile' }).waitFor();
      await page.getByRole('link', { name: 'New request' }).waitFor();
      await expectNoHorizontalScroll(page, 'list');
      await expectNoAxeViolations(page, 'list (phone)');
      await shot(page, 'phone-1-list');

      // Closed: a full first page, then "Load more" fetches the rest.
      await page.getByRole('link', { name: 'Closed', exact: true }).click();
      await expect.poll(() => pathAndQuery(page)).toBe('/?status=closed');
      await expect.poll(() => rows(page).count()).toBe(25);
      expect(await page.getByRole('link', { name: 'Closed', exact: true }).getAttribute('aria-current')).toBe('page');
      await page.getByRole('button', { name: 'Load more' }).click();
      await expect.poll(() => rows(page).count()).toBe(26);
      await expect.poll(() => page.getByRole('button', { name: 'Load more' }).count()).toBe(0);
      // The focus moved to the first request of the new page.
      await expect
        .poll(() => page.evaluate(() => document.activeElement?.closest('li')?.textContent ?? ''))
        .toContain('Routine filter change');
      expect(
        await rows(page)
          .nth(25)
          .locator('a')
          .evaluate((el) => el === document.activeElement),
      ).toBe(true);
      expect(await page.locator('.ticket-row__title').first().innerText()).toBe('Blocked drain outside');

      // All, and Back returns to the previous filter.
      await page.getByRole('link', { name: 'All', exact: true }).click();
      await expect.poll(() => pathAndQuery(page)).toBe('/?status=all');
      await expect.poll(() => rows(page).count()).toBe(25);
      await page.goBack();
      await expect.poll(() => pathAndQuery(page)).toBe('/?status=closed');
      // Back shows the list as it was left, second page included.
      await expect.poll(() => rows(page).count()).toBe(26);
      await page.getByRole('link', { name: 'All', exact: true }).click();
      // Typed once the page shows All (as a person would): the search keeps the filter it was typed under.
      await expect.poll(() => pathAndQuery(page)).toBe('/?status=all');

      // Search by title (debounced into the URL), then by number.
      const search = page.getByRole('searchbox', { name: 'Search requests by title or number' });
      await search.fill('kitchen tap');
      await expect.poll(() => pathAndQuery(page)).toBe('/?status=all&q=kitchen+tap');
      await expect.poll(() => page.locator('.ticket-row__title').allInnerTexts()).toEqual(['Leaking kitchen tap']);
      // Focus stays in the box while the URL follows the text.
      expect(await search.evaluate((el) => el === document.activeElement)).toBe(true);
      await search.fill(String(j.world.tickets.radiator!.number));
      await expect.poll(() => page.locator('.ticket-row__title').allInnerTexts()).toEqual(['Radiator in the bedroom stays cold']);
      await search.fill('zebra crossing');
      await page.getByText('No requests match “zebra crossing”').waitFor();
      await shot(page, 'phone-1b-list-no-match');
      // A link with a search shows it in the box.
      await page.goto(`${j.portalUrl}/?status=closed&q=drain`);
      await expect.poll(() => page.locator('.ticket-row__title').allInnerTexts()).toEqual(['Blocked drain outside']);
      expect(await page.getByRole('searchbox').inputValue()).toBe('drain');

      signedIn = await context.storageState();
      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
  it(
    'opens a request, replies optimistically, closes it (a message is required) and reopens it by replying (phone)',
    async () => {
      const { context, page, problems } = await newContext(PHONE, signedIn);
      const ticket = j.world.tickets.tap!;
      await page.goto(j.portalUrl);
      await page.getByRole('link', { name: `#${ticket.number} Leaking kitchen tap` }).click();
      await heading(page, 'Leaking kitchen tap').waitFor();
      expect(pathAndQuery(page)).toBe(`/tickets/${ticket.id}`);
      expect(await page.evaluate(() => document.activeElement?.tagName)).toBe('H1');
      expect(await page.title()).toBe(`#${ticket.number} Leaking kitchen tap · ${ORG_NAME}`);

      const messages = page.locator('.conversation > li');
      await expect.poll(() => messages.count()).toBe(3);
      // The customer's first message keeps its line breaks; the team member is "first name · organisation".
      expect(await messages.nth(0).locator('.message__body').innerText()).toBe(
        'The kitchen tap drips all night.\nIt started on Monday.\nThe cupboard below is damp.',
      );
      expect(await messages.nth(0).getAttribute('class')).toContain('message--own');
      expect(await messages.nth(1).locator('.message__author').innerText()).toBe(`Sam · ${ORG_NAME}`);
      const link = messages.nth(1).getByRole('link', { name: /example\.com\/care\/taps/ });
      expect(await link.getAttribute('href')).toBe('https://example.com/care/taps?model=k2');
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      expect(await page.getByText('$125.00').count()).toBeGreaterThan(0);
      await page.getByRole('heading', { name: 'Status history' }).waitFor();
      expect(await page.getByRole('heading', { name: 'Quotes' }).count()).toBe(0);
      await expectNoHorizontalScroll(page, 'ticket');
      await expectNoAxeViolations(page, 'ticket (phone)');
      await shot(page, 'phone-2-ticket');

      // Reply with Ctrl+Enter: it shows at once as "Sending…", then as the server's message.
      let release: () => void = () => undefined;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/api/tickets/*/messages', async (route) => {
        await held;
        await route.continue();
      });
      const composer = page.getByLabel('Your message');
      await composer.fill('The new cartridge fits.\nThanks!');
      await composer.press('Control+Enter');
      const sending = page.getByTestId('reply-sending');
      await sending.waitFor();
      expect(await sending.innerText()).toContain('Sending…');
      expect(await composer.inputValue()).toBe('');
      await shot(page, 'phone-2b-ticket-sending');
      release();
      await expect.poll(() => sending.count()).toBe(0);
      await expect.poll(() => messages.count()).toBe(4);
      expect(await messages.nth(3).locator('.message__body').innerText()).toBe('The new cartridge fits.\nThanks!');
      await page.unroute('**/api/tickets/*/messages');

      // A reply that fails keeps its text and offers Retry.
      await page.route('**/api/tickets/*/messages', (route) => route.abort('internetdisconnected'));
      await composer.fill('This one will fail first.');
      await page.getByRole('button', { name: 'Send reply' }).click();
      await page.getByTestId('reply-failed').waitFor();
      expect(await page.getByTestId('reply-failed').innerText()).toContain('This one will fail first.');
      await page.unroute('**/api/tickets/*/messages');
      await page.getByRole('button', { name: 'Retry' }).click();
      await expect.poll(() => page.getByTestId('reply-failed').count()).toBe(0);
      await expect.poll(() => messages.count()).toBe(5);

      // Close: an empty message is refused in the dialog; Escape cancels and gives the focus back.
      const closeButton = page.getByRole('button', { name: 'Close ticket' });
      await closeButton.click();
      const dialog = page.getByRole('dialog', { name: `Close request #${ticket.number}?` });
      await dialog.waitFor();
      const closingMessage = dialog.getByLabel('Closing message');
      expect(await closingMessage.evaluate((el) => el === document.activeElement)).toBe(true);
      await dialog.getByRole('button', { name: 'Close ticket' }).click();
      await expect.poll(() => closingMessage.getAttribute('aria-invalid')).toBe('true');
      expect(await dialog.innerText()).toContain('Please write a short message saying why you are closing this ticket.');
      await expectNoAxeViolations(page, 'close dialog (phone)');
      await shot(page, 'phone-2c-close-dialog-error', { fullPage: false });
      await page.keyboard.press('Escape');
      await expect.poll(() => dialog.count()).toBe(0);
      expect(await closeButton.evaluate((el) => el === document.activeElement)).toBe(true);

      await closeButton.click();
      await dialog.getByLabel('Closing message').fill('Fixed, thank you.');
      await dialog.getByRole('button', { name: 'Close ticket' }).click();
      await expect.poll(() => dialog.count()).toBe(0);
      await expect.poll(() => page.locator('.ticket-head .badge').innerText()).toBe('Closed');
      await page.getByText('Replying reopens this ticket').waitFor();
      expect(await page.getByRole('button', { name: 'Close ticket' }).count()).toBe(0);
      await expect.poll(() => messages.count()).toBe(6);
      await shot(page, 'phone-2d-ticket-closed');

      // Replying to the closed ticket reopens it.
      await composer.fill('Sorry, it drips again.');
      await page.getByRole('button', { name: 'Send and reopen' }).click();
      await expect.poll(() => page.locator('.ticket-head .badge').innerText()).toBe('Open');
      await page.getByRole('button', { name: 'Close ticket' }).waitFor();

      // Missing and foreign tickets: the same friendly page.
      for (const id of ['01J0000000000000000000000X', j.world.otherClientTicket.id]) {
        await page.goto(`${j.portalUrl}/tickets/${id}`);
        await heading(page, 'Request not found').waitFor();
        await page.getByRole('link', { name: 'Back to your requests' }).waitFor();
      }
      await shot(page, 'phone-2e-ticket-not-found');

      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
  it(
    'submits a new request that lands as New (phone)',
    async () => {
      const { context, page, problems } = await newContext(PHONE, signedIn);
      await page.goto(j.portalUrl);
      await page.getByRole('link', { name: 'New request' }).click();
      await heading(page, 'New request').waitFor();
      expect(await page.getByLabel('Priority').inputValue()).toBe('normal');
      await expectNoAxeViolations(page, 'new request (phone)');
      await shot(page, 'phone-3-new-request');

      // Nothing filled in: both required fields say so, and the focus goes to the first.
      await page.getByRole('button', { name: 'Submit request' }).click();
      await expect.poll(() => page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Description').getAttribute('aria-invalid')).toBe('true');
      expect(await page.getByLabel('Title').evaluate((el) => el === document.activeElement)).toBe(true);
      await expectNoAxeViolations(page, 'new request with errors (phone)');
      await shot(page, 'phone-3b-new-request-errors');

      await page.getByLabel('Title').fill('Outside tap frozen');
      expect(await page.locator('.counter').first().innerText()).toContain('18 / 200');
      await page.getByLabel('Description').fill('The garden tap froze last night.\nCan someone insulate it?');
      await page.getByLabel('Priority').selectOption('high');
      await page.getByRole('button', { name: 'Submit request' }).click();
      await heading(page, 'Outside tap frozen').waitFor();
      expect(await page.locator('.ticket-head .badge').innerText()).toBe('New');
      expect(await page.locator('.ticket-head .priority').innerText()).toContain('High');
      expect(pathAndQuery(page)).toMatch(/^\/tickets\/[\w-]+$/);
      await expect.poll(() => page.locator('.conversation > li').count()).toBe(1);

      // It is on the list, first.
      await page.getByRole('link', { name: 'All requests' }).click();
      await heading(page, 'Your requests').waitFor();
      await expect.poll(() => page.locator('.ticket-row__title').first().innerText()).toBe('Outside tap frozen');

      expect(problems).toEqual([]);
      await context.close();
    },
    JOURNEY_TIMEOUT,
  );
});

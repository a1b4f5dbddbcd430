import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addContact, createClient, markContactEmailUndeliverable, type Contact } from '../../src/features/clients/client.service.js';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { COMBINE_WINDOW_MS } from '../../src/features/notifications/customer-activity.job.js';
import { deriveUnsubscribeToken } from '../../src/features/notifications/customer-unsubscribe.service.js';
import { formatVisitTime } from '../../src/features/notifications/customer-update-email.js';
import { CUSTOMER_UPDATE_JOB } from '../../src/features/notifications/customer-update.job.js';
import { findReplyTarget, parseReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createTeamTenant, openContactTicket, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { SignInDriver, sessionCookieOf } from '../helpers/sign-in.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { buildTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** Emails to customers about their tickets (issue 13), through the worker and a real SMTP peer. */

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const INBOUND = 'reply.example.com';
type Mail = ParsedMail & { rcpt: string };

describeEachDialect('customer update emails over SMTP', (getDb) => {
  let sink: SmtpSink;
  let t: TestApp;
  let worker: OutboxWorker;
  let d: SignInDriver;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(getDb(), {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'desk@mail.example.com',
      INBOUND_DOMAIN: INBOUND,
    });
    worker = new OutboxWorker({ db: t.deps.db, clock: t.clock, handlers: buildJobHandlers(t.config, t.deps, silent), logger: silent });
    d = new SignInDriver(t);
  });
  afterAll(async () => {
    await t.close();
    await t.deps.mailer.close();
    await sink.close();
  });

  /** Lets the combining minute pass, runs the worker until nothing is due; the mails that reached the sink, parsed. */
  async function deliver(): Promise<Mail[]> {
    t.clock.advance(COMBINE_WINDOW_MS + 1_000);
    const before = sink.received.length;
    for (let i = 0; i < 30 && (await worker.runOnce()) > 0; i++);
    const fresh = sink.received.slice(before);
    return Promise.all(fresh.map(async (r) => Object.assign(await simpleParser(r.raw), { rcpt: r.rcptTo.join(',') })));
  }

  /** A header as written on the wire (mailparser folds `List-*` headers into one object). */
  const header = (mail: ParsedMail, name: string) => {
    const line = mail.headerLines.find((l) => l.key === name)?.line;
    return line?.slice(line.indexOf(':') + 1).trim();
  };
  const to = (mails: readonly Mail[], contact: Pick<Contact, 'email'>) => mails.filter((m) => m.rcpt === contact.email);

  /** A team tenant whose client lets contacts see all tickets, with a ticket of `g.contact` and more contacts. */
  async function sharedClientTenant(name: string) {
    const tt = await createTeamTenant(t, { name });
    const client = await createClient(t.deps, tt.g.tenant.id, { name: 'Harbour Flats', ticketVisibility: 'all' });
    const add = (label: string) =>
      addContact(t.deps, tt.g.tenant.id, client.id, {
        email: `${label}-${tt.g.tenant.slug}@customer.example.com`,
        name: `${label} Person`,
      });
    const requester = await add('requester');
    const follower = await add('follower');
    const bystander = await add('bystander');
    const leaver = await add('leaver');
    const ticket = await openContactTicket(t.deps, requester, { title: 'Boiler & radiator "noise"', body: 'It bangs at night.' });
    // The follower and the leaver take part in the conversation; the bystander never wrote on it.
    for (const who of [follower, leaver]) {
      await appendMessage(forTenant(t.deps.db, tt.g.tenant.id), t.clock, {
        ticketId: ticket.id,
        author: { kind: 'contact', id: who.id },
        body: `${who.name} here too.`,
        visibility: 'public',
        via: 'portal',
      });
    }
    const disabled = await tt.as.admin.patch(`/api/team/contacts/${leaver.id}`, { status: 'disabled' });
    expect(disabled.statusCode, disabled.body).toBe(200);
    await deliver();
    return { tt, ticket, requester, follower, bystander, leaver };
  }

  /** Every header a customer email carries; returns the reply address token's target for further checks. */
  async function expectCustomerHeaders(mail: Mail, tt: TeamTenant, ticketId: string, contact: Contact) {
    expect(mail.from?.value).toEqual([{ name: tt.g.tenant.name, address: 'desk@mail.example.com' }]);
    expect(header(mail, 'auto-submitted')).toBe('auto-generated');
    expect(header(mail, 'list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    const token = deriveUnsubscribeToken(t.deps.appSecret, tt.g.tenant.id, contact.id);
    expect(header(mail, 'list-unsubscribe')).toBe(
      `<${TEST_ORIGIN}/portal/${tt.g.tenant.slug}/unsubscribe?token=${encodeURIComponent(token)}>`,
    );
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    const replyToken = parseReplyAddress(replyTo, INBOUND);
    expect(replyToken).toBeDefined();
    const target = await findReplyTarget(t.deps.db, replyToken!);
    expect(target).toMatchObject({ tenantId: tt.g.tenant.id, ticketId, recipient: { kind: 'contact', id: contact.id } });
    expect(mail.messageId).toMatch(new RegExp(`^<ticket-${ticketId}\\.c-${contact.id}(\\.[^@]+)?@${INBOUND.replace(/\./g, '\\.')}>$`));
    expect(String(mail.references)).toContain(`<ticket-${ticketId}@${INBOUND}>`);
  }

  it('confirms a portal submission to the submitter, branded, with reply address, threading, unsubscribe and a deep link onto the ticket', async () => {
    const tt = await createTeamTenant(t, { name: 'Rivera & Sons Plumbing' });
    await deliver();
    const cookie = await portalCookieFor(t, tt.g.contact);
    const submitted = await t.app.inject({
      method: 'POST',
      url: `/portal/${tt.g.tenant.slug}/api/tickets`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: { title: 'Dripping tap <b>', description: 'Kitchen tap drips.' },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const ticket = submitted.json().ticket as { id: string; number: number };
    const mails = await deliver();
    const mine = to(mails, tt.g.contact);
    expect(mine).toHaveLength(1);
    const mail = mine[0]!;
    expect(mail.subject).toBe(`[#${ticket.number}] Dripping tap <b>`);
    expect(mail.text).toContain('We received your request');
    expect(mail.html).toContain('Dripping tap &#60;b&#62;');
    expect(mail.html).not.toContain('Servelo');
    await expectCustomerHeaders(mail, tt, ticket.id, tt.g.contact);
    expect(mail.messageId).toBe(`<ticket-${ticket.id}.c-${tt.g.contact.id}@${INBOUND}>`);

    const link = new RegExp(`${TEST_ORIGIN}/portal/${tt.g.tenant.slug}/auth/confirm#token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
    expect(link).not.toBeNull();
    const confirmed = await d.confirm(tt.g.tenant.slug, link![1]!);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().landingPath).toBe(`/tickets/${ticket.id}`);
    const opened = await t.app.inject({
      method: 'GET',
      url: `/portal/${tt.g.tenant.slug}/api/tickets/${ticket.id}`,
      headers: { cookie: sessionCookieOf(confirmed) },
    });
    expect(opened.statusCode, opened.body).toBe(200);
  });

  it('combines a reply, two status changes and a visit within a minute into one email per following contact, and the next email threads under it', async () => {
    const { tt, ticket, requester, follower, bystander, leaver } = await sharedClientTenant('Harbour Heating');
    const zone = await tt.as.owner.patch('/api/team/settings/organisation', { timeZone: 'Europe/Berlin' });
    expect(zone.statusCode, zone.body).toBe(200);
    const visit = '2026-12-10T08:30:00.000Z';
    const url = `/api/team/tickets/${ticket.id}`;
    // All in one clock minute (the jobs' dedupe window): the start of the next one.
    t.clock.advance(COMBINE_WINDOW_MS - (t.clock.now().getTime() % COMBINE_WINDOW_MS));
    expect((await tt.as.agent.post(`${url}/messages`, { body: 'We will come & fix it.', visibility: 'public' })).statusCode).toBe(201);
    t.clock.advance(5_000);
    expect((await tt.as.agent.patch(url, { status: 'scheduled', scheduledAt: visit })).statusCode).toBe(200);
    t.clock.advance(5_000);
    expect((await tt.as.agent.patch(url, { status: 'in_progress', priority: 'high' })).statusCode).toBe(200);
    t.clock.advance(5_000);
    expect(
      (await tt.as.agent.post(`${url}/messages`, { body: 'Internal: bring the big wrench.', visibility: 'internal' })).statusCode,
    ).toBe(201);
    // One job per following contact for the minute (the disabled one's job will send nothing), not one per change.
    const jobs = await listJobs(t.deps.db, { kind: CUSTOMER_UPDATE_JOB, tenantId: tt.g.tenant.id });
    expect(jobs.filter((j) => j.status === 'pending')).toHaveLength(3);

    const mails = await deliver();
    expect(mails.map((m) => m.rcpt).sort()).toEqual([follower.email, requester.email].sort());
    for (const nobody of [bystander, leaver]) expect(to(mails, nobody)).toEqual([]);
    const tenant = { locale: tt.g.tenant.locale, timeZone: 'Europe/Berlin' };
    for (const [contact, mail] of [
      [requester, to(mails, requester)[0]!],
      [follower, to(mails, follower)[0]!],
    ] as const) {
      await expectCustomerHeaders(mail, tt, ticket.id, contact);
      expect(mail.subject).toBe(`[#${ticket.number}] Boiler & radiator "noise"`);
      expect(mail.text).toContain('We will come & fix it.');
      expect(mail.text).toContain('is now: In progress');
      expect(mail.text).toContain(`A visit is scheduled for ${formatVisitTime(new Date(visit), tenant)}.`);
      expect(mail.text).toContain('(Europe/Berlin)');
      expect(mail.text).not.toContain('big wrench');
      expect(mail.text).not.toContain('Scheduled.');
      expect(mail.messageId).toBe(`<ticket-${ticket.id}.c-${contact.id}@${INBOUND}>`);
    }

    // The visit moves and the team waits on the customer: a second email, replying to the first.
    const moved = '2026-12-11T13:00:00.000Z';
    expect((await tt.as.agent.patch(url, { status: 'waiting_on_customer', scheduledAt: moved })).statusCode).toBe(200);
    const second = to(await deliver(), requester);
    expect(second).toHaveLength(1);
    const [first] = to(mails, requester);
    expect(second[0]!.subject).toBe(`Re: [#${ticket.number}] Boiler & radiator "noise"`);
    expect(second[0]!.inReplyTo).toBe(first!.messageId);
    expect(second[0]!.references).toEqual([`<ticket-${ticket.id}@${INBOUND}>`, first!.messageId]);
    expect(second[0]!.messageId).not.toBe(first!.messageId);
    expect(second[0]!.text).toContain('Waiting on you');
    expect(second[0]!.text).toContain(`The visit is moved to ${formatVisitTime(new Date(moved), tenant)}`);
  });

  it('emails no customer about what they did themselves, a priority, or a status they do not care about', async () => {
    const { tt, ticket, requester } = await sharedClientTenant('Quiet Pipes');
    const url = `/api/team/tickets/${ticket.id}`;
    expect((await tt.as.agent.patch(url, { priority: 'urgent', status: 'open' })).statusCode).toBe(200);
    expect(await deliver()).toEqual([]);
    const cookie = await portalCookieFor(t, requester);
    const closed = await t.app.inject({
      method: 'POST',
      url: `/portal/${tt.g.tenant.slug}/api/tickets/${ticket.id}/close`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: { message: 'Sorted, thanks.' },
    });
    expect(closed.statusCode, closed.body).toBe(200);
    const after = await deliver();
    expect(after.filter((m) => m.rcpt.endsWith('@customer.example.com'))).toEqual([]);
    // Nothing was sent, so the next email is still the first of the requester's thread.
    expect((await tt.as.agent.post(`${url}/messages`, { body: 'Glad it is sorted.', visibility: 'public' })).statusCode).toBe(201);
    const first = to(await deliver(), requester);
    expect(first.map((m) => [m.subject, m.messageId])).toEqual([
      [`[#${ticket.number}] Boiler & radiator "noise"`, `<ticket-${ticket.id}.c-${requester.id}@${INBOUND}>`],
    ]);
  });

  it('tells the requester when the team closes their request, and a follower on an "own" client hears nothing', async () => {
    const tt = await createTeamTenant(t, { name: 'Own Client Co' });
    await deliver();
    // A client whose contacts see only their own tickets: another contact who wrote is no follower.
    const own = await tt.as.admin.patch(`/api/team/clients/${tt.g.client.id}`, { ticketVisibility: 'own' });
    expect(own.statusCode, own.body).toBe(200);
    const other = await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, {
      email: `other-${tt.g.tenant.slug}@customer.example.com`,
      name: 'Other',
    });
    await appendMessage(forTenant(t.deps.db, tt.g.tenant.id), t.clock, {
      ticketId: tt.g.ticket.id,
      author: { kind: 'contact', id: other.id },
      body: 'Me too.',
      visibility: 'public',
      via: 'portal',
    });
    expect((await tt.as.agent.patch(`/api/team/tickets/${tt.g.ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    const mails = await deliver();
    expect(mails.map((m) => m.rcpt)).toEqual([tt.g.contact.email]);
    expect(mails[0]!.text).toContain(`Own Client Co closed your request #${tt.g.ticket.number}.`);
    await expectCustomerHeaders(mails[0]!, tt, tt.g.ticket.id, tt.g.contact);
  });

  it('mails no update to a contact whose address bounced, until the address changes', async () => {
    const tt = await createTeamTenant(t, { name: 'Bounce Co' });
    await deliver();
    expect(
      await markContactEmailUndeliverable(forTenant(t.deps.db, tt.g.tenant.id), t.clock, tt.g.contact.id, {
        email: tt.g.contact.email,
        reason: 'mailbox unavailable',
      }),
    ).toBe(true);
    expect((await tt.as.agent.patch(`/api/team/tickets/${tt.g.ticket.id}`, { status: 'closed' })).statusCode).toBe(200);
    expect(await deliver()).toEqual([]);
    const moved = `moved-${tt.g.tenant.slug}@customer.example.com`;
    expect((await tt.as.admin.patch(`/api/team/contacts/${tt.g.contact.id}`, { email: moved })).statusCode).toBe(200);
    expect((await tt.as.agent.patch(`/api/team/tickets/${tt.g.ticket.id}`, { status: 'scheduled' })).statusCode).toBe(200);
    // (The address change itself is confirmed by email too; the ticket's update is the one with its number.)
    const updates = (await deliver()).filter((m) => m.subject?.includes(`[#${tt.g.ticket.number}]`));
    expect(updates.map((m) => m.rcpt)).toEqual([moved]);
  });

  it('one-click unsubscribe (RFC 8058 POST, no cookie or Origin) stops status and visit emails but not replies, sign-in or quote emails', async () => {
    const { tt, ticket, requester } = await sharedClientTenant('Stop Please Ltd');
    const token = deriveUnsubscribeToken(t.deps.appSecret, tt.g.tenant.id, requester.id);
    const path = `/portal/${tt.g.tenant.slug}/unsubscribe?token=${encodeURIComponent(token)}`;

    const page = await t.app.inject({ method: 'GET', url: path });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.headers['cache-control']).toBe('no-store');
    expect(page.body).toContain('Stop these emails');
    expect(page.body).toContain('name="List-Unsubscribe" value="One-Click"');
    expect(page.body).toContain('Stop Please Ltd');
    expect(page.body).not.toContain('Servelo');
    expect(page.body).not.toContain(requester.email);

    // As a mail provider sends it: server to server, no Origin, no fetch metadata, no cookie.
    const oneClick = await t.app.inject({
      method: 'POST',
      url: path,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode, oneClick.body).toBe(200);
    expect(oneClick.body).toContain('You will no longer get these emails');
    // Exactly this route: any other write without Origin is still refused.
    const other = await t.app.inject({ method: 'POST', url: `/portal/${tt.g.tenant.slug}/api/auth/logout` });
    expect(other.statusCode).toBe(403);
    expect(other.json().error.code).toBe('CROSS_SITE_REQUEST');

    const contact = await tt.as.agent.get(`/api/team/clients/${requester.clientId}`);
    const seen = (contact.json().contacts as { id: string; emailUpdatesOffAt: string | null }[]).find((c) => c.id === requester.id);
    expect(seen?.emailUpdatesOffAt).toBe(t.clock.now().toISOString());
    expect((await t.app.inject({ method: 'GET', url: path })).body).toContain('already off');

    const url = `/api/team/tickets/${ticket.id}`;
    expect((await tt.as.agent.patch(url, { status: 'scheduled', scheduledAt: '2026-12-12T09:00:00.000Z' })).statusCode).toBe(200);
    expect(to(await deliver(), requester)).toEqual([]);

    expect((await tt.as.agent.post(`${url}/messages`, { body: 'See you Saturday.', visibility: 'public' })).statusCode).toBe(201);
    expect((await tt.as.agent.patch(url, { status: 'in_progress' })).statusCode).toBe(200);
    const reply = to(await deliver(), requester);
    expect(reply).toHaveLength(1);
    expect(reply[0]!.text).toContain('See you Saturday.');
    expect(reply[0]!.text).not.toContain('In progress');

    expect((await d.requestLink(tt.g.tenant.slug, requester.email)).statusCode).toBe(202);
    const signIn = to(await deliver(), requester);
    expect(signIn).toHaveLength(1);

    const created = await tt.as.agent.post('/api/team/quotes', {
      clientId: requester.clientId,
      ticketId: ticket.id,
      title: 'New boiler',
      recipientContactIds: [requester.id],
      lines: [{ description: 'Boiler', quantity: '1', unitPrice: 100_000, taxRatePercent: '0' }],
    });
    expect(created.statusCode, created.body).toBe(201);
    const quoteId = (created.json().quote as { id: string }).id;
    expect((await tt.as.agent.post(`/api/team/quotes/${quoteId}/send`, {})).statusCode).toBe(200);
    const quoteMail = to(await deliver(), requester);
    expect(quoteMail.map((m) => m.subject)).toEqual([expect.stringContaining('New boiler')]);
    // A quote on a ticket carries the contact's reply address for that ticket.
    const quoteReply = parseReplyAddress(quoteMail[0]!.replyTo?.value[0]?.address ?? '', INBOUND);
    expect(quoteReply).toBeDefined();
    expect(await findReplyTarget(t.deps.db, quoteReply!)).toMatchObject({
      ticketId: ticket.id,
      recipient: { kind: 'contact', id: requester.id },
    });

    // Back on from the portal profile: status emails come again.
    const cookie = await portalCookieFor(t, requester);
    const profile = await t.app.inject({
      method: 'PATCH',
      url: `/portal/${tt.g.tenant.slug}/api/me`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: { emailUpdates: true },
    });
    expect(profile.statusCode, profile.body).toBe(200);
    expect(profile.json().contact.emailUpdates).toBe(true);
    expect((await tt.as.agent.patch(url, { status: 'waiting_on_customer' })).statusCode).toBe(200);
    const again = to(await deliver(), requester);
    expect(again).toHaveLength(1);
    expect(again[0]!.text).toContain('Waiting on you');
  });

  it('refuses a forged, altered or other organisation’s unsubscribe token with one answer, and changes nothing', async () => {
    const a = await sharedClientTenant('Alpha Drains');
    const b = await createTeamTenant(t, { name: 'Beta Drains' });
    const good = deriveUnsubscribeToken(t.deps.appSecret, a.tt.g.tenant.id, a.requester.id);
    const foreign = deriveUnsubscribeToken(t.deps.appSecret, b.g.tenant.id, a.requester.id);
    const flipped = `${good.slice(0, -2)}${good.endsWith('AA') ? 'AB' : 'AA'}`;
    const otherContact = `${a.follower.id}.${good.split('.')[1]}`;
    const answers: string[] = [];
    for (const token of [foreign, flipped, otherContact, 'nonsense', '']) {
      const url = `/portal/${a.tt.g.tenant.slug}/unsubscribe?token=${encodeURIComponent(token)}`;
      const get = await t.app.inject({ method: 'GET', url });
      const post = await t.app.inject({
        method: 'POST',
        url,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        payload: 'List-Unsubscribe=One-Click',
      });
      for (const res of [get, post]) {
        expect(res.statusCode).toBe(400);
        // Each page has its own CSP nonce; everything else must be the same.
        answers.push(res.body.replace(/nonce="[^"]+"/g, 'nonce=""'));
      }
    }
    expect(new Set(answers).size).toBe(1);
    expect(answers[0]).toContain('This link is not valid');
    // The good token of tenant A used on tenant B's portal is refused the same way.
    const onB = await t.app.inject({ method: 'GET', url: `/portal/${b.g.tenant.slug}/unsubscribe?token=${encodeURIComponent(good)}` });
    expect(onB.statusCode).toBe(400);
    const me = await t.app.inject({
      method: 'GET',
      url: `/portal/${a.tt.g.tenant.slug}/api/me`,
      headers: { cookie: await portalCookieFor(t, a.requester) },
    });
    expect(me.json().contact.emailUpdates).toBe(true);
    const follower = await t.app.inject({
      method: 'GET',
      url: `/portal/${a.tt.g.tenant.slug}/api/me`,
      headers: { cookie: await portalCookieFor(t, a.follower) },
    });
    expect(follower.json().contact.emailUpdates).toBe(true);
  });
});

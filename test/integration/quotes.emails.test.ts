import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleParser, type ParsedMail } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { COMBINE_WINDOW_MS } from '../../src/features/notifications/customer-activity.job.js';
import { setNotificationRecipients } from '../../src/features/notifications/notification-recipients.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createTeamTenant, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { SignInDriver, sessionCookieOf } from '../helpers/sign-in.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { buildTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The quote emails through the worker and a real SMTP peer: to the customer, to the team, and the signed PDF. */

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

describeEachDialect('quotes: the emails over SMTP', (getDb) => {
  let sink: SmtpSink;
  let t: TestApp;
  let worker: OutboxWorker;
  let d: SignInDriver;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(getDb(), { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'quotes@mail.example.com' });
    worker = new OutboxWorker({ db: t.deps.db, clock: t.clock, handlers: buildJobHandlers(t.config, t.deps, silent), logger: silent });
    d = new SignInDriver(t);
  });
  afterAll(async () => {
    await t.close();
    await t.deps.mailer.close();
    await sink.close();
  });

  /** Runs the worker until nothing is due; the mails that reached the sink meanwhile, parsed. */
  async function deliver(): Promise<(ParsedMail & { rcpt: string })[]> {
    const before = sink.received.length;
    for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
    const fresh = sink.received.slice(before);
    return Promise.all(fresh.map(async (r) => Object.assign(await simpleParser(r.raw), { rcpt: r.rcptTo.join(',') })));
  }

  async function sentQuote(tt: TeamTenant, extra: Record<string, unknown> = {}): Promise<{ id: string; number: string }> {
    t.clock.advance(1_000);
    const created = await tt.as.agent.post('/api/team/quotes', {
      clientId: tt.g.client.id,
      ticketId: tt.g.ticket.id,
      title: 'Bathroom refit',
      // 1 × $1,028.80 + 20 % ($205.76) = $1,234.56
      lines: [{ description: 'Refit', quantity: '1', unitPrice: 102_880, taxRatePercent: '20' }],
      ...extra,
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id, number } = created.json().quote as { id: string; number: string };
    expect((await tt.as.agent.post(`/api/team/quotes/${id}/send`, {})).statusCode).toBe(200);
    return { id, number };
  }

  async function portal(tt: TeamTenant) {
    const cookie = await portalCookieFor(t, tt.g.contact);
    const base = `/portal/${tt.g.tenant.slug}/api`;
    return {
      get: (p: string) => t.app.inject({ method: 'GET', url: `${base}${p}`, headers: { cookie } }),
      post: (p: string, payload: unknown) =>
        t.app.inject({ method: 'POST', url: `${base}${p}`, headers: { ...SAME_ORIGIN_JSON, cookie }, payload: payload as object }),
    };
  }

  it('emails the recipient the organisation, the total and a deep link that signs in and lands on the quote', async () => {
    const tt = await createTeamTenant(t, { name: 'Harbour & Sons Plumbing' });
    await deliver();
    const { id, number } = await sentQuote(tt);
    const mails = await deliver();
    expect(mails.map((m) => m.rcpt)).toEqual([tt.g.contact.email]);
    const mail = mails[0]!;
    expect(mail.from?.value).toEqual([{ name: 'Harbour & Sons Plumbing', address: 'quotes@mail.example.com' }]);
    expect(mail.subject).toBe(`Quote ${number} from Harbour & Sons Plumbing: Bathroom refit`);
    expect(mail.text).toContain('$1,234.56');
    expect(mail.html).toContain('$1,234.56');
    const link = new RegExp(`${TEST_ORIGIN}/portal/${tt.g.tenant.slug}/auth/confirm#token=([A-Za-z0-9_-]+)`).exec(mail.text ?? '');
    expect(link).not.toBeNull();
    expect(mail.html).toContain(link![0]);

    const confirmed = await d.confirm(tt.g.tenant.slug, link![1]!);
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json().landingPath).toBe(`/quotes/${id}`);
    const cookie = sessionCookieOf(confirmed);
    const opened = await t.app.inject({ method: 'GET', url: `/portal/${tt.g.tenant.slug}/api/quotes/${id}`, headers: { cookie } });
    expect(opened.statusCode, opened.body).toBe(200);
    expect(opened.json().quote).toMatchObject({ number, total: { amount: 123_456, currency: 'USD' } });
    // Single use.
    expect((await d.confirm(tt.g.tenant.slug, link![1]!)).statusCode).not.toBe(200);
  });

  it('tells the notification recipients of a first view, an acceptance, a decline and a change request; the signer gets the signed PDF', async () => {
    const tt = await createTeamTenant(t, { name: 'Rivera Heating' });
    // Settings > Notifications: the owner and the agent, not the admin.
    await setNotificationRecipients(forTenant(t.deps.db, tt.g.tenant.id), [tt.owner.id, tt.g.member.id]);
    const team = [tt.owner.email, tt.g.member.email].sort();
    const accepted = await sentQuote(tt, { requiresSignature: true });
    const declined = await sentQuote(tt);
    const changed = await sentQuote(tt);
    await deliver();
    const customer = await portal(tt);
    const who = `${tt.g.contact.name} <${tt.g.contact.email}>`;

    expect((await customer.get(`/quotes/${accepted.id}`)).statusCode).toBe(200);
    const viewed = await deliver();
    expect(viewed.map((m) => m.rcpt).sort()).toEqual(team);
    for (const m of viewed) {
      expect(m.subject).toBe(`[${accepted.number}] ${who} opened “Bathroom refit”`);
      expect(m.from?.value[0]?.name).toBe('Rivera Heating');
      expect(m.text).toContain('$1,234.56');
      expect(m.text).toContain(`${TEST_ORIGIN}/app/quotes/${accepted.id}`);
    }
    t.clock.advance(60_000);
    expect((await customer.get(`/quotes/${accepted.id}`)).statusCode).toBe(200);
    expect(await deliver()).toEqual([]);

    t.clock.advance(60_000);
    const signer = 'Zoë Łukasiewicz';
    const accept = await customer.post(`/quotes/${accepted.id}/accept`, { version: 1, signerName: signer, signature: { kind: 'typed' } });
    expect(accept.statusCode, accept.body).toBe(200);
    const afterAccept = await deliver();
    const toTeam = afterAccept.filter((m) => m.rcpt !== tt.g.contact.email);
    expect(toTeam.map((m) => m.rcpt).sort()).toEqual(team);
    for (const m of toTeam) expect(m.subject).toBe(`[${accepted.number}] ${who} accepted “Bathroom refit”`);
    const confirmation = afterAccept.filter((m) => m.rcpt === tt.g.contact.email);
    expect(confirmation).toHaveLength(1);
    expect(confirmation[0]!.subject).toBe(`You accepted quote ${accepted.number} from Rivera Heating`);
    expect(confirmation[0]!.text).toContain('$1,234.56');
    const attachments = confirmation[0]!.attachments;
    expect(attachments.map((a) => [a.filename, a.contentType])).toEqual([[`${accepted.number}-v1.pdf`, 'application/pdf']]);
    const dir = mkdtempSync(path.join(tmpdir(), 'quote-mail-'));
    try {
      writeFileSync(path.join(dir, 'q.pdf'), attachments[0]!.content);
      const text = execFileSync('pdftotext', ['-enc', 'UTF-8', path.join(dir, 'q.pdf'), '-'], { encoding: 'utf8' });
      expect(text).toContain(accepted.number);
      expect(text).toContain(signer);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }

    t.clock.advance(60_000);
    const decline = await customer.post(`/quotes/${declined.id}/decline`, { reason: 'We found someone closer.' });
    expect(decline.statusCode, decline.body).toBe(200);
    const afterDecline = await deliver();
    expect(afterDecline.map((m) => m.rcpt).sort()).toEqual(team);
    for (const m of afterDecline) {
      expect(m.subject).toBe(`[${declined.number}] ${who} declined “Bathroom refit”`);
      expect(m.text).toContain('We found someone closer.');
    }

    t.clock.advance(60_000);
    const change = await customer.post(`/quotes/${changed.id}/request-changes`, { message: 'Could the tiles be white instead?' });
    expect(change.statusCode, change.body).toBe(200);
    // Told as a customer message on the ticket, once the minute in which messages combine has passed.
    t.clock.advance(COMBINE_WINDOW_MS);
    const afterChange = await deliver();
    expect(afterChange.map((m) => m.rcpt).sort()).toEqual(team);
    for (const m of afterChange) {
      expect(m.text).toContain('Could the tiles be white instead?');
      expect(m.text).toContain(changed.number);
    }
  });
});

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { type ParsedMail, simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { type InboundSmtpListener, startInboundSmtpListener } from '../../src/features/inbound-mail/inbound-smtp.listener.js';
import { findContactById } from '../../src/features/clients/client.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createTeamTenant, portalCookieFor } from '../helpers/factories.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { buildTestApp, SAME_ORIGIN_JSON, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const INBOUND = 'reply.example.com';
const FIXTURES = fileURLToPath(new URL('../fixtures/inbound/', import.meta.url));
type Mail = ParsedMail & { rcpt: string };

/**
 * Email both ways, end to end over real SMTP: a customer's portal request emails the team; a team
 * member answers from their mail client to the notification's Reply-To; the customer sees the
 * answer in the portal and gets it by email, threaded under the confirmation of their request;
 * they answer that email, and the team sees it on the ticket as the customer's message.
 */
describeEachDialect('inbound mail: the round trip', (getDb) => {
  let sink: SmtpSink;
  let t: TestApp;
  let worker: OutboxWorker;
  let listener: InboundSmtpListener;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(getDb(), {
      SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
      MAIL_FROM: 'desk@mail.example.com',
      INBOUND_DOMAIN: INBOUND,
    });
    worker = new OutboxWorker({ db: t.deps.db, clock: t.clock, handlers: buildJobHandlers(t.config, t.deps, silent), logger: silent });
    // No DNS records anywhere: mailauth finds no DMARC policy (none), so identity rests on From alone.
    const nxdomain = async () => {
      throw Object.assign(new Error('no such name'), { code: 'ENOTFOUND' });
    };
    listener = await startInboundSmtpListener(
      { db: t.deps.db, clock: t.deps.clock, files: t.deps.files, inboundDomain: INBOUND },
      { host: '127.0.0.1', port: 0, maxBytes: 1024 * 1024, logger: silent, wakeWorker: () => undefined, resolver: nxdomain, tls: null },
    );
  });
  afterAll(async () => {
    await listener?.close();
    await t.close();
    await t.deps.mailer.close();
    await sink.close();
  });

  async function deliver(): Promise<Mail[]> {
    t.clock.advance(61_000);
    const before = sink.received.length;
    for (let i = 0; i < 30 && (await worker.runOnce()) > 0; i++);
    const fresh = sink.received.slice(before);
    return Promise.all(fresh.map(async (r) => Object.assign(await simpleParser(r.raw), { rcpt: r.rcptTo.join(',') })));
  }

  async function send(from: string, answering: Mail, text: string): Promise<void> {
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
    await transport.sendMail({
      from,
      to: answering.replyTo?.value[0]?.address ?? '',
      subject: `Re: ${answering.subject ?? ''}`,
      inReplyTo: answering.messageId ?? '',
      references: answering.messageId ?? '',
      text: `${text}\n\nOn Sun, 6 Dec 2026 at 10:00, ${answering.from?.text ?? ''} wrote:\n> ${answering.text?.split('\n')[0] ?? ''}\n`,
    });
    transport.close();
  }

  it('carries a conversation between the team’s inbox and the customer’s, through the ticket', async () => {
    const team = await createTeamTenant(t, { name: 'Riverside Plumbing' });
    const { g } = team;
    await deliver();
    const cookie = await portalCookieFor(t, g.contact);
    const portal = `/portal/${g.tenant.slug}/api`;
    const submitted = await t.app.inject({
      method: 'POST',
      url: `${portal}/tickets`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: { title: 'Dripping tap', description: 'The bathroom tap drips all night.', fileIds: [] },
    });
    expect(submitted.statusCode, submitted.body).toBe(201);
    const ticketId = submitted.json().ticket.id as string;

    const first = await deliver();
    const toOwner = first.find((m) => m.rcpt === team.owner.email);
    const received = first.find((m) => m.rcpt === g.contact.email);
    expect(toOwner?.text).toContain('The bathroom tap drips all night.');
    expect(received?.subject).toContain('Dripping tap');

    // The owner answers from their mail client; the quoted history stays out of the ticket.
    await send(team.owner.email, toOwner!, 'We can come on Tuesday at 9.');
    // The worker posts it; the customer's email about it leaves a minute later (changes combine).
    const second = [...(await deliver()), ...(await deliver())];
    const seen = await t.app.inject({ method: 'GET', url: `${portal}/tickets/${ticketId}`, headers: { cookie } });
    const fromTeam = seen.json().messages.at(-1);
    expect(fromTeam).toMatchObject({ body: 'We can come on Tuesday at 9.', author: { kind: 'team' } });
    const answer = second.find((m) => m.rcpt === g.contact.email);
    expect(answer?.text).toContain('We can come on Tuesday at 9.');
    // It threads under the first email the customer got about this request.
    expect(answer?.inReplyTo).toBe(received?.messageId);

    // The customer answers that email; the team sees it as the customer's message.
    await send(g.contact.email, answer!, 'Tuesday is perfect, thank you.');
    await deliver();
    const ticket = await team.as.agent.get(`/api/team/tickets/${ticketId}`);
    const last = ticket.json().messages.at(-1);
    expect(last).toMatchObject({ body: 'Tuesday is perfect, thank you.', via: 'email', author: { kind: 'contact', id: g.contact.id } });
  });

  it('sends customer mail from the contact’s reply address, so a bounce comes back and marks the address undeliverable', async () => {
    const team = await createTeamTenant(t, { name: 'Bounce Back Ltd' });
    const { g } = team;
    await deliver();
    expect((await team.as.agent.patch(`/api/team/tickets/${g.ticket.id}`, { status: 'scheduled' })).statusCode).toBe(200);
    const before = sink.received.length;
    const [update] = (await deliver()).filter((m) => m.rcpt === g.contact.email);
    const returnPath = sink.received.slice(before).find((r) => r.rcptTo.includes(g.contact.email))?.mailFrom;
    expect(returnPath).toBe(update?.replyTo?.value[0]?.address);
    expect(returnPath).toMatch(new RegExp(`^reply\\+[A-Za-z0-9_-]{22}@${INBOUND.replace('.', '\\.')}$`));

    // The customer's server refuses it and reports to the envelope sender, with a null return path.
    const dsn = readFileSync(path.join(FIXTURES, 'dsn-bounce.eml'), 'utf8')
      .replaceAll('{{FROM}}', g.contact.email)
      .replaceAll('{{TO}}', returnPath!);
    const transport = nodemailer.createTransport({ host: '127.0.0.1', port: listener.port, secure: false, ignoreTLS: true });
    await transport.sendMail({ envelope: { from: '', to: [returnPath!] }, raw: dsn });
    transport.close();
    await deliver();
    const contact = await findContactById(forTenant(t.deps.db, g.tenant.id), g.contact.id);
    expect(contact?.emailUndeliverable?.reason).toContain('5.1.1');
    // From now on the contact gets no updates, and the team sees why.
    expect((await team.as.agent.patch(`/api/team/tickets/${g.ticket.id}`, { status: 'in_progress' })).statusCode).toBe(200);
    expect((await deliver()).filter((m) => m.rcpt === g.contact.email)).toEqual([]);
  });
});

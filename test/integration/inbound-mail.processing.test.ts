import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, it } from 'vitest';
import { attachmentsOfMessages } from '../../src/features/attachments/file.service.js';
import { findContactById } from '../../src/features/clients/client.service.js';
import { acceptInboundMail, findInboundMessage, INBOUND_PROCESS_JOB } from '../../src/features/inbound-mail/inbound-mail.service.js';
import type { InboundAuthentication } from '../../src/features/inbound-mail/inbound-mail.domain.js';
import { listMessagesOfTicket } from '../../src/features/messages/message.service.js';
import { CUSTOMER_ACTIVITY_JOB } from '../../src/features/notifications/customer-activity.job.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { updatePortalSettings } from '../../src/features/tenants/tenant.service.js';
import { changeTicket, findTicket } from '../../src/features/tickets/ticket.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { CUSTOMER_UPDATE_JOB } from '../../src/features/notifications/customer-update.job.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTeamTenant, type TeamTenant } from '../helpers/factories.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const FIXTURES = path.resolve(import.meta.dirname, '../fixtures/inbound');

/** A fixture with its placeholders filled: `{{FROM}}` the sender's address, `{{TO}}` the reply address. */
function fixture(name: string, values: { from: string; to: string }): Buffer {
  const text = readFileSync(path.join(FIXTURES, name), 'utf8');
  return Buffer.from(text.replaceAll('{{FROM}}', values.from).replaceAll('{{TO}}', values.to), 'utf8');
}

const PASS: InboundAuthentication = { source: 'mailauth', dmarc: 'pass', fromDomain: 'example.com', spf: 'pass', dkim: 'pass' };

/**
 * Everything that happens to an inbound message after a door accepted it: the worker's
 * `inbound.process` job reads it back, decides (posted, quarantined, dropped, bounce) and records
 * the outcome once; the team reviews the quarantine. Each realistic fixture has its outcome.
 */
describeEachDialect('inbound mail: processing', (getDb) => {
  const t = useTestApp(getDb);

  async function setup(recipient: 'contact' | 'member' = 'contact'): Promise<{ tt: TeamTenant; to: string; from: string }> {
    const tt = await createTeamTenant(t);
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    const pair =
      recipient === 'contact'
        ? { ticketId: tt.g.ticket.id, contactId: tt.g.contact.id }
        : { ticketId: tt.g.ticket.id, memberId: tt.g.member.id };
    const to = await ensureReplyAddress(scope, t.clock, t.deps.appSecret, t.config.inboundDomain, pair);
    return { tt, to, from: recipient === 'contact' ? tt.g.contact.email : tt.g.member.email };
  }

  async function deliver(
    tt: TeamTenant,
    raw: Buffer,
    options: { to: string; envelopeFrom?: string | null; authentication?: InboundAuthentication | null },
  ): Promise<string> {
    const accepted = await acceptInboundMail(
      { ...t.deps, inboundDomain: t.config.inboundDomain },
      {
        raw,
        door: 'smtp',
        envelope: { from: options.envelopeFrom === undefined ? 'sender@example.net' : options.envelopeFrom, to: [options.to] },
        authentication: options.authentication === undefined ? PASS : options.authentication,
      },
    );
    expect(accepted.accepted).toBe(1);
    const id = accepted.ids[0]!;
    await runJob(tt, id);
    return id;
  }

  async function runJob(tt: TeamTenant, id: string): Promise<void> {
    const handlers = buildJobHandlers(t.config, t.deps, { info: () => undefined });
    await handlers[INBOUND_PROCESS_JOB]!(
      { tenantId: tt.g.tenant.id, inboundMessageId: id },
      {
        id: 'test',
        kind: INBOUND_PROCESS_JOB,
        tenantId: tt.g.tenant.id,
        attempt: 1,
      },
    );
  }

  const rowOf = (tt: TeamTenant, id: string) => findInboundMessage(forTenant(t.deps.db, tt.g.tenant.id), id);
  const emailMessages = async (tt: TeamTenant) =>
    (await listMessagesOfTicket(forTenant(t.deps.db, tt.g.tenant.id), tt.g.ticket.id, { publicOnly: false })).filter(
      (m) => m.via === 'email',
    );
  const notifications = async (tt: TeamTenant) =>
    (await listJobs(t.deps.db, { kind: CUSTOMER_ACTIVITY_JOB, tenantId: tt.g.tenant.id })).filter((j) =>
      String(j.payload).includes('"replied"'),
    );

  it('posts a Gmail reply as the customer: the new text only, the Message-ID kept, the team notified — once, however often the job runs', async () => {
    const { tt, to, from } = await setup();
    const id = await deliver(tt, fixture('gmail-reply.eml', { from, to }), { to });
    const row = await rowOf(tt, id);
    expect(row).toMatchObject({ status: 'posted', reason: null });
    const [message, ...others] = await emailMessages(tt);
    expect(others).toEqual([]);
    expect(message).toMatchObject({
      id: row!.postedMessageId,
      body: 'Thanks, Tuesday at 9 works for us.\nThe side gate will be open – ring at 4B.',
      author: { kind: 'contact', id: tt.g.contact.id },
      visibility: 'public',
      via: 'email',
      emailMessageId: '<CAHk7x0Fq+gmail-reply-31@mail.gmail.com>',
    });
    expect(row?.summary).toEqual({ fromAddress: from, subject: 'Re: [#31] Leaking sink in unit 4B', preview: message!.body });
    // The owner and the admin are the default recipients of customer activity.
    expect(await notifications(tt)).toHaveLength(2);

    // A duplicated or retried job finds the row moved and posts nothing.
    await runJob(tt, id);
    await runJob(tt, id);
    expect(await emailMessages(tt)).toHaveLength(1);
    expect(await notifications(tt)).toHaveLength(2);
  });

  it('posts an Outlook reply from a team member as their public reply (history under the line and signature removed), emailing the customer', async () => {
    const { tt, to, from } = await setup('member');
    const before = (await listJobs(t.deps.db, { kind: CUSTOMER_UPDATE_JOB, tenantId: tt.g.tenant.id })).length;
    const id = await deliver(tt, fixture('outlook-reply.eml', { from, to }), { to });
    expect(await rowOf(tt, id)).toMatchObject({ status: 'posted' });
    const [message] = await emailMessages(tt);
    expect(message).toMatchObject({
      body: 'Hi Maria,\n\nJordan will bring a new trap and the sealant. Should take about an hour.',
      author: { kind: 'team_member', id: tt.g.member.id },
      visibility: 'public',
      via: 'email',
    });
    // The customer hears of it as of any team reply: their update email is queued (it leaves a minute later, combined).
    const updates = await listJobs(t.deps.db, { kind: CUSTOMER_UPDATE_JOB, tenantId: tt.g.tenant.id });
    expect(updates).toHaveLength(before + 1);
    expect(String(updates.at(-1)!.payload)).toContain(tt.g.contact.id);
  });

  it('posts an Apple Mail reply without "Sent from my iPhone" and the quote, and reopens the closed ticket', async () => {
    const { tt, to, from } = await setup();
    await changeTicket(
      forTenant(t.deps.db, tt.g.tenant.id),
      t.clock,
      tt.g.ticket.id,
      { status: 'closed' },
      { kind: 'team_member', id: tt.g.member.id },
    );
    await deliver(tt, fixture('apple-mail-reply.eml', { from, to }), { to });
    expect((await emailMessages(tt)).map((m) => m.body)).toEqual(['Perfect, see you then!']);
    expect((await findTicket(forTenant(t.deps.db, tt.g.tenant.id), tt.g.ticket.id))?.status).toBe('open');
  });

  it('holds a customer’s reply to a closed ticket in quarantine when the organisation does not reopen tickets on replies', async () => {
    const { tt, to, from } = await setup();
    await updatePortalSettings(t.deps, tt.g.tenant.id, { reopenOnReply: false });
    await changeTicket(
      forTenant(t.deps.db, tt.g.tenant.id),
      t.clock,
      tt.g.ticket.id,
      { status: 'closed' },
      { kind: 'team_member', id: tt.g.member.id },
    );
    const id = await deliver(tt, fixture('apple-mail-reply.eml', { from, to }), { to });
    expect(await rowOf(tt, id)).toMatchObject({
      status: 'quarantined',
      reason: 'Could not be posted: This ticket is closed. Please open a new request instead.',
    });
    expect(await emailMessages(tt)).toEqual([]);
    expect((await findTicket(forTenant(t.deps.db, tt.g.tenant.id), tt.g.ticket.id))?.status).toBe('closed');
  });

  it('posts as the From when only Reply-To differs (Reply-To never decides)', async () => {
    const { tt, to, from } = await setup();
    const raw = Buffer.from(
      `From: Casey <${from.toUpperCase()}>\r\nReply-To: someone@elsewhere.example\r\nTo: ${to}\r\nSubject: Re\r\nMessage-ID: <rt@x.example>\r\n\r\nYes please.\r\n`,
    );
    await deliver(tt, raw, { to });
    expect((await emailMessages(tt)).map((m) => [m.body, m.author.id])).toEqual([['Yes please.', tt.g.contact.id]]);
  });

  it('attaches a photo through the upload pipeline (queued for re-encoding, never served raw)', async () => {
    const { tt, to, from } = await setup();
    await deliver(tt, fixture('apple-mail-photo.eml', { from, to }), { to });
    const [message] = await emailMessages(tt);
    expect(message?.body).toBe('Here is the puddle this morning.');
    const files = (await attachmentsOfMessages(forTenant(t.deps.db, tt.g.tenant.id), [message!.id])).get(message!.id);
    expect(files?.map((f) => ({ name: f.name, type: f.type, status: f.status, by: f.uploadedBy }))).toEqual([
      { name: 'IMG_4031.jpeg', type: 'image/jpeg', status: 'processing', by: { kind: 'contact', id: tt.g.contact.id } },
    ]);
  });

  it('posts a forward with what was forwarded (it is not quoted history)', async () => {
    const { tt, to, from } = await setup();
    await deliver(tt, fixture('forward.eml', { from, to }), { to });
    const [message] = await emailMessages(tt);
    expect(message?.body).toBe(
      [
        'The replacement valve you asked about arrives Thursday, see below.',
        '',
        '---------- Forwarded message ---------',
        'From: Harbor Supplies <orders@harbor-supplies.example>',
        'Date: Mon, Dec 7, 2026 at 6:02 PM',
        'Subject: Your order 88231 has shipped',
        `To: <${from}>`,
        '',
        '',
        'Hello Maria,',
        '',
        'Your order 88231 (1 x thermostatic mixing valve) has shipped and will be',
        'delivered on Thursday, December 10.',
        '',
        'Harbor Supplies',
      ].join('\n'),
    );
  });

  it('posts HTML-only mail as text: scripts, styles, images and event handlers never reach the ticket', async () => {
    const { tt, to, from } = await setup();
    await deliver(tt, fixture('html-script.eml', { from, to }), { to });
    const [message] = await emailMessages(tt);
    expect(message?.body).toBe('The tap in the kitchen drips too.\n\nCan you look at it on Tuesday?');
  });

  it('drops an out-of-office reply: nothing posted, nothing reopened, nobody notified', async () => {
    const { tt, to, from } = await setup();
    await changeTicket(
      forTenant(t.deps.db, tt.g.tenant.id),
      t.clock,
      tt.g.ticket.id,
      { status: 'closed' },
      { kind: 'team_member', id: tt.g.member.id },
    );
    const id = await deliver(tt, fixture('out-of-office.eml', { from, to }), { to });
    expect(await rowOf(tt, id)).toMatchObject({
      status: 'dropped',
      reason: 'Automated mail: automatic message (Auto-Submitted: auto-replied).',
    });
    expect(await emailMessages(tt)).toEqual([]);
    expect(await notifications(tt)).toEqual([]);
    expect((await findTicket(forTenant(t.deps.db, tt.g.tenant.id), tt.g.ticket.id))?.status).toBe('closed');
  });

  it('drops mail with a null return path, from our own addresses, from postmaster, with Precedence: bulk', async () => {
    const { tt, to, from } = await setup();
    const plain = (headers: string, sender = from, n = 0) =>
      Buffer.from(`From: ${sender}\r\nTo: ${to}\r\nSubject: Re\r\nMessage-ID: <auto-${n}@x.example>\r\n${headers}\r\nHello there\r\n`);
    const outcomes = [
      await deliver(tt, plain(''), { to, envelopeFrom: '' }),
      await deliver(tt, plain('', t.config.mail.fromAddress, 1), { to }),
      await deliver(tt, plain('', `someone@${t.config.inboundDomain}`, 2), { to }),
      await deliver(tt, plain('', 'Postmaster@mail.example.net', 3), { to }),
      await deliver(tt, plain('Precedence: bulk\r\n', from, 4), { to }),
    ];
    const rows = await Promise.all(outcomes.map((id) => rowOf(tt, id)));
    expect(rows.map((r) => [r?.status, r?.reason])).toEqual([
      ['dropped', 'Automated mail: null return path (<>).'],
      ['dropped', `Automated mail: sent from our own address (${t.config.mail.fromAddress}).`],
      ['dropped', `Automated mail: sent from our own address (someone@${t.config.inboundDomain}).`],
      ['dropped', 'Automated mail: sent by postmaster@mail.example.net.'],
      ['dropped', 'Automated mail: bulk mail (Precedence: bulk).'],
    ]);
    expect(await emailMessages(tt)).toEqual([]);
  });

  it('records a DSN bounce of our mail: the contact’s address is marked undeliverable for the team, nothing is posted', async () => {
    const { tt, to, from } = await setup();
    const id = await deliver(tt, fixture('dsn-bounce.eml', { from, to }), { to, envelopeFrom: '' });
    const reason = `Delivery to ${from} failed: 5.1.1 smtp; 550 5.1.1 <${from}>: Recipient address rejected: User unknown`;
    expect(await rowOf(tt, id)).toMatchObject({ status: 'bounce', reason });
    expect(await emailMessages(tt)).toEqual([]);
    const contact = await findContactById(forTenant(t.deps.db, tt.g.tenant.id), tt.g.contact.id);
    expect(contact?.emailUndeliverable?.reason).toBe('5.1.1 smtp; 550 5.1.1 <' + from + '>: Recipient address rejected: User unknown');
    const detail = await tt.as.agent.get(`/api/team/clients/${tt.g.client.id}`);
    expect(detail.statusCode).toBe(200);
    const shown = (detail.json() as { contacts: { id: string; emailUndeliverable: unknown }[] }).contacts.find(
      (c) => c.id === tt.g.contact.id,
    );
    expect(shown?.emailUndeliverable).toEqual({ at: t.clock.now().toISOString(), reason: contact?.emailUndeliverable?.reason });
  });

  it('quarantines a spoofed From, a From that differs from Reply-To/Sender, and DMARC failing — never posted, audited', async () => {
    const { tt, to, from } = await setup();
    const spoofed = await deliver(tt, fixture('spoofed-from.eml', { from, to }), { to, authentication: null });
    const replyTo = await deliver(tt, fixture('reply-to-differs.eml', { from, to }), { to });
    const dmarc = await deliver(tt, fixture('gmail-reply.eml', { from, to }), {
      to,
      authentication: { ...PASS, dmarc: 'fail', fromDomain: from.split('@')[1]!, dkim: 'fail' },
    });
    expect((await rowOf(tt, spoofed))?.reason).toBe(
      `From maria.lopez@harborview-billing.example, but this reply address was sent to ${from}: the sender does not match.`,
    );
    expect((await rowOf(tt, replyTo))?.reason).toBe(
      `From notifications@harbor-portal.example, but this reply address was sent to ${from}: the sender does not match.`,
    );
    expect(await rowOf(tt, dmarc)).toMatchObject({
      status: 'quarantined',
      reason: `DMARC failed for ${from.split('@')[1]}: the From address may be forged.`,
    });
    expect(await emailMessages(tt)).toEqual([]);
    expect(await notifications(tt)).toEqual([]);
    const audit = (await tt.as.owner.get('/api/team/audit?limit=100')).json() as { entries: { action: string; subject: { id: string } }[] };
    const quarantined = audit.entries.filter((e) => e.action === 'inbound.quarantined').map((e) => e.subject.id);
    expect(quarantined.sort()).toEqual([spoofed, replyTo, dmarc].sort());
  });

  it('drops MIME nested 100 deep unread, and an empty reply (only quoted history)', async () => {
    const { tt, to, from } = await setup();
    const nested = await deliver(tt, fixture('nested-100.eml', { from, to }), { to });
    const empty = await deliver(
      tt,
      Buffer.from(
        `From: ${from}\r\nTo: ${to}\r\nSubject: Re\r\nMessage-ID: <empty@x.example>\r\n\r\n\r\nOn Mon, Dec 7, 2026 at 10:15 AM Acme <a@b.example> wrote:\r\n> Hello\r\n`,
      ),
      { to },
    );
    expect((await rowOf(tt, nested))?.reason).toBe('The message could not be read (malformed or nested too deep).');
    expect(await rowOf(tt, empty)).toMatchObject({ status: 'dropped', reason: 'Empty reply: no new text and no attachments.' });
    expect(await emailMessages(tt)).toEqual([]);
  });

  it('quarantines what goes over the per-ticket limit (20 in 10 minutes), so nothing is lost', async () => {
    const { tt, to, from } = await setup();
    const ids: string[] = [];
    for (let n = 1; n <= 21; n += 1)
      ids.push(
        await deliver(
          tt,
          Buffer.from(`From: ${from}\r\nTo: ${to}\r\nSubject: Re\r\nMessage-ID: <flood-${n}@x.example>\r\n\r\nMessage ${n}\r\n`),
          { to },
        ),
      );
    const last = await rowOf(tt, ids.at(-1)!);
    expect(last).toMatchObject({
      status: 'quarantined',
      reason: 'Too many messages: more than 20 emails to this ticket within 10 minutes.',
    });
    expect(await emailMessages(tt)).toHaveLength(20);
  });

  it('lets any member review the quarantine: list, release as the customer’s reply, discard — audited; other organisations get 404', async () => {
    const { tt, to, from } = await setup();
    const other = await createTeamTenant(t);
    const held = await deliver(tt, fixture('reply-to-differs.eml', { from, to }), { to });
    t.clock.advance(1000);
    const spoofed = await deliver(tt, fixture('spoofed-from.eml', { from, to }), { to });

    const list = await tt.as.agent.get('/api/team/inbound/quarantine');
    expect(list.statusCode).toBe(200);
    const messages = (list.json() as { messages: { id: string }[] }).messages;
    expect(messages.map((m) => m.id)).toEqual([spoofed, held]);
    expect(messages[1]).toEqual({
      id: held,
      from: 'notifications@harbor-portal.example',
      subject: 'Re: [#31] Leaking sink in unit 4B',
      receivedAt: new Date(t.clock.now().getTime() - 1000).toISOString(),
      reason: `From notifications@harbor-portal.example, but this reply address was sent to ${from}: the sender does not match.`,
      ticket: { id: tt.g.ticket.id, number: tt.g.ticket.number, title: tt.g.ticket.title },
      preview: 'Cancel the visit, we fixed it ourselves.',
    });
    // Another organisation sees none of it and can act on none of it.
    expect((await other.as.owner.get('/api/team/inbound/quarantine')).json()).toEqual({ messages: [] });
    for (const action of ['release', 'discard']) {
      const foreign = await other.as.owner.post(`/api/team/inbound/quarantine/${held}/${action}`);
      expect(foreign.statusCode).toBe(404);
      expect(foreign.json()).toMatchObject({ error: { code: 'INBOUND_MESSAGE_NOT_FOUND' } });
    }
    expect((await tt.as.agent.post('/api/team/inbound/quarantine/01JUNKJUNKJUNKJUNKJUNKJUNK/release')).statusCode).toBe(404);

    const released = await tt.as.agent.post(`/api/team/inbound/quarantine/${held}/release`);
    expect(released.statusCode).toBe(200);
    const { postedMessageId } = released.json() as { postedMessageId: string };
    expect(await emailMessages(tt)).toEqual([
      expect.objectContaining({
        id: postedMessageId,
        body: 'Cancel the visit, we fixed it ourselves.',
        author: { kind: 'contact', id: tt.g.contact.id },
        emailMessageId: '<replyto-31-0001@harbor-portal.example>',
      }),
    ]);
    expect(await rowOf(tt, held)).toMatchObject({ status: 'released', postedMessageId });
    expect(await notifications(tt)).toHaveLength(2);
    // Once released it is no longer in quarantine: a second release (or a discard) is not found.
    expect((await tt.as.admin.post(`/api/team/inbound/quarantine/${held}/release`)).statusCode).toBe(404);

    const discarded = await tt.as.agent.post(`/api/team/inbound/quarantine/${spoofed}/discard`);
    expect(discarded.json()).toEqual({ status: 'discarded', postedMessageId: null });
    expect(await rowOf(tt, spoofed)).toMatchObject({ status: 'discarded', postedMessageId: null });
    expect((await tt.as.agent.post(`/api/team/inbound/quarantine/${spoofed}/discard`)).statusCode).toBe(404);
    expect((await tt.as.agent.get('/api/team/inbound/quarantine')).json()).toEqual({ messages: [] });
    expect(await emailMessages(tt)).toHaveLength(1);

    const audit = (await tt.as.owner.get('/api/team/audit?limit=100')).json() as {
      entries: { action: string; actor: { id: string | null } }[];
    };
    const decisions = audit.entries.filter((e) => e.action === 'inbound.released' || e.action === 'inbound.discarded');
    expect(decisions.map((e) => [e.action, e.actor.id]).sort()).toEqual([
      ['inbound.discarded', tt.g.member.id],
      ['inbound.released', tt.g.member.id],
    ]);
  });
});

import { createHash } from 'node:crypto';
import { simpleParser } from 'mailparser';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { appendMessage } from '../../src/features/messages/message.service.js';
import { COMBINE_WINDOW_MS, CUSTOMER_ACTIVITY_JOB, type CustomerActivity } from '../../src/features/notifications/customer-activity.job.js';
import { queueCustomerActivityNotifications } from '../../src/features/notifications/customer-activity.service.js';
import { listNotificationRecipients } from '../../src/features/notifications/notification-recipients.service.js';
import * as replies from '../../src/features/notifications/reply-address.service.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { buildJobHandlers } from '../../src/job-handlers.js';
import { insertFile } from '../../src/features/attachments/file.repository.js';
import { newId } from '../../src/platform/ids.js';
import { forTenant, type TenantScope } from '../../src/platform/db/tenant-scope.js';
import { enqueueJob } from '../../src/platform/jobs/enqueue-job.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import type { DevMail } from '../helpers/sign-in.js';
import { startSmtpSink, type SmtpSink } from '../helpers/smtp-sink.js';
import { buildTestApp, useTestApp, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };
const REPLY_ADDRESS = /^reply\+[A-Za-z0-9_-]{22}@reply\.example\.com$/;
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Three paragraphs, hostile markup and an ampersand: every paragraph must arrive, escaped in HTML. */
const BODY = [
  'The tap in the kitchen <script>alert("x")</script> still drips & the cupboard is wet.',
  'I turned the valve off last night.\nIt helped a little.',
  'Third paragraph: can you come on Thursday?',
].join('\n\n');
const BODY_HTML = [
  'The tap in the kitchen &#60;script&#62;alert(&#34;x&#34;)&#60;/script&#62; still drips &#38; the cupboard is wet.',
  'I turned the valve off last night.<br>It helped a little.',
  'Third paragraph: can you come on Thursday?',
];

type Mail = DevMail & { readonly replyTo: string | null };
type Team = Readonly<Record<'owner' | 'admin' | 'agent' | 'disabledAdmin', TeamMember>>;

/** A tenant graph (its member is an agent) plus an owner, an admin and a disabled admin. */
async function newTenant(t: TestApp, name = 'Rivera & Sons "Drains"'): Promise<{ g: TenantGraph; team: Team }> {
  const g = await createTenantGraph(t.deps, { name });
  const add = (role: TeamMember['role'], label: string) =>
    addTeamMember(t.deps, g.tenant.id, { email: `${label}-${g.tenant.slug}@team.example.com`, name: `${label} person`, role });
  const [owner, admin, disabledAdmin] = [await add('owner', 'owner'), await add('admin', 'admin'), await add('admin', 'former')];
  await disableMember(t, g, disabledAdmin.id);
  // The ticket's first message (no notification queued by the factory) was written a while before
  // the messages a test writes, so it does not join their email.
  t.clock.advance(COMBINE_WINDOW_MS);
  return { g, team: { owner, admin, agent: g.member, disabledAdmin } };
}

async function disableMember(t: TestApp, g: TenantGraph, memberId: string): Promise<void> {
  // The team feature has no status setter yet (it comes with the team app); this row change stands in for it.
  const scope = forTenant(t.deps.db, g.tenant.id);
  await scope.updateTable('team_member').set({ status: 'disabled' }).where('team_member.id', '=', memberId).execute();
}

function appendCustomerMessage(t: TestApp, scope: TenantScope, g: TenantGraph, body: string) {
  const author = { kind: 'contact' as const, id: g.contact.id };
  return appendMessage(scope, t.clock, { ticketId: g.ticket.id, author, body, visibility: 'public', via: 'portal' });
}

/** What a portal action does: append the customer's message and queue the notifications in one transaction. */
function customerWrites(t: TestApp, g: TenantGraph, body: string, activity: CustomerActivity = 'replied') {
  return forTenant(t.deps.db, g.tenant.id).transaction(async (scope) => {
    const message = await appendCustomerMessage(t, scope, g, body);
    const input = { ticketId: g.ticket.id, messageId: message.id, contactId: g.contact.id, activity };
    return { message, queued: await queueCustomerActivityNotifications(scope, t.clock, input) };
  });
}

function newWorker(t: TestApp): OutboxWorker {
  return new OutboxWorker({ db: t.deps.db, clock: t.clock, handlers: buildJobHandlers(t.config, t.deps, silent), logger: silent });
}

describeEachDialect('customer activity notifications', (getDb) => {
  const t = useTestApp(getDb);
  let worker: OutboxWorker;

  beforeAll(async () => {
    worker = newWorker(t);
  });

  /** Lets the minute in which messages combine pass, then runs the worker until nothing is due. */
  async function deliver(): Promise<number> {
    t.clock.advance(COMBINE_WINDOW_MS);
    let total = 0;
    for (let ran = await worker.runOnce(); ran > 0; ran = await worker.runOnce()) total += ran;
    return total;
  }

  async function mailTo(address: string): Promise<Mail[]> {
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/api/messages?to=${encodeURIComponent(address)}` });
    expect(res.statusCode).toBe(200);
    return res.json<{ messages: Mail[] }>().messages;
  }

  const jobsOf = (tenantId: string) => listJobs(t.deps.db, { kind: CUSTOMER_ACTIVITY_JOB, tenantId });

  /** Every notification job of the tenant ran to the end without an error (a throw would leave it pending). */
  async function expectAllDone(tenantId: string): Promise<void> {
    for (const job of await jobsOf(tenantId)) expect(job).toMatchObject({ status: 'done', lastError: null });
  }

  it('emails each active owner and admin once, with the whole message escaped, the ticket, the link and threading', async () => {
    const { g, team } = await newTenant(t);
    const { message, queued } = await customerWrites(t, g, BODY);
    expect(queued).toBe(2);
    expect(await deliver()).toBe(2);
    await expectAllDone(g.tenant.id);
    for (const nobody of [team.agent.email, team.disabledAdmin.email, g.contact.email]) expect(await mailTo(nobody)).toHaveLength(0);
    const number = g.ticket.number;
    const thread = `<ticket-${g.ticket.id}@reply.example.com>`;
    const replyTos: (string | null)[] = [];
    const link = `${TEST_ORIGIN}/app/tickets/${g.ticket.id}`;
    const footer = `Reply to this email to add your reply to ticket #${number}.`;
    const everywhere = [`#${number}`, 'Leaking tap', 'Casey Customer', g.client.name, 'Open in the team app', link, footer];
    for (const member of [team.owner, team.admin]) {
      const mails = await mailTo(member.email);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      replyTos.push(mail.replyTo);
      expect(mail.to).toBe(member.email);
      expect(mail.from).toEqual({ name: 'Rivera & Sons "Drains"', address: t.config.mail.fromAddress });
      expect(mail.subject).toBe(`[#${number}] Leaking tap — new reply from Casey Customer`);
      expect(mail.replyTo).toMatch(REPLY_ADDRESS);
      for (const part of [mail.text, mail.html]) {
        for (const expected of everywhere) expect(part).toContain(expected);
        expect(part.toLowerCase()).not.toContain('servelo');
      }
      expect(mail.text).toContain(BODY);
      for (const paragraph of BODY_HTML) expect(mail.html).toContain(paragraph);
      expect(mail.html).not.toContain('<script>');
      expect(mail.html).toContain('Rivera &#38; Sons &#34;Drains&#34;');
      expect(mail.headers).toMatchObject({
        'Auto-Submitted': 'auto-generated',
        'X-Auto-Response-Suppress': 'All',
        'Message-ID': `<ticket-${g.ticket.id}.${message.id}.${member.id}@reply.example.com>`,
        'In-Reply-To': thread,
        References: thread,
      });
    }
    expect(replyTos[0]).not.toBe(replyTos[1]);
    // Neither another worker run nor queuing the same message again sends anything twice.
    expect(await deliver()).toBe(0);
    const again = { ticketId: g.ticket.id, messageId: message.id, contactId: g.contact.id, activity: 'replied' as const };
    const scope = forTenant(t.deps.db, g.tenant.id);
    expect(await scope.transaction((trx) => queueCustomerActivityNotifications(trx, t.clock, again))).toBe(0);
    expect(await deliver()).toBe(0);
    expect([(await mailTo(team.owner.email)).length, (await mailTo(team.admin.email)).length]).toEqual([1, 1]);
  });

  it('keeps one reply address per (ticket, member), stored only as its SHA-256, routable only to its tenant', async () => {
    const [{ g, team }, other] = [await newTenant(t), await newTenant(t)];
    const first = await customerWrites(t, g, 'First reply.');
    await deliver();
    const second = await customerWrites(t, g, 'Second reply.');
    await deliver();
    await expectAllDone(g.tenant.id);
    // The worker runs a batch of jobs at once, so the two emails may arrive in either order.
    const idOf = (messageId: string) => `<ticket-${g.ticket.id}.${messageId}.${team.owner.id}@reply.example.com>`;
    const ownerMails = (await mailTo(team.owner.email)) as Mail[];
    expect(ownerMails.map((m) => m.headers['Message-ID']).sort()).toEqual([idOf(first.message.id), idOf(second.message.id)].sort());
    const oldest = ownerMails.find((m) => m.headers['Message-ID'] === idOf(first.message.id))!;
    const newest = ownerMails.find((m) => m.headers['Message-ID'] === idOf(second.message.id))!;
    expect(newest.replyTo).toBe(oldest.replyTo);
    expect(newest.headers['In-Reply-To']).toBe(oldest.headers['In-Reply-To']);
    const domain = t.config.inboundDomain;
    const ownerToken = replies.parseReplyAddress(newest.replyTo!, domain)!;
    const adminToken = replies.parseReplyAddress((await mailTo(team.admin.email))[0]!.replyTo!, domain)!;
    const scope = forTenant(t.deps.db, g.tenant.id);
    const rows = await scope.selectFrom('reply_address').selectAll().where('reply_address.ticket_id', '=', g.ticket.id).execute();
    expect(rows).toHaveLength(2);
    expect(rows.find((r) => r.recipient_id === team.owner.id)?.token_hash).toBe(sha256(ownerToken));
    expect(rows.find((r) => r.recipient_id === team.admin.id)?.token_hash).toBe(sha256(adminToken));
    expect(JSON.stringify(rows)).not.toContain(ownerToken);
    expect(JSON.stringify(rows)).not.toContain(adminToken);
    const target = { tenantId: g.tenant.id, ticketId: g.ticket.id, recipient: { kind: 'team_member', id: team.owner.id } };
    expect(await replies.findReplyTarget(t.deps.db, ownerToken)).toMatchObject(target);
    expect(await replies.findReplyAddressByToken(scope, ownerToken)).toMatchObject(target);
    expect(await replies.findReplyAddressByToken(forTenant(t.deps.db, other.g.tenant.id), ownerToken)).toBeUndefined();
    const altered = `${ownerToken.slice(0, 21)}${ownerToken.endsWith('A') ? 'B' : 'A'}`;
    expect(await replies.findReplyTarget(t.deps.db, altered)).toBeUndefined();
    expect(await replies.findReplyTarget(t.deps.db, 'not-a-token')).toBeUndefined();
  });

  it('re-points a pair at its new token after APP_SECRET changes, and refuses a ticket of another tenant', async () => {
    const [{ g, team }, other] = [await newTenant(t), await newTenant(t)];
    const scope = forTenant(t.deps.db, g.tenant.id);
    const pair = { ticketId: g.ticket.id, memberId: team.owner.id };
    const domain = t.config.inboundDomain;
    const [secretA, secretB] = ['a'.repeat(32), 'b'.repeat(32)];
    const before = await replies.ensureReplyAddress(scope, t.clock, secretA, domain, pair);
    expect(await replies.ensureReplyAddress(scope, t.clock, secretA, domain, pair)).toBe(before);
    const after = await replies.ensureReplyAddress(scope, t.clock, secretB, domain, pair);
    expect([before, after]).toEqual([expect.stringMatching(REPLY_ADDRESS), expect.stringMatching(REPLY_ADDRESS)]);
    expect(after).not.toBe(before);
    expect(await replies.findReplyTarget(t.deps.db, replies.parseReplyAddress(before, domain)!)).toBeUndefined();
    expect(await replies.findReplyTarget(t.deps.db, replies.parseReplyAddress(after, domain)!)).toMatchObject({ ticketId: g.ticket.id });
    const rows = await scope.selectFrom('reply_address').select('id').where('reply_address.ticket_id', '=', g.ticket.id).execute();
    expect(rows).toHaveLength(1);
    // The composite foreign key (tenant_id, ticket_id) refuses another tenant's ticket on both dialects.
    const foreign = { ticketId: other.g.ticket.id, memberId: team.owner.id };
    await expect(replies.ensureReplyAddress(scope, t.clock, secretA, domain, foreign)).rejects.toThrow();
  });

  it('combines five replies within a minute into one email per recipient that carries all five messages', async () => {
    const { g, team } = await newTenant(t, 'Burst Plumbing');
    const bodies = ['Reply one.', 'Reply two.', 'Reply three.', 'Reply four.', 'Reply five.'];
    const first = await customerWrites(t, g, bodies[0]!);
    for (const body of bodies.slice(1)) {
      t.clock.advance(5_000);
      await customerWrites(t, g, body);
    }
    expect(await deliver()).toBe(2);
    await expectAllDone(g.tenant.id);
    for (const member of [team.owner, team.admin]) {
      const mails = await mailTo(member.email);
      expect(mails).toHaveLength(1);
      const mail = mails[0]!;
      expect(mail.subject).toBe(`[#${g.ticket.number}] Leaking tap — 5 new replies from Casey Customer`);
      for (const body of bodies) {
        expect(mail.text).toContain(body);
        expect(mail.html).toContain(body);
      }
      // In the order they were written.
      const at = bodies.map((body) => mail.text.indexOf(body));
      expect([...at].sort((x, y) => x - y)).toEqual(at);
      expect(mail.headers['Message-ID']).toBe(`<ticket-${g.ticket.id}.${first.message.id}.${member.id}@reply.example.com>`);
    }
    // A reply after the minute is a new email again.
    t.clock.advance(60_000);
    await customerWrites(t, g, 'A minute later.');
    expect(await deliver()).toBe(2);
    const later = await mailTo(team.owner.email);
    expect(later).toHaveLength(2);
    expect(later.filter((m) => m.text.includes('A minute later.') && !m.text.includes('Reply one.'))).toHaveLength(1);
  });

  it('names a new request and a closing in the subject and heading', async () => {
    const { g, team } = await newTenant(t, 'Spotless Cleaning');
    await customerWrites(t, g, 'Please clean the windows.', 'submitted');
    await deliver();
    await customerWrites(t, g, 'All done, thank you!', 'closed');
    await deliver();
    await expectAllDone(g.tenant.id);
    const [closed, submitted] = (await mailTo(team.admin.email)) as [Mail, Mail];
    const number = g.ticket.number;
    expect([submitted.subject, closed.subject]).toEqual([
      `New request #${number}: Leaking tap`,
      `#${number} closed by Casey Customer: Leaking tap`,
    ]);
    for (const line of ['New request from Casey Customer', 'Please clean the windows.']) expect(submitted.text).toContain(line);
    for (const line of ['Casey Customer closed the ticket', 'All done, thank you!']) expect(closed.text).toContain(line);
    expect(closed.replyTo).toBe(submitted.replyTo);
  });

  it('names the files of a reply that has only files, without an empty message', async () => {
    const { g, team } = await newTenant(t, 'Photo Plumbing');
    const { message } = await customerWrites(t, g, '');
    const at = '2026-11-24T09:00:00.000Z';
    await insertFile(forTenant(t.deps.db, g.tenant.id), {
      id: newId(),
      purpose: 'attachment',
      uploaded_by_kind: 'contact',
      uploaded_by_id: g.contact.id,
      name: 'under-the-sink.jpg',
      type: 'image/jpeg',
      size: 2048,
      status: 'ready',
      width: 10,
      height: 10,
      display_size: null,
      thumb_size: null,
      ticket_id: g.ticket.id,
      message_id: message.id,
      attached_at: at,
      created_at: at,
      updated_at: at,
    });
    await deliver();
    const [mail] = await mailTo(team.admin.email);
    expect(mail?.text).toContain('Attached file: under-the-sink.jpg (2 KB)');
    expect(mail?.text).not.toContain('(no message)');
  });

  it('queues nothing when the transaction rolls back', async () => {
    const { g, team } = await newTenant(t);
    const failure = new Error('the change failed after queuing');
    const change = forTenant(t.deps.db, g.tenant.id).transaction(async (scope) => {
      const message = await appendCustomerMessage(t, scope, g, 'Never saved.');
      const input = { ticketId: g.ticket.id, messageId: message.id, contactId: g.contact.id, activity: 'replied' as const };
      expect(await queueCustomerActivityNotifications(scope, t.clock, input)).toBe(2);
      throw failure;
    });
    await expect(change).rejects.toBe(failure);
    expect(await jobsOf(g.tenant.id)).toHaveLength(0);
    await deliver();
    expect([(await mailTo(team.owner.email)).length, (await mailTo(team.admin.email)).length]).toEqual([0, 0]);
  });

  it('refuses a ticket of another tenant as not found and queues nothing for either tenant', async () => {
    const [a, b] = [await newTenant(t), await newTenant(t)];
    const messageOfB = await forTenant(t.deps.db, b.g.tenant.id).transaction((scopeB) => appendCustomerMessage(t, scopeB, b.g, 'B only.'));
    const input = { ticketId: b.g.ticket.id, messageId: messageOfB.id, contactId: b.g.contact.id, activity: 'replied' as const };
    const scopeA = forTenant(t.deps.db, a.g.tenant.id);
    const notFound = { name: 'AppError', code: 'TICKET_NOT_FOUND', status: 404 };
    await expect(scopeA.transaction((trx) => queueCustomerActivityNotifications(trx, t.clock, input))).rejects.toMatchObject(notFound);
    expect([(await jobsOf(a.g.tenant.id)).length, (await jobsOf(b.g.tenant.id)).length]).toEqual([0, 0]);
  });

  it('sends nothing, without failing, to a member disabled since, for a foreign ticket in the payload, or a message that is gone', async () => {
    const [{ g, team }, other] = [await newTenant(t), await newTenant(t)];
    const { message } = await customerWrites(t, g, 'Queued while the admin was still active.');
    await disableMember(t, g, team.admin.id);
    expect((await listNotificationRecipients(forTenant(t.deps.db, g.tenant.id))).map((m) => m.id)).toEqual([team.owner.id]);
    const forged = { tenantId: g.tenant.id, contactId: g.contact.id, activity: 'replied', memberId: team.owner.id };
    const enqueue = (payload: object) => enqueueJob(t.deps.db, t.clock, { kind: CUSTOMER_ACTIVITY_JOB, tenantId: g.tenant.id, payload });
    // Another tenant's ticket in the payload is read through this tenant's scope: nothing is found, nothing is sent.
    await enqueue({ ...forged, ticketId: other.g.ticket.id, messageId: message.id });
    await enqueue({ ...forged, ticketId: g.ticket.id, messageId: '01890000-0000-7000-8000-000000000000' });
    expect(await deliver()).toBe(4);
    await expectAllDone(g.tenant.id);
    expect(await mailTo(team.admin.email)).toHaveLength(0);
    const ownerMails = await mailTo(team.owner.email);
    expect(ownerMails.map((m) => m.text.includes('Queued while the admin was still active.'))).toEqual([true]);
    expect(await mailTo(other.team.owner.email)).toHaveLength(0);
    const scopeOther = forTenant(t.deps.db, other.g.tenant.id);
    expect(await scopeOther.selectFrom('reply_address').select('id').execute()).toHaveLength(0);
  });
});

describeEachDialect('customer activity notifications over a real SMTP server', (getDb) => {
  let sink: SmtpSink;
  let t: TestApp;

  beforeAll(async () => {
    sink = await startSmtpSink();
    t = await buildTestApp(getDb(), { SMTP_URL: `smtp://127.0.0.1:${sink.port}`, MAIL_FROM: 'desk@mail.example.com' });
  });
  afterAll(async () => {
    await t.close();
    await t.deps.mailer.close();
    await sink.close();
  });

  it('reaches each recipient alone, with Reply-To and the threading headers intact', async () => {
    const { g, team } = await newTenant(t, 'Rivera & Sons');
    const { message } = await customerWrites(t, g, BODY);
    t.clock.advance(COMBINE_WINDOW_MS);
    expect(await newWorker(t).runOnce()).toBe(2);
    expect(sink.received.map((r) => r.rcptTo).sort()).toEqual([[team.admin.email], [team.owner.email]].sort());
    const received = sink.received.find((r) => r.rcptTo[0] === team.admin.email)!;
    const mail = await simpleParser(received.raw);
    expect(mail.from?.value).toEqual([{ name: 'Rivera & Sons', address: 'desk@mail.example.com' }]);
    expect(mail.replyTo?.value[0]?.address).toMatch(REPLY_ADDRESS);
    expect(mail.messageId).toBe(`<ticket-${g.ticket.id}.${message.id}.${team.admin.id}@reply.example.com>`);
    const thread = `<ticket-${g.ticket.id}@reply.example.com>`;
    expect([mail.inReplyTo, mail.references]).toEqual([thread, thread]);
    expect([mail.headers.get('auto-submitted'), mail.headers.get('x-auto-response-suppress')]).toEqual(['auto-generated', 'All']);
    expect(mail.text).toContain(BODY);
  });
});

import { beforeAll, expect, it } from 'vitest';
import { addContact, getClient, getContact } from '../../src/features/clients/client.service.js';
import { listMessagesOfTicket } from '../../src/features/messages/message.service.js';
import { openSession } from '../../src/features/sessions/session.service.js';
import { createSignInLinkHandler } from '../../src/features/auth/portal-sign-in-link.service.js';
import { DevMailboxMailer } from '../../src/platform/mail/dev-mailbox-mailer.js';
import { changeTicket, getTicket, listTicketHistory } from '../../src/features/tickets/ticket.service.js';
import { ensureReplyAddress } from '../../src/features/notifications/reply-address.service.js';
import { insertFile } from '../../src/features/attachments/file.repository.js';
import { markTicketRead } from '../../src/features/tickets/inbox.repository.js';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { acceptInboundMail, moveInboundMessage } from '../../src/features/inbound-mail/inbound-mail.service.js';
import { processInboundMessage } from '../../src/features/inbound-mail/inbound-processing.service.js';
import { discardQuarantined, listQuarantine, releaseQuarantined } from '../../src/features/inbound-mail/team-inbound.service.js';
import { LocalFileStore } from '../../src/platform/storage/local-file-store.js';
import { newId } from '../../src/platform/ids.js';
import { insertQuoteAcceptance } from '../../src/features/quotes/quote.repository.js';
import { createQuote, sendQuote } from '../../src/features/quotes/quote.service.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { AppContext } from '../../src/platform/context.js';
import type { TenantOwnedTable } from '../../src/platform/db/database.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { AppError, statusOf } from '../../src/platform/errors.js';
import { createTenantGraph, openTicket, type TenantGraph } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The id of tenant B's row in each tenant-owned table; a new table fails to compile until it is listed here. */
interface ExtraRows {
  readonly message: string;
  readonly loginToken: string;
  readonly session: string;
  readonly ticketEvent: string;
  readonly replyAddress: string;
  readonly file: string;
  readonly ticketRead: string;
  readonly quote: string;
  readonly quoteVersion: string;
  readonly quoteRecipient: string;
  readonly quoteAcceptance: string;
  readonly quoteEvent: string;
  readonly inboundMessage: string;
  readonly customDomain: string;
  readonly domainCertificate: string;
  readonly acmeChallenge: string;
}
const ROW_OF: Record<TenantOwnedTable, (g: TenantGraph, extra: ExtraRows) => string> = {
  team_member: (g) => g.member.id,
  client: (g) => g.client.id,
  contact: (g) => g.contact.id,
  ticket: (g) => g.ticket.id,
  message: (_g, extra) => extra.message,
  login_token: (_g, extra) => extra.loginToken,
  session: (_g, extra) => extra.session,
  ticket_event: (_g, extra) => extra.ticketEvent,
  reply_address: (_g, extra) => extra.replyAddress,
  file: (_g, extra) => extra.file,
  ticket_read: (_g, extra) => extra.ticketRead,
  quote: (_g, extra) => extra.quote,
  quote_version: (_g, extra) => extra.quoteVersion,
  quote_recipient: (_g, extra) => extra.quoteRecipient,
  quote_acceptance: (_g, extra) => extra.quoteAcceptance,
  quote_event: (_g, extra) => extra.quoteEvent,
  inbound_message: (_g, extra) => extra.inboundMessage,
  custom_domain: (_g, extra) => extra.customDomain,
  domain_certificate: (_g, extra) => extra.domainCertificate,
  acme_challenge: (_g, extra) => extra.acmeChallenge,
};

/** The column each table's test overwrites (an acceptance has no created_at, only when it was accepted). */
const STAMP_COLUMN: Partial<Record<TenantOwnedTable, string>> = { quote_acceptance: 'accepted_at' };

async function expectNotFound(promise: Promise<unknown>, code: string): Promise<void> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  expect((error as AppError).status).toBe(404);
}

describeEachDialect('tenant isolation', (getDb) => {
  let ctx: AppContext;
  let a: TenantGraph;
  let b: TenantGraph;
  let rowsOfB: ExtraRows;

  beforeAll(async () => {
    ctx = { db: getDb().db, clock: new ManualClock('2026-11-24T09:00:00Z') };
    a = await createTenantGraph(ctx);
    b = await createTenantGraph(ctx);
    const scopeB = forTenant(ctx.db, b.tenant.id);
    const [message] = await listMessagesOfTicket(scopeB, b.ticket.id, { publicOnly: false });
    // A real sign-in link (through the outbox handler) and a real session for B's contact.
    const sendLink = createSignInLinkHandler({
      ...ctx,
      mailer: new DevMailboxMailer(ctx.db),
      publicUrl: 'http://localhost:3000',
      fromAddress: 'no-reply@example.com',
    });
    await sendLink(
      { tenantId: b.tenant.id, contactId: b.contact.id, ip: null, userAgent: null },
      { id: 'job-1', kind: 'auth.sign_in_link', tenantId: b.tenant.id, attempt: 1 },
    );
    await openSession(scopeB, ctx.clock, {
      audience: 'portal',
      subjectId: b.contact.id,
      lifetimes: { idleMs: 1000, absoluteMs: 2000 },
      meta: { ip: null, userAgent: null },
    });
    // eslint-disable-next-line no-restricted-syntax -- the test looks up B's rows by their contact, past the scope on purpose
    const loginToken = await ctx.db.selectFrom('login_token').select('id').where('contact_id', '=', b.contact.id).executeTakeFirstOrThrow();
    // eslint-disable-next-line no-restricted-syntax -- as above
    const session = await ctx.db.selectFrom('session').select('id').where('subject_id', '=', b.contact.id).executeTakeFirstOrThrow();
    const replyToB = await ensureReplyAddress(scopeB, ctx.clock, 'a-test-secret-of-at-least-32-characters', 'reply.example.com', {
      ticketId: b.ticket.id,
      memberId: b.member.id,
    });
    const inbound = await acceptInboundMail(
      { ...ctx, files: new LocalFileStore(mkdtempSync(path.join(tmpdir(), 'servelo-inbound-'))), inboundDomain: 'reply.example.com' },
      {
        raw: Buffer.from('Message-ID: <b@example.com>\r\n\r\nHello'),
        door: 'smtp',
        envelope: { from: 'x@example.com', to: [replyToB] },
        authentication: null,
      },
    );
    const [event] = await listTicketHistory(scopeB, b.ticket.id);
    const replyAddress = await scopeB
      .selectFrom('reply_address')
      .select('reply_address.id')
      .where('reply_address.ticket_id', '=', b.ticket.id)
      .executeTakeFirstOrThrow();
    const fileId = newId();
    await insertFile(scopeB, {
      id: fileId,
      purpose: 'attachment',
      uploaded_by_kind: 'contact',
      uploaded_by_id: b.contact.id,
      name: 'b.txt',
      type: 'text/plain',
      status: 'ready',
      width: null,
      height: null,
      display_size: null,
      thumb_size: null,
      ticket_id: null,
      message_id: null,
      attached_at: null,
      created_at: '2026-11-24T09:00:00.000Z',
      updated_at: '2026-11-24T09:00:00.000Z',
    });
    const ticketReadId = newId();
    await markTicketRead(scopeB, { id: ticketReadId, ticketId: b.ticket.id, memberId: b.member.id, now: '2026-11-24T09:00:00.000Z' });
    const quote = await createQuote(
      scopeB,
      ctx.clock,
      b.tenant,
      {
        clientId: b.client.id,
        ticketId: b.ticket.id,
        title: 'B quote',
        lines: [{ description: 'Work', quantity: '1', unitPrice: 1000, taxRatePercent: null }],
      },
      { kind: 'system', id: null },
    );
    await sendQuote(scopeB, ctx.clock, b.tenant, quote.id, { recipientContactIds: [b.contact.id] }, { kind: 'system', id: null });
    const quoteAcceptanceId = newId();
    await insertQuoteAcceptance(scopeB, {
      id: quoteAcceptanceId,
      quoteId: quote.id,
      version: 1,
      contactId: b.contact.id,
      signerName: 'B',
      signatureKind: 'none',
      signaturePng: null,
      contentSha256: 'x',
      ip: null,
      userAgent: null,
      acceptedAt: '2026-11-24T09:00:00.000Z',
    });
    const idOf = async (table: 'quote_version' | 'quote_recipient' | 'quote_event') =>
      (
        await scopeB
          .selectFrom(table)
          .select(`${table}.id` as 'quote_event.id')
          .where(`${table}.quote_id` as 'quote_event.quote_id', '=', quote.id)
          .executeTakeFirstOrThrow()
      ).id;
    // Custom domain rows (issue 14), written straight through B's scope: the isolation is the scope's.
    const stamp = '2026-11-24T09:00:00.000Z';
    const customDomain = newId();
    await scopeB
      .insertInto('custom_domain', {
        id: customDomain,
        host: `b-${customDomain}.example.com`,
        verification_token: 't',
        status: 'pending_dns',
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    const domainCertificate = newId();
    await scopeB
      .insertInto('domain_certificate', {
        id: domainCertificate,
        domain_id: customDomain,
        host: `b-${customDomain}.example.com`,
        source: 'upload',
        status: 'active',
        cert_ciphertext: 'x',
        key_ciphertext: 'x',
        issuer: 'x',
        serial: '1',
        fingerprint: 'f',
        not_before: stamp,
        not_after: stamp,
        created_at: stamp,
      })
      .execute();
    const acmeChallenge = newId();
    await scopeB
      .insertInto('acme_challenge', {
        id: acmeChallenge,
        host: `b-${customDomain}.example.com`,
        token: 't',
        key_authorization: 'k',
        created_at: stamp,
        expires_at: stamp,
      })
      .execute();
    rowsOfB = {
      customDomain,
      domainCertificate,
      acmeChallenge,
      inboundMessage: inbound.ids[0] ?? '',
      quote: quote.id,
      quoteVersion: await idOf('quote_version'),
      quoteRecipient: await idOf('quote_recipient'),
      quoteAcceptance: quoteAcceptanceId,
      quoteEvent: await idOf('quote_event'),
      file: fileId,
      ticketRead: ticketReadId,
      message: message?.id ?? '',
      loginToken: loginToken.id,
      session: session.id,
      ticketEvent: event?.id ?? '',
      replyAddress: replyAddress.id,
    };
    expect(rowsOfB.ticketEvent).not.toBe('');
    expect(rowsOfB.message).not.toBe('');
    expect(rowsOfB.inboundMessage).not.toBe('');
  });

  for (const table of Object.keys(ROW_OF) as TenantOwnedTable[]) {
    it(`cannot read, update or delete another tenant's ${table} through the scope`, async () => {
      const id = ROW_OF[table](b, rowsOfB);
      const scopeA = forTenant(ctx.db, a.tenant.id);
      const scopeB = forTenant(ctx.db, b.tenant.id);
      const idColumn = `${table}.id` as 'ticket.id';
      const tableName = table as 'ticket';

      expect(await scopeA.selectFrom(tableName).select(idColumn).where(idColumn, '=', id).executeTakeFirst()).toBeUndefined();
      const stamp = (STAMP_COLUMN[table] ?? 'created_at') as 'created_at';
      const updated = await scopeA
        .updateTable(tableName)
        .set({ [stamp]: '1999-01-01T00:00:00.000Z' })
        .where(idColumn, '=', id)
        .executeTakeFirst();
      expect(updated.numUpdatedRows).toBe(0n);
      const deleted = await scopeA.deleteFrom(tableName).where(idColumn, '=', id).executeTakeFirst();
      expect(deleted.numDeletedRows).toBe(0n);

      const stampColumn = `${table}.${stamp}` as 'ticket.created_at';
      const row = await scopeB
        .selectFrom(tableName)
        .select([idColumn, `${stampColumn} as stamp` as 'ticket.created_at as stamp'])
        .where(idColumn, '=', id)
        .executeTakeFirst();
      expect(row?.id).toBe(id);
      expect(row?.stamp).not.toBe('1999-01-01T00:00:00.000Z');
    });
  }

  it('stamps inserts with the scope tenant, even if the values name another', async () => {
    const scopeA = forTenant(ctx.db, a.tenant.id);
    const sneaky = {
      id: 'c0ffee00-0000-7000-8000-000000000001',
      name: 'Sneaky',
      ticket_visibility: 'all' as const,
      created_at: 'x',
      updated_at: 'x',
      tenant_id: b.tenant.id,
    };
    await scopeA.insertInto('client', sneaky).execute();
    // eslint-disable-next-line no-restricted-syntax -- the test must see the row's real owner, past the scope
    const owner = await ctx.db.selectFrom('client').select('tenant_id').where('id', '=', sneaky.id).executeTakeFirstOrThrow();
    expect(owner.tenant_id).toBe(a.tenant.id);
  });

  it('answers 404 codes for another tenant’s ticket, client and contact', async () => {
    const scopeA = forTenant(ctx.db, a.tenant.id);
    await expectNotFound(getTicket(scopeA, b.ticket.id), 'TICKET_NOT_FOUND');
    await expectNotFound(getClient(scopeA, b.client.id), 'CLIENT_NOT_FOUND');
    await expectNotFound(getContact(scopeA, b.contact.id), 'CONTACT_NOT_FOUND');
    await expectNotFound(
      changeTicket(forTenant(ctx.db, a.tenant.id), ctx.clock, b.ticket.id, { status: 'closed' }, { kind: 'system', id: null }),
      'TICKET_NOT_FOUND',
    );
    expect((await getTicket(forTenant(ctx.db, b.tenant.id), b.ticket.id)).status).toBe('new');
    expect(statusOf('TICKET_NOT_FOUND')).toBe(404);
  });

  it('keeps inbound mail in its tenant: another tenant’s quarantined message is not found, not listed, not processed', async () => {
    const scopeB = forTenant(ctx.db, b.tenant.id);
    expect(
      await moveInboundMessage(scopeB, rowsOfB.inboundMessage, ['received'], { status: 'quarantined', reason: 'test', now: 'x' }),
    ).toBe(true);
    const deps = {
      ...ctx,
      files: new LocalFileStore(mkdtempSync(path.join(tmpdir(), 'servelo-inbound-'))),
      publicUrl: 'http://localhost:3000',
      fromAddress: 'no-reply@example.com',
      inboundDomain: 'reply.example.com',
      limits: { maxFileBytes: 1024, tenantQuotaBytes: 1024, ticketQuotaBytes: 1024 },
      ticketRate: { max: 20, windowMs: 600_000 },
    };
    const viewerOfA = { tenant: a.tenant, memberId: a.member.id, name: a.member.name, email: a.member.email, role: 'owner' as const };
    const meta = { ip: null, userAgent: null };
    await expectNotFound(releaseQuarantined(deps, viewerOfA, rowsOfB.inboundMessage, meta), 'INBOUND_MESSAGE_NOT_FOUND');
    await expectNotFound(discardQuarantined(deps, viewerOfA, rowsOfB.inboundMessage, meta), 'INBOUND_MESSAGE_NOT_FOUND');
    expect(await listQuarantine(deps, viewerOfA)).toEqual([]);
    // A job naming A's tenant with B's message finds nothing to do.
    expect(await processInboundMessage(deps, { tenantId: a.tenant.id, inboundMessageId: rowsOfB.inboundMessage })).toEqual({
      status: 'already',
    });
    expect((await listQuarantine(deps, { ...viewerOfA, tenant: b.tenant, memberId: b.member.id })).map((e) => e.message.id)).toEqual([
      rowsOfB.inboundMessage,
    ]);
    expect(statusOf('INBOUND_MESSAGE_NOT_FOUND')).toBe(404);
  });

  it('refuses to link across tenants in writes', async () => {
    await expectNotFound(
      openTicket(ctx, a.tenant.id, { clientId: b.client.id, title: 'x', source: 'app' }, { kind: 'system', id: null }),
      'CLIENT_NOT_FOUND',
    );
    await expectNotFound(
      openTicket(
        ctx,
        a.tenant.id,
        { clientId: a.client.id, requesterContactId: b.contact.id, title: 'x', source: 'app' },
        { kind: 'system', id: null },
      ),
      'CONTACT_NOT_FOUND',
    );
    await expectNotFound(addContact(ctx, a.tenant.id, b.client.id, { email: 'new@x.example.com', name: 'New' }), 'CLIENT_NOT_FOUND');
  });

  it('is backed by composite foreign keys: the database refuses a cross-tenant reference', async () => {
    const scopeA = forTenant(ctx.db, a.tenant.id);
    const insert = scopeA
      .insertInto('ticket', {
        id: 'c0ffee00-0000-7000-8000-000000000002',
        client_id: b.client.id,
        requester_contact_id: null,
        number: 999,
        title: 'cross',
        status: 'new',
        priority: 'normal',
        scheduled_at: null,
        charge_amount: null,
        charge_currency: null,
        source: 'app',
        created_at: 'x',
        updated_at: 'x',
        last_activity_at: 'x',
        closed_at: null,
        closed_by_kind: null,
        closed_by_id: null,
      })
      .execute();
    await expect(insert).rejects.toThrow(/foreign key/i);
  });

  it('numbers tickets per tenant without gaps or duplicates under concurrency', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        openTicket(ctx, a.tenant.id, { clientId: a.client.id, title: `T${i}`, source: 'app' }, { kind: 'system', id: null }),
      ),
    );
    const numbers = results.map((t) => t.number).sort((x, y) => x - y);
    expect(new Set(numbers).size).toBe(10);
    expect(numbers[9]! - numbers[0]!).toBe(9);
    expect(b.ticket.number).toBe(1);
  });
});

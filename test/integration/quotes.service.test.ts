import { expect, it } from 'vitest';
import { addContact, createClient, disableContact, type Contact } from '../../src/features/clients/client.service.js';
import {
  changeQuoteStatus,
  createQuote,
  duplicateQuote,
  expireLapsedQuotes,
  getQuote,
  getQuoteVersion,
  listQuoteEvents,
  listQuoteRecipientIds,
  listQuoteVersions,
  QUOTE_SEND_EMAIL_JOB,
  sendQuote,
  updateQuote,
  withdrawQuote,
  withExpiryApplied,
  type NewQuoteInput,
  type Quote,
  type QuoteActor,
} from '../../src/features/quotes/quote.service.js';
import type { QuoteLineInput } from '../../src/features/quotes/quote.domain.js';
import { findTenantById, updateOrganisation, updateQuoteDefaultTerms, type Tenant } from '../../src/features/tenants/tenant.service.js';
import { ManualClock } from '../../src/platform/clock.js';
import type { AppContext } from '../../src/platform/context.js';
import { forTenant, type TenantScope } from '../../src/platform/db/tenant-scope.js';
import { AppError } from '../../src/platform/errors.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTenantGraph, openContactTicket, type TenantGraph } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The team's quote use cases, through quote.service.ts on a real database of each dialect. */

const LINES: readonly QuoteLineInput[] = [
  // 2 × $120.00 = $240.00, 20 % tax = $48.00
  { description: 'Replace kitchen tap', quantity: '2', unitPrice: 12_000, taxRatePercent: '20' },
  // 1.5 × $45.00 = $67.50, no tax
  { description: 'Labour (hours)', quantity: '1.5', unitPrice: 4_500, taxRatePercent: null },
];
// subtotal 24,000 + 6,750 = 30,750; tax 4,800; total 35,550

/** What a test needs: a tenant graph on its own manual clock, and its scope. */
interface World {
  readonly ctx: AppContext & { readonly clock: ManualClock };
  readonly g: TenantGraph;
  readonly tenant: Tenant;
  readonly scope: TenantScope;
  readonly by: QuoteActor;
}

/** The code and status of the AppError a call fails with (the test fails when it does not fail). */
async function refusalOf(call: Promise<unknown>): Promise<[number, string]> {
  const error = await call.then(
    () => new Error('expected a refusal, but the call succeeded'),
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return [(error as AppError).status, (error as AppError).code];
}

describeEachDialect('quotes: the team’s use cases', (getDb) => {
  async function world(options: { timeZone?: string; currency?: string; at?: string } = {}): Promise<World> {
    const ctx = { db: getDb().db, clock: new ManualClock(options.at ?? '2026-11-24T09:00:00.000Z') };
    const g = await createTenantGraph(ctx);
    const patch = {
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...(options.currency ? { currency: options.currency } : {}),
    };
    if (Object.keys(patch).length > 0) await updateOrganisation(ctx, g.tenant.id, patch);
    const tenant = (await findTenantById(ctx.db, g.tenant.id))!;
    return { ctx, g, tenant, scope: forTenant(ctx.db, tenant.id), by: { kind: 'team_member', id: g.member.id } };
  }

  const create = (w: World, input: Partial<NewQuoteInput> = {}): Promise<Quote> =>
    createQuote(
      w.scope,
      w.ctx.clock,
      w.tenant,
      { clientId: w.g.client.id, ticketId: w.g.ticket.id, title: 'Kitchen tap', lines: LINES, ...input },
      w.by,
    );
  const send = (w: World, id: string, recipientContactIds?: string[]) =>
    sendQuote(w.scope, w.ctx.clock, w.tenant, id, { recipientContactIds }, w.by);
  const sendJobs = async (w: World) =>
    (await listJobs(w.ctx.db, { kind: QUOTE_SEND_EMAIL_JOB, tenantId: w.tenant.id })).map(
      (j) => JSON.parse(j.payload) as Record<string, unknown>,
    );
  const contact = (w: World, name: string): Promise<Contact> =>
    addContact(w.ctx, w.tenant.id, w.g.client.id, { email: `${name.toLowerCase()}-${w.tenant.slug}@customer.example.com`, name });

  it('numbers quotes Q-1, Q-2 … per organisation, independently of the others', async () => {
    const a = await world();
    const b = await world();
    expect((await create(a)).number).toBe(1);
    expect((await create(a)).number).toBe(2);
    expect((await create(b)).number).toBe(1);
    expect((await create(a)).number).toBe(3);
    expect((await create(b)).number).toBe(2);
  });

  it('creates a draft v1 in the organisation’s currency with its default terms and 30 days of validity', async () => {
    const w = await world({ currency: 'EUR' });
    await updateQuoteDefaultTerms(w.ctx.db, w.ctx.clock.now(), w.tenant.id, 'Payment within 14 days.');
    const quote = await create(w);
    expect(quote).toMatchObject({
      status: 'draft',
      currentVersion: 1,
      currency: 'EUR',
      title: 'Kitchen tap',
      clientId: w.g.client.id,
      ticketId: w.g.ticket.id,
      total: 35_550,
      // 24 November (UTC) + 30 days
      validUntil: '2026-12-24',
      // the end of 24 December in UTC
      lapsesAt: new Date('2026-12-25T00:00:00.000Z'),
      requiresSignature: false,
      sentAt: null,
      createdByMemberId: w.g.member.id,
    });
    const v1 = await getQuoteVersion(w.scope, quote);
    expect(v1).toMatchObject({
      version: 1,
      terms: 'Payment within 14 days.',
      subtotal: 30_750,
      discountAmount: 0,
      tax: 4_800,
      total: 35_550,
    });
    expect(v1.contentSha256).toMatch(/^[0-9a-f]{64}$/);
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => [e.kind, e.version, e.actor])).toEqual([['created', 1, w.by]]);
    // Terms and validity given explicitly win, even empty ones; no ticket is fine.
    const explicit = await create(w, { ticketId: null, terms: '', validUntil: null, requiresSignature: true });
    expect(explicit).toMatchObject({ ticketId: null, validUntil: null, lapsesAt: null, requiresSignature: true });
    expect((await getQuoteVersion(w.scope, explicit)).terms).toBe('');
  });

  it('counts the 30 days from today in the organisation’s time zone', async () => {
    // 03:00Z on 24 November is 22:00 on the 23rd in New York: 23 Nov + 30 = 23 Dec, ending 24 Dec 00:00 EST = 05:00Z.
    const w = await world({ timeZone: 'America/New_York', at: '2026-11-24T03:00:00.000Z' });
    expect(await create(w)).toMatchObject({ validUntil: '2026-12-23', lapsesAt: new Date('2026-12-24T05:00:00.000Z') });
  });

  it('rewrites a draft’s v1 in place: the same version, a new hash, no email', async () => {
    const w = await world();
    const quote = await create(w);
    const before = await getQuoteVersion(w.scope, quote);
    w.ctx.clock.advance(60_000);
    const { quote: edited, revised } = await updateQuote(
      w.scope,
      w.ctx.clock,
      w.tenant,
      quote.id,
      { lines: [{ description: 'Replace kitchen tap', quantity: '3', unitPrice: 12_000, taxRatePercent: '20' }] },
      w.by,
    );
    expect(revised).toBe(false);
    // 3 × 12,000 = 36,000 + 20 % = 43,200
    expect(edited).toMatchObject({ status: 'draft', currentVersion: 1, total: 43_200 });
    const versions = await listQuoteVersions(w.scope, quote.id);
    expect(versions.map((v) => [v.version, v.total])).toEqual([[1, 43_200]]);
    expect(versions[0]!.contentSha256).not.toBe(before.contentSha256);
    expect(versions[0]!.title).toBe(before.title);
    // Writing the original content back gives the original hash: the hash is of the content alone.
    await updateQuote(w.scope, w.ctx.clock, w.tenant, quote.id, { lines: LINES }, w.by);
    expect((await getQuoteVersion(w.scope, quote)).contentSha256).toBe(before.contentSha256);
    expect(await sendJobs(w)).toEqual([]);
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => e.kind)).toEqual(['created', 'edited', 'edited']);
  });

  it('sends to every active contact by default: status sent, one email job each', async () => {
    const w = await world();
    const second = await contact(w, 'Morgan');
    const gone = await contact(w, 'Former');
    await disableContact(w.ctx, w.tenant.id, gone.id);
    const quote = await create(w);
    w.ctx.clock.advance(60_000);
    const sent = await send(w, quote.id);
    expect(sent).toMatchObject({ status: 'sent', currentVersion: 1, sentAt: w.ctx.clock.now() });
    expect((await listQuoteRecipientIds(w.scope, quote.id)).sort()).toEqual([w.g.contact.id, second.id].sort());
    const jobs = await sendJobs(w);
    expect(jobs).toHaveLength(2);
    expect(jobs.map((j) => j.contactId).sort()).toEqual([w.g.contact.id, second.id].sort());
    for (const job of jobs) expect(job).toMatchObject({ tenantId: w.tenant.id, quoteId: quote.id, version: 1 });
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => e.kind)).toEqual(['created', 'sent']);
  });

  it('sends only to the contacts chosen, and refuses another client’s contact or a disabled one', async () => {
    const w = await world();
    const second = await contact(w, 'Morgan');
    const quote = await create(w);
    const elsewhere = await world();
    expect(await refusalOf(send(w, quote.id, [elsewhere.g.contact.id]))).toEqual([404, 'CONTACT_NOT_FOUND']);
    const otherClient = await createClient(w.ctx, w.tenant.id, { name: 'Another client' });
    const stranger = await addContact(w.ctx, w.tenant.id, otherClient.id, { email: `s-${w.tenant.slug}@x.example.com`, name: 'Stranger' });
    expect(await refusalOf(send(w, quote.id, [stranger.id]))).toEqual([404, 'CONTACT_NOT_FOUND']);
    await disableContact(w.ctx, w.tenant.id, second.id);
    expect(await refusalOf(send(w, quote.id, [second.id]))).toEqual([409, 'CONTACT_DISABLED']);
    expect((await getQuote(w.scope, quote.id)).status).toBe('draft');
    expect(await sendJobs(w)).toEqual([]);

    await send(w, quote.id, [w.g.contact.id]);
    expect((await sendJobs(w)).map((j) => j.contactId)).toEqual([w.g.contact.id]);
  });

  it('refuses to send when the client has no active contact (QUOTE_NO_RECIPIENTS), changing nothing', async () => {
    const w = await world();
    await disableContact(w.ctx, w.tenant.id, w.g.contact.id);
    const quote = await create(w);
    expect(await refusalOf(send(w, quote.id))).toEqual([409, 'QUOTE_NO_RECIPIENTS']);
    expect(await getQuote(w.scope, quote.id)).toMatchObject({ status: 'draft', sentAt: null });
    expect(await listQuoteRecipientIds(w.scope, quote.id)).toEqual([]);
    expect(await sendJobs(w)).toEqual([]);
  });

  it('refuses to send a draft whose validity has already ended', async () => {
    const w = await world();
    const quote = await create(w, { validUntil: '2026-11-23' });
    const error = await send(w, quote.id).catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', details: [{ path: 'validUntil' }] });
    expect((await getQuote(w.scope, quote.id)).status).toBe('draft');
  });

  it('sending twice is QUOTE_ALREADY_SENT and queues nothing more', async () => {
    const w = await world();
    const quote = await create(w);
    await send(w, quote.id);
    expect(await refusalOf(send(w, quote.id))).toEqual([409, 'QUOTE_ALREADY_SENT']);
    expect(await sendJobs(w)).toHaveLength(1);
  });

  it('revising a sent quote makes v2 with a new hash, keeps v1 as it was, and emails v2', async () => {
    const w = await world();
    const quote = await create(w);
    await send(w, quote.id);
    const v1 = await getQuoteVersion(w.scope, quote);
    w.ctx.clock.advance(3_600_000);
    const { quote: revised, revised: isNew } = await updateQuote(
      w.scope,
      w.ctx.clock,
      w.tenant,
      quote.id,
      { discount: { kind: 'amount', amount: 750 } },
      w.by,
    );
    expect(isNew).toBe(true);
    // discount 750 shared 24,000 : 6,750 of 30,750 → 585.37… and 164.63… → 585 and 165 (largest remainder);
    // tax 20 % of 23,415 = 4,683; total 30,750 − 750 + 4,683 = 34,683
    expect(revised).toMatchObject({ status: 'sent', currentVersion: 2, total: 34_683 });
    const versions = await listQuoteVersions(w.scope, quote.id);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    expect(versions[0]).toEqual(v1);
    expect(versions[1]).toMatchObject({ version: 2, discountAmount: 750, tax: 4_683, total: 34_683 });
    expect(versions[1]!.contentSha256).not.toBe(v1.contentSha256);
    expect((await sendJobs(w)).map((j) => j.version)).toEqual([1, 2]);
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => [e.kind, e.version])).toEqual([
      ['created', 1],
      ['sent', 1],
      ['revised', 2],
    ]);
  });

  it('revising a quote with changes requested sends it again as the next version', async () => {
    const w = await world();
    const quote = await send(w, (await create(w)).id);
    await changeQuoteStatus(w.scope, w.ctx.clock, quote, 'request_changes', 'changes_requested', { kind: 'contact', id: w.g.contact.id });
    const { quote: revised } = await updateQuote(w.scope, w.ctx.clock, w.tenant, quote.id, { title: 'Kitchen tap, chrome' }, w.by);
    expect(revised).toMatchObject({ status: 'sent', currentVersion: 2, title: 'Kitchen tap, chrome' });
    // An old version can no longer be decided on.
    const stale = changeQuoteStatus(
      w.scope,
      w.ctx.clock,
      revised,
      'accept',
      'accepted',
      { kind: 'contact', id: w.g.contact.id },
      { version: 1 },
    );
    expect(await refusalOf(stale)).toEqual([409, 'QUOTE_SUPERSEDED']);
    expect((await getQuote(w.scope, quote.id)).status).toBe('sent');
  });

  it('withdraws a sent quote once', async () => {
    const w = await world();
    const quote = await send(w, (await create(w)).id);
    w.ctx.clock.advance(60_000);
    expect(await withdrawQuote(w.scope, w.ctx.clock, quote.id, w.by)).toMatchObject({ status: 'withdrawn', decidedAt: w.ctx.clock.now() });
    expect(await refusalOf(withdrawQuote(w.scope, w.ctx.clock, quote.id, w.by))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => e.kind)).toEqual(['created', 'sent', 'withdrawn']);
  });

  it('duplicates into a new draft with the next number, the same lines, ticket and recipients', async () => {
    const w = await world();
    const original = await create(w, { discount: { kind: 'percent', percent: '5' }, terms: 'Cash only.', requiresSignature: true });
    await send(w, original.id, [w.g.contact.id]);
    await withdrawQuote(w.scope, w.ctx.clock, original.id, w.by);
    const copy = await duplicateQuote(w.scope, w.ctx.clock, w.tenant, original.id, w.by);
    expect(copy.id).not.toBe(original.id);
    expect(copy).toMatchObject({
      number: 2,
      status: 'draft',
      currentVersion: 1,
      clientId: w.g.client.id,
      ticketId: w.g.ticket.id,
      sentAt: null,
    });
    const [a, b] = [await getQuoteVersion(w.scope, original), await getQuoteVersion(w.scope, copy)];
    expect(b.lines).toEqual(a.lines);
    expect([b.discount, b.terms, b.requiresSignature, b.total, b.validUntil]).toEqual([
      a.discount,
      a.terms,
      a.requiresSignature,
      a.total,
      a.validUntil,
    ]);
    // The number is part of the content, so the hash differs.
    expect(b.contentSha256).not.toBe(a.contentSha256);
    expect(await listQuoteRecipientIds(w.scope, copy.id)).toEqual([w.g.contact.id]);
    expect((await listQuoteEvents(w.scope, copy.id)).map((e) => [e.kind, e.detail])).toEqual([
      ['created', null],
      ['duplicated', 'Q-1'],
    ]);
    expect((await getQuote(w.scope, original.id)).status).toBe('withdrawn');
  });

  it('a quote valid until D is sent all of D in the organisation’s zone and expired from midnight (on read)', async () => {
    const w = await world({ timeZone: 'America/New_York' });
    const quote = await send(w, (await create(w, { validUntil: '2026-12-01' })).id);
    // 23:59:59 EST on 1 December = 04:59:59Z on the 2nd
    w.ctx.clock.set('2026-12-02T04:59:59.000Z');
    expect((await withExpiryApplied(w.scope, w.ctx.clock, await getQuote(w.scope, quote.id))).status).toBe('sent');
    expect((await getQuote(w.scope, quote.id)).status).toBe('sent');
    w.ctx.clock.set('2026-12-02T05:00:00.000Z');
    expect((await withExpiryApplied(w.scope, w.ctx.clock, await getQuote(w.scope, quote.id))).status).toBe('expired');
    expect((await getQuote(w.scope, quote.id)).status).toBe('expired');
    expect((await listQuoteEvents(w.scope, quote.id)).map((e) => [e.kind, e.actor.kind])).toEqual([
      ['created', 'team_member'],
      ['sent', 'team_member'],
      ['expired', 'system'],
    ]);
    // Applying it again records nothing more.
    await withExpiryApplied(w.scope, w.ctx.clock, await getQuote(w.scope, quote.id));
    expect(await listQuoteEvents(w.scope, quote.id)).toHaveLength(3);
  });

  it('the worker’s sweep expires lapsed sent quotes of its tenant only, once', async () => {
    // Auckland (NZDT, UTC+13): valid until 1 December ends 2 December 00:00 NZDT = 1 December 11:00Z.
    const w = await world({ timeZone: 'Pacific/Auckland' });
    const other = await world({ timeZone: 'Pacific/Auckland' });
    const lapsing = await send(w, (await create(w, { validUntil: '2026-12-01' })).id);
    const later = await send(w, (await create(w, { validUntil: '2026-12-02' })).id);
    const draft = await create(w, { validUntil: '2026-12-01' });
    const elsewhere = await send(other, (await create(other, { validUntil: '2026-12-01' })).id);
    w.ctx.clock.set('2026-12-01T10:59:59.000Z');
    expect(await expireLapsedQuotes(w.ctx, w.tenant.id)).toBe(0);
    w.ctx.clock.set('2026-12-01T11:00:00.000Z');
    expect(await expireLapsedQuotes(w.ctx, w.tenant.id)).toBe(1);
    expect(await expireLapsedQuotes(w.ctx, w.tenant.id)).toBe(0);
    const statuses = await Promise.all([lapsing, later, draft].map(async (q) => (await getQuote(w.scope, q.id)).status));
    // A draft never expires: nobody could accept it anyway.
    expect(statuses).toEqual(['expired', 'sent', 'draft']);
    expect((await getQuote(other.scope, elsewhere.id)).status).toBe('sent');
  });

  it('answers every transition that is not allowed with its 409, changing nothing', async () => {
    const w = await world();
    const customer: QuoteActor = { kind: 'contact', id: w.g.contact.id };
    const edit = (id: string) => updateQuote(w.scope, w.ctx.clock, w.tenant, id, { title: 'Changed' }, w.by);
    const withdraw = (id: string) => withdrawQuote(w.scope, w.ctx.clock, id, w.by);
    const sent = async () => send(w, (await create(w)).id);

    const draft = await create(w);
    expect(await refusalOf(withdraw(draft.id))).toEqual([409, 'QUOTE_NOT_SENT']);
    expect(await refusalOf(changeQuoteStatus(w.scope, w.ctx.clock, draft, 'accept', 'accepted', customer))).toEqual([
      409,
      'QUOTE_NOT_SENT',
    ]);

    const requested = await sent();
    await changeQuoteStatus(w.scope, w.ctx.clock, requested, 'request_changes', 'changes_requested', customer);
    expect(await refusalOf(send(w, requested.id))).toEqual([409, 'QUOTE_ALREADY_SENT']);

    const accepted = await changeQuoteStatus(w.scope, w.ctx.clock, await sent(), 'accept', 'accepted', customer);
    const declined = await changeQuoteStatus(w.scope, w.ctx.clock, await sent(), 'decline', 'declined', customer);
    for (const decided of [accepted, declined]) {
      expect(await refusalOf(edit(decided.id))).toEqual([409, 'QUOTE_NOT_EDITABLE']);
      expect(await refusalOf(send(w, decided.id))).toEqual([409, 'QUOTE_ALREADY_DECIDED']);
      expect(await refusalOf(withdraw(decided.id))).toEqual([409, 'QUOTE_ALREADY_DECIDED']);
      expect(await refusalOf(changeQuoteStatus(w.scope, w.ctx.clock, decided, 'decline', 'declined', customer))).toEqual([
        409,
        'QUOTE_ALREADY_DECIDED',
      ]);
    }

    const withdrawn = await withdraw((await sent()).id);
    expect(await refusalOf(edit(withdrawn.id))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect(await refusalOf(send(w, withdrawn.id))).toEqual([409, 'QUOTE_WITHDRAWN']);

    // Past its end, a sent quote nobody has read since is expired by the refusing call itself.
    const lapsed = await send(w, (await create(w, { validUntil: '2026-11-30' })).id);
    w.ctx.clock.set('2026-12-01T00:00:00.000Z');
    expect(await refusalOf(edit(lapsed.id))).toEqual([409, 'QUOTE_EXPIRED']);
    expect(await refusalOf(withdraw(lapsed.id))).toEqual([409, 'QUOTE_EXPIRED']);

    const after = await Promise.all(
      [draft, requested, accepted, declined, withdrawn].map(async (q) => (await getQuote(w.scope, q.id)).status),
    );
    expect(after).toEqual(['draft', 'changes_requested', 'accepted', 'declined', 'withdrawn']);
    expect((await withExpiryApplied(w.scope, w.ctx.clock, await getQuote(w.scope, lapsed.id))).status).toBe('expired');
    for (const q of [accepted, declined, withdrawn]) expect(await listQuoteVersions(w.scope, q.id)).toHaveLength(1);
  });

  it('sending again a quote past its end answers QUOTE_EXPIRED, as editing and withdrawing it do', async () => {
    const w = await world();
    const lapsed = await send(w, (await create(w, { validUntil: '2026-11-30' })).id);
    w.ctx.clock.set('2026-12-01T00:00:00.000Z');
    // Not read since it lapsed: the refusal must still name what the quote is now, not what its row last said.
    expect(await refusalOf(send(w, lapsed.id))).toEqual([409, 'QUOTE_EXPIRED']);
    await withExpiryApplied(w.scope, w.ctx.clock, await getQuote(w.scope, lapsed.id));
    expect(await refusalOf(send(w, lapsed.id))).toEqual([409, 'QUOTE_EXPIRED']);
  });

  it('refuses a total past the limit with QUOTE_TOTAL_TOO_LARGE and writes nothing', async () => {
    const w = await world();
    const huge = [{ description: 'Too much', quantity: '1000', unitPrice: 100_000_000_000, taxRatePercent: null }];
    expect(await refusalOf(create(w, { lines: huge }))).toEqual([400, 'QUOTE_TOTAL_TOO_LARGE']);
    // The number was not used up either: the next quote is still Q-1.
    expect((await create(w)).number).toBe(1);
  });

  it('never reaches another organisation’s quote, client or ticket, nor another client’s ticket', async () => {
    const a = await world();
    const b = await world();
    const theirs = await send(b, (await create(b)).id);
    const theirsBefore = await getQuote(b.scope, theirs.id);
    const notFound = [404, 'QUOTE_NOT_FOUND'];
    expect(await refusalOf(getQuote(a.scope, theirs.id))).toEqual(notFound);
    expect(await refusalOf(updateQuote(a.scope, a.ctx.clock, a.tenant, theirs.id, { title: 'Mine now' }, a.by))).toEqual(notFound);
    expect(await refusalOf(send(a, theirs.id))).toEqual(notFound);
    expect(await refusalOf(withdrawQuote(a.scope, a.ctx.clock, theirs.id, a.by))).toEqual(notFound);
    expect(await refusalOf(duplicateQuote(a.scope, a.ctx.clock, a.tenant, theirs.id, a.by))).toEqual(notFound);
    expect(await getQuote(b.scope, theirs.id)).toEqual(theirsBefore);
    expect(await listQuoteVersions(b.scope, theirs.id)).toHaveLength(1);

    expect(await refusalOf(create(a, { clientId: b.g.client.id, ticketId: null }))).toEqual([404, 'CLIENT_NOT_FOUND']);
    expect(await refusalOf(create(a, { ticketId: b.g.ticket.id }))).toEqual([404, 'TICKET_NOT_FOUND']);
    const otherClient = await createClient(a.ctx, a.tenant.id, { name: 'Second client' });
    const otherContact = await addContact(a.ctx, a.tenant.id, otherClient.id, { email: `o-${a.tenant.slug}@x.example.com`, name: 'Other' });
    const otherTicket = await openContactTicket(a.ctx, otherContact, { title: 'Boiler', body: 'Noisy.' });
    expect(await refusalOf(create(a, { ticketId: otherTicket.id }))).toEqual([404, 'TICKET_NOT_FOUND']);
    expect(await refusalOf(create(a, { recipientContactIds: [otherContact.id] }))).toEqual([404, 'CONTACT_NOT_FOUND']);
    // None of the refused creations took a number.
    expect((await create(a)).number).toBe(1);
  });
});

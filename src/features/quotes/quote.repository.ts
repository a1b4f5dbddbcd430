import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type {
  ActorKind,
  Database,
  QuoteAcceptanceTable,
  QuoteEventTable,
  QuoteTable,
  QuoteVersionTable,
} from '../../platform/db/database.js';
import { findTenantsWithLapsedQuotes } from '../../platform/db/cross-tenant.repository.js';
import { fromDbTime, fromFlag } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import type { QuoteDiscountInput, QuoteLineComputed, QuoteStatus } from './quote.domain.js';

/** The only reader and writer of the quote tables. */

export interface Quote {
  readonly id: string;
  readonly clientId: string;
  readonly ticketId: string | null;
  readonly number: number;
  readonly status: QuoteStatus;
  readonly currentVersion: number;
  readonly currency: string;
  readonly title: string;
  readonly total: number;
  readonly validUntil: string | null;
  readonly lapsesAt: Date | null;
  readonly requiresSignature: boolean;
  readonly firstViewedAt: Date | null;
  readonly firstViewedByContactId: string | null;
  readonly sentAt: Date | null;
  readonly decidedAt: Date | null;
  readonly decidedByContactId: string | null;
  readonly declineReason: string | null;
  readonly createdByMemberId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

export interface QuoteVersion {
  readonly quoteId: string;
  readonly version: number;
  readonly title: string;
  readonly lines: readonly QuoteLineComputed[];
  readonly discount: QuoteDiscountInput | null;
  readonly subtotal: number;
  readonly discountAmount: number;
  readonly tax: number;
  readonly total: number;
  readonly validUntil: string | null;
  readonly terms: string;
  readonly requiresSignature: boolean;
  readonly contentSha256: string;
  readonly createdByMemberId: string | null;
  readonly createdAt: Date;
}

export interface QuoteAcceptance {
  readonly quoteId: string;
  readonly version: number;
  readonly contactId: string;
  readonly signerName: string;
  readonly signatureKind: 'drawn' | 'typed' | 'none';
  readonly signaturePng: Buffer | null;
  readonly contentSha256: string;
  readonly ip: string | null;
  readonly userAgent: string | null;
  readonly acceptedAt: Date;
}

export interface QuoteEvent {
  readonly id: string;
  readonly quoteId: string;
  readonly kind: string;
  readonly version: number;
  readonly actor: { readonly kind: ActorKind; readonly id: string | null };
  readonly detail: string | null;
  readonly at: Date;
}

const time = (value: string | null): Date | null => (value ? fromDbTime(value) : null);

function toQuote(row: Selectable<QuoteTable>): Quote {
  return {
    id: row.id,
    clientId: row.client_id,
    ticketId: row.ticket_id,
    number: Number(row.number),
    // Written only from QUOTE_STATUSES.
    status: row.status as QuoteStatus,
    currentVersion: Number(row.current_version),
    currency: row.currency,
    title: row.title,
    total: Number(row.total),
    validUntil: row.valid_until,
    lapsesAt: time(row.lapses_at),
    requiresSignature: fromFlag(row.requires_signature),
    firstViewedAt: time(row.first_viewed_at),
    firstViewedByContactId: row.first_viewed_by_contact_id,
    sentAt: time(row.sent_at),
    decidedAt: time(row.decided_at),
    decidedByContactId: row.decided_by_contact_id,
    declineReason: row.decline_reason,
    createdByMemberId: row.created_by_member_id,
    createdAt: fromDbTime(row.created_at),
    updatedAt: fromDbTime(row.updated_at),
  };
}

function toVersion(row: Selectable<QuoteVersionTable>): QuoteVersion {
  return {
    quoteId: row.quote_id,
    version: Number(row.version),
    title: row.title,
    lines: JSON.parse(row.lines) as QuoteLineComputed[],
    discount: row.discount === null ? null : (JSON.parse(row.discount) as QuoteDiscountInput),
    subtotal: Number(row.subtotal),
    discountAmount: Number(row.discount_amount),
    tax: Number(row.tax),
    total: Number(row.total),
    validUntil: row.valid_until,
    terms: row.terms,
    requiresSignature: fromFlag(row.requires_signature),
    contentSha256: row.content_sha256,
    createdByMemberId: row.created_by_member_id,
    createdAt: fromDbTime(row.created_at),
  };
}

function toAcceptance(row: Selectable<QuoteAcceptanceTable>): QuoteAcceptance {
  return {
    quoteId: row.quote_id,
    version: Number(row.version),
    contactId: row.contact_id,
    signerName: row.signer_name,
    signatureKind: row.signature_kind,
    signaturePng: row.signature_png === null ? null : Buffer.from(row.signature_png, 'base64'),
    contentSha256: row.content_sha256,
    ip: row.ip,
    userAgent: row.user_agent,
    acceptedAt: fromDbTime(row.accepted_at),
  };
}

function toEvent(row: Selectable<QuoteEventTable>): QuoteEvent {
  return {
    id: row.id,
    quoteId: row.quote_id,
    kind: row.kind,
    version: Number(row.version),
    actor: { kind: row.actor_kind, id: row.actor_id },
    detail: row.detail,
    at: fromDbTime(row.created_at),
  };
}

export interface QuoteContentRow {
  readonly title: string;
  readonly lines: readonly QuoteLineComputed[];
  readonly discount: QuoteDiscountInput | null;
  readonly subtotal: number;
  readonly discountAmount: number;
  readonly tax: number;
  readonly total: number;
  readonly validUntil: string | null;
  readonly lapsesAt: string | null;
  readonly terms: string;
  readonly requiresSignature: boolean;
  readonly contentSha256: string;
}

export async function insertQuote(
  scope: TenantScope,
  row: {
    id: string;
    clientId: string;
    ticketId: string | null;
    number: number;
    currency: string;
    createdByMemberId: string | null;
    now: string;
  },
  content: QuoteContentRow,
): Promise<void> {
  await scope
    .insertInto('quote', {
      id: row.id,
      client_id: row.clientId,
      ticket_id: row.ticketId,
      number: row.number,
      status: 'draft',
      current_version: 1,
      currency: row.currency,
      title: content.title,
      total: content.total,
      valid_until: content.validUntil,
      lapses_at: content.lapsesAt,
      requires_signature: content.requiresSignature ? 1 : 0,
      first_viewed_at: null,
      first_viewed_by_contact_id: null,
      sent_at: null,
      decided_at: null,
      decided_by_contact_id: null,
      decline_reason: null,
      created_by_member_id: row.createdByMemberId,
      created_at: row.now,
      updated_at: row.now,
    })
    .execute();
}

export async function insertQuoteVersion(
  scope: TenantScope,
  row: { id: string; quoteId: string; version: number; createdByMemberId: string | null; now: string },
  content: QuoteContentRow,
): Promise<void> {
  await scope
    .insertInto('quote_version', {
      id: row.id,
      quote_id: row.quoteId,
      version: row.version,
      ...versionColumns(content),
      created_by_member_id: row.createdByMemberId,
      created_at: row.now,
    })
    .execute();
}

function versionColumns(content: QuoteContentRow) {
  return {
    title: content.title,
    lines: JSON.stringify(content.lines),
    discount: content.discount === null ? null : JSON.stringify(content.discount),
    subtotal: content.subtotal,
    discount_amount: content.discountAmount,
    tax: content.tax,
    total: content.total,
    valid_until: content.validUntil,
    terms: content.terms,
    requires_signature: content.requiresSignature ? (1 as const) : (0 as const),
    content_sha256: content.contentSha256,
  };
}

/** A draft's version 1 rewritten in place (a draft was never seen by anyone). */
export async function rewriteDraftVersion(scope: TenantScope, quoteId: string, version: number, content: QuoteContentRow): Promise<void> {
  await scope
    .updateTable('quote_version')
    .set(versionColumns(content))
    .where('quote_id', '=', quoteId)
    .where('version', '=', version)
    .execute();
}

/** The quote's copy of its current content, with the version it now is. */
export async function setQuoteContent(
  scope: TenantScope,
  quoteId: string,
  version: number,
  content: QuoteContentRow,
  now: string,
): Promise<void> {
  await scope
    .updateTable('quote')
    .set({
      current_version: version,
      title: content.title,
      total: content.total,
      valid_until: content.validUntil,
      lapses_at: content.lapsesAt,
      requires_signature: content.requiresSignature ? 1 : 0,
      updated_at: now,
    })
    .where('id', '=', quoteId)
    .execute();
}

export interface QuoteStatusChange {
  readonly status: QuoteStatus;
  readonly sentAt?: string;
  readonly decidedAt?: string;
  readonly decidedByContactId?: string;
  readonly declineReason?: string | null;
  readonly now: string;
}

/**
 * The one status transition: a conditional UPDATE that only moves a quote still in one of `from`
 * (and, when given, still at `version`), so two racing changes cannot both win. Returns whether it moved.
 */
export async function moveQuoteStatus(
  scope: TenantScope,
  quoteId: string,
  from: readonly QuoteStatus[],
  change: QuoteStatusChange,
  version?: number,
): Promise<boolean> {
  let query = scope
    .updateTable('quote')
    .set({
      status: change.status,
      ...(change.sentAt !== undefined ? { sent_at: change.sentAt } : {}),
      ...(change.decidedAt !== undefined ? { decided_at: change.decidedAt } : {}),
      ...(change.decidedByContactId !== undefined ? { decided_by_contact_id: change.decidedByContactId } : {}),
      ...(change.declineReason !== undefined ? { decline_reason: change.declineReason } : {}),
      updated_at: change.now,
    })
    .where('id', '=', quoteId)
    .where('status', 'in', [...from]);
  if (version !== undefined) query = query.where('current_version', '=', version);
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

/** Puts a quote on a ticket (a customer's change request opened one for a quote that had none). */
export async function setQuoteTicket(scope: TenantScope, quoteId: string, ticketId: string): Promise<void> {
  await scope.updateTable('quote').set({ ticket_id: ticketId }).where('id', '=', quoteId).where('ticket_id', 'is', null).execute();
}

/** Records the first customer view; returns whether this was it. */
export async function markQuoteFirstViewed(scope: TenantScope, quoteId: string, contactId: string, now: string): Promise<boolean> {
  const result = await scope
    .updateTable('quote')
    .set({ first_viewed_at: now, first_viewed_by_contact_id: contactId })
    .where('id', '=', quoteId)
    .where('first_viewed_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function findQuote(scope: TenantScope, quoteId: string): Promise<Quote | undefined> {
  const row = await scope.selectFrom('quote').selectAll('quote').where('quote.id', '=', quoteId).executeTakeFirst();
  return row && toQuote(row);
}

/**
 * Takes the quote's row lock for the rest of the transaction with a write that changes nothing
 * (portable, like lockTicket), then reads it: what follows cannot be raced by another writer.
 */
export async function lockQuote(scope: TenantScope, quoteId: string): Promise<Quote | undefined> {
  const result = await scope
    .updateTable('quote')
    .set((eb) => ({ updated_at: eb.ref('quote.updated_at') }))
    .where('quote.id', '=', quoteId)
    .executeTakeFirst();
  if (result.numUpdatedRows === 0n) return undefined;
  return findQuote(scope, quoteId);
}

export async function findQuoteVersion(scope: TenantScope, quoteId: string, version: number): Promise<QuoteVersion | undefined> {
  const row = await scope
    .selectFrom('quote_version')
    .selectAll('quote_version')
    .where('quote_version.quote_id', '=', quoteId)
    .where('quote_version.version', '=', version)
    .executeTakeFirst();
  return row && toVersion(row);
}

export async function listQuoteVersions(scope: TenantScope, quoteId: string): Promise<QuoteVersion[]> {
  const rows = await scope
    .selectFrom('quote_version')
    .selectAll('quote_version')
    .where('quote_version.quote_id', '=', quoteId)
    .orderBy('quote_version.version', 'asc')
    .execute();
  return rows.map(toVersion);
}

export async function insertQuoteEvent(
  scope: TenantScope,
  row: {
    id: string;
    quoteId: string;
    kind: string;
    version: number;
    actor: { kind: ActorKind; id: string | null };
    detail: string | null;
    now: string;
  },
): Promise<void> {
  await scope
    .insertInto('quote_event', {
      id: row.id,
      quote_id: row.quoteId,
      kind: row.kind,
      version: row.version,
      actor_kind: row.actor.kind,
      actor_id: row.actor.id,
      detail: row.detail,
      created_at: row.now,
    })
    .execute();
}

export async function listQuoteEvents(scope: TenantScope, quoteId: string): Promise<QuoteEvent[]> {
  const rows = await scope
    .selectFrom('quote_event')
    .selectAll('quote_event')
    .where('quote_event.quote_id', '=', quoteId)
    .orderBy('quote_event.created_at', 'asc')
    .orderBy('quote_event.id', 'asc')
    .execute();
  return rows.map(toEvent);
}

/** Inserts the acceptance; false when the quote already has one (the unique key decides a race). */
export async function insertQuoteAcceptance(
  scope: TenantScope,
  row: Omit<QuoteAcceptance, 'acceptedAt' | 'signaturePng'> & { id: string; signaturePng: Buffer | null; acceptedAt: string },
): Promise<void> {
  await scope
    .insertInto('quote_acceptance', {
      id: row.id,
      quote_id: row.quoteId,
      version: row.version,
      contact_id: row.contactId,
      signer_name: row.signerName,
      signature_kind: row.signatureKind,
      signature_png: row.signaturePng ? row.signaturePng.toString('base64') : null,
      content_sha256: row.contentSha256,
      ip: row.ip,
      user_agent: row.userAgent,
      accepted_at: row.acceptedAt,
    })
    .execute();
}

export async function findQuoteAcceptance(scope: TenantScope, quoteId: string): Promise<QuoteAcceptance | undefined> {
  const row = await scope
    .selectFrom('quote_acceptance')
    .selectAll('quote_acceptance')
    .where('quote_acceptance.quote_id', '=', quoteId)
    .executeTakeFirst();
  return row && toAcceptance(row);
}

export async function replaceQuoteRecipients(
  scope: TenantScope,
  quoteId: string,
  contactIds: readonly string[],
  ids: () => string,
  now: string,
): Promise<void> {
  await scope.deleteFrom('quote_recipient').where('quote_id', '=', quoteId).execute();
  if (contactIds.length === 0) return;
  await scope
    .insertInto(
      'quote_recipient',
      contactIds.map((contactId) => ({ id: ids(), quote_id: quoteId, contact_id: contactId, created_at: now })),
    )
    .execute();
}

export async function listQuoteRecipientIds(scope: TenantScope, quoteId: string): Promise<string[]> {
  const rows = await scope
    .selectFrom('quote_recipient')
    .select('quote_recipient.contact_id')
    .where('quote_recipient.quote_id', '=', quoteId)
    .orderBy('quote_recipient.created_at')
    .orderBy('quote_recipient.id')
    .execute();
  return rows.map((r) => r.contact_id);
}

export interface QuoteListFilter {
  readonly statuses?: readonly QuoteStatus[];
  readonly clientId?: string;
  readonly ticketId?: string;
  readonly after?: { readonly updatedAt: string; readonly id: string };
  readonly limit: number;
}

/** The team's list: newest change first, keyset on (updated_at, id). */
export async function listQuotes(scope: TenantScope, filter: QuoteListFilter): Promise<Quote[]> {
  let query = scope.selectFrom('quote').selectAll('quote');
  if (filter.statuses) query = query.where('quote.status', 'in', [...filter.statuses]);
  if (filter.clientId) query = query.where('quote.client_id', '=', filter.clientId);
  if (filter.ticketId) query = query.where('quote.ticket_id', '=', filter.ticketId);
  if (filter.after) {
    const { updatedAt, id } = filter.after;
    query = query.where((eb) =>
      eb.or([eb('quote.updated_at', '<', updatedAt), eb.and([eb('quote.updated_at', '=', updatedAt), eb('quote.id', '<', id)])]),
    );
  }
  const rows = await query.orderBy('quote.updated_at', 'desc').orderBy('quote.id', 'desc').limit(filter.limit).execute();
  return rows.map(toQuote);
}

export async function countQuotesByStatus(
  scope: TenantScope,
  filter: { clientId?: string; ticketId?: string },
): Promise<Record<string, number>> {
  let query = scope.selectFrom('quote').select((eb) => ['quote.status', eb.fn.countAll<number | string>().as('n')]);
  if (filter.clientId) query = query.where('quote.client_id', '=', filter.clientId);
  if (filter.ticketId) query = query.where('quote.ticket_id', '=', filter.ticketId);
  const rows = await query.groupBy('quote.status').execute();
  return Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]));
}

/** Who a customer is, as quote visibility takes it: the client, and for "own" clients the contact. */
export interface QuoteAudience {
  readonly clientId: string;
  /** Set when the client sees only its own: quotes of tickets this contact requested, or sent to them. */
  readonly ownContactId: string | null;
}

/** The quotes a customer may see (never drafts), newest sent first. */
export async function listAudienceQuotes(
  scope: TenantScope,
  audience: QuoteAudience,
  statuses: readonly QuoteStatus[],
  ticketId?: string,
): Promise<Quote[]> {
  let query = scope
    .selectFrom('quote')
    .selectAll('quote')
    .where('quote.client_id', '=', audience.clientId)
    .where('quote.status', 'in', [...statuses]);
  if (ticketId) query = query.where('quote.ticket_id', '=', ticketId);
  if (audience.ownContactId) query = query.where((eb) => ownQuote(scope, eb, audience.ownContactId!));
  const rows = await query.orderBy('quote.sent_at', 'desc').orderBy('quote.id', 'desc').limit(200).execute();
  return rows.map(toQuote);
}

export async function findAudienceQuote(scope: TenantScope, audience: QuoteAudience, quoteId: string): Promise<Quote | undefined> {
  let query = scope
    .selectFrom('quote')
    .selectAll('quote')
    .where('quote.id', '=', quoteId)
    .where('quote.client_id', '=', audience.clientId)
    .where('quote.status', '<>', 'draft');
  if (audience.ownContactId) query = query.where((eb) => ownQuote(scope, eb, audience.ownContactId!));
  const row = await query.executeTakeFirst();
  return row && toQuote(row);
}

/** Sent to this contact, or on a ticket this contact requested; both subqueries go through the scope too. */
function ownQuote(scope: TenantScope, eb: ExpressionBuilder<Database, 'quote'>, contactId: string) {
  return eb.or([
    eb.exists(
      scope
        .selectFrom('quote_recipient')
        .select(sql.lit(1).as('one'))
        .where('quote_recipient.quote_id', '=', sql.ref<string>('quote.id'))
        .where('quote_recipient.contact_id', '=', contactId),
    ),
    eb.exists(
      scope
        .selectFrom('ticket')
        .select(sql.lit(1).as('one'))
        .where('ticket.id', '=', sql.ref<string>('quote.ticket_id'))
        .where('ticket.requester_contact_id', '=', contactId),
    ),
  ]);
}

/** Quotes past their end (any tenant): the worker's expiry sweep, a batch at a time. */
export async function listLapsedQuoteIds(scope: TenantScope, now: string, limit: number): Promise<string[]> {
  const rows = await scope
    .selectFrom('quote')
    .select('quote.id')
    .where('quote.status', 'in', ['sent', 'changes_requested'])
    .where('quote.lapses_at', '<=', now)
    .limit(limit)
    .execute();
  return rows.map((r) => r.id);
}

/** The organisations with quotes past their end (a worker's cross-tenant read, through the one named module). */
export const listTenantsWithLapsedQuotes = findTenantsWithLapsedQuotes;

import type { Clock } from '../../platform/clock.js';
import type { AppContext } from '../../platform/context.js';
import type { ActorKind } from '../../platform/db/database.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { toDbTime } from '../../platform/db/time.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import { getClient, listContactsOfClient } from '../clients/client.service.js';
import { allocateQuoteNumber, findQuoteDefaultTerms, type Tenant } from '../tenants/tenant.service.js';
import { getTicket } from '../tickets/ticket.service.js';
import { contentSha256Of } from './quote-content.js';
import {
  canQuote,
  computeQuote,
  dateIn,
  lapsesAt,
  QUOTE_OPEN_FOR_CUSTOMER,
  QUOTE_TRANSITIONS,
  QuoteTotalTooLarge,
  quoteNumberText,
  refusalOf,
  type QuoteAction,
  type QuoteDiscountInput,
  type QuoteLineInput,
  type QuoteStatus,
} from './quote.domain.js';
import * as repo from './quote.repository.js';

export type { Quote, QuoteAcceptance, QuoteEvent, QuoteVersion } from './quote.repository.js';

/** The outbox job that emails one recipient a sent (or revised) quote with its deep link. */
export const QUOTE_SEND_EMAIL_JOB = 'quotes.send_email';
/** The outbox job that emails the customer the confirmation of an acceptance, with the signed PDF. */
export const QUOTE_ACCEPTED_EMAIL_JOB = 'quotes.accepted_email';
/** The worker's recurring sweep that expires quotes past their end. */
export const QUOTE_EXPIRE_JOB = 'quotes.expire';

export interface QuoteActor {
  readonly kind: ActorKind;
  readonly id: string | null;
}

export interface QuoteDraft {
  readonly title: string;
  readonly lines: readonly QuoteLineInput[];
  readonly discount: QuoteDiscountInput | null;
  readonly validUntil: string | null;
  readonly terms: string;
  readonly requiresSignature: boolean;
}

/** The content of a version: computed totals, the instant it lapses and its hash. */
export function quoteContentOf(tenant: Tenant, number: number, version: number, draft: QuoteDraft): repo.QuoteContentRow {
  let computed;
  try {
    computed = computeQuote(draft.lines, draft.discount);
  } catch (error) {
    if (error instanceof QuoteTotalTooLarge) throw new AppError('QUOTE_TOTAL_TOO_LARGE');
    throw error;
  }
  return {
    title: draft.title,
    lines: computed.lines,
    discount: draft.discount,
    subtotal: computed.subtotal,
    discountAmount: computed.discount,
    tax: computed.tax,
    total: computed.total,
    validUntil: draft.validUntil,
    lapsesAt: draft.validUntil ? toDbTime(lapsesAt(draft.validUntil, tenant.timeZone)) : null,
    terms: draft.terms,
    requiresSignature: draft.requiresSignature,
    contentSha256: contentSha256Of({
      number: quoteNumberText(number),
      version,
      currency: tenant.currency,
      title: draft.title,
      computed,
      discount: draft.discount,
      validUntil: draft.validUntil,
      terms: draft.terms,
      requiresSignature: draft.requiresSignature,
    }),
  };
}

/** @throws the 409 of `refusalOf` when `action` is not allowed from the quote's status */
export function assertQuoteCan(action: QuoteAction, quote: repo.Quote): void {
  if (!canQuote(action, quote.status)) throw new AppError(refusalOf(action, quote.status));
}

export async function recordQuoteEvent(
  scope: TenantScope,
  clock: Clock,
  quote: Pick<repo.Quote, 'id' | 'currentVersion'>,
  kind: string,
  actor: QuoteActor,
  detail: string | null = null,
  version = quote.currentVersion,
): Promise<void> {
  const now = clock.now();
  await repo.insertQuoteEvent(scope, { id: newId(now.getTime()), quoteId: quote.id, kind, version, actor, detail, now: toDbTime(now) });
}

/**
 * Moves a quote from a status `action` allows to `to`, in one conditional UPDATE (and, with
 * `version`, only while that version is current), with its history event. When another change
 * won the race, the quote is read again and the right 409 thrown.
 * @throws QUOTE_SUPERSEDED, or the refusal of the status the quote is in now
 */
export async function changeQuoteStatus(
  scope: TenantScope,
  clock: Clock,
  quote: repo.Quote,
  action: QuoteAction,
  to: QuoteStatus,
  actor: QuoteActor,
  options: { version?: number; detail?: string | null; change?: Omit<repo.QuoteStatusChange, 'status' | 'now'> } = {},
): Promise<repo.Quote> {
  assertQuoteCan(action, quote);
  if (options.version !== undefined && options.version !== quote.currentVersion) throw new AppError('QUOTE_SUPERSEDED');
  const now = toDbTime(clock.now());
  const moved = await repo.moveQuoteStatus(
    scope,
    quote.id,
    QUOTE_TRANSITIONS[action],
    { ...options.change, status: to, now },
    options.version,
  );
  if (!moved) {
    const current = await repo.findQuote(scope, quote.id);
    if (!current) throw new AppError('QUOTE_NOT_FOUND');
    if (options.version !== undefined && current.currentVersion !== options.version) throw new AppError('QUOTE_SUPERSEDED');
    assertQuoteCan(action, current);
    throw new AppError('CONFLICT');
  }
  await recordQuoteEvent(scope, clock, quote, eventKindOf(action), actor, options.detail ?? null);
  const updated = await repo.findQuote(scope, quote.id);
  if (!updated) throw new AppError('QUOTE_NOT_FOUND');
  return updated;
}

function eventKindOf(action: QuoteAction): string {
  const kinds: Record<QuoteAction, string> = {
    edit: 'edited',
    revise: 'revised',
    send: 'sent',
    withdraw: 'withdrawn',
    accept: 'accepted',
    decline: 'declined',
    request_changes: 'changes_requested',
    expire: 'expired',
  };
  return kinds[action];
}

/**
 * Applies expiry on read: a sent quote past the end of its valid-until day (in the organisation's
 * time zone) becomes expired now, whether or not the worker's sweep has run.
 */
export async function withExpiryApplied(scope: TenantScope, clock: Clock, quote: repo.Quote): Promise<repo.Quote> {
  if (!QUOTE_OPEN_FOR_CUSTOMER.includes(quote.status) || !quote.lapsesAt || quote.lapsesAt > clock.now()) return quote;
  return expireQuote(scope, clock, quote);
}

async function expireQuote(scope: TenantScope, clock: Clock, quote: repo.Quote): Promise<repo.Quote> {
  const moved = await repo.moveQuoteStatus(scope, quote.id, QUOTE_TRANSITIONS.expire, { status: 'expired', now: toDbTime(clock.now()) });
  if (moved) await recordQuoteEvent(scope, clock, quote, 'expired', { kind: 'system', id: null });
  return (await repo.findQuote(scope, quote.id)) ?? quote;
}

/** The worker's sweep: every quote of the tenant past its end is expired. Returns how many. */
export async function expireLapsedQuotes(ctx: AppContext, tenantId: string): Promise<number> {
  const scope = forTenant(ctx.db, tenantId);
  let expired = 0;
  for (;;) {
    const ids = await repo.listLapsedQuoteIds(scope, toDbTime(ctx.clock.now()), 100);
    if (ids.length === 0) return expired;
    for (const id of ids) {
      await scope.transaction(async (tx) => {
        const quote = await repo.findQuote(tx, id);
        if (quote) {
          const after = await withExpiryApplied(tx, ctx.clock, quote);
          if (after.status === 'expired' && quote.status !== 'expired') expired += 1;
        }
      });
    }
  }
}

/** The worker's recurring sweep over every organisation with lapsed quotes. Returns how many it expired. */
export async function expireLapsedQuotesEverywhere(ctx: AppContext): Promise<number> {
  let expired = 0;
  for (const tenantId of await repo.listTenantsWithLapsedQuotes(ctx.db, toDbTime(ctx.clock.now()))) {
    expired += await expireLapsedQuotes(ctx, tenantId);
  }
  return expired;
}

/** @throws QUOTE_NOT_FOUND — a missing quote and another organisation's alike */
export async function getQuote(scope: TenantScope, quoteId: string): Promise<repo.Quote> {
  const quote = await repo.findQuote(scope, quoteId);
  if (!quote) throw new AppError('QUOTE_NOT_FOUND');
  return quote;
}

/** @throws QUOTE_NOT_FOUND when the version is missing (never, for a stored quote) */
export async function getQuoteVersion(scope: TenantScope, quote: repo.Quote, version = quote.currentVersion): Promise<repo.QuoteVersion> {
  const found = await repo.findQuoteVersion(scope, quote.id, version);
  if (!found) throw new AppError('QUOTE_NOT_FOUND');
  return found;
}

export interface NewQuoteInput extends Partial<QuoteDraft> {
  readonly clientId: string;
  readonly ticketId: string | null;
  readonly title: string;
  readonly lines: readonly QuoteLineInput[];
  readonly recipientContactIds?: readonly string[];
}

/**
 * Creates a draft (version 1) for a client of the scope's tenant, optionally on one of its
 * tickets: the next number, the organisation's currency, its default terms and 30 days of validity
 * unless given.
 * @throws CLIENT_NOT_FOUND, TICKET_NOT_FOUND (missing, or another client's), CONTACT_NOT_FOUND, QUOTE_TOTAL_TOO_LARGE
 */
export async function createQuote(
  scope: TenantScope,
  clock: Clock,
  tenant: Tenant,
  input: NewQuoteInput,
  actor: QuoteActor,
): Promise<repo.Quote> {
  return scope.transaction(async (tx) => {
    const client = await getClient(tx, input.clientId);
    if (input.ticketId) {
      const ticket = await getTicket(tx, input.ticketId);
      if (ticket.clientId !== client.id) throw new AppError('TICKET_NOT_FOUND', 'This ticket is not one of the client’s.');
    }
    const now = clock.now();
    const number = await allocateQuoteNumber(tx);
    const draft: QuoteDraft = {
      title: input.title,
      lines: input.lines,
      discount: input.discount ?? null,
      validUntil: input.validUntil !== undefined ? input.validUntil : dateIn(tenant.timeZone, now, 30),
      terms: input.terms ?? (await findQuoteDefaultTerms(tx, tenant.id)),
      requiresSignature: input.requiresSignature ?? false,
    };
    const content = quoteContentOf(tenant, number, 1, draft);
    const id = newId(now.getTime());
    const createdBy = actor.kind === 'team_member' ? actor.id : null;
    await repo.insertQuote(
      tx,
      {
        id,
        clientId: client.id,
        ticketId: input.ticketId,
        number,
        currency: tenant.currency,
        createdByMemberId: createdBy,
        now: toDbTime(now),
      },
      content,
    );
    await repo.insertQuoteVersion(
      tx,
      { id: newId(now.getTime()), quoteId: id, version: 1, createdByMemberId: createdBy, now: toDbTime(now) },
      content,
    );
    await setRecipients(tx, clock, id, client.id, input.recipientContactIds ?? []);
    await recordQuoteEvent(tx, clock, { id, currentVersion: 1 }, 'created', actor);
    return getQuote(tx, id);
  });
}

async function setRecipients(
  scope: TenantScope,
  clock: Clock,
  quoteId: string,
  clientId: string,
  contactIds: readonly string[],
): Promise<void> {
  const unique = [...new Set(contactIds)];
  const contacts = new Map((await listContactsOfClient(scope, clientId)).map((c) => [c.id, c]));
  for (const id of unique) {
    const contact = contacts.get(id);
    if (!contact) throw new AppError('CONTACT_NOT_FOUND', 'A chosen recipient is not a contact of this client.');
    if (contact.status !== 'active') throw new AppError('CONTACT_DISABLED', `${contact.name} is disabled and cannot receive quotes.`);
  }
  const now = clock.now();
  await repo.replaceQuoteRecipients(scope, quoteId, unique, () => newId(now.getTime()), toDbTime(now));
}

export type QuoteChanges = Partial<QuoteDraft> & { readonly recipientContactIds?: readonly string[] };

/**
 * Changes a quote. A draft is rewritten in place; a sent quote (or one with changes requested)
 * gets a new version that supersedes the current one — the customer sees only the new one, an
 * old one can never be accepted — is sent at once, and is emailed to its recipients.
 * @throws QUOTE_NOT_FOUND, QUOTE_NOT_EDITABLE (accepted or declined), QUOTE_EXPIRED, QUOTE_WITHDRAWN
 */
export async function updateQuote(
  scope: TenantScope,
  clock: Clock,
  tenant: Tenant,
  quoteId: string,
  changes: QuoteChanges,
  actor: QuoteActor,
): Promise<{ quote: repo.Quote; revised: boolean }> {
  return scope.transaction(async (tx) => {
    const locked = await repo.lockQuote(tx, quoteId);
    if (!locked) throw new AppError('QUOTE_NOT_FOUND');
    const quote = await withExpiryApplied(tx, clock, locked);
    const revise = canQuote('revise', quote.status);
    if (!revise) assertQuoteCan('edit', quote);
    const current = await getQuoteVersion(tx, quote);
    const draft: QuoteDraft = {
      title: changes.title ?? current.title,
      lines:
        changes.lines ??
        current.lines.map(({ description, quantity, unitPrice, taxRatePercent }) => ({ description, quantity, unitPrice, taxRatePercent })),
      discount: changes.discount !== undefined ? changes.discount : current.discount,
      validUntil: changes.validUntil !== undefined ? changes.validUntil : current.validUntil,
      terms: changes.terms ?? current.terms,
      requiresSignature: changes.requiresSignature ?? current.requiresSignature,
    };
    if (changes.recipientContactIds) await setRecipients(tx, clock, quote.id, quote.clientId, changes.recipientContactIds);
    const now = clock.now();
    const createdBy = actor.kind === 'team_member' ? actor.id : null;
    if (!revise) {
      const content = quoteContentOf(tenant, quote.number, quote.currentVersion, draft);
      await repo.rewriteDraftVersion(tx, quote.id, quote.currentVersion, content);
      await repo.setQuoteContent(tx, quote.id, quote.currentVersion, content, toDbTime(now));
      await recordQuoteEvent(tx, clock, quote, 'edited', actor);
      return { quote: await getQuote(tx, quote.id), revised: false };
    }
    assertStillValid(draft, tenant, now);
    const version = quote.currentVersion + 1;
    const content = quoteContentOf(tenant, quote.number, version, draft);
    await repo.insertQuoteVersion(
      tx,
      { id: newId(now.getTime()), quoteId: quote.id, version, createdByMemberId: createdBy, now: toDbTime(now) },
      content,
    );
    await repo.setQuoteContent(tx, quote.id, version, content, toDbTime(now));
    if (quote.status === 'changes_requested')
      await repo.moveQuoteStatus(tx, quote.id, ['changes_requested'], { status: 'sent', now: toDbTime(now) });
    await recordQuoteEvent(tx, clock, { id: quote.id, currentVersion: version }, 'revised', actor);
    const revised = await getQuote(tx, quote.id);
    await queueQuoteEmails(tx, clock, revised, await repo.listQuoteRecipientIds(tx, quote.id));
    return { quote: revised, revised: true };
  });
}

function assertStillValid(draft: QuoteDraft, tenant: Tenant, now: Date): void {
  if (draft.validUntil && lapsesAt(draft.validUntil, tenant.timeZone) <= now) {
    throw new AppError('VALIDATION_FAILED', 'The quote would already have expired: choose a later “valid until” date.', {
      details: [{ path: 'validUntil', message: 'must be today or later' }],
    });
  }
}

/**
 * Sends a draft: to the contacts chosen now, else those chosen on the quote, else every active
 * contact of the client; one email each (through the outbox, in this transaction) with the total
 * and a deep link that signs them straight in to the quote.
 * @throws QUOTE_NOT_FOUND, QUOTE_ALREADY_SENT, QUOTE_NOT_EDITABLE…, QUOTE_NO_RECIPIENTS, VALIDATION_FAILED (already lapsed)
 */
export async function sendQuote(
  scope: TenantScope,
  clock: Clock,
  tenant: Tenant,
  quoteId: string,
  input: { recipientContactIds?: readonly string[] | undefined },
  actor: QuoteActor,
): Promise<repo.Quote> {
  return scope.transaction(async (tx) => {
    const locked = await repo.lockQuote(tx, quoteId);
    if (!locked) throw new AppError('QUOTE_NOT_FOUND');
    // A sent quote past its end is refused as expired, not as "already sent", even if nobody read it since.
    const quote = await withExpiryApplied(tx, clock, locked);
    assertQuoteCan('send', quote);
    const version = await getQuoteVersion(tx, quote);
    assertStillValid(version, tenant, clock.now());
    if (input.recipientContactIds && input.recipientContactIds.length > 0) {
      await setRecipients(tx, clock, quote.id, quote.clientId, input.recipientContactIds);
    }
    let recipients = await repo.listQuoteRecipientIds(tx, quote.id);
    if (recipients.length === 0) {
      recipients = (await listContactsOfClient(tx, quote.clientId)).filter((c) => c.status === 'active').map((c) => c.id);
      if (recipients.length === 0) throw new AppError('QUOTE_NO_RECIPIENTS');
      await setRecipients(tx, clock, quote.id, quote.clientId, recipients);
    }
    const sent = await changeQuoteStatus(tx, clock, quote, 'send', 'sent', actor, { change: { sentAt: toDbTime(clock.now()) } });
    await queueQuoteEmails(tx, clock, sent, recipients);
    return sent;
  });
}

async function queueQuoteEmails(scope: TenantScope, clock: Clock, quote: repo.Quote, contactIds: readonly string[]): Promise<void> {
  for (const contactId of contactIds) {
    await enqueueJob(scope, clock, {
      kind: QUOTE_SEND_EMAIL_JOB,
      tenantId: scope.tenantId,
      payload: { tenantId: scope.tenantId, quoteId: quote.id, version: quote.currentVersion, contactId },
      dedupeKey: `quote-sent:${quote.id}:v${quote.currentVersion}:${contactId}`,
    });
  }
}

/** @throws QUOTE_NOT_FOUND, QUOTE_NOT_SENT (a draft), QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN */
export async function withdrawQuote(scope: TenantScope, clock: Clock, quoteId: string, actor: QuoteActor): Promise<repo.Quote> {
  return scope.transaction(async (tx) => {
    const quote = await repo.lockQuote(tx, quoteId);
    if (!quote) throw new AppError('QUOTE_NOT_FOUND');
    return changeQuoteStatus(tx, clock, await withExpiryApplied(tx, clock, quote), 'withdraw', 'withdrawn', actor, {
      change: { decidedAt: toDbTime(clock.now()) },
    });
  });
}

/** A new draft with the current version's content, for the same client and ticket; any status. */
export async function duplicateQuote(
  scope: TenantScope,
  clock: Clock,
  tenant: Tenant,
  quoteId: string,
  actor: QuoteActor,
): Promise<repo.Quote> {
  return scope.transaction(async (tx) => {
    const quote = await getQuote(tx, quoteId);
    const version = await getQuoteVersion(tx, quote);
    const now = clock.now();
    const copy = await createQuote(
      tx,
      clock,
      tenant,
      {
        clientId: quote.clientId,
        ticketId: quote.ticketId,
        title: version.title,
        lines: version.lines.map(({ description, quantity, unitPrice, taxRatePercent }) => ({
          description,
          quantity,
          unitPrice,
          taxRatePercent,
        })),
        discount: version.discount,
        // A copy of an old quote gets a fresh validity rather than a date already past.
        validUntil:
          version.validUntil && version.validUntil >= dateIn(tenant.timeZone, now) ? version.validUntil : dateIn(tenant.timeZone, now, 30),
        terms: version.terms,
        requiresSignature: version.requiresSignature,
        recipientContactIds: await repo.listQuoteRecipientIds(tx, quote.id),
      },
      actor,
    );
    await recordQuoteEvent(tx, clock, copy, 'duplicated', actor, quoteNumberText(quote.number));
    return copy;
  });
}

export const { listQuotes, countQuotesByStatus, listQuoteVersions, listQuoteEvents, findQuoteAcceptance, listQuoteRecipientIds } = repo;

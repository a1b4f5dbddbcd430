import type { Clock } from '../../platform/clock.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { toDbTime } from '../../platform/db/time.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import * as repo from './quote.repository.js';
import { assertQuoteCan, changeQuoteStatus, getQuoteVersion, withExpiryApplied } from './quote.service.js';

/**
 * A customer's decision on a quote, as the record keeps it: what the portal does on Accept and
 * Decline (which then tells people) and what the demo seeds. Both run in the caller's transaction
 * on a quote it has locked.
 */

export interface QuoteSignature {
  readonly kind: 'drawn' | 'typed' | 'none';
  /** The re-encoded PNG of a drawn signature (normaliseSignature). */
  readonly png: Buffer | null;
}

/** The quote, its row locked for the rest of the transaction. @throws QUOTE_NOT_FOUND */
export async function lockQuoteForDecision(scope: TenantScope, quoteId: string): Promise<repo.Quote> {
  const quote = await repo.lockQuote(scope, quoteId);
  if (!quote) throw new AppError('QUOTE_NOT_FOUND');
  return quote;
}

/**
 * Accepts `version` for `contactId`: only a sent (or changes-requested), unexpired quote whose
 * current version that is, once. Stores the immutable acceptance — signer, contact, time, IP, user
 * agent, the SHA-256 of the version's canonical content, the signature.
 * @throws QUOTE_SUPERSEDED, QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN, SIGNATURE_REQUIRED
 */
export async function acceptQuote(
  scope: TenantScope,
  clock: Clock,
  locked: repo.Quote,
  input: { version: number; contactId: string; signerName: string; signature: QuoteSignature; meta: RequestMeta },
): Promise<repo.Quote> {
  const quote = await withExpiryApplied(scope, clock, locked);
  assertQuoteCan('accept', quote);
  if (quote.currentVersion !== input.version) throw new AppError('QUOTE_SUPERSEDED');
  if (quote.requiresSignature && input.signature.kind === 'none') throw new AppError('SIGNATURE_REQUIRED');
  const version = await getQuoteVersion(scope, quote);
  const now = clock.now();
  const accepted = await changeQuoteStatus(
    scope,
    clock,
    quote,
    'accept',
    'accepted',
    { kind: 'contact', id: input.contactId },
    {
      version: input.version,
      change: { decidedAt: toDbTime(now), decidedByContactId: input.contactId },
    },
  );
  await repo.insertQuoteAcceptance(scope, {
    id: newId(now.getTime()),
    quoteId: quote.id,
    version: version.version,
    contactId: input.contactId,
    signerName: input.signerName,
    signatureKind: input.signature.kind,
    signaturePng: input.signature.png,
    contentSha256: version.contentSha256,
    ip: input.meta.ip,
    userAgent: input.meta.userAgent,
    acceptedAt: toDbTime(now),
  });
  return accepted;
}

/** @throws QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN, QUOTE_NOT_SENT */
export async function declineQuote(
  scope: TenantScope,
  clock: Clock,
  locked: repo.Quote,
  contactId: string,
  reason: string | null,
): Promise<repo.Quote> {
  const quote = await withExpiryApplied(scope, clock, locked);
  return changeQuoteStatus(
    scope,
    clock,
    quote,
    'decline',
    'declined',
    { kind: 'contact', id: contactId },
    {
      detail: reason,
      change: { decidedAt: toDbTime(clock.now()), decidedByContactId: contactId, declineReason: reason },
    },
  );
}

/** Marks the quote "changes requested" with the customer's message in its history. @throws as declineQuote */
export async function markQuoteChangesRequested(
  scope: TenantScope,
  clock: Clock,
  locked: repo.Quote,
  contactId: string,
  message: string,
): Promise<repo.Quote> {
  const quote = await withExpiryApplied(scope, clock, locked);
  return changeQuoteStatus(
    scope,
    clock,
    quote,
    'request_changes',
    'changes_requested',
    { kind: 'contact', id: contactId },
    { detail: message },
  );
}

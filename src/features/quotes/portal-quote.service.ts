import type { AppContext } from '../../platform/context.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { toDbTime } from '../../platform/db/time.js';
import { AppError } from '../../platform/errors.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { getClient } from '../clients/client.service.js';
import { appendMessage } from '../messages/message.service.js';
import { queueCustomerActivityNotifications } from '../notifications/customer-activity.service.js';
import { findViewerTicket, type PortalViewer } from '../tickets/portal-ticket.service.js';
import { changeTicket, createTicket, findTicketsByIds, recordTicketMessage } from '../tickets/ticket.service.js';
import { quoteFileName, renderQuoteDocument } from './quote-document.service.js';
import { queueQuoteAcceptedEmail, queueQuoteTeamEmails, type QuoteMailDeps } from './quote-notifications.service.js';
import { acceptQuote, declineQuote, markQuoteChangesRequested, type QuoteSignature } from './quote-decision.service.js';
import { normaliseSignature } from './quote-signature.js';
import { canQuote, quoteNumberText, type QuoteStatus } from './quote.domain.js';
import * as repo from './quote.repository.js';
import { getQuoteVersion, recordQuoteEvent, withExpiryApplied } from './quote.service.js';
import type { TAcceptQuoteRequest } from './portal-quote.schemas.js';

/**
 * The customer's side of quotes. A customer sees the quotes of their client that they may see —
 * for a client set to "own", those on tickets they requested and those sent to them — and never a
 * draft; any other id is QUOTE_NOT_FOUND, exactly like a missing one, for every read and write.
 */

export type PortalQuoteFilter = 'waiting' | 'accepted' | 'declined' | 'expired' | 'all';

const STATUSES_OF: Record<PortalQuoteFilter, readonly QuoteStatus[]> = {
  waiting: ['sent', 'changes_requested'],
  accepted: ['accepted'],
  declined: ['declined'],
  expired: ['expired'],
  all: ['sent', 'changes_requested', 'accepted', 'declined', 'expired', 'withdrawn'],
};

export interface TicketRef {
  readonly id: string;
  readonly number: number;
  readonly title: string;
}

export interface PortalQuoteRow {
  readonly quote: repo.Quote;
  /** The ticket, when the viewer may see it (a quote sent to an "own" contact may sit on someone else's). */
  readonly ticket: TicketRef | null;
}

export interface PortalQuoteView extends PortalQuoteRow {
  readonly version: repo.QuoteVersion;
  readonly clientName: string;
  readonly acceptance: repo.QuoteAcceptance | null;
}

function audienceOf(viewer: PortalViewer): repo.QuoteAudience {
  return { clientId: viewer.clientId, ownContactId: viewer.visibility === 'own' ? viewer.contactId : null };
}

function actorOf(viewer: PortalViewer) {
  return { kind: 'contact' as const, id: viewer.contactId };
}

async function withTickets(scope: TenantScope, viewer: PortalViewer, quotes: readonly repo.Quote[]): Promise<PortalQuoteRow[]> {
  const ids = [...new Set(quotes.flatMap((q) => (q.ticketId ? [q.ticketId] : [])))];
  const tickets = new Map((ids.length > 0 ? await findTicketsByIds(scope, ids) : []).map((t) => [t.id, t]));
  const visible = (ticketId: string | null) => {
    const ticket = ticketId ? tickets.get(ticketId) : undefined;
    if (!ticket) return null;
    if (viewer.visibility === 'own' && ticket.requesterContactId !== viewer.contactId) return null;
    return { id: ticket.id, number: ticket.number, title: ticket.title };
  };
  return quotes.map((quote) => ({ quote, ticket: visible(quote.ticketId) }));
}

/** The viewer's quotes (at most 200), newest sent first; expiry applied on read, so "waiting" never lists one that lapsed. */
export async function listViewerQuotes(
  ctx: AppContext,
  viewer: PortalViewer,
  filter: PortalQuoteFilter,
  ticketId?: string,
): Promise<PortalQuoteRow[]> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const found = await repo.listAudienceQuotes(scope, audienceOf(viewer), STATUSES_OF.all, ticketId);
  const quotes: repo.Quote[] = [];
  for (const quote of found) {
    const current = await withExpiryApplied(scope, ctx.clock, quote);
    if (STATUSES_OF[filter].includes(current.status)) quotes.push(current);
  }
  return withTickets(scope, viewer, quotes);
}

/** @throws QUOTE_NOT_FOUND — missing, a draft, or not the viewer's to see, alike */
async function getViewerQuote(scope: TenantScope, viewer: PortalViewer, quoteId: string, lock = false): Promise<repo.Quote> {
  const quote = await repo.findAudienceQuote(scope, audienceOf(viewer), quoteId);
  if (!quote) throw new AppError('QUOTE_NOT_FOUND');
  return lock ? ((await repo.lockQuote(scope, quote.id)) ?? quote) : quote;
}

async function viewOf(scope: TenantScope, viewer: PortalViewer, quote: repo.Quote): Promise<PortalQuoteView> {
  const [row] = await withTickets(scope, viewer, [quote]);
  return {
    quote,
    ticket: row?.ticket ?? null,
    version: await getQuoteVersion(scope, quote),
    clientName: (await getClient(scope, quote.clientId)).name,
    acceptance: (await repo.findQuoteAcceptance(scope, quote.id)) ?? null,
  };
}

/**
 * The current version of one of the viewer's quotes. The first time a customer opens a sent
 * quote, who and when is recorded and the team is told.
 * @throws QUOTE_NOT_FOUND
 */
export async function getViewerQuoteDetail(ctx: QuoteMailDeps, viewer: PortalViewer, quoteId: string): Promise<PortalQuoteView> {
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const quote = await withExpiryApplied(scope, ctx.clock, await getViewerQuote(scope, viewer, quoteId));
    if (
      canQuote('accept', quote.status) &&
      (await repo.markQuoteFirstViewed(scope, quote.id, viewer.contactId, toDbTime(ctx.clock.now())))
    ) {
      await recordQuoteEvent(scope, ctx.clock, quote, 'viewed', actorOf(viewer));
      await queueQuoteTeamEmails(scope, ctx, viewer.tenant, quote, 'viewed', viewer.contactId);
    }
    return viewOf(scope, viewer, (await repo.findQuote(scope, quote.id)) ?? quote);
  });
}

/** The signature as it will be stored: re-encoded PNG for a drawn one; none when not given and not required. */
async function signatureOf(quote: repo.Quote, input: TAcceptQuoteRequest): Promise<QuoteSignature> {
  if (!input.signature) {
    if (quote.requiresSignature) throw new AppError('SIGNATURE_REQUIRED');
    return { kind: 'none', png: null };
  }
  if (input.signature.kind === 'typed') return { kind: 'typed', png: null };
  return { kind: 'drawn', png: await normaliseSignature(input.signature.dataUrl) };
}

/**
 * Accepts the version the customer read. Only a sent (or changes-requested), unexpired quote at
 * that version can be accepted, once: the quote's row is locked and moved conditionally, and the
 * acceptance's unique key backs that up, so of 20 parallel accepts exactly one wins. The
 * acceptance is immutable: signer, contact, time, IP, user agent, the SHA-256 of the version's
 * canonical content and the re-encoded signature. The team is told; the customer gets the signed PDF.
 * @throws QUOTE_NOT_FOUND, QUOTE_SUPERSEDED, QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN,
 *   SIGNATURE_REQUIRED, SIGNATURE_INVALID
 */
export async function acceptViewerQuote(
  ctx: QuoteMailDeps,
  viewer: PortalViewer,
  quoteId: string,
  input: TAcceptQuoteRequest,
  meta: RequestMeta,
): Promise<PortalQuoteView> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  // Checked (and the drawn image decoded) before any lock is taken: a bad signature writes nothing.
  const seen = await getViewerQuote(scope, viewer, quoteId);
  const signature = await signatureOf(seen, input);
  // The signed document is rendered first, as it will read: when it cannot be, nothing is stored
  // (rather than an acceptance whose PDF no one can get). Outside the lock, which it would hold too long.
  if (seen.currentVersion === input.version) await renderSignedQuote(ctx, viewer, seen, input, signature, meta);
  return scope.transaction(async (tx) => {
    const accepted = await acceptQuote(tx, ctx.clock, await getViewerQuote(tx, viewer, quoteId, true), {
      version: input.version,
      contactId: viewer.contactId,
      signerName: input.signerName,
      signature,
      meta,
    });
    await queueQuoteTeamEmails(tx, ctx, viewer.tenant, accepted, 'accepted', viewer.contactId);
    await queueQuoteAcceptedEmail(tx, ctx.clock, accepted, viewer.contactId);
    return viewOf(tx, viewer, accepted);
  });
}

async function renderSignedQuote(
  ctx: QuoteMailDeps,
  viewer: PortalViewer,
  quote: repo.Quote,
  input: TAcceptQuoteRequest,
  signature: QuoteSignature,
  meta: RequestMeta,
): Promise<Buffer> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const version = await getQuoteVersion(scope, quote);
  return renderQuoteDocument(scope, ctx.files, {
    tenant: viewer.tenant,
    quote,
    version,
    acceptance: {
      quoteId: quote.id,
      version: version.version,
      contactId: viewer.contactId,
      signerName: input.signerName,
      signatureKind: signature.kind,
      signaturePng: signature.png,
      contentSha256: version.contentSha256,
      ip: meta.ip,
      userAgent: meta.userAgent,
      acceptedAt: ctx.clock.now(),
    },
  });
}

/** @throws QUOTE_NOT_FOUND, QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN */
export async function declineViewerQuote(
  ctx: QuoteMailDeps,
  viewer: PortalViewer,
  quoteId: string,
  reason: string | undefined,
): Promise<PortalQuoteView> {
  const detail = reason?.trim() ? reason.trim() : null;
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const declined = await declineQuote(scope, ctx.clock, await getViewerQuote(scope, viewer, quoteId, true), viewer.contactId, detail);
    await queueQuoteTeamEmails(scope, ctx, viewer.tenant, declined, 'declined', viewer.contactId, detail);
    return viewOf(scope, viewer, declined);
  });
}

/**
 * The customer asks for changes: the quote is marked, and their message is posted on the quote's
 * ticket (reopened if closed) — or, when the quote has no ticket or it is not one the viewer may
 * see, on a new ticket for them that the quote then belongs to (when it had none). The team hears
 * of it as of any customer message.
 * @throws QUOTE_NOT_FOUND, QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN
 */
export async function requestViewerQuoteChanges(
  ctx: QuoteMailDeps,
  viewer: PortalViewer,
  quoteId: string,
  message: string,
): Promise<PortalQuoteView & { ticketId: string }> {
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const quote = await getViewerQuote(scope, viewer, quoteId, true);
    const marked = await markQuoteChangesRequested(scope, ctx.clock, quote, viewer.contactId, message);
    const actor = actorOf(viewer);
    const body = `Changes requested to quote ${quoteNumberText(quote.number)} (v${quote.currentVersion}), “${quote.title}”:\n\n${message}`;
    const ticket = quote.ticketId ? await findViewerTicket(scope, viewer, quote.ticketId) : undefined;
    let ticketId: string;
    if (ticket) {
      const posted = await appendMessage(scope, ctx.clock, {
        ticketId: ticket.id,
        author: actor,
        body,
        visibility: 'public',
        via: 'portal',
      });
      await recordTicketMessage(scope, posted);
      if (ticket.status === 'closed') await changeTicket(scope, ctx.clock, ticket.id, { status: 'open' }, actor);
      await queueCustomerActivityNotifications(scope, ctx.clock, {
        ticketId: ticket.id,
        messageId: posted.id,
        contactId: viewer.contactId,
        activity: 'replied',
      });
      ticketId = ticket.id;
    } else {
      const opened = await createTicket(
        scope,
        ctx.clock,
        {
          clientId: viewer.clientId,
          requesterContactId: viewer.contactId,
          title: `Changes to quote ${quoteNumberText(quote.number)}: ${quote.title}`.slice(0, 200),
          body,
          status: 'new',
          priority: 'normal',
          source: 'portal',
        },
        actor,
      );
      if (!opened.firstMessage) throw new Error('a change request opened a ticket without its message');
      await queueCustomerActivityNotifications(scope, ctx.clock, {
        ticketId: opened.ticket.id,
        messageId: opened.firstMessage.id,
        contactId: viewer.contactId,
        activity: 'submitted',
      });
      if (!quote.ticketId) await repo.setQuoteTicket(scope, quote.id, opened.ticket.id);
      ticketId = opened.ticket.id;
    }
    const view = await viewOf(scope, viewer, (await repo.findQuote(scope, marked.id)) ?? marked);
    return { ...view, ticketId };
  });
}

/** The current version as a PDF (with the acceptance, once accepted). @throws QUOTE_NOT_FOUND */
export async function renderViewerQuotePdf(
  ctx: QuoteMailDeps,
  viewer: PortalViewer,
  quoteId: string,
): Promise<{ pdf: Buffer; fileName: string }> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const view = await viewOf(scope, viewer, await withExpiryApplied(scope, ctx.clock, await getViewerQuote(scope, viewer, quoteId)));
  const acceptance = view.acceptance?.version === view.version.version ? view.acceptance : null;
  const pdf = await renderQuoteDocument(scope, ctx.files, { tenant: viewer.tenant, quote: view.quote, version: view.version, acceptance });
  return { pdf, fileName: quoteFileName(view.quote, view.version.version) };
}

import type { AppContext } from '../../platform/context.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { decodeCursor, pageOf, parseTimeIdKey } from '../../platform/pagination.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { findClientsByIds, findContactsByIds, type Client, type Contact } from '../clients/client.service.js';
import { findTeamMembersByIds } from '../team/team.service.js';
import { requireTeamRole, type TeamViewer } from '../team/team-viewer.js';
import { findQuoteDefaultTerms, updateQuoteDefaultTerms } from '../tenants/tenant.service.js';
import { findTicketsByIds, type Ticket } from '../tickets/ticket.service.js';
import { quoteFileName, renderQuoteDocument } from './quote-document.service.js';
import type { QuoteMailDeps } from './quote-notifications.service.js';
import { QUOTE_STATUSES, type QuoteStatus } from './quote.domain.js';
import * as repo from './quote.repository.js';
import { getQuote, getQuoteVersion, withExpiryApplied } from './quote.service.js';
import type { z } from 'zod';
import type { ZTeamQuoteListQuery } from './team-quote.schemas.js';

/** The team's reads of quotes: the list with its counts, and one quote with everything that happened to it. */

export interface TeamQuoteRow {
  readonly quote: repo.Quote;
  readonly client: Client | undefined;
  readonly ticket: Ticket | undefined;
}

export interface TeamQuoteView extends TeamQuoteRow {
  readonly version: repo.QuoteVersion;
  readonly versions: readonly repo.QuoteVersion[];
  readonly recipients: readonly Contact[];
  readonly acceptance: repo.QuoteAcceptance | null;
  readonly events: readonly repo.QuoteEvent[];
  /** Names of the people in the history, the versions and the acceptance, by id. */
  readonly names: { readonly contacts: ReadonlyMap<string, Contact>; readonly members: ReadonlyMap<string, string> };
}

const OPEN: readonly QuoteStatus[] = ['draft', 'sent', 'changes_requested'];

async function rowsOf(scope: TenantScope, quotes: readonly repo.Quote[]): Promise<TeamQuoteRow[]> {
  const clients = new Map((await findClientsByIds(scope, [...new Set(quotes.map((q) => q.clientId))])).map((c) => [c.id, c]));
  const ticketIds = [...new Set(quotes.flatMap((q) => (q.ticketId ? [q.ticketId] : [])))];
  const tickets = new Map((await findTicketsByIds(scope, ticketIds)).map((t) => [t.id, t]));
  return quotes.map((quote) => ({
    quote,
    client: clients.get(quote.clientId),
    ticket: quote.ticketId ? tickets.get(quote.ticketId) : undefined,
  }));
}

/**
 * One page of the organisation's quotes, newest change first, with counts per status on the
 * first page. Expiry is applied on read to the page's open quotes.
 * @throws VALIDATION_FAILED for a malformed cursor
 */
export async function listTeamQuotes(
  ctx: AppContext,
  viewer: TeamViewer,
  query: z.output<typeof ZTeamQuoteListQuery>,
): Promise<{ rows: TeamQuoteRow[]; nextCursor: string | null; counts: Record<string, number> | null }> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const after = query.cursor ? decodeCursor(query.cursor, parseTimeIdKey) : undefined;
  const statuses: readonly QuoteStatus[] | undefined =
    query.status === 'all' ? undefined : query.status === 'open' ? OPEN : [query.status as QuoteStatus];
  const where = { ...(query.clientId ? { clientId: query.clientId } : {}), ...(query.ticketId ? { ticketId: query.ticketId } : {}) };
  const found = await repo.listQuotes(scope, {
    ...where,
    ...(statuses ? { statuses } : {}),
    ...(after ? { after: { updatedAt: after.at, id: after.id } } : {}),
    limit: query.limit + 1,
  });
  const page = pageOf(found, query.limit, (last) => [last.updatedAt.toISOString(), last.id]);
  const quotes = [];
  for (const quote of page.items) quotes.push(await withExpiryApplied(scope, ctx.clock, quote));
  const counts = after ? null : countsWithOpen(await repo.countQuotesByStatus(scope, where));
  return { rows: await rowsOf(scope, quotes), nextCursor: page.nextCursor, counts };
}

function countsWithOpen(byStatus: Record<string, number>): Record<string, number> {
  const counts: Record<string, number> = Object.fromEntries(QUOTE_STATUSES.map((s) => [s, byStatus[s] ?? 0]));
  counts.open = OPEN.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  counts.all = QUOTE_STATUSES.reduce((sum, s) => sum + (counts[s] ?? 0), 0);
  return counts;
}

/** One quote with its versions, recipients, acceptance and history. @throws QUOTE_NOT_FOUND */
export async function getTeamQuoteView(ctx: AppContext, viewer: TeamViewer, quoteId: string): Promise<TeamQuoteView> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const quote = await withExpiryApplied(scope, ctx.clock, await getQuote(scope, quoteId));
  const [row] = await rowsOf(scope, [quote]);
  const versions = await repo.listQuoteVersions(scope, quote.id);
  const recipientIds = await repo.listQuoteRecipientIds(scope, quote.id);
  const acceptance = (await repo.findQuoteAcceptance(scope, quote.id)) ?? null;
  const events = await repo.listQuoteEvents(scope, quote.id);
  const contactIds = new Set<string>(recipientIds);
  const memberIds = new Set<string>(versions.flatMap((v) => (v.createdByMemberId ? [v.createdByMemberId] : [])));
  for (const event of events) {
    if (event.actor.kind === 'contact' && event.actor.id) contactIds.add(event.actor.id);
    if (event.actor.kind === 'team_member' && event.actor.id) memberIds.add(event.actor.id);
  }
  for (const id of [acceptance?.contactId, quote.firstViewedByContactId, quote.decidedByContactId]) if (id) contactIds.add(id);
  const contacts = new Map((await findContactsByIds(scope, [...contactIds])).map((c) => [c.id, c]));
  const members = new Map((await findTeamMembersByIds(scope, [...memberIds])).map((m) => [m.id, m.name]));
  return {
    quote,
    client: row?.client,
    ticket: row?.ticket,
    version: versions.find((v) => v.version === quote.currentVersion) ?? (await getQuoteVersion(scope, quote)),
    versions,
    recipients: recipientIds.flatMap((id) => contacts.get(id) ?? []),
    acceptance,
    events,
    names: { contacts, members },
  };
}

/** A version as a PDF (the current one by default), with the acceptance when it is the accepted version. @throws QUOTE_NOT_FOUND */
export async function renderTeamQuotePdf(
  ctx: QuoteMailDeps,
  viewer: TeamViewer,
  quoteId: string,
  versionNumber?: number,
): Promise<{ pdf: Buffer; fileName: string }> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const quote = await withExpiryApplied(scope, ctx.clock, await getQuote(scope, quoteId));
  const version = await repo.findQuoteVersion(scope, quote.id, versionNumber ?? quote.currentVersion);
  if (!version) throw new AppError('QUOTE_NOT_FOUND', 'This quote has no such version.');
  const found = await repo.findQuoteAcceptance(scope, quote.id);
  const acceptance = found?.version === version.version ? found : null;
  const pdf = await renderQuoteDocument(scope, ctx.files, { tenant: viewer.tenant, quote, version, acceptance });
  return { pdf, fileName: quoteFileName(quote, version.version) };
}

export async function getQuoteSettings(ctx: AppContext, viewer: TeamViewer): Promise<{ defaultTerms: string }> {
  return { defaultTerms: await findQuoteDefaultTerms(ctx.db, viewer.tenant.id) };
}

/** Owners and admins change the default terms of new quotes (audited). @throws FORBIDDEN */
export async function updateQuoteSettings(
  ctx: AppContext,
  viewer: TeamViewer,
  input: { defaultTerms: string },
  meta: RequestMeta,
): Promise<{ defaultTerms: string }> {
  requireTeamRole(viewer, 'admin');
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    await updateQuoteDefaultTerms(scope, ctx.clock.now(), viewer.tenant.id, input.defaultTerms);
    await recordAuditEvent(scope, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...teamAuditActor(viewer, meta),
      action: 'settings.quotes.updated',
      subject: { kind: 'tenant', id: viewer.tenant.id },
      data: { defaultTermsLength: input.defaultTerms.length },
    });
    return { defaultTerms: await findQuoteDefaultTerms(scope, viewer.tenant.id) };
  });
}

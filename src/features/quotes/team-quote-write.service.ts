import type { z } from 'zod';
import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { createQuote, duplicateQuote, sendQuote, updateQuote, withdrawQuote, type QuoteActor } from './quote.service.js';
import { getTeamQuoteView, type TeamQuoteView } from './team-quote.service.js';
import type { ZCreateQuoteRequest, ZSendQuoteRequest, ZUpdateQuoteRequest } from './team-quote.schemas.js';

/**
 * The team's changes to quotes, each answering the quote as the team app shows it. The rules
 * (numbering, versions, transitions, emails) are quote.service.ts's; this is the member's door to them.
 */

function actorOf(viewer: TeamViewer): QuoteActor {
  return { kind: 'team_member', id: viewer.memberId };
}

/** @throws CLIENT_NOT_FOUND, TICKET_NOT_FOUND, CONTACT_NOT_FOUND, QUOTE_TOTAL_TOO_LARGE */
export async function createTeamQuote(
  ctx: AppContext,
  viewer: TeamViewer,
  input: z.output<typeof ZCreateQuoteRequest>,
): Promise<TeamQuoteView> {
  const quote = await createQuote(forTenant(ctx.db, viewer.tenant.id), ctx.clock, viewer.tenant, input, actorOf(viewer));
  return getTeamQuoteView(ctx, viewer, quote.id);
}

/** A draft in place; a sent quote as a new version, sent at once. @throws QUOTE_NOT_FOUND, QUOTE_NOT_EDITABLE, QUOTE_EXPIRED, QUOTE_WITHDRAWN */
export async function changeTeamQuote(
  ctx: AppContext,
  viewer: TeamViewer,
  quoteId: string,
  input: z.output<typeof ZUpdateQuoteRequest>,
): Promise<TeamQuoteView> {
  const changes = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  await updateQuote(forTenant(ctx.db, viewer.tenant.id), ctx.clock, viewer.tenant, quoteId, changes, actorOf(viewer));
  return getTeamQuoteView(ctx, viewer, quoteId);
}

/** @throws QUOTE_NOT_FOUND, QUOTE_ALREADY_SENT, QUOTE_NO_RECIPIENTS, CONTACT_NOT_FOUND … */
export async function sendTeamQuote(
  ctx: AppContext,
  viewer: TeamViewer,
  quoteId: string,
  input: z.output<typeof ZSendQuoteRequest>,
): Promise<TeamQuoteView> {
  await sendQuote(forTenant(ctx.db, viewer.tenant.id), ctx.clock, viewer.tenant, quoteId, input, actorOf(viewer));
  return getTeamQuoteView(ctx, viewer, quoteId);
}

/** @throws QUOTE_NOT_FOUND, QUOTE_NOT_SENT, QUOTE_ALREADY_DECIDED, QUOTE_EXPIRED, QUOTE_WITHDRAWN */
export async function withdrawTeamQuote(ctx: AppContext, viewer: TeamViewer, quoteId: string): Promise<TeamQuoteView> {
  await withdrawQuote(forTenant(ctx.db, viewer.tenant.id), ctx.clock, quoteId, actorOf(viewer));
  return getTeamQuoteView(ctx, viewer, quoteId);
}

/** A new draft with the same content. @throws QUOTE_NOT_FOUND */
export async function duplicateTeamQuote(ctx: AppContext, viewer: TeamViewer, quoteId: string): Promise<TeamQuoteView> {
  const copy = await duplicateQuote(forTenant(ctx.db, viewer.tenant.id), ctx.clock, viewer.tenant, quoteId, actorOf(viewer));
  return getTeamQuoteView(ctx, viewer, copy.id);
}

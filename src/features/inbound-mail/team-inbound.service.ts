import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { findReplyAddressById } from '../notifications/reply-address.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { findTicketsByIds, type Ticket } from '../tickets/ticket.service.js';
import { attachmentsOf, newTextOf } from './inbound-mail-reading.js';
import { findInboundMessage, type InboundMessage, listInboundMessages, moveInboundMessage } from './inbound-mail.repository.js';
import { type InboundPostingDeps, postInboundMessage } from './inbound-posting.service.js';
import { parseRawMessage, readRawMessage } from './inbound-processing.service.js';

/**
 * The team's review of quarantined mail (issue 13): messages whose sender could not be trusted
 * (DMARC failed, From not the person the reply address was sent to) or that came too fast. Any
 * member may review: agents work the tickets these replies belong to, releasing one posts nothing
 * an agent could not have posted on that ticket themselves (it is the reply address's own person's
 * reply, as the normal path would post it), and a held customer reply should not wait for an admin.
 * Every decision is audited.
 */

/** Most messages listed at once; a quarantine longer than this is reviewed page by page as it shrinks. */
const LIST_LIMIT = 100;

export interface QuarantineEntry {
  readonly message: InboundMessage;
  readonly ticket: Ticket;
}

/** The organisation's quarantine, newest first, with each message's ticket. Any role. */
export async function listQuarantine(ctx: InboundPostingDeps, viewer: TeamViewer): Promise<QuarantineEntry[]> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const messages = await listInboundMessages(scope, 'quarantined', LIST_LIMIT);
  const tickets = new Map((await findTicketsByIds(scope, [...new Set(messages.map((m) => m.ticketId))])).map((t) => [t.id, t]));
  return messages.flatMap((message) => {
    const ticket = tickets.get(message.ticketId);
    return ticket ? [{ message, ticket }] : [];
  });
}

/**
 * Posts a quarantined message as the reply of its reply address's person (a member's public reply,
 * or the customer's reply, reopening and notifying as the normal path does), and audits it.
 * @throws INBOUND_MESSAGE_NOT_FOUND (also another organisation's, or one no longer quarantined),
 *   INBOUND_CANNOT_POST, TICKET_CLOSED (replies do not reopen tickets: reopen it first), TICKET_NOT_FOUND
 */
export async function releaseQuarantined(
  ctx: InboundPostingDeps,
  viewer: TeamViewer,
  id: string,
  meta: RequestMeta,
): Promise<{ postedMessageId: string }> {
  const scope = forTenant(ctx.db, viewer.tenant.id);
  const message = await getQuarantined(ctx, viewer, id);
  const address = await findReplyAddressById(scope, message.replyAddressId);
  const raw = await readRawMessage(ctx.files, message.rawKey);
  const mail = raw && (await parseRawMessage(raw));
  if (!address || !raw || !mail) throw new AppError('INBOUND_CANNOT_POST', 'This email can no longer be read or routed; discard it.');
  const text = newTextOf(mail, raw);
  const attachments = attachmentsOf(mail);
  if (text === '' && attachments.length === 0)
    throw new AppError('INBOUND_CANNOT_POST', 'This email has no text or files to post; discard it.');
  const outcome = await postInboundMessage(ctx, {
    tenantId: viewer.tenant.id,
    inboundId: message.id,
    address,
    emailMessageId: message.messageId,
    text,
    attachments,
    from: ['quarantined'],
    to: 'released',
    alsoInTransaction: (tx, postedMessageId) =>
      recordAuditEvent(tx, ctx.clock, {
        tenantId: viewer.tenant.id,
        ...teamAuditActor(viewer, meta),
        action: 'inbound.released',
        subject: { kind: 'inbound_message', id: message.id },
        data: { ticketId: message.ticketId, postedMessageId, from: message.summary.fromAddress, reason: message.reason },
      }),
  });
  if (outcome.kind === 'already') throw new AppError('INBOUND_MESSAGE_NOT_FOUND');
  return { postedMessageId: outcome.messageId };
}

/**
 * Discards a quarantined message: it stays recorded (and its raw copy kept) but is never posted. Audited.
 * @throws INBOUND_MESSAGE_NOT_FOUND (also another organisation's, or one no longer quarantined)
 */
export async function discardQuarantined(ctx: InboundPostingDeps, viewer: TeamViewer, id: string, meta: RequestMeta): Promise<void> {
  const message = await getQuarantined(ctx, viewer, id);
  await forTenant(ctx.db, viewer.tenant.id).transaction(async (tx) => {
    const moved = await moveInboundMessage(tx, message.id, ['quarantined'], { status: 'discarded', now: toDbTime(ctx.clock.now()) });
    if (!moved) throw new AppError('INBOUND_MESSAGE_NOT_FOUND');
    await recordAuditEvent(tx, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...teamAuditActor(viewer, meta),
      action: 'inbound.discarded',
      subject: { kind: 'inbound_message', id: message.id },
      data: { ticketId: message.ticketId, from: message.summary.fromAddress, reason: message.reason },
    });
  });
}

async function getQuarantined(ctx: InboundPostingDeps, viewer: TeamViewer, id: string): Promise<InboundMessage> {
  const message = await findInboundMessage(forTenant(ctx.db, viewer.tenant.id), id);
  if (!message || message.status !== 'quarantined') throw new AppError('INBOUND_MESSAGE_NOT_FOUND');
  return message;
}

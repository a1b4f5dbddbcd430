import { simpleParser, type ParsedMail } from 'mailparser';
import { z } from 'zod';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { findContactByEmail, findContactById, markContactEmailUndeliverable } from '../clients/client.service.js';
import { findReplyAddressById, type ReplyAddress } from '../notifications/reply-address.service.js';
import { findTeamMemberById } from '../team/team.service.js';
import type { InboundAuthentication } from './inbound-mail.domain.js';
import {
  attachmentsOf,
  automatedReason,
  countMimeBoundaries,
  failedDeliveriesOf,
  fromAddressOf,
  MAX_MIME_BOUNDARIES,
  newTextOf,
  subjectOf,
} from './inbound-mail-reading.js';
import {
  countInboundMessagesOfTicketSince,
  findInboundMessage,
  type InboundMessage,
  type InboundStatus,
  moveInboundMessage,
} from './inbound-mail.repository.js';
import { type InboundPostingDeps, postInboundMessage } from './inbound-posting.service.js';

/**
 * The worker's part of inbound mail (issue 13): one `inbound.process` job per accepted message
 * decides, in this order, and records the outcome on the row (compare-and-set, so a retried or
 * duplicated job decides once):
 *   1. unreadable or absurdly nested MIME → dropped;
 *   2. a delivery failure report for one of the organisation's contacts → bounce (the address is
 *      marked undeliverable); any other automated mail → dropped, never posted, reopened or notified;
 *   3. DMARC failing, or a From that is not the person the reply address was issued to → quarantined;
 *   4. more than the per-ticket limit of messages in the window → quarantined;
 *   5. nothing new to say → dropped; otherwise posted as that person's reply.
 */

export interface InboundProcessingDeps extends InboundPostingDeps {
  readonly files: FileStore;
  readonly inboundDomain: string;
  /** At most `max` messages per ticket within `windowMs`; more go to quarantine (nothing is lost). */
  readonly ticketRate: { readonly max: number; readonly windowMs: number };
}

export const DEFAULT_TICKET_RATE = { max: 20, windowMs: 10 * 60_000 } as const;

export const ZInboundProcessJob = z.object({ tenantId: z.string().min(1), inboundMessageId: z.string().min(1) });

const PREVIEW_LENGTH = 280;

export type Summary = { fromAddress: string | null; subject: string | null; preview: string | null };

export type ProcessingOutcome = { readonly status: InboundStatus; readonly reason: string | null } | { readonly status: 'already' };

/** Reads a stored raw message back from the file store. */
export async function readRawMessage(files: FileStore, key: string): Promise<Buffer | undefined> {
  const object = await files.get(key);
  if (!object) return undefined;
  const chunks: Buffer[] = [];
  for await (const chunk of object.body) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Parses a stored message, or undefined when it cannot be read (or nests too deep to try). */
export async function parseRawMessage(raw: Buffer): Promise<ParsedMail | undefined> {
  if (countMimeBoundaries(raw) > MAX_MIME_BOUNDARIES) return undefined;
  try {
    return await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true, skipTextToHtml: true });
  } catch {
    return undefined;
  }
}

/**
 * Processes one accepted message; a message no longer `received` is left alone (`already`).
 * Throws only what a retry may cure (the database, the file store).
 */
export async function processInboundMessage(
  deps: InboundProcessingDeps,
  job: { readonly tenantId: string; readonly inboundMessageId: string },
): Promise<ProcessingOutcome> {
  const scope = forTenant(deps.db, job.tenantId);
  const row = await findInboundMessage(scope, job.inboundMessageId);
  if (!row || row.status !== 'received') return { status: 'already' };
  const settle = (status: InboundStatus, reason: string, summary: Summary) =>
    settleInbound(deps, job.tenantId, row, status, reason, summary);

  const raw = await readRawMessage(deps.files, row.rawKey);
  if (!raw) return settle('dropped', 'The raw message is missing from the file store.', emptySummary);
  const mail = await parseRawMessage(raw);
  if (!mail) return settle('dropped', 'The message could not be read (malformed or nested too deep).', emptySummary);
  const fromAddress = fromAddressOf(mail) ?? null;
  const summary: Summary = { fromAddress, subject: subjectOf(mail), preview: null };

  const failed = failedDeliveriesOf(mail, raw);
  for (const failure of failed) {
    const contact = await findContactByEmail(scope, failure.address);
    if (!contact) continue;
    return forTenant(deps.db, job.tenantId).transaction(async (tx) => {
      if (
        !(await moveInboundMessage(tx, row.id, ['received'], {
          status: 'bounce',
          reason: bounceReason(failure),
          summary,
          now: nowOf(deps),
        }))
      )
        return { status: 'already' as const };
      await markContactEmailUndeliverable(tx, deps.clock, contact.id, { email: failure.address, reason: failure.diagnostic });
      return { status: 'bounce' as const, reason: bounceReason(failure) };
    });
  }
  const automated = automatedReason(mail, row.envelopeFrom, { fromAddress: deps.fromAddress, inboundDomain: deps.inboundDomain });
  if (automated) return settle('dropped', `Automated mail: ${automated}.`, summary);

  const address = await findReplyAddressById(scope, row.replyAddressId);
  if (!address) return settle('dropped', 'The reply address no longer exists.', summary);
  const text = newTextOf(mail, raw);
  const withPreview = { ...summary, preview: text.slice(0, PREVIEW_LENGTH) || null };
  const suspicion = await identityProblem(scope, row, address, fromAddress);
  if (suspicion) return settle('quarantined', suspicion, withPreview);

  const since = toDbTime(new Date(deps.clock.now().getTime() - deps.ticketRate.windowMs));
  const recent = await countInboundMessagesOfTicketSince(scope, row.ticketId, since);
  if (recent > deps.ticketRate.max)
    return settle(
      'quarantined',
      `Too many messages: more than ${deps.ticketRate.max} emails to this ticket within ${Math.round(deps.ticketRate.windowMs / 60_000)} minutes.`,
      withPreview,
    );

  const attachments = attachmentsOf(mail);
  if (text === '' && attachments.length === 0) return settle('dropped', 'Empty reply: no new text and no attachments.', withPreview);
  try {
    const posted = await postInboundMessage(deps, {
      tenantId: job.tenantId,
      inboundId: row.id,
      address,
      emailMessageId: row.messageId,
      text,
      attachments,
      from: ['received'],
      to: 'posted',
      summary: withPreview,
    });
    if (posted.kind === 'already') return { status: 'already' };
    return { status: 'posted', reason: null };
  } catch (error) {
    // The person cannot post any more, or the ticket does not take replies: the team decides.
    if (error instanceof AppError) return settle('quarantined', `Could not be posted: ${error.message}`, withPreview);
    throw error;
  }
}

const emptySummary: Summary = { fromAddress: null, subject: null, preview: null };

function nowOf(deps: InboundProcessingDeps): string {
  return toDbTime(deps.clock.now());
}

function bounceReason(failure: { address: string; diagnostic: string }): string {
  return `Delivery to ${failure.address} failed: ${failure.diagnostic}`.slice(0, 1000);
}

/** Why the message may not be who it claims to be, or undefined when From is the reply address's own person. */
async function identityProblem(
  scope: TenantScope,
  row: InboundMessage,
  address: ReplyAddress,
  fromAddress: string | null,
): Promise<string | undefined> {
  const auth = row.authentication as InboundAuthentication | null;
  if (auth && auth.dmarc === 'fail') return `DMARC failed for ${auth.fromDomain ?? 'the sender’s domain'}: the From address may be forged.`;
  const expected =
    address.recipient.kind === 'team_member'
      ? (await findTeamMemberById(scope, address.recipient.id))?.email
      : (await findContactById(scope, address.recipient.id))?.email;
  if (!fromAddress) return 'The message has no single From address.';
  if (!expected) return `From ${fromAddress}: the person this reply address was sent to no longer exists.`;
  if (expected.toLowerCase() !== fromAddress)
    return `From ${fromAddress}, but this reply address was sent to ${expected}: the sender does not match.`;
  return undefined;
}

/** Moves a `received` row to its outcome, audited when it is quarantined (SECURITY.md §9). */
async function settleInbound(
  deps: InboundProcessingDeps,
  tenantId: string,
  row: InboundMessage,
  status: InboundStatus,
  reason: string,
  summary: Summary,
): Promise<ProcessingOutcome> {
  return forTenant(deps.db, tenantId).transaction(async (tx) => {
    if (!(await moveInboundMessage(tx, row.id, ['received'], { status, reason, summary, now: nowOf(deps) })))
      return { status: 'already' as const };
    if (status === 'quarantined')
      await recordAuditEvent(tx, deps.clock, {
        tenantId: tx.tenantId,
        actor: { kind: 'system', id: null },
        action: 'inbound.quarantined',
        subject: { kind: 'inbound_message', id: row.id },
        data: { reason, from: summary.fromAddress, ticketId: row.ticketId },
      });
    return { status, reason };
  });
}

import { createHash } from 'node:crypto';
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/database.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { toDbTime } from '../../platform/db/time.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { FileStore } from '../../platform/storage/file-store.js';
import { findReplyTarget, parseReplyAddress, type ReplyAddress } from '../notifications/reply-address.service.js';
import type { InboundAuthentication } from './inbound-mail.domain.js';
import * as repo from './inbound-mail.repository.js';

export type { InboundMessage, InboundStatus } from './inbound-mail.repository.js';

/**
 * The one pipeline both inbound doors (the SMTP listener and the provider webhook) feed. A door
 * calls `routeInboundRecipient` for each recipient it is offered (the SMTP door at RCPT time, so
 * unknown addresses are refused there) and `acceptInboundMail` once it holds the whole message.
 * Accepting stores the raw MIME in the file store, then the message's row and its processing job
 * in one transaction: once a door has answered "accepted", a crash cannot lose the message, and
 * the worker's `inbound.process` job posts it (or quarantines or drops it) exactly once.
 */

/** The outbox job that processes one accepted message (parse, check, post, quarantine or drop). */
export const INBOUND_PROCESS_JOB = 'inbound.process';

export interface InboundMailDeps extends AppContext {
  readonly files: FileStore;
  readonly inboundDomain: string;
}

export interface AcceptInboundInput {
  readonly raw: Buffer;
  readonly door: 'smtp' | 'webhook';
  /** The SMTP envelope: MAIL FROM ('' for the null return path, null when the door does not know it) and RCPT TO. */
  readonly envelope: { readonly from: string | null; readonly to: readonly string[] };
  /** What the door verified (the SMTP door: mailauth's DMARC/SPF/DKIM results), or null. Stored as JSON. */
  readonly authentication: InboundAuthentication | null;
}

export interface AcceptedInboundMail {
  /** Rows stored (one per routable recipient). */
  readonly accepted: number;
  /** Recipients this exact message was already accepted for (a second delivery). */
  readonly duplicates: number;
  /** Recipients that route nowhere: dropped and logged by the caller, never bounced to the sender. */
  readonly unroutable: readonly string[];
  /** The stored rows, for the caller's log and to wake the worker. */
  readonly ids: readonly string[];
}

/** The reply address an email address routes to (a `reply+<token>@INBOUND_DOMAIN` we issued), else undefined. */
export async function routeInboundRecipient(db: Executor, inboundDomain: string, address: string): Promise<ReplyAddress | undefined> {
  const token = parseReplyAddress(address.trim(), inboundDomain);
  return token === undefined ? undefined : findReplyTarget(db, token);
}

/**
 * The Message-ID a message is known by: its header (angle brackets and case as written), or a
 * SHA-256 of the raw bytes when it has none, so a second delivery of the same bytes is still one message.
 */
export function messageIdOf(raw: Buffer): string {
  const end = raw.indexOf('\r\n\r\n') >= 0 ? raw.indexOf('\r\n\r\n') : raw.indexOf('\n\n');
  const head = raw.subarray(0, end >= 0 ? end : Math.min(raw.length, 64 * 1024)).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const match = /^message-id:\s*(<[^<>\s]{1,900}>)/im.exec(unfolded);
  return match ? match[1]! : `sha256:${createHash('sha256').update(raw).digest('hex')}`;
}

/**
 * Accepts a whole message for every recipient that routes. Recipients of other tenants each get
 * their own row (and raw copy) in their own tenant. Returns what happened per recipient.
 */
export async function acceptInboundMail(deps: InboundMailDeps, input: AcceptInboundInput): Promise<AcceptedInboundMail> {
  const messageId = messageIdOf(input.raw);
  const unroutable: string[] = [];
  const ids: string[] = [];
  let duplicates = 0;
  const seen = new Set<string>();
  for (const address of input.envelope.to) {
    const target = await routeInboundRecipient(deps.db, deps.inboundDomain, address);
    if (!target) {
      unroutable.push(address);
      continue;
    }
    if (seen.has(target.id)) continue;
    seen.add(target.id);
    const now = deps.clock.now();
    const id = newId(now.getTime());
    const rawKey = `tenants/${target.tenantId}/inbound/${id}.eml`;
    await deps.files.put(rawKey, input.raw);
    const stored = await forTenant(deps.db, target.tenantId).transaction(async (scope) => {
      const inserted = await repo.insertInboundMessage(scope, {
        id,
        replyAddressId: target.id,
        ticketId: target.ticketId,
        door: input.door,
        envelopeFrom: input.envelope.from,
        messageId,
        rawKey,
        size: input.raw.length,
        authentication: input.authentication ?? null,
        now: toDbTime(now),
      });
      if (inserted)
        await enqueueJob(scope, deps.clock, {
          kind: INBOUND_PROCESS_JOB,
          tenantId: target.tenantId,
          payload: { tenantId: target.tenantId, inboundMessageId: id },
        });
      return inserted;
    });
    if (stored) ids.push(id);
    else {
      duplicates += 1;
      await deps.files.delete(rawKey);
    }
  }
  return { accepted: ids.length, duplicates, unroutable, ids };
}

export const { findInboundMessage, moveInboundMessage, listInboundMessages, countInboundMessagesOfTicketSince } = repo;

import { Readable } from 'node:stream';
import type { Attachment } from 'mailparser';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant, type TenantScope } from '../../platform/db/tenant-scope.js';
import { AppError } from '../../platform/errors.js';
import { deleteFiles, type FilesContext } from '../attachments/file.service.js';
import { receiveUpload } from '../attachments/upload.service.js';
import { findClientOfContact, findContactById } from '../clients/client.service.js';
import type { ReplyAddress } from '../notifications/reply-address.service.js';
import { findTeamMemberById } from '../team/team.service.js';
import { findTenantById } from '../tenants/tenant.service.js';
import { replyAsViewer } from '../tickets/portal-ticket.service.js';
import { addTeamMessage } from '../tickets/team-ticket-write.service.js';
import type { InboundStatus } from './inbound-mail.repository.js';
import { moveInboundMessage } from './inbound-mail.repository.js';

/**
 * Posting an inbound message to its ticket, as the person its reply address was issued to: the
 * one path of the normal processing and of a release from quarantine. Attachments go through the
 * upload pipeline first (its limits, type checks, scanning and image re-encoding), one file at a
 * time so that one refused file does not lose the others; then the message is posted and the
 * inbound row moved in ONE transaction, compare-and-set, so a second job for the same row (or a
 * retry after a crash) finds it moved and posts nothing.
 */

export interface InboundPostingDeps extends FilesContext {
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
  readonly limits: { readonly maxFileBytes: number; readonly tenantQuotaBytes: number; readonly ticketQuotaBytes: number };
}

/** At most this many files per message (the reply schemas' limit); the rest are reported as not accepted. */
const MAX_FILES = 10;

export interface PostingInput {
  readonly tenantId: string;
  readonly inboundId: string;
  readonly address: ReplyAddress;
  readonly emailMessageId: string;
  readonly text: string;
  readonly attachments: readonly Attachment[];
  /** The statuses the row must still be in, and where it goes once posted. */
  readonly from: readonly InboundStatus[];
  readonly to: 'posted' | 'released';
  /** What the quarantine list shows of it, recorded with the move. */
  readonly summary?: { readonly fromAddress: string | null; readonly subject: string | null; readonly preview: string | null };
  /** Runs in the posting transaction, after the post (an audit event of a release). */
  readonly alsoInTransaction?: (scope: TenantScope, postedMessageId: string) => Promise<void>;
}

export type PostingOutcome =
  { readonly kind: 'posted'; readonly messageId: string; readonly refused: readonly string[] } | { readonly kind: 'already' };

/**
 * Posts the message and moves the row; `already` when another run moved it first.
 * @throws INBOUND_CANNOT_POST when the recipient can no longer post (left the team, disabled, unlinked),
 *   and what the reply services throw (TICKET_NOT_FOUND, TICKET_CLOSED when replies do not reopen tickets)
 */
export async function postInboundMessage(deps: InboundPostingDeps, input: PostingInput): Promise<PostingOutcome> {
  const tenant = await findTenantById(deps.db, input.tenantId);
  if (!tenant) throw new AppError('INBOUND_CANNOT_POST', 'The organisation no longer exists.');
  const scope = forTenant(deps.db, input.tenantId);
  const author = await authorOf(scope, tenant, input.address);
  const uploaded = await uploadAttachments(deps, { tenantId: input.tenantId, kind: author.kind, id: author.id }, input.attachments);
  const fileIds = uploaded.files.map((f) => f.id);
  const limits = { ticketQuotaBytes: deps.limits.ticketQuotaBytes };
  const origin = { via: 'email' as const, emailMessageId: input.emailMessageId };
  try {
    const outcome = await scope.transaction(async (tx): Promise<PostingOutcome> => {
      const now = toDbTime(deps.clock.now());
      // The compare-and-set first: it locks the row (PostgreSQL) or the database (SQLite), so of two
      // runs the second waits here and then finds the row already moved.
      if (!(await moveInboundMessage(tx, input.inboundId, input.from, { status: input.to, now }))) return { kind: 'already' };
      const ctx = { ...deps, db: tx };
      const { message } =
        author.kind === 'team_member'
          ? await addTeamMessage(
              ctx,
              author.viewer,
              input.address.ticketId,
              { body: input.text, visibility: 'public', fileIds },
              limits,
              origin,
            )
          : await replyAsViewer(ctx, author.viewer, input.address.ticketId, { body: input.text, fileIds }, limits, origin);
      await moveInboundMessage(tx, input.inboundId, [input.to], {
        status: input.to,
        postedMessageId: message.id,
        reason: uploaded.refused.length > 0 ? `Posted without: ${uploaded.refused.join('; ')}`.slice(0, 1000) : null,
        ...(input.summary ? { summary: { ...input.summary } } : {}),
        now,
      });
      await input.alsoInTransaction?.(tx, message.id);
      return { kind: 'posted', messageId: message.id, refused: uploaded.refused };
    });
    if (outcome.kind === 'already') await deleteFiles(deps, input.tenantId, uploaded.files);
    return outcome;
  } catch (error) {
    await deleteFiles(deps, input.tenantId, uploaded.files).catch(() => undefined);
    throw error;
  }
}

type Author =
  | { kind: 'team_member'; id: string; viewer: Parameters<typeof addTeamMessage>[1] }
  | { kind: 'contact'; id: string; viewer: Parameters<typeof replyAsViewer>[1] };

async function authorOf(
  scope: TenantScope,
  tenant: NonNullable<Awaited<ReturnType<typeof findTenantById>>>,
  address: ReplyAddress,
): Promise<Author> {
  if (address.recipient.kind === 'team_member') {
    const member = await findTeamMemberById(scope, address.recipient.id);
    if (!member || member.status !== 'active')
      throw new AppError('INBOUND_CANNOT_POST', 'The team member this email was sent to is no longer active.');
    return {
      kind: 'team_member',
      id: member.id,
      viewer: { tenant, memberId: member.id, name: member.name, email: member.email, role: member.role },
    };
  }
  const contact = await findContactById(scope, address.recipient.id);
  const client = contact && (await findClientOfContact(scope, contact));
  if (!contact || contact.status !== 'active' || !client)
    throw new AppError('INBOUND_CANNOT_POST', 'The customer this email was sent to no longer has access.');
  return {
    kind: 'contact',
    id: contact.id,
    viewer: { tenant, contactId: contact.id, contactName: contact.name, clientId: client.id, visibility: client.ticketVisibility },
  };
}

/** Each attachment through the upload pipeline on its own; refused ones are named with the reason. */
async function uploadAttachments(
  deps: InboundPostingDeps,
  uploader: { tenantId: string; kind: 'contact' | 'team_member'; id: string },
  attachments: readonly Attachment[],
): Promise<{ files: { id: string }[]; refused: string[] }> {
  const files: { id: string }[] = [];
  const refused: string[] = [];
  for (const [index, attachment] of attachments.entries()) {
    const name = attachment.filename ?? `attachment-${index + 1}`;
    if (files.length === MAX_FILES) {
      refused.push(`${name} (more than ${MAX_FILES} files)`);
      continue;
    }
    const parts = (async function* () {
      yield { fieldName: 'files', file: { fileName: name, stream: Readable.from([attachment.content]) } };
    })();
    try {
      const stored = await receiveUpload(deps, uploader, parts, {
        purpose: 'attachment',
        fieldName: 'files',
        limits: { maxFiles: 1, maxFileBytes: deps.limits.maxFileBytes, tenantQuotaBytes: deps.limits.tenantQuotaBytes },
        queueImageProcessing: true,
      });
      files.push(...stored.map((f) => ({ id: f.id })));
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      refused.push(`${name} (${error.message})`);
    }
  }
  return { files, refused };
}

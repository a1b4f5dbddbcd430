import { z } from 'zod';
import { ZAttachment, ZFileIds } from '../attachments/attachment.schemas.js';
import { TICKET_PRIORITIES, TICKET_STATUSES, type TicketStatus } from './ticket.domain.js';
import { ZTicketPriority, ZTicketStatus } from './ticket.schemas.js';

/**
 * The team app's tickets contract (`/api/team/tickets…`), shared by the server and the web app.
 * Everything is scoped to the signed-in member's organisation; another organisation's ids answer
 * 404 like missing ones. Times are ISO-8601 UTC (the web app shows them in the organisation's
 * time zone); money is integer minor units plus an ISO-4217 currency.
 */

/** activity: latest activity first (default) · created: newest first · priority: urgent first, then latest activity · scheduled: soonest first, unscheduled last (newest first). */
export const TEAM_TICKET_SORTS = ['activity', 'created', 'priority', 'scheduled'] as const;

export const ZTeamMoney = z.object({ amount: z.number().int(), currency: z.string() });

/** A comma-separated list of allowed words, e.g. `new,open`. */
function wordList(allowed: readonly string[], extra: readonly string[] = []) {
  const words = new Set([...allowed, ...extra]);
  return z
    .string()
    .max(200)
    .refine((v) => v.split(',').every((w) => words.has(w.trim())), { error: `must be a comma-separated list of: ${[...words].join(', ')}` })
    .refine((v) => extra.every((e) => !v.split(',').includes(e) || v.trim() === e), {
      error: `${extra.join(' and ')} cannot be combined with other values`,
    });
}

/**
 * GET /api/team/tickets — one page of the organisation's tickets.
 * - `status`: `not_closed` (default: every status but closed), `all`, or a comma-separated list
 *   of statuses (`new,open`).
 * - `priority`: a comma-separated list of priorities.
 * - `assigneeId`: a member id, `me`, or `unassigned`.
 * - `clientId`: one client.
 * - `awaiting=customer`: the customer wrote last (the latest public message is a contact's).
 * - `q`: a ticket number (`123` or `#123`), or text found (case-insensitively, `%` and `_` taken
 *   literally) in the title, the requester's name or email, or the client's name.
 * - `sort`: see TEAM_TICKET_SORTS; `cursor`: `nextCursor` of the previous page (same filters and sort).
 */
export const ZTeamTicketListQuery = z.strictObject({
  status: wordList(TICKET_STATUSES, ['not_closed', 'all']).default('not_closed'),
  priority: wordList(TICKET_PRIORITIES).optional(),
  assigneeId: z.string().trim().min(1).max(64).optional(),
  clientId: z.string().trim().min(1).max(64).optional(),
  awaiting: z.enum(['customer']).optional(),
  q: z.string().trim().max(200).optional(),
  sort: z.enum(TEAM_TICKET_SORTS).default('activity'),
  cursor: z.string().max(400).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(25),
});
export type TTeamTicketListQuery = z.input<typeof ZTeamTicketListQuery>;

export const ZTeamPerson = z.object({ id: z.string(), name: z.string() });

export const ZTeamTicketRow = z.object({
  id: z.string(),
  /** Per organisation, display only. */
  number: z.number().int(),
  title: z.string(),
  status: ZTicketStatus,
  priority: ZTicketPriority,
  client: ZTeamPerson,
  /** The contact the ticket is for; null for tickets without one. */
  requester: z.object({ id: z.string(), name: z.string(), email: z.string(), photoFileId: z.string().nullable() }).nullable(),
  assignee: ZTeamPerson.nullable(),
  scheduledAt: z.string().nullable(),
  charge: ZTeamMoney.nullable(),
  createdAt: z.string(),
  lastActivityAt: z.string(),
  /** The customer wrote last and nobody of the team has answered publicly since. */
  awaitingReply: z.boolean(),
  /** A customer wrote since this member last opened the ticket. */
  unread: z.boolean(),
});
export type TTeamTicketRow = z.infer<typeof ZTeamTicketRow>;

export const ZTeamStatusCounts = z.object(
  Object.fromEntries(TICKET_STATUSES.map((s) => [s, z.number().int()])) as Record<TicketStatus, z.ZodNumber>,
);
export type TTeamStatusCounts = z.infer<typeof ZTeamStatusCounts>;

export const ZTeamTicketList = z.object({
  tickets: z.array(ZTeamTicketRow),
  /** Pass back as `cursor` (with the same filters and sort) for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Tickets per status for the current filters except `status`; on the first page only (null with a cursor). */
  counts: ZTeamStatusCounts.nullable(),
});
export type TTeamTicketList = z.infer<typeof ZTeamTicketList>;

/** Who wrote or changed something. Contacts come with their email and profile photo (GET /api/team/files/{photoFileId}). */
export const ZTeamActor = z.object({
  kind: z.enum(['contact', 'team_member', 'operator', 'system']),
  id: z.string().nullable(),
  name: z.string(),
  email: z.string().nullable(),
  photoFileId: z.string().nullable(),
});
export type TTeamActor = z.infer<typeof ZTeamActor>;

export const ZTeamMessage = z.object({
  id: z.string(),
  /** `internal`: a note the customer never sees. */
  visibility: z.enum(['public', 'internal']),
  via: z.enum(['portal', 'email', 'app']),
  author: ZTeamActor,
  body: z.string(),
  attachments: z.array(ZAttachment),
  createdAt: z.string(),
});
export type TTeamMessage = z.infer<typeof ZTeamMessage>;

const historyBase = { id: z.string(), at: z.string(), actor: ZTeamActor };
/** One entry of a ticket's history, oldest first; `from`/`to` are the old and new value. */
export const ZTeamHistoryEntry = z.discriminatedUnion('kind', [
  z.object({ ...historyBase, kind: z.literal('created'), status: ZTicketStatus }),
  z.object({ ...historyBase, kind: z.literal('status_changed'), from: ZTicketStatus.nullable(), to: ZTicketStatus }),
  z.object({ ...historyBase, kind: z.literal('priority_changed'), from: ZTicketPriority.nullable(), to: ZTicketPriority }),
  z.object({ ...historyBase, kind: z.literal('assignee_changed'), from: ZTeamPerson.nullable(), to: ZTeamPerson.nullable() }),
  z.object({ ...historyBase, kind: z.literal('scheduled_changed'), from: z.string().nullable(), to: z.string().nullable() }),
  z.object({ ...historyBase, kind: z.literal('charge_changed'), from: ZTeamMoney.nullable(), to: ZTeamMoney.nullable() }),
]);
export type TTeamHistoryEntry = z.infer<typeof ZTeamHistoryEntry>;

/** GET /api/team/tickets/{id} (marks the ticket read for the member) — also the answer of PATCH and of POST /api/team/tickets. */
export const ZTeamTicketDetail = z.object({
  ticket: ZTeamTicketRow.extend({
    source: z.enum(['portal', 'email', 'app']),
    closedAt: z.string().nullable(),
    closedBy: ZTeamActor.nullable(),
  }),
  /** The whole conversation, internal notes included, oldest first. */
  messages: z.array(ZTeamMessage),
  history: z.array(ZTeamHistoryEntry),
});
export type TTeamTicketDetail = z.infer<typeof ZTeamTicketDetail>;

export const ZTeamTicketIdParams = z.object({ id: z.string().max(64) });

/**
 * PATCH /api/team/tickets/{id} — only the fields sent change; each real change is one history
 * entry, a value equal to the current one records nothing.
 * - `assigneeId`: an active member of the organisation (404 TEAM_MEMBER_NOT_FOUND for an unknown
 *   id, 400 VALIDATION_FAILED for a disabled or invited one), or null to unassign.
 * - `scheduledAt`: an ISO-8601 date-time with offset (stored and returned in UTC), or null.
 * - `charge`: integer minor units ≥ 0 and an ISO-4217 code, or null.
 */
export const ZUpdateTeamTicketRequest = z.strictObject({
  status: ZTicketStatus.optional(),
  priority: ZTicketPriority.optional(),
  assigneeId: z.string().trim().min(1).max(64).nullable().optional(),
  scheduledAt: z.iso.datetime({ offset: true }).nullable().optional(),
  charge: z
    .strictObject({
      amount: z.number().int().min(0).max(1_000_000_000),
      currency: z.string().regex(/^[A-Z]{3}$/, { error: 'must be an ISO 4217 code like EUR' }),
    })
    .nullable()
    .optional(),
});
export type TUpdateTeamTicketRequest = z.infer<typeof ZUpdateTeamTicketRequest>;

/**
 * POST /api/team/tickets/{id}/messages — 201. `public`: a reply the customer sees in the portal;
 * `internal`: a note only the team sees. The body may be empty when files are attached
 * (uploads of this member, POST /api/team/uploads).
 */
export const ZTeamMessageRequest = z
  .strictObject({
    body: z.string().max(20_000, { error: 'must be at most 20,000 characters' }).default(''),
    visibility: z.enum(['public', 'internal']),
    fileIds: ZFileIds,
  })
  .refine((r) => r.body.trim().length > 0 || r.fileIds.length > 0, { path: ['body'], error: 'is required' });
export type TTeamMessageRequest = z.input<typeof ZTeamMessageRequest>;
export const ZTeamMessageResponse = z.object({ message: ZTeamMessage, ticket: ZTeamTicketRow });
export type TTeamMessageResponse = z.infer<typeof ZTeamMessageResponse>;

/**
 * POST /api/team/tickets — 201 with the detail. A ticket on behalf of a contact of a client (404
 * CLIENT_NOT_FOUND / CONTACT_NOT_FOUND, also when the contact belongs to another client); the
 * description is its first public message, written by the member; status `open`, source `app`.
 */
export const ZCreateTeamTicketRequest = z.strictObject({
  clientId: z.string().trim().min(1).max(64),
  contactId: z.string().trim().min(1).max(64),
  title: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  description: z
    .string()
    .max(20_000, { error: 'must be at most 20,000 characters' })
    .refine((v) => v.trim().length > 0, { error: 'is required' }),
  priority: ZTicketPriority.optional(),
  fileIds: ZFileIds,
});
export type TCreateTeamTicketRequest = z.input<typeof ZCreateTeamTicketRequest>;

import { z } from 'zod';

/** GET /api/team/audit?cursor=&limit= — owners only (403 FORBIDDEN otherwise); newest first, keyset-paginated. */
export const ZListAuditQuery = z.strictObject({
  cursor: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type TListAuditQuery = z.input<typeof ZListAuditQuery>;

export const ZAuditEntry = z.object({
  id: z.string(),
  /** ISO-8601 UTC. */
  at: z.string(),
  /** Stable dotted names, e.g. `settings.organisation.updated`, `contact.email_changed`, `team.sign_in`. */
  action: z.string(),
  actor: z.object({
    kind: z.enum(['contact', 'team_member', 'operator', 'system']),
    id: z.string().nullable(),
    /** The member's or contact's current name; null for the operator, the system, or someone deleted since. */
    name: z.string().nullable(),
  }),
  subject: z.object({ kind: z.string(), id: z.string() }).nullable(),
  /** What the action recorded, e.g. `{ changes: { name: { from, to } } }`; never secrets. */
  data: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  /** How many times it happened: refusals and failed sign-ins are counted per hour on one entry; 1 otherwise. */
  occurrences: z.number().int().min(1),
  /** ISO-8601 UTC of the latest occurrence of a counted entry; null for single events. */
  lastAt: z.string().nullable(),
  /** A readable line for counted entries ("Refused 14 times (…): GET /portal/:slug/api/tickets/:id"); null otherwise. */
  summary: z.string().nullable(),
});
export type TAuditEntry = z.infer<typeof ZAuditEntry>;

export const ZAuditPage = z.object({
  entries: z.array(ZAuditEntry),
  /** Pass back as `cursor` for the next (older) page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TAuditPage = z.infer<typeof ZAuditPage>;

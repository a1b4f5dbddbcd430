import { z } from 'zod';
import { ZClientVisibility, ZCreateClientRequest, ZCreateContactRequest } from './client.schemas.js';
import { ZDisplayName } from '../../platform/display-name.js';

/**
 * The team app's clients and contacts contract (`/api/team/…`), shared by the server routes and
 * the web app. Every id of another tenant answers 404 exactly like a missing one.
 */

const ZName = ZDisplayName(200);

export const ZTeamClientIdParams = z.strictObject({ id: z.string().max(100) });

/** GET /api/team/clients?q=&cursor=&limit= — A to Z; `q` matches the client's name or a contact's name or email. */
export const ZListTeamClientsQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  cursor: z.string().max(500).optional(),
  limit: z.coerce.number().int().min(1).max(100).default(50),
});
export type TListTeamClientsQuery = z.input<typeof ZListTeamClientsQuery>;

export const ZTeamClient = z.object({
  id: z.string(),
  name: z.string(),
  /** Which tickets the client's contacts see in the portal: all of the client's, or only their own. */
  ticketVisibility: ZClientVisibility,
  contactCount: z.number().int(),
  createdAt: z.string(),
});
export type TTeamClient = z.infer<typeof ZTeamClient>;

export const ZTeamClientList = z.object({
  clients: z.array(ZTeamClient),
  /** Pass back as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export type TTeamClientList = z.infer<typeof ZTeamClientList>;

export const ZContactStatus = z.enum(['active', 'disabled']);

export const ZTeamContact = z.object({
  id: z.string(),
  clientId: z.string(),
  email: z.string(),
  name: z.string(),
  /** E.164 (`+13125550142`) and as people write it in the organisation's country. */
  phone: z.string().nullable(),
  phoneNational: z.string().nullable(),
  status: ZContactStatus,
  /** Our mail to this address bounced (ISO time, and the bounce's words): the team should ask for another address. */
  emailUndeliverable: z.object({ at: z.string(), reason: z.string().nullable() }).nullable(),
  createdAt: z.string(),
  /** When the contact stopped emails about status changes and visits (unsubscribe link or profile); null: they get them. */
  emailUpdatesOffAt: z.string().nullable(),
});
export type TTeamContact = z.infer<typeof ZTeamContact>;

/** GET /api/team/clients/{id} */
export const ZTeamClientDetail = z.object({ client: ZTeamClient, contacts: z.array(ZTeamContact) });
export type TTeamClientDetail = z.infer<typeof ZTeamClientDetail>;

/** POST /api/team/clients — `ticketVisibility` defaults to the organisation's client visibility default. */
export const ZCreateTeamClientRequest = ZCreateClientRequest;
export type TCreateTeamClientRequest = z.input<typeof ZCreateTeamClientRequest>;

/** PATCH /api/team/clients/{id} */
export const ZUpdateTeamClientRequest = z.strictObject({
  name: ZName.optional(),
  ticketVisibility: ZClientVisibility.optional(),
});
export type TUpdateTeamClientRequest = z.input<typeof ZUpdateTeamClientRequest>;

/** POST /api/team/clients/{id}/contacts — email unique in the organisation (409 EMAIL_TAKEN); phone in any common format. */
export const ZCreateTeamContactRequest = ZCreateContactRequest;
export type TCreateTeamContactRequest = z.input<typeof ZCreateTeamContactRequest>;

/**
 * PATCH /api/team/contacts/{id}. A new email ends the contact's sign-in links and sessions and
 * notifies the old and the new address; `status: 'disabled'` ends them too (SECURITY.md D4, §1).
 * Phone: any common format, stored as E.164; null or '' clears it (400 PHONE_INVALID).
 */
export const ZUpdateTeamContactRequest = z.strictObject({
  email: z.string().max(320).optional(),
  name: ZName.optional(),
  phone: z.string().trim().max(40).nullable().optional(),
  status: ZContactStatus.optional(),
});
export type TUpdateTeamContactRequest = z.input<typeof ZUpdateTeamContactRequest>;

/** POST /api/team/contacts/{id}/invite — 202; the sign-in email goes out in the background. */
export const ZInviteContactResponse = z.object({ email: z.string() });
export type TInviteContactResponse = z.infer<typeof ZInviteContactResponse>;

/** POST /api/team/contacts/{id}/end-sessions */
export const ZEndContactSessionsResponse = z.object({ ended: z.number().int() });
export type TEndContactSessionsResponse = z.infer<typeof ZEndContactSessionsResponse>;

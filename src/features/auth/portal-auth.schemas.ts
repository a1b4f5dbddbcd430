import { z } from 'zod';
import { ZDisplayName } from '../../platform/display-name.js';

/**
 * The portal sign-in contract (ARCHITECTURE.md §6), shared by the server routes and the web app.
 * All paths are relative to the portal base `B` (`/portal/{slug}` or '' on a custom domain).
 */

/** POST B/api/auth/request-link — always 202 with the same body, whatever the email. */
export const ZRequestLinkRequest = z.strictObject({ email: z.string().max(320) });
export type TRequestLinkRequest = z.infer<typeof ZRequestLinkRequest>;
export const ZRequestLinkResponse = z.object({ message: z.string() });
export type TRequestLinkResponse = z.infer<typeof ZRequestLinkResponse>;

/** The sign-in token travels in the link's fragment: `B/auth/confirm#token=…`. */
export const ZToken = z.string().min(20).max(100);

/** POST B/api/auth/link-info — reads a link without spending it, for the confirmation page. */
export const ZLinkInfoRequest = z.strictObject({ token: ZToken });
/** `signed_in`: the link was used, by this browser's own signed-in contact — the page goes straight to the portal. */
export const ZLinkState = z.enum(['valid', 'used', 'expired', 'invalid', 'signed_in']);
export const ZLinkInfoResponse = z.object({
  state: ZLinkState,
  /** `j•••@example.com`; null when the link is invalid. */
  maskedEmail: z.string().nullable(),
  /** Masked email of another contact this browser is already signed in as, so the page can ask before switching. */
  signedInAs: z.string().nullable(),
  /** Where a `signed_in` link leads (the portal path it was sent for); null otherwise. */
  landingPath: z.string().nullable(),
});
export type TLinkInfoResponse = z.infer<typeof ZLinkInfoResponse>;

export const ZMe = z.object({
  contact: z.object({
    id: z.string(),
    name: z.string(),
    email: z.string(),
    /** E.164 (`+13125550142`) and as people write it in the organisation's country. */
    phone: z.string().nullable(),
    phoneNational: z.string().nullable(),
    /** The profile photo's file id (GET B/api/files/{id}); null without one. */
    photoFileId: z.string().nullable(),
    /** Emails about status changes and visits of their tickets; replies, sign-in and quote emails come regardless. */
    emailUpdates: z.boolean(),
  }),
  client: z.object({ id: z.string(), name: z.string() }),
});
export type TMe = z.infer<typeof ZMe>;

/** POST B/api/auth/confirm — spends the link; sets the session cookie. Error code LINK_INVALID. */
export const ZConfirmRequest = z.strictObject({ token: ZToken });
export const ZSignedIn = z.object({ landingPath: z.string(), me: ZMe });
export type TSignedIn = z.infer<typeof ZSignedIn>;

/** POST B/api/auth/code — the 8-character code from the same email. Error code CODE_INVALID. */
export const ZCodeRequest = z.strictObject({
  email: z.string().max(320),
  code: z.string().trim().min(1).max(20),
});

/** POST B/api/auth/resend — a new link for the contact of a used or expired one; always 202. */
export const ZResendRequest = z.strictObject({ token: ZToken });

/** GET B/api/me — 401 UNAUTHENTICATED without a valid session for this portal. */
export const ZMeResponse = ZMe;

/** PATCH B/api/me — name and phone; the email is read-only (SECURITY.md D4). */
export const ZUpdateProfileRequest = z.strictObject({
  name: ZDisplayName(200).optional(),
  /** Any common format; stored as E.164, answered in national format. Null or '' clears it. */
  phone: z.string().trim().max(40).nullable().optional(),
  /** False stops the non-essential emails about their tickets (as the unsubscribe link does); true turns them back on. */
  emailUpdates: z.boolean().optional(),
});
export type TUpdateProfileRequest = z.infer<typeof ZUpdateProfileRequest>;

import { z } from 'zod';
import { ZTeamRole } from '../team/team.schemas.js';
import { ZDisplayName } from '../../platform/display-name.js';

/**
 * The team sign-in contract (ARCHITECTURE.md §6, `/api/team/…`), shared by the server routes and
 * the team web app. Errors: SIGN_IN_FAILED (401, the same for every wrong email or password),
 * TOTP_REQUIRED / TOTP_INVALID (401), ACCOUNT_LOCKED (429 + Retry-After), RATE_LIMITED (429).
 */

const ZPassword = z.string().min(1).max(1024);
/** A 6-digit TOTP code or a recovery code (`ABCDE-FGHJK`). */
const ZSecondFactor = z.string().trim().min(1).max(32);
const ZToken = z.string().min(20).max(100);

/** POST /api/team/auth/sign-in */
export const ZTeamSignInRequest = z.strictObject({
  email: z.string().max(320),
  password: ZPassword,
  totp: ZSecondFactor.optional(),
  /** Which organisation to open when the person belongs to several (else the first by name). */
  tenantId: z.string().max(100).optional(),
});
export type TTeamSignInRequest = z.infer<typeof ZTeamSignInRequest>;

export const ZTeamMembership = z.object({
  tenantId: z.string(),
  slug: z.string(),
  name: z.string(),
  memberId: z.string(),
  role: ZTeamRole,
});

export const ZTeamSession = z.object({
  member: z.object({ id: z.string(), name: z.string(), email: z.string(), role: ZTeamRole }),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string() }),
  /** The organisations this person may switch to (POST /api/team/auth/switch). */
  tenants: z.array(ZTeamMembership),
});
export type TTeamSession = z.infer<typeof ZTeamSession>;

/** GET /api/team/me */
export const ZTeamMeResponse = ZTeamSession.extend({
  account: z.object({ totpEnabled: z.boolean() }),
});
export type TTeamMeResponse = z.infer<typeof ZTeamMeResponse>;

/** POST /api/team/auth/switch */
export const ZTeamSwitchRequest = z.strictObject({ tenantId: z.string().max(100) });

/** POST /api/team/auth/reset-request — always 202 with the same body. */
export const ZTeamResetRequest = z.strictObject({ email: z.string().max(320) });
export const ZAccepted = z.object({ message: z.string() });

/** POST /api/team/auth/reset — the token from `/app/reset#token=…`. */
export const ZTeamResetPasswordRequest = z.strictObject({ token: ZToken, password: ZPassword });

/** POST /api/team/auth/accept-invite — the token from `/app/accept-invite#token=…`. */
export const ZAcceptInvitationRequest = z.strictObject({
  token: ZToken,
  name: ZDisplayName(200).optional(),
  /** The new password when the account has none yet; else the account's password (required either way). */
  password: ZPassword.optional(),
  /** For an existing account with TOTP on. */
  totp: ZSecondFactor.optional(),
});

/** POST /api/team/me/totp/setup */
export const ZTotpSetupResponse = z.object({
  /** Base32, for typing into an authenticator app by hand. */
  secret: z.string(),
  otpauthUrl: z.string(),
  /** The same URL as a QR code (SVG markup, no scripts). */
  qrSvg: z.string(),
});
/** POST /api/team/me/totp/enable */
export const ZTotpEnableRequest = z.strictObject({ code: z.string().trim().min(6).max(10) });
export const ZTotpEnableResponse = z.object({ recoveryCodes: z.array(z.string()) });
/** POST /api/team/me/totp/disable */
export const ZTotpDisableRequest = z.strictObject({ password: ZPassword, code: ZSecondFactor });

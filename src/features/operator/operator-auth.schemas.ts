import { z } from 'zod';

/**
 * The operator console's sign-in contract (`/api/operator/auth/…`), shared by the routes and the
 * console. Errors: SIGN_IN_FAILED (401, the same for every wrong email or password),
 * TOTP_REQUIRED / TOTP_INVALID (401), ACCOUNT_LOCKED (429 + Retry-After), RATE_LIMITED (429),
 * TOTP_ENROLMENT_REQUIRED (403: a session opened by the password alone, before TOTP is set up).
 */
export const ZOperatorSignInRequest = z.strictObject({
  email: z.string().max(320),
  password: z.string().min(1).max(1024),
  /** A 6-digit code or a recovery code (`ABCDE-FGHJK`); required once TOTP is set up. */
  totp: z.string().trim().min(1).max(32).optional(),
});

export const ZOperatorStage = z.enum(['signed_in', 'enrol_totp']);

/** The signed-in operator and whether TOTP must be enrolled before anything else. */
export const ZOperatorSession = z.object({
  operator: z.object({ id: z.string(), name: z.string(), email: z.string() }),
  stage: ZOperatorStage,
});
export type TOperatorSession = z.infer<typeof ZOperatorSession>;

/** POST /api/operator/auth/totp/setup */
export const ZOperatorTotpSetupResponse = z.object({ secret: z.string(), otpauthUrl: z.string(), qrSvg: z.string() });
/** POST /api/operator/auth/totp/confirm */
export const ZOperatorTotpConfirmRequest = z.strictObject({ code: z.string().trim().min(6).max(10) });
export const ZOperatorTotpConfirmResponse = ZOperatorSession.extend({ recoveryCodes: z.array(z.string()) });

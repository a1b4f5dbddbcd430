import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import type { Argon2Cost } from '../auth/password-hashing.js';
import type { SessionLifetimes } from '../sessions/session.service.js';

/**
 * Operator console sessions are short (the most privileged account): 2 hours idle, 12 hours at
 * most. A session opened by the password alone (TOTP still to enrol or to confirm) lives 10 minutes.
 */
export const OPERATOR_SESSION_LIFETIMES: SessionLifetimes = { idleMs: 2 * 60 * 60_000, absoluteMs: 12 * 60 * 60_000 };
export const OPERATOR_PENDING_LIFETIMES: SessionLifetimes = { idleMs: 10 * 60_000, absoluteMs: 10 * 60_000 };

/** What operator sign-in services need beyond the database and the clock. */
export interface OperatorAuthContext extends AppContext {
  /** Derives the key that encrypts TOTP secrets at rest. */
  readonly appSecret: string;
  readonly argon2: Argon2Cost;
}

export function operatorAuthContextOf(deps: AppContext & { readonly appSecret: string }, config: Config): OperatorAuthContext {
  return { db: deps.db, clock: deps.clock, appSecret: deps.appSecret, argon2: config.teamAuth.argon2 };
}

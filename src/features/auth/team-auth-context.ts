import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import type { Argon2Cost } from './password-hashing.js';
import { sessionLifetimesOf, type SessionLifetimes } from '../sessions/session.service.js';

/** What team sign-in services need beyond the database and the clock, passed in narrowly. */
export interface TeamAuthContext extends AppContext {
  /** Derives the key that encrypts TOTP secrets at rest. */
  readonly appSecret: string;
  readonly argon2: Argon2Cost;
  readonly lifetimes: SessionLifetimes;
}

export function teamAuthContextOf(deps: AppContext & { readonly appSecret: string }, config: Config): TeamAuthContext {
  return {
    db: deps.db,
    clock: deps.clock,
    appSecret: deps.appSecret,
    argon2: config.teamAuth.argon2,
    lifetimes: sessionLifetimesOf(config, 'team'),
  };
}

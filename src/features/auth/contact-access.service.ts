import type { Clock } from '../../platform/clock.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { revokeOpenTokensOfContact, revokeOpenTokensOfTenant } from './login-token.repository.js';
import { endAllSessions } from '../sessions/session.service.js';

/**
 * Ends a contact's access at once: every unspent sign-in token and every portal session
 * (SECURITY.md §1: disabling, unlinking or changing the email of a contact). Kept apart from the
 * sign-in services so the clients feature can call it without importing them.
 */
export async function revokeContactAccess(
  scope: TenantScope,
  clock: Clock,
  contactId: string,
): Promise<{ tokens: number; sessions: number }> {
  const tokens = await revokeOpenTokensOfContact(scope, contactId, toDbTime(clock.now()));
  const sessions = await endAllSessions(scope, clock, 'portal', contactId);
  return { tokens, sessions };
}

/** Revokes every unspent sign-in and deep-link token in the scope's tenant (the organisation is suspended). */
export async function revokeAllLoginTokensOfTenant(scope: TenantScope, clock: Clock): Promise<number> {
  return revokeOpenTokensOfTenant(scope, toDbTime(clock.now()));
}

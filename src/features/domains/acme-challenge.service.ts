import type { AppContext } from '../../platform/context.js';
import { findAcmeKeyAuthorization } from './certificate.repository.js';
import { toDbTime } from '../../platform/db/time.js';

/** The key authorisation for `token` when the request's Host is the challenge's host; else undefined. */
export async function findAcmeChallengeAnswer(ctx: AppContext, requestHost: string, token: string): Promise<string | undefined> {
  const host = hostWithoutPort(requestHost);
  if (!host) return undefined;
  return findAcmeKeyAuthorization(ctx.db, host, token, toDbTime(ctx.clock.now()));
}

function hostWithoutPort(value: string): string | undefined {
  const host = value.trim().toLowerCase();
  if (host.startsWith('[')) return undefined;
  return host.replace(/:\d+$/, '').replace(/\.$/, '') || undefined;
}

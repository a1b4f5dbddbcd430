import type { Clock } from '../../platform/clock.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { toDbTime } from '../../platform/db/time.js';
import type { TenantScope } from '../../platform/db/tenant-scope.js';
import { newId } from '../../platform/ids.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import type { Contact } from '../clients/client.service.js';
import { insertLoginToken } from './login-token.repository.js';
import { hashPrefix, SIGN_IN_LINK_LIFETIME_MS } from './portal-sign-in-link.service.js';

/**
 * A notification's deep link ("View quote Q-12"): a link that signs its contact straight in and
 * lands on one page of the portal, with the guarantees of a sign-in link (SECURITY.md §1) — only
 * its hash is stored, it is spent once from the confirmation page, bound to its tenant and
 * contact (re-checked when spent), valid 7 days. It carries no one-time code, and it neither
 * replaces nor is replaced by the contact's sign-in links; disabling the contact revokes it.
 *
 * Issue it where the email is sent (the outbox job), never where the change happens: the raw token
 * then exists only in the email, not in the outbox.
 */
export interface DeepLink {
  /** `{portalUrl}/auth/confirm#token=…`: the token travels in the fragment, like a sign-in link's. */
  readonly url: string;
  readonly expiresAt: Date;
}

/** A portal path the link may land on: `/quotes/…`, never another site (`//host`, `/\host`) or a control character. */
export function isPortalLandingPath(path: string): boolean {
  return /^\/(?![/\\])[A-Za-z0-9/_\-.~%?=&]*$/.test(path) && path.length <= 200;
}

export async function issueDeepLink(
  scope: TenantScope,
  clock: Clock,
  input: {
    readonly contact: Pick<Contact, 'id' | 'email'>;
    readonly portalUrl: string;
    readonly landingPath: string;
    readonly purpose: string;
  },
): Promise<DeepLink> {
  if (!isPortalLandingPath(input.landingPath)) throw new RangeError(`not a portal path: ${JSON.stringify(input.landingPath)}`);
  const now = clock.now();
  const token = generateToken();
  const tokenHash = hashToken(token);
  const id = newId(now.getTime());
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_LIFETIME_MS);
  await insertLoginToken(scope, {
    id,
    contactId: input.contact.id,
    email: input.contact.email,
    kind: 'deep_link',
    tokenHash,
    // No code is ever sent for a deep link: a hash of nothing anyone knows, so code entry never matches it.
    codeHash: hashToken(generateToken()),
    landingPath: input.landingPath,
    requestKey: null,
    now: toDbTime(now),
    expiresAt: toDbTime(expiresAt),
    ip: null,
    userAgent: null,
  });
  await recordAuditEvent(scope, clock, {
    tenantId: scope.tenantId,
    actor: { kind: 'system', id: null },
    action: 'auth.deep_link.issued',
    subject: { kind: 'login_token', id },
    data: { tokenHash: hashPrefix(tokenHash), purpose: input.purpose, landingPath: input.landingPath, contactId: input.contact.id },
  });
  return { url: `${input.portalUrl}/auth/confirm#token=${token}`, expiresAt };
}

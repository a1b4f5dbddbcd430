import { randomInt } from 'node:crypto';
import { z } from 'zod';
import type { AppContext, ScopeContext } from '../../platform/context.js';
import { toDbTime } from '../../platform/db/time.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { generateToken, hashToken } from '../../platform/crypto.js';
import { newId } from '../../platform/ids.js';
import { enqueueJob } from '../../platform/jobs/enqueue-job.js';
import type { JobHandler } from '../../platform/jobs/worker.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { recordAuditEvent } from '../audit/audit.service.js';
import { findContactByEmail, findContactById, type Contact } from '../clients/client.service.js';
import { findTenantById, type Tenant } from '../tenants/tenant.service.js';
import { findLoginTokenByHash, insertLoginToken, revokeOpenTokensOfContact } from './login-token.repository.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { renderSignInEmail } from './portal-sign-in-email.js';

/** SECURITY.md D2: a sign-in link is valid for 7 days, compensated by single use and the rest. */
export const SIGN_IN_LINK_LIFETIME_MS = 7 * 86_400_000;
export const SIGN_IN_LINK_JOB = 'auth.sign_in_link';
/** No 0/O or 1/I/L: the code is read from one screen and typed on another. */
const CODE_ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';
export const CODE_LENGTH = 8;

const ZSignInLinkJob = z.object({
  tenantId: z.string(),
  email: z.string().optional(),
  contactId: z.string().optional(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
type TSignInLinkJob = z.infer<typeof ZSignInLinkJob>;

/** The first 12 hex digits of a token hash: enough to correlate audit entries, useless to an attacker. */
export function hashPrefix(tokenHash: string): string {
  return tokenHash.slice(0, 12);
}

export function codeHashOf(tokenId: string, code: string): string {
  return hashToken(`${tokenId}:${code}`);
}

/** What portal links are made of: the installation's configuration, never a request's Host (SECURITY.md §1). */
export interface PortalSite {
  readonly publicUrl: string;
  /** PORTAL_SUBDOMAIN_BASE; null or absent: no per-organisation subdomains. */
  readonly portalSubdomainBase?: string | null;
}

/**
 * Where the portal of a tenant lives — the base of every link to it (sign-in, notifications,
 * quotes, the team's "portal URL") — from configuration only: the organisation's active custom
 * domain (it has a certificate), else its subdomain `<slug>.<PORTAL_SUBDOMAIN_BASE>`, else
 * `${PUBLIC_URL}/portal/{slug}`. The scheme is PUBLIC_URL's. The default URL keeps working on the
 * platform host; a customer who signed in there keeps their session there (sessions are per host).
 */
export function portalUrlOf(site: PortalSite, tenant: Tenant): string {
  const scheme = new URL(site.publicUrl).protocol;
  if (tenant.portalHost) return `${scheme}//${tenant.portalHost}`;
  if (site.portalSubdomainBase) return `${scheme}//${tenant.slug}.${site.portalSubdomainBase}`;
  return `${site.publicUrl}/portal/${tenant.slug}`;
}

/**
 * Queues the sending of a sign-in link. The request answers at once whether or not the email
 * belongs to a contact: the lookup, the token and the email all happen in the background job,
 * so responses for known and unknown addresses are identical in status, body, headers and timing.
 */
export async function requestSignInLink(
  ctx: ScopeContext,
  tenantId: string,
  target: { email: string } | { contactId: string },
  meta: RequestMeta,
): Promise<void> {
  const payload: TSignInLinkJob = { tenantId, ...target, ip: meta.ip, userAgent: meta.userAgent?.slice(0, 500) ?? null };
  await enqueueJob(ctx.db, ctx.clock, { kind: SIGN_IN_LINK_JOB, tenantId, payload });
}

/** The address an earlier sign-in link of the tenant went to, or undefined for a token it never issued. */
export async function emailOfSignInLink(ctx: AppContext, tenantId: string, token: string): Promise<string | undefined> {
  return (await findLoginTokenByHash(forTenant(ctx.db, tenantId), hashToken(token)))?.email;
}

/**
 * Queues a new link for the contact of a used or expired one (the "email me a new link" button).
 * The caller has applied the same per-address limits as a link request (emailOfSignInLink).
 */
export async function resendSignInLink(
  ctx: AppContext,
  tenantId: string,
  token: string,
  meta: RequestMeta,
): Promise<{ email: string } | undefined> {
  const previous = await findLoginTokenByHash(forTenant(ctx.db, tenantId), hashToken(token));
  if (!previous) return undefined;
  await requestSignInLink(ctx, tenantId, { contactId: previous.contactId }, meta);
  return { email: previous.email };
}

export interface SignInLinkDeps extends AppContext {
  readonly mailer: Mailer;
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
  /** Development only: print the link to the server log too. */
  readonly logLink?: (email: string, link: string) => void;
}

/** The outbox handler that issues a token and emails the link and code. */
export function createSignInLinkHandler(deps: SignInLinkDeps): JobHandler {
  return async (rawPayload, job) => {
    const payload = ZSignInLinkJob.parse(rawPayload);
    const tenant = await findTenantById(deps.db, payload.tenantId);
    if (!tenant || tenant.status !== 'active') return;
    const scope = forTenant(deps.db, tenant.id);
    const contact = payload.contactId
      ? await findContactById(scope, payload.contactId)
      : payload.email
        ? await findContactByEmail(scope, payload.email)
        : undefined;
    // Unknown or disabled: nothing is sent, and nothing in the request's answer showed the difference.
    if (!contact || contact.status !== 'active') return;
    const issued = await issueSignInToken(deps, tenant, contact, payload, job.id);
    const portalUrl = portalUrlOf(deps, tenant);
    const link = `${portalUrl}/auth/confirm#token=${issued.token}`;
    // Mail goes to the address stored on the contact, as the only recipient — never to input.
    await deps.mailer.send(
      renderSignInEmail({
        tenant,
        portalUrl,
        to: contact.email,
        recipientName: contact.name,
        link,
        code: issued.code,
        expiresAt: issued.expiresAt,
        fromAddress: deps.fromAddress,
      }),
    );
    deps.logLink?.(contact.email, link);
  };
}

/**
 * Issues a new sign-in token for a contact, revoking the older unspent ones (a newer link replaces
 * them). Only hashes are stored. A retried job issues a fresh token: the one from the failed try
 * was never delivered and is revoked here.
 */
async function issueSignInToken(
  ctx: AppContext,
  tenant: Tenant,
  contact: Contact,
  meta: RequestMeta,
  requestKey: string,
): Promise<{ token: string; code: string; expiresAt: Date }> {
  const now = ctx.clock.now();
  const token = generateToken();
  const code = Array.from({ length: CODE_LENGTH }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
  const id = newId(now.getTime());
  const tokenHash = hashToken(token);
  const expiresAt = new Date(now.getTime() + SIGN_IN_LINK_LIFETIME_MS);
  await forTenant(ctx.db, tenant.id).transaction(async (scope) => {
    const revoked = await revokeOpenTokensOfContact(scope, contact.id, toDbTime(now), 'sign_in');
    await insertLoginToken(scope, {
      id,
      contactId: contact.id,
      email: contact.email,
      kind: 'sign_in',
      tokenHash,
      codeHash: codeHashOf(id, code),
      landingPath: '/',
      requestKey,
      now: toDbTime(now),
      expiresAt: toDbTime(expiresAt),
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId: tenant.id,
      actor: { kind: 'contact', id: contact.id },
      action: 'auth.link.issued',
      subject: { kind: 'login_token', id },
      data: { tokenHash: hashPrefix(tokenHash), revokedOlder: revoked },
      ip: meta.ip,
      userAgent: meta.userAgent,
    });
  });
  return { token, code, expiresAt };
}

import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { type Client, type Contact, findClientOfContact, findContactById } from '../clients/client.service.js';
import { resolveSession, type Session, type SessionLifetimes } from './session.service.js';

/** A signed-in customer: the session and the contact and client as they are now. */
export interface PortalIdentity {
  readonly session: Session;
  readonly contact: Contact;
  readonly client: Client;
}

/**
 * Resolves a portal session cookie in this tenant's portal. The contact's status and client are
 * re-read on every request, so disabling a contact ends its access at once; a session of another
 * tenant is simply not found (the lookup is scoped to the request's tenant).
 */
export async function resolvePortalSession(
  ctx: AppContext,
  tenantId: string,
  token: string,
  lifetimes: SessionLifetimes,
): Promise<PortalIdentity | undefined> {
  const scope = forTenant(ctx.db, tenantId);
  const found = await resolveSession(ctx, { audience: 'portal', token, tenantId }, lifetimes, async (session) => {
    const contact = await findContactById(scope, session.subjectId);
    if (!contact || contact.status !== 'active') return undefined;
    const client = await findClientOfContact(scope, contact);
    return client && { contact, client };
  });
  return found && { session: found.session, ...found.subject };
}

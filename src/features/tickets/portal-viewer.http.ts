import type { FastifyRequest } from 'fastify';
import type { Config } from '../../config/config.js';
import type { AppContext } from '../../platform/context.js';
import { requirePortalIdentity } from '../sessions/portal-session.http.js';
import { portalOf } from '../tenants/portal-context.http.js';
import { viewerCanSeeMessage, type PortalViewer } from './portal-ticket.service.js';

/** The signed-in customer of this portal request, from the session cookie (401 otherwise). */
export async function portalViewerOf(request: FastifyRequest, ctx: AppContext, config: Config): Promise<PortalViewer> {
  const { tenant } = portalOf(request);
  const identity = await requirePortalIdentity(request, ctx, config, tenant.id);
  return {
    tenant,
    contactId: identity.contact.id,
    contactName: identity.contact.name,
    clientId: identity.client.id,
    visibility: identity.client.ticketVisibility,
  };
}

/**
 * The viewer as the file routes need them: who they are, and whether a message's files are
 * theirs to see (the ticket rules live here, in tickets; the file routes get them wired in).
 */
export async function portalFileViewerOf(request: FastifyRequest, ctx: AppContext, config: Config) {
  const viewer = await portalViewerOf(request, ctx, config);
  return {
    tenantId: viewer.tenant.id,
    contactId: viewer.contactId,
    canSeeMessage: (ticketId: string, messageId: string) => viewerCanSeeMessage(ctx, viewer, ticketId, messageId),
  };
}

import type { AppContext } from '../../platform/context.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { requireEmail } from '../../platform/email-address.js';
import { AppError } from '../../platform/errors.js';
import { enqueueMail } from '../../platform/mail/send-mail.job.js';
import { normalisePhone } from '../../platform/phone.js';
import { parseInput } from '../../platform/validation.js';
import { changesOf, recordAuditEvent, teamAuditActor } from '../audit/audit.service.js';
import { revokeContactAccess } from '../auth/contact-access.service.js';
import type { RequestMeta } from '../../platform/request-meta.js';
import { endAllSessions } from '../sessions/session.service.js';
import { portalUrlOf, requestSignInLink } from '../auth/portal-sign-in-link.service.js';
import { addContact, type Contact, disableContact, findContactByEmail, getContact, updateContactDetails } from './client.service.js';
import type { TeamViewer } from '../team/team-viewer.js';
import { renderEmailChangeEmails } from './email-change-email.js';
import {
  type TCreateTeamContactRequest,
  type TUpdateTeamContactRequest,
  ZCreateTeamContactRequest,
  ZUpdateTeamContactRequest,
} from './team-client.schemas.js';

/** What contact changes need beyond the database: where the portal lives and who mail comes from. */
export interface TeamContactContext extends AppContext {
  readonly publicUrl: string;
  /** Per-organisation portal subdomains (PORTAL_SUBDOMAIN_BASE), for portal links (portalUrlOf). */
  readonly portalSubdomainBase?: string | null;
  readonly fromAddress: string;
}

/**
 * Adds a contact to a client of the viewer's organisation. Any role; audited.
 * @throws VALIDATION_FAILED, PHONE_INVALID, CLIENT_NOT_FOUND, EMAIL_TAKEN
 */
export async function addTeamContact(
  ctx: AppContext,
  viewer: TeamViewer,
  clientId: string,
  input: TCreateTeamContactRequest,
  meta: RequestMeta,
): Promise<Contact> {
  const data = parseInput(ZCreateTeamContactRequest, input);
  const phone = normalisePhone(data.phone, viewer.tenant.locale) ?? null;
  return forTenant(ctx.db, viewer.tenant.id).transaction(async (scope) => {
    const contact = await addContact({ db: scope, clock: ctx.clock }, viewer.tenant.id, clientId, { ...data, phone });
    await recordAuditEvent(scope, ctx.clock, {
      tenantId: viewer.tenant.id,
      ...teamAuditActor(viewer, meta),
      action: 'contact.added',
      subject: { kind: 'contact', id: contact.id },
      data: { clientId, email: contact.email },
    });
    return contact;
  });
}

/**
 * Changes a contact's name, phone, email or status. Any role; each kind of change is audited.
 * A new email (unique in the organisation) revokes the contact's unspent sign-in links and its
 * sessions and queues a notice to the old and to the new address, all in one transaction;
 * disabling revokes the links and sessions the same way (SECURITY.md D4, §1).
 * @throws VALIDATION_FAILED, PHONE_INVALID, CONTACT_NOT_FOUND, EMAIL_TAKEN
 */
export async function updateTeamContact(
  ctx: TeamContactContext,
  viewer: TeamViewer,
  contactId: string,
  input: TUpdateTeamContactRequest,
  meta: RequestMeta,
): Promise<Contact> {
  const data = parseInput(ZUpdateTeamContactRequest, input);
  const email = data.email === undefined ? undefined : requireEmail(data.email);
  const phone = normalisePhone(data.phone, viewer.tenant.locale);
  const tenantId = viewer.tenant.id;
  const audit = teamAuditActor(viewer, meta);
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const before = await getContact(scope, contactId);
    const emailChanged = email !== undefined && email !== before.email;
    if (emailChanged && (await findContactByEmail(scope, email))) throw new AppError('EMAIL_TAKEN');
    const disabling = before.status === 'active' && data.status === 'disabled';
    const disabled = disabling ? await disableContact({ db: scope, clock: ctx.clock }, tenantId, contactId) : null;
    const after = await updateContactDetails(scope, ctx.clock, contactId, {
      ...(emailChanged ? { email } : {}),
      ...(data.name !== undefined ? { name: data.name } : {}),
      ...(phone !== undefined ? { phone } : {}),
      ...(data.status === 'active' ? { status: data.status } : {}),
    });
    const revoked = disabled ?? (emailChanged ? await revokeContactAccess(scope, ctx.clock, contactId) : undefined);
    const subject = { kind: 'contact', id: contactId };

    if (emailChanged) {
      const mails = renderEmailChangeEmails({
        tenant: viewer.tenant,
        portalUrl: portalUrlOf(ctx, viewer.tenant),
        recipientName: after.name,
        oldEmail: before.email,
        newEmail: after.email,
        fromAddress: ctx.fromAddress,
      });
      await enqueueMail(scope, ctx.clock, mails.toOld, { tenantId });
      await enqueueMail(scope, ctx.clock, mails.toNew, { tenantId });
      await recordAuditEvent(scope, ctx.clock, {
        tenantId,
        ...audit,
        action: 'contact.email_changed',
        subject,
        data: { from: before.email, to: after.email, revoked },
      });
    }
    if (before.status !== after.status) {
      await recordAuditEvent(scope, ctx.clock, {
        tenantId,
        ...audit,
        action: disabling ? 'contact.disabled' : 'contact.enabled',
        subject,
        ...(disabling ? { data: { revoked } } : {}),
      });
    }
    const changes = changesOf(before, after, ['name', 'phone']);
    if (Object.keys(changes).length > 0) {
      await recordAuditEvent(scope, ctx.clock, { tenantId, ...audit, action: 'contact.updated', subject, data: { changes } });
    }
    return after;
  });
}

/**
 * Emails an active contact a portal sign-in link, through the same background job as a link the
 * customer asks for (a newer link replaces their older unspent one). Any role; audited.
 * @throws CONTACT_NOT_FOUND, CONTACT_DISABLED
 */
export async function inviteTeamContact(ctx: AppContext, viewer: TeamViewer, contactId: string, meta: RequestMeta): Promise<Contact> {
  const tenantId = viewer.tenant.id;
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const contact = await getContact(scope, contactId);
    if (contact.status !== 'active') throw new AppError('CONTACT_DISABLED');
    await requestSignInLink({ db: scope, clock: ctx.clock }, tenantId, { contactId: contact.id }, meta);
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      ...teamAuditActor(viewer, meta),
      action: 'contact.invited',
      subject: { kind: 'contact', id: contact.id },
    });
    return contact;
  });
}

/**
 * Ends every portal session of a contact (a lost phone, a shared computer). Any role; audited.
 * @throws CONTACT_NOT_FOUND
 */
export async function endTeamContactSessions(ctx: AppContext, viewer: TeamViewer, contactId: string, meta: RequestMeta): Promise<number> {
  const tenantId = viewer.tenant.id;
  return forTenant(ctx.db, tenantId).transaction(async (scope) => {
    const contact = await getContact(scope, contactId);
    const ended = await endAllSessions(scope, ctx.clock, 'portal', contact.id);
    await recordAuditEvent(scope, ctx.clock, {
      tenantId,
      ...teamAuditActor(viewer, meta),
      action: 'contact.sessions_ended',
      subject: { kind: 'contact', id: contact.id },
      data: { ended },
    });
    return ended;
  });
}

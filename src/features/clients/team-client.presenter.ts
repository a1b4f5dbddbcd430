import { formatPhone, regionOfLocale } from '../../platform/phone.js';
import type { Contact } from './client.service.js';
import type { ClientSummary } from './team-client.service.js';
import type { TTeamClient, TTeamContact } from './team-client.schemas.js';

/** A client as the team app sees it (allow-listed fields only). */
export function presentTeamClient(summary: ClientSummary): TTeamClient {
  const { client } = summary;
  return {
    id: client.id,
    name: client.name,
    ticketVisibility: client.ticketVisibility,
    contactCount: summary.contactCount,
    createdAt: client.createdAt.toISOString(),
  };
}

/** A contact as the team app sees it; the phone also as written in the organisation's country. */
export function presentTeamContact(contact: Contact, locale: string): TTeamContact {
  return {
    id: contact.id,
    clientId: contact.clientId,
    email: contact.email,
    name: contact.name,
    phone: contact.phone,
    phoneNational: contact.phone ? formatPhone(contact.phone, regionOfLocale(locale)) : null,
    status: contact.status,
    emailUndeliverable: contact.emailUndeliverable
      ? { at: contact.emailUndeliverable.at.toISOString(), reason: contact.emailUndeliverable.reason }
      : null,
    createdAt: contact.createdAt.toISOString(),
    emailUpdatesOffAt: contact.emailUpdatesOffAt?.toISOString() ?? null,
  };
}

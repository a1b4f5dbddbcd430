import { formatPhone, regionOfLocale } from '../../platform/phone.js';
import type { TMe } from './portal-auth.schemas.js';
import type { PortalIdentity } from '../sessions/portal-session.service.js';

/** `jane.doe@example.com` → `j•••@example.com`: enough to recognise, not enough to harvest. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) return '•••';
  return `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/** The signed-in customer as the portal may see them (allow-listed fields only). */
export function presentMe(identity: PortalIdentity, locale: string): TMe {
  const { contact, client } = identity;
  const phoneNational = contact.phone ? formatPhone(contact.phone, regionOfLocale(locale)) : null;
  return {
    contact: {
      id: contact.id,
      name: contact.name,
      email: contact.email,
      phone: contact.phone,
      phoneNational,
      photoFileId: contact.photoFileId,
      emailUpdates: contact.emailUpdatesOffAt === null,
    },
    client: { id: client.id, name: client.name },
  };
}

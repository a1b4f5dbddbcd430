import { z } from 'zod';
import { ZDisplayName } from '../../platform/display-name.js';

export const ZClientVisibility = z.enum(['all', 'own']);

export const ZCreateClientRequest = z.strictObject({
  name: ZDisplayName(200),
  ticketVisibility: ZClientVisibility.optional(),
});
export type TCreateClientRequest = z.input<typeof ZCreateClientRequest>;

export const ZCreateContactRequest = z.strictObject({
  email: z.string().max(320),
  name: ZDisplayName(200),
  phone: z.string().trim().max(40).nullable().optional(),
});
export type TCreateContactRequest = z.input<typeof ZCreateContactRequest>;

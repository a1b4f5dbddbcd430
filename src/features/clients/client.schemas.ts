import { z } from 'zod';

export const ZClientVisibility = z.enum(['all', 'own']);

export const ZCreateClientRequest = z.strictObject({
  name: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  ticketVisibility: ZClientVisibility.optional(),
});
export type TCreateClientRequest = z.input<typeof ZCreateClientRequest>;

export const ZCreateContactRequest = z.strictObject({
  email: z.string().max(320),
  name: z.string().trim().min(1, { error: 'is required' }).max(200, { error: 'must be at most 200 characters' }),
  phone: z.string().trim().max(40).nullable().optional(),
});
export type TCreateContactRequest = z.input<typeof ZCreateContactRequest>;

import { z } from 'zod';

/** What `POST /api/inbound/email` answers (202): how many recipients stored the message, and how many already had it. */
export const ZInboundWebhookResult = z.object({
  /** Reply addresses the message was stored for (each is processed by the worker). */
  accepted: z.number().int(),
  /** Reply addresses that already had this Message-ID (a second delivery, a replay): not stored again. */
  duplicates: z.number().int(),
});
export type TInboundWebhookResult = z.infer<typeof ZInboundWebhookResult>;

import { z } from 'zod';

/** One message held in quarantine, as the team reviews it (allow-listed: never the raw MIME or its HTML). */
export const ZQuarantinedMessage = z.object({
  id: z.string(),
  /** The From address the message claimed, or null when it had none (or several). */
  from: z.string().nullable(),
  subject: z.string().nullable(),
  /** ISO-8601 UTC: when a door accepted it. */
  receivedAt: z.string(),
  /** Why it was held, in words for the team. */
  reason: z.string().nullable(),
  ticket: z.object({ id: z.string(), number: z.number().int(), title: z.string() }),
  /** The start of its new text (quoted history and signature removed), as plain text. */
  preview: z.string().nullable(),
});
export type TQuarantinedMessage = z.infer<typeof ZQuarantinedMessage>;

/** GET /api/team/inbound/quarantine */
export const ZQuarantineList = z.object({ messages: z.array(ZQuarantinedMessage) });
export type TQuarantineList = z.infer<typeof ZQuarantineList>;

export const ZQuarantineParams = z.strictObject({ id: z.string().min(1).max(100) });

/** POST …/release and …/discard: what became of it (`released` names the posted message). */
export const ZQuarantineDecision = z.object({
  status: z.enum(['released', 'discarded']),
  postedMessageId: z.string().nullable(),
});
export type TQuarantineDecision = z.infer<typeof ZQuarantineDecision>;

import type { QuarantineEntry } from './team-inbound.service.js';
import type { TQuarantinedMessage } from './team-inbound.schemas.js';

/** A quarantined message as the team app sees it: what it claimed, why it was held, its ticket, a text preview. */
export function presentQuarantined(entry: QuarantineEntry): TQuarantinedMessage {
  const { message, ticket } = entry;
  return {
    id: message.id,
    from: message.summary.fromAddress,
    subject: message.summary.subject,
    receivedAt: message.createdAt.toISOString(),
    reason: message.reason,
    ticket: { id: ticket.id, number: ticket.number, title: ticket.title },
    preview: message.summary.preview,
  };
}

import { canQuote, quoteNumberText } from './quote.domain.js';
import type { QuoteVersion } from './quote.repository.js';
import type { TQuoteLine } from './quote.schemas.js';
import type { TTeamQuoteDetail, TTeamQuoteRow } from './team-quote.schemas.js';
import type { TeamQuoteRow, TeamQuoteView } from './team-quote.service.js';

/** What the team app is shown of quotes: an allow-list, times as ISO strings. */

const iso = (date: Date | null) => (date ? date.toISOString() : null);

export function presentTeamQuoteRow({ quote, client, ticket }: TeamQuoteRow): TTeamQuoteRow {
  return {
    id: quote.id,
    number: quoteNumberText(quote.number),
    title: quote.title,
    status: quote.status,
    version: quote.currentVersion,
    client: { id: quote.clientId, name: client?.name ?? '' },
    ticket: ticket ? { id: ticket.id, number: ticket.number, title: ticket.title } : null,
    total: { amount: quote.total, currency: quote.currency },
    validUntil: quote.validUntil,
    requiresSignature: quote.requiresSignature,
    sentAt: iso(quote.sentAt),
    decidedAt: iso(quote.decidedAt),
    createdAt: quote.createdAt.toISOString(),
    updatedAt: quote.updatedAt.toISOString(),
  };
}

/** The lines, discount and totals of a version, as both audiences see them. */
export function presentQuoteContent(version: QuoteVersion, currency: string) {
  return {
    lines: version.lines.map((line): TQuoteLine => ({
      description: line.description,
      quantity: line.quantity,
      unitPrice: line.unitPrice,
      taxRatePercent: line.taxRatePercent,
      net: line.net,
      discount: line.discount,
      tax: line.tax,
    })),
    discount: version.discount,
    totals: { currency, subtotal: version.subtotal, discount: version.discountAmount, tax: version.tax, total: version.total },
    terms: version.terms,
  };
}

export function presentTeamQuoteDetail(view: TeamQuoteView): TTeamQuoteDetail {
  const { quote, names, acceptance } = view;
  const contactName = (id: string | null) => (id ? (names.contacts.get(id)?.name ?? 'A former contact') : null);
  const nameOf = (actor: { kind: string; id: string | null }) =>
    actor.kind === 'contact'
      ? contactName(actor.id)
      : actor.kind === 'team_member' && actor.id
        ? (names.members.get(actor.id) ?? 'A former member')
        : null;
  const acceptedBy = acceptance ? names.contacts.get(acceptance.contactId) : undefined;
  return {
    quote: {
      ...presentTeamQuoteRow(view),
      ...presentQuoteContent(view.version, quote.currency),
      recipients: view.recipients.map((c) => ({ contactId: c.id, name: c.name, email: c.email })),
      firstViewed: quote.firstViewedAt
        ? { at: quote.firstViewedAt.toISOString(), by: contactName(quote.firstViewedByContactId) ?? '' }
        : null,
    },
    versions: view.versions.map((v) => ({
      version: v.version,
      createdAt: v.createdAt.toISOString(),
      createdBy: v.createdByMemberId ? (names.members.get(v.createdByMemberId) ?? null) : null,
      total: { amount: v.total, currency: quote.currency },
      contentSha256: v.contentSha256,
      current: v.version === quote.currentVersion,
    })),
    acceptance: acceptance
      ? {
          version: acceptance.version,
          signerName: acceptance.signerName,
          contact: { id: acceptance.contactId, name: acceptedBy?.name ?? 'A former contact', email: acceptedBy?.email ?? '' },
          acceptedAt: acceptance.acceptedAt.toISOString(),
          ip: acceptance.ip,
          userAgent: acceptance.userAgent,
          contentSha256: acceptance.contentSha256,
          signature: acceptance.signatureKind,
        }
      : null,
    decline:
      quote.status === 'declined' && quote.decidedAt
        ? { by: contactName(quote.decidedByContactId) ?? '', at: quote.decidedAt.toISOString(), reason: quote.declineReason }
        : null,
    events: view.events.map((e) => ({ at: e.at.toISOString(), kind: e.kind, by: nameOf(e.actor), version: e.version, detail: e.detail })),
    can: {
      edit: canQuote('edit', quote.status) || canQuote('revise', quote.status),
      send: canQuote('send', quote.status),
      withdraw: canQuote('withdraw', quote.status),
      duplicate: true,
    },
  };
}

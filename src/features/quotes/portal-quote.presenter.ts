import { canQuote, quoteNumberText } from './quote.domain.js';
import type { TPortalQuoteDetail, TPortalQuoteSummary } from './portal-quote.schemas.js';
import type { PortalQuoteRow, PortalQuoteView } from './portal-quote.service.js';
import { presentQuoteContent } from './team-quote.presenter.js';

/** What a customer is shown of a quote: never a draft, never who else saw it, never the team's names. */

export function presentPortalQuoteSummary({ quote, ticket }: PortalQuoteRow): TPortalQuoteSummary {
  return {
    id: quote.id,
    number: quoteNumberText(quote.number),
    title: quote.title,
    status: quote.status,
    version: quote.currentVersion,
    total: { amount: quote.total, currency: quote.currency },
    validUntil: quote.validUntil,
    requiresSignature: quote.requiresSignature,
    sentAt: quote.sentAt ? quote.sentAt.toISOString() : null,
    ticket,
  };
}

export function presentPortalQuoteDetail(view: PortalQuoteView, org: { locale: string; timeZone: string }): TPortalQuoteDetail {
  const { quote, acceptance } = view;
  const open = canQuote('accept', quote.status);
  return {
    quote: {
      ...presentPortalQuoteSummary(view),
      clientName: view.clientName,
      ...presentQuoteContent(view.version, quote.currency),
      locale: org.locale,
      timeZone: org.timeZone,
    },
    acceptance: acceptance
      ? {
          version: acceptance.version,
          signerName: acceptance.signerName,
          acceptedAt: acceptance.acceptedAt.toISOString(),
          contentSha256: acceptance.contentSha256,
        }
      : null,
    decline: quote.status === 'declined' && quote.decidedAt ? { at: quote.decidedAt.toISOString(), reason: quote.declineReason } : null,
    can: { accept: open, decline: open, requestChanges: open },
  };
}

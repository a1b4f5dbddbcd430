import { Link, useLocation, useParams } from 'react-router';
import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { LiveStatus } from '../../shared/form-controls.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { LoadErrorCard, MessageCard } from '../../shared/states.js';
import { useOrganisationFormats } from '../team-bootstrap.js';
import { QuoteForm, type QuoteFormMode, type QuoteFormValues } from './quote-form.js';
import { emptyLine, lineDraftOf, decimalInputOf, type DiscountDraft } from './quote-lines.js';
import { dateIn, minorUnitsOf } from '../../../features/quotes/quote.schemas.js';
import { formatMoneyInput } from '../lib/money-input.js';
import { useQuote, useQuoteSettings } from './use-quotes.js';

const ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

function Loading({ title, status }: { title: string; status: string }) {
  return (
    <div className="page page--quote-editor" aria-busy="true">
      <div className="page-head">
        <PageHeading>{title}</PageHeading>
      </div>
      <span className="skeleton skeleton--block" />
      <LiveStatus>{status}</LiveStatus>
    </div>
  );
}

/**
 * `/app/quotes/new?clientId=&ticketId=`: a new draft, for the client (and ticket) it was opened
 * from, with the organisation's default terms and valid for 30 days.
 */
export function NewQuotePage() {
  usePageTitle('New quote');
  const { currency, timeZone } = useOrganisationFormats();
  const location = useLocation();
  const search = new URLSearchParams(location.search);
  const clientId = search.get('clientId') ?? '';
  const ticketId = search.get('ticketId') ?? '';
  const settings = useQuoteSettings();
  if (settings.isPending) return <Loading title="New quote" status="Loading the default terms…" />;
  const initial: QuoteFormValues = {
    clientId: ID_PATTERN.test(clientId) ? clientId : '',
    clientName: null,
    ticketId: ID_PATTERN.test(clientId) && ID_PATTERN.test(ticketId) ? ticketId : '',
    ticketText: null,
    title: '',
    lines: [emptyLine()],
    discount: { kind: 'none' },
    validUntil: dateIn(timeZone, new Date(), 30),
    // Without the settings (a network hiccup) the quote starts with no terms; the server would add none either way.
    terms: settings.data?.defaultTerms ?? '',
    requiresSignature: false,
    recipientContactIds: [],
  };
  return (
    <div className="page page--quote-editor">
      <Link className="back-link" to="/quotes">
        <span aria-hidden="true">←</span> Quotes
      </Link>
      <div className="page-head">
        <PageHeading>New quote</PageHeading>
      </div>
      {/* Another "New quote" link (another client or ticket) starts a fresh form. */}
      <QuoteForm key={location.key} mode={{ kind: 'new' }} initial={initial} currency={currency} />
    </div>
  );
}

/** `/app/quotes/:id/edit`: a draft changes in place; a sent quote (or one with changes requested) gets a new version. */
export function EditQuotePage() {
  const { id = '' } = useParams();
  const quote = useQuote(id);
  usePageTitle(quote.data ? `Edit ${quote.data.quote.number}` : 'Edit quote');
  if (quote.data) return <EditQuoteView key={`${id}-${quote.data.quote.version}`} detail={quote.data} />;
  if (quote.isError) {
    if (quote.error instanceof ApiError && quote.error.status === 404) return <QuoteMissing />;
    return <LoadErrorCard message={messageOf(quote.error)} isRetrying={quote.isFetching} onRetry={() => void quote.refetch()} />;
  }
  return <Loading title="Edit quote" status="Loading the quote…" />;
}

function EditQuoteView({ detail }: { detail: TTeamQuoteDetail }) {
  const { locale } = useOrganisationFormats();
  const { quote, can } = detail;
  const back = `/quotes/${encodeURIComponent(quote.id)}`;
  if (!can.edit) {
    return (
      <MessageCard
        id="quote-locked-title"
        pageTitle={`${quote.number} cannot be changed`}
        title={`${quote.number} cannot be changed`}
        text="Accepted, declined, expired and withdrawn quotes stay as they were. Duplicate it to start a new one."
        actions={
          <Link className="button button--primary button--inline" to={back}>
            Back to the quote
          </Link>
        }
      />
    );
  }
  const money = { currency: quote.total.currency, locale };
  const mode: QuoteFormMode =
    quote.status === 'draft'
      ? { kind: 'draft', id: quote.id, number: quote.number }
      : { kind: 'revise', id: quote.id, number: quote.number, version: quote.version };
  const discount: DiscountDraft =
    quote.discount === null
      ? { kind: 'none' }
      : quote.discount.kind === 'amount'
        ? { kind: 'amount', text: formatMoneyInput(quote.discount.amount, money.currency, locale, minorUnitsOf(money.currency)) }
        : { kind: 'percent', text: decimalInputOf(quote.discount.percent, locale) };
  const initial: QuoteFormValues = {
    clientId: quote.client.id,
    clientName: quote.client.name,
    ticketId: quote.ticket?.id ?? '',
    ticketText: quote.ticket ? `#${quote.ticket.number} ${quote.ticket.title}` : null,
    title: quote.title,
    lines: quote.lines.map((line) => lineDraftOf(line, money)),
    discount,
    validUntil: quote.validUntil ?? '',
    terms: quote.terms,
    requiresSignature: quote.requiresSignature,
    recipientContactIds: quote.recipients.map((recipient) => recipient.contactId),
  };
  return (
    <div className="page page--quote-editor">
      <Link className="back-link" to={back}>
        <span aria-hidden="true">←</span> {quote.number}
      </Link>
      <div className="page-head">
        <PageHeading>
          Edit {quote.number}
          {mode.kind === 'revise' ? <span className="muted quote-head__version"> v{quote.version}</span> : null}
        </PageHeading>
      </div>
      <QuoteForm mode={mode} initial={initial} currency={money.currency} />
    </div>
  );
}

export function QuoteMissing() {
  return (
    <MessageCard
      id="quote-missing-title"
      pageTitle="Quote not found"
      title="Quote not found"
      text="This quote does not exist in this organisation."
      actions={
        <Link className="button button--primary button--inline" to="/quotes">
          All quotes
        </Link>
      }
    />
  );
}

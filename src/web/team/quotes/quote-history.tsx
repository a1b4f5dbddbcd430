import type { TTeamQuoteDetail } from '../../../features/quotes/team-quote.schemas.js';
import { RelativeTime, ZonedDateTime } from '../../shared/formatted.js';
import { useQuoteFormat } from './use-quote-format.js';

type QuoteEvent = TTeamQuoteDetail['events'][number];

const EVENT_TEXT: Readonly<Record<string, string>> = {
  created: 'created it',
  edited: 'edited it',
  sent: 'sent it',
  revised: 'sent a new version',
  viewed: 'viewed it for the first time',
  accepted: 'accepted it',
  declined: 'declined it',
  changes_requested: 'asked for changes',
  withdrawn: 'withdrew it',
  expired: 'It expired',
  duplicated: 'duplicated it',
};

function eventText(event: QuoteEvent): string {
  const what = EVENT_TEXT[event.kind] ?? event.kind.replace(/_/g, ' ');
  if (event.kind === 'expired') return what;
  return event.by ? `${event.by} ${what}` : `${what.charAt(0).toUpperCase()}${what.slice(1)}`;
}

/** Every version with its total and content hash, the current one marked. */
export function QuoteVersions({ versions }: { versions: TTeamQuoteDetail['versions'] }) {
  const format = useQuoteFormat();
  return (
    <section className="side-card" aria-labelledby="quote-versions-title">
      <h2 className="section-title" id="quote-versions-title">
        Versions
      </h2>
      <ol className="quote-versions" reversed>
        {[...versions]
          .sort((a, b) => b.version - a.version)
          .map((version) => (
            <li key={version.version} className={version.current ? 'quote-version quote-version--current' : 'quote-version'}>
              <p className="quote-version__head">
                <strong>v{version.version}</strong>
                {version.current ? <span className="status-pill status-pill--on">Current</span> : null}
                <span className="money quote-version__total">{format.money(version.total.amount, version.total.currency)}</span>
              </p>
              <p className="muted quote-version__meta">
                <ZonedDateTime iso={version.createdAt} />
                {version.createdBy ? ` · ${version.createdBy}` : ''}
              </p>
              <p className="muted quote-version__hash">
                <span className="visually-hidden">Content hash </span>
                <code title={version.contentSha256}>{version.contentSha256.slice(0, 12)}…</code>
              </p>
            </li>
          ))}
      </ol>
    </section>
  );
}

/** Newest first, whatever order they come in; events of the same moment keep their order reversed. */
function newestFirst(events: readonly QuoteEvent[]): { event: QuoteEvent; index: number }[] {
  return events
    .map((event, index) => ({ event, index }))
    .sort((a, b) => (a.event.at === b.event.at ? b.index - a.index : a.event.at < b.event.at ? 1 : -1));
}

/** What happened to the quote, newest first. */
export function QuoteActivity({ events, now }: { events: TTeamQuoteDetail['events']; now: Date }) {
  return (
    <section className="side-card" aria-labelledby="quote-activity-title">
      <h2 className="section-title" id="quote-activity-title">
        Activity
      </h2>
      {events.length === 0 ? (
        <p className="muted">Nothing yet.</p>
      ) : (
        <ol className="quote-activity">
          {newestFirst(events).map(({ event, index }) => (
            <li key={index} className="quote-activity__item">
              <p className="quote-activity__text">
                {eventText(event)}
                <span className="muted"> · v{event.version}</span>
              </p>
              {event.detail ? <q className="quote-activity__detail">{event.detail}</q> : null}
              <p className="muted quote-activity__time">
                <RelativeTime iso={event.at} now={now} />
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

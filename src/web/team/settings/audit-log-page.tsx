import type { TAuditEntry } from '../../../features/audit/team-audit.schemas.js';
import { ApiError, messageOf } from '../../shared/api-client.js';
import { ZonedDateTime } from '../../shared/formatted.js';
import { PageHeading, usePageTitle } from '../../shared/page-heading.js';
import { useAuditLog } from './use-settings.js';

/** "settings.organisation.updated" → "Settings organisation updated": readable without a glossary. */
function actionName(action: string): string {
  const words = action.replace(/[._]/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** What changed, from `{ changes: { field: { from, to } } }`; other data as compact JSON. */
function describeData(data: TAuditEntry['data']): string {
  if (!data) return '';
  const changes = data.changes;
  if (changes && typeof changes === 'object') {
    return Object.entries(changes as Record<string, { from?: unknown; to?: unknown }>)
      .map(([field, change]) => `${field}: ${String(change?.from ?? '—')} → ${String(change?.to ?? '—')}`)
      .join('; ');
  }
  // Hashes identify a token to the server only; they mean nothing to a reader.
  return Object.entries(data)
    .filter(([key]) => !/hash$/i.test(key))
    .map(([key, value]) => `${key}: ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
    .join(', ');
}

/** `/app/settings/audit` (owners): settings changes, sign-ins, role changes — newest first. */
export function AuditLogPage() {
  usePageTitle('Audit log');
  const log = useAuditLog();
  const entries = log.data?.pages.flatMap((page) => page.entries) ?? [];
  if (log.isError && log.error instanceof ApiError && log.error.status === 403) {
    return (
      <div className="settings-section">
        <PageHeading>Audit log</PageHeading>
        <p className="card">Only owners can read the audit log.</p>
      </div>
    );
  }
  return (
    <div className="settings-section">
      <PageHeading>Audit log</PageHeading>
      <div className="inbox-body">
        {log.isError ? (
          <p className="notice notice--error" role="alert">
            {messageOf(log.error)}
          </p>
        ) : log.isPending ? (
          <span className="skeleton skeleton--block" />
        ) : (
          <table className="inbox-table data-table audit-table">
            <caption className="visually-hidden">Audit log, newest first</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">Who</th>
                <th scope="col">What</th>
                <th scope="col">Details</th>
              </tr>
            </thead>
            <tbody>
              {entries.map((entry) => (
                <tr key={entry.id}>
                  <td className="audit-table__when">
                    <ZonedDateTime iso={entry.at} />
                  </td>
                  <td className="audit-table__who">
                    {entry.actor.name ??
                      (entry.actor.kind === 'system' ? 'Servelo' : entry.actor.kind === 'operator' ? 'Operator' : 'Someone')}
                  </td>
                  <td>{actionName(entry.action)}</td>
                  <td className="audit-table__details">
                    {entry.summary ?? describeData(entry.data)}
                    {entry.ip ? <span className="muted"> · {entry.ip}</span> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {log.hasNextPage ? (
          <div className="load-more">
            <button type="button" className="button button--secondary button--inline" onClick={() => void log.fetchNextPage()}>
              {log.isFetchingNextPage ? 'Loading…' : 'Load older entries'}
            </button>
          </div>
        ) : null}
      </div>
    </div>
  );
}

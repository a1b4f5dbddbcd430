import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useSearchParams } from 'react-router';
import type { TOperatorAuditPage } from '../../features/operator/operator-tenant.schemas.js';
import { messageOf } from '../shared/api-client.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';

const ACTOR_LABELS: Record<string, string> = { operator: 'Operator', team_member: 'Team member', contact: 'Customer', system: 'System' };

/** `/operator/audit[?tenant=id]`: what happened across the installation (or in one organisation), newest first. */
export function AuditPage() {
  const [params] = useSearchParams();
  const tenantId = params.get('tenant') ?? '';
  const log = useInfiniteQuery({
    queryKey: ['operator-audit', tenantId],
    queryFn: ({ pageParam, signal }) => {
      const query = new URLSearchParams();
      if (tenantId) query.set('tenantId', tenantId);
      if (pageParam) query.set('before', pageParam);
      const text = query.toString();
      return operatorApi.get<TOperatorAuditPage>(`audit${text ? `?${text}` : ''}`, signal);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const events = log.data?.pages.flatMap((page) => page.events) ?? [];
  const tenantName = tenantId ? (events.find((e) => e.tenantName)?.tenantName ?? 'this organisation') : null;
  const title = tenantName ? `Audit log of ${tenantName}` : 'Audit log';
  usePageTitle(title);

  return (
    <div className="page page--clients">
      {tenantId ? (
        <p className="operator-back">
          <Link to={`/tenants/${encodeURIComponent(tenantId)}`}>← Back to the organisation</Link>
        </p>
      ) : null}
      <PageHeading>{title}</PageHeading>
      {log.isPending ? (
        <p className="muted">Loading…</p>
      ) : log.isError ? (
        <p className="notice notice--error" role="alert">
          {messageOf(log.error)}
        </p>
      ) : events.length === 0 ? (
        <p className="muted">Nothing recorded yet.</p>
      ) : (
        <div className="inbox-body">
          <table className="inbox-table data-table operator-tenants">
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">When</th>
                <th scope="col">What</th>
                <th scope="col">Who</th>
                <th scope="col">Organisation</th>
                <th scope="col">Address</th>
              </tr>
            </thead>
            <tbody>
              {events.map((event) => (
                <tr key={event.id}>
                  <td className="operator-tenants__name">
                    {new Date(event.createdAt).toLocaleString()}
                    {event.occurrences > 1 ? <span className="operator-tenants__slug">{event.occurrences} times</span> : null}
                  </td>
                  <td data-label="What">
                    <code>{event.action}</code>
                  </td>
                  <td data-label="Who">{ACTOR_LABELS[event.actor.kind] ?? event.actor.kind}</td>
                  <td data-label="Organisation">
                    {event.tenantId ? (
                      <Link to={`/tenants/${encodeURIComponent(event.tenantId)}`}>{event.tenantName ?? event.tenantId}</Link>
                    ) : (
                      <span className="muted">Installation</span>
                    )}
                  </td>
                  <td data-label="Address">{event.ip ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {log.hasNextPage ? (
        <div className="load-more">
          <button type="button" className="button button--secondary button--inline" onClick={() => void log.fetchNextPage()}>
            {log.isFetchingNextPage ? 'Loading…' : 'Show older'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import type { TOperatorTenantList } from '../../features/operator/operator-tenant.schemas.js';
import { messageOf } from '../shared/api-client.js';
import { PageHeading, usePageTitle } from '../shared/page-heading.js';
import { operatorApi } from './operator-api.js';
import { formatBytes, TenantStatusBadge } from './tenant-labels.js';

/** `/operator/tenants`: every organisation, newest first, searchable by name or address, with its counts. */
export function TenantsPage() {
  usePageTitle('Organisations');
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 250);
    return () => clearTimeout(timer);
  }, [typed]);
  const list = useInfiniteQuery({
    queryKey: ['operator-tenants', search],
    queryFn: ({ pageParam, signal }) => {
      const params = new URLSearchParams();
      if (search) params.set('search', search);
      if (pageParam) params.set('after', pageParam);
      const query = params.toString();
      return operatorApi.get<TOperatorTenantList>(`tenants${query ? `?${query}` : ''}`, signal);
    },
    initialPageParam: '',
    getNextPageParam: (last) => last.next ?? undefined,
  });
  const tenants = list.data?.pages.flatMap((page) => page.tenants) ?? [];

  return (
    <div className="page page--clients">
      <div className="page-head">
        <PageHeading>Organisations</PageHeading>
        <div className="page-head__actions">
          <Link className="button button--primary button--inline" to="/tenants/new">
            New organisation
          </Link>
        </div>
      </div>
      <div className="filter-bar" role="search">
        <div className="filter-bar__search">
          <label className="visually-hidden" htmlFor="tenant-search">
            Search organisations
          </label>
          <input
            id="tenant-search"
            className="field__input"
            type="search"
            placeholder="Search by name or address"
            value={typed}
            onChange={(event) => setTyped(event.target.value)}
          />
        </div>
      </div>
      {list.isPending ? (
        <p className="muted">Loading…</p>
      ) : list.isError ? (
        <p className="notice notice--error" role="alert">
          {messageOf(list.error)}
        </p>
      ) : tenants.length === 0 ? (
        <p className="muted" role="status">
          {search ? `No organisation matches “${search}”.` : 'No organisations yet.'}
        </p>
      ) : (
        <div className="inbox-body">
          <table className="inbox-table data-table operator-tenants">
            <caption className="visually-hidden">Organisations</caption>
            <thead>
              <tr>
                <th scope="col">Organisation</th>
                <th scope="col">Status</th>
                <th scope="col" className="numeric">
                  Tickets
                </th>
                <th scope="col" className="numeric">
                  Contacts
                </th>
                <th scope="col" className="numeric">
                  Storage
                </th>
                <th scope="col">Custom domain</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {tenants.map((tenant) => (
                <tr key={tenant.id}>
                  <td className="operator-tenants__name">
                    <Link className="data-table__link" to={`/tenants/${encodeURIComponent(tenant.id)}`}>
                      {tenant.name}
                    </Link>
                    <span className="operator-tenants__slug">{tenant.portalPath}</span>
                  </td>
                  <td data-label="Status">
                    <TenantStatusBadge status={tenant.status} />
                  </td>
                  <td className="numeric" data-label="Tickets">
                    {tenant.counts.tickets}
                  </td>
                  <td className="numeric" data-label="Contacts">
                    {tenant.counts.contacts}
                  </td>
                  <td className="numeric" data-label="Storage">
                    {formatBytes(tenant.counts.storageBytes)}
                  </td>
                  <td data-label="Custom domain">
                    {tenant.domain ? `${tenant.domain.host} (${tenant.domain.status.replace('_', ' ')})` : <span className="muted">—</span>}
                  </td>
                  <td data-label="Created">{new Date(tenant.createdAt).toLocaleDateString()}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {list.hasNextPage ? (
        <div className="load-more">
          <button type="button" className="button button--secondary button--inline" onClick={() => void list.fetchNextPage()}>
            {list.isFetchingNextPage ? 'Loading…' : 'Show more'}
          </button>
        </div>
      ) : null}
    </div>
  );
}

import { useEffect, useRef, useState } from 'react';
import { Link } from 'react-router';
import type { TTeamMember } from '../../../features/team/team.schemas.js';
import type { TTeamStatusCounts } from '../../../features/tickets/team-ticket.schemas.js';
import { ClientCombobox } from '../clients/client-combobox.js';
import { useClient } from '../clients/use-clients.js';
import { PRIORITY_LABELS, TEAM_STATUS_LABELS } from '../../shared/ticket-labels.js';
import {
  DEFAULT_FILTERS,
  isNarrowed,
  PRIORITIES,
  searchFromFilters,
  STATUSES,
  type InboxFilters,
  type StatusFilter,
} from './inbox-filters.js';

const TABS: readonly { value: StatusFilter; label: string }[] = [
  { value: 'not_closed', label: 'Not closed' },
  ...STATUSES.map((status) => ({ value: status, label: TEAM_STATUS_LABELS[status] })),
  { value: 'all', label: 'All' },
];

function countOf(counts: TTeamStatusCounts | null | undefined, value: StatusFilter): number | null {
  if (!counts) return null;
  if (value === 'all') return STATUSES.reduce((sum, s) => sum + counts[s], 0);
  if (value === 'not_closed') return STATUSES.filter((s) => s !== 'closed').reduce((sum, s) => sum + counts[s], 0);
  return counts[value];
}

/**
 * The status tabs with their counts (for the other filters as they are), as links: each view is
 * its own URL and Back returns to it.
 */
export function StatusTabs({
  filters,
  counts,
  locale,
}: {
  filters: InboxFilters;
  counts: TTeamStatusCounts | null | undefined;
  locale: string;
}) {
  return (
    <nav className="status-tabs" aria-label="Ticket status">
      <ul className="status-tabs__list">
        {TABS.map((tab) => {
          const count = countOf(counts, tab.value);
          const isCurrent = filters.status === tab.value;
          return (
            <li key={tab.value}>
              <Link
                className="status-tabs__tab"
                to={{ pathname: '/', search: searchFromFilters({ ...filters, status: tab.value }) }}
                aria-current={isCurrent ? 'page' : undefined}
              >
                {tab.label}
                {count !== null ? <span className="status-tabs__count">{count.toLocaleString(locale)}</span> : null}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/**
 * Search, priority, assignee, client, "awaiting reply" and sort. Search waits for a pause in
 * typing and replaces the history entry (no entry per keystroke); the others push a new one.
 */
export function FilterBar({
  filters,
  members,
  onChange,
  searchRef,
}: {
  filters: InboxFilters;
  members: readonly TTeamMember[];
  onChange: (next: InboxFilters, options?: { replace?: boolean }) => void;
  searchRef: React.RefObject<HTMLInputElement | null>;
}) {
  const [text, setText] = useState(filters.q);
  const latest = useRef(filters);
  latest.current = filters;
  // The URL changed under the box (Back, a tab link): show what the list is filtered by.
  useEffect(() => setText(filters.q), [filters.q]);
  useEffect(() => {
    if (text.trim() === latest.current.q.trim()) return;
    const timer = window.setTimeout(() => onChange({ ...latest.current, q: text }, { replace: true }), 250);
    return () => window.clearTimeout(timer);
  }, [text, onChange]);
  const client = useClient(filters.clientId, { enabled: filters.clientId !== '' });
  const activeMembers = members.filter((m) => m.status === 'active');

  return (
    <div className="filter-bar" role="search" aria-label="Filter tickets">
      <div className="filter-bar__search">
        <label className="visually-hidden" htmlFor="inbox-search">
          Search tickets
        </label>
        <input
          ref={searchRef}
          id="inbox-search"
          className="field__input"
          type="search"
          placeholder="Search: #number, title, customer, client  ( / )"
          value={text}
          onChange={(event) => setText(event.target.value)}
          onKeyDown={(event) => {
            // Escape clears the search, and a second Escape leaves the box so j/k move through the list again.
            if (event.key === 'Escape') {
              event.stopPropagation();
              if (text) setText('');
              else event.currentTarget.blur();
            }
          }}
        />
      </div>
      <FilterSelect label="Priority" value={filters.priority} onChange={(priority) => onChange({ ...filters, priority })}>
        <option value="">Any priority</option>
        <option value="high,urgent">High and urgent</option>
        {PRIORITIES.map((p) => (
          <option key={p} value={p}>
            {PRIORITY_LABELS[p]}
          </option>
        ))}
      </FilterSelect>
      <FilterSelect label="Assignee" value={filters.assignee} onChange={(assignee) => onChange({ ...filters, assignee })}>
        <option value="">Anyone</option>
        <option value="me">Assigned to me</option>
        <option value="unassigned">Unassigned</option>
        {activeMembers.map((member) => (
          <option key={member.id} value={member.id}>
            {member.name}
          </option>
        ))}
        {filters.assignee && !['me', 'unassigned'].includes(filters.assignee) && !activeMembers.some((m) => m.id === filters.assignee) ? (
          <option value={filters.assignee}>{members.find((m) => m.id === filters.assignee)?.name ?? 'Someone else'}</option>
        ) : null}
      </FilterSelect>
      {filters.clientId ? (
        <p className="chip">
          <span className="chip__label">Client:</span> {client.data?.client.name ?? '…'}
          <button
            type="button"
            className="chip__remove"
            aria-label={`Remove the client filter${client.data ? ` (${client.data.client.name})` : ''}`}
            onClick={() => onChange({ ...filters, clientId: '' })}
          >
            <span aria-hidden="true">×</span>
          </button>
        </p>
      ) : (
        <div className="filter-bar__client">
          <ClientCombobox
            label="Client"
            hideLabel
            placeholder="Client…"
            onChoose={(chosen) => onChange({ ...filters, clientId: chosen.id })}
          />
        </div>
      )}
      <label className="toggle">
        <input type="checkbox" checked={filters.awaiting} onChange={(event) => onChange({ ...filters, awaiting: event.target.checked })} />
        Awaiting our reply
      </label>
      <FilterSelect
        label="Sort"
        className="filter-bar__sort"
        value={filters.sort}
        onChange={(sort) => onChange({ ...filters, sort: sort as InboxFilters['sort'] })}
      >
        <option value="activity">By activity</option>
        <option value="created">Newest first</option>
        <option value="priority">By priority</option>
        <option value="scheduled">Visit soonest</option>
      </FilterSelect>
      {isNarrowed(filters) ? (
        <button
          type="button"
          className="button button--quiet button--small button--inline"
          onClick={() => onChange({ ...DEFAULT_FILTERS, status: filters.status, sort: filters.sort })}
        >
          Clear filters
        </button>
      ) : null}
    </div>
  );
}

function FilterSelect({
  label,
  value,
  onChange,
  children,
  className = '',
}: {
  label: string;
  value: string;
  onChange: (value: string) => void;
  children: React.ReactNode;
  className?: string;
}) {
  return (
    <label className={className ? `filter-select ${className}` : 'filter-select'}>
      <span className="visually-hidden">{label}</span>
      <select className="field__input field__input--select" value={value} onChange={(event) => onChange(event.target.value)}>
        {children}
      </select>
    </label>
  );
}

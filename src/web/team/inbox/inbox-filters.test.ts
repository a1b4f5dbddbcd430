import { describe, expect, it } from 'vitest';
import { apiQueryOf, DEFAULT_FILTERS, filtersFromSearch, isNarrowed, searchFromFilters } from './inbox-filters.js';

describe('inbox filters in the URL', () => {
  it('reads the URL and writes it back without the defaults', () => {
    expect(filtersFromSearch(new URLSearchParams(''))).toEqual(DEFAULT_FILTERS);
    expect(searchFromFilters(DEFAULT_FILTERS)).toBe('');
    const search = '?status=new&priority=high%2Curgent&assignee=me&client=c_123&awaiting=customer&q=leaking+tap&sort=priority';
    const filters = filtersFromSearch(new URLSearchParams(search));
    expect(filters).toEqual({
      status: 'new',
      priority: 'high,urgent',
      assignee: 'me',
      clientId: 'c_123',
      awaiting: true,
      q: 'leaking tap',
      sort: 'priority',
    });
    expect(searchFromFilters(filters)).toBe(search);
    expect(isNarrowed(filters)).toBe(true);
    expect(isNarrowed({ ...DEFAULT_FILTERS, status: 'closed', sort: 'created' })).toBe(false);
  });

  it('ignores what it does not know instead of failing', () => {
    const filters = filtersFromSearch(new URLSearchParams('status=nope&priority=extreme&assignee=a%20b&sort=random&awaiting=yes'));
    expect(filters).toEqual(DEFAULT_FILTERS);
  });

  it('asks the API with its own parameter names', () => {
    const query = apiQueryOf({ ...DEFAULT_FILTERS, assignee: 'unassigned', clientId: 'c1', awaiting: true, q: ' #42 ' }, 'next-page', 25);
    expect(Object.fromEntries(new URLSearchParams(query))).toEqual({
      status: 'not_closed',
      sort: 'activity',
      limit: '25',
      assigneeId: 'unassigned',
      clientId: 'c1',
      awaiting: 'customer',
      q: '#42',
      cursor: 'next-page',
    });
  });
});

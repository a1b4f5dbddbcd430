import { describe, expect, it } from 'vitest';
import { countOf, QUOTE_STATUS_FILTERS, statusFilterFrom } from './quote-filters.js';

describe('quote list filters', () => {
  it('reads the status from the URL, and anything unknown as all', () => {
    expect(statusFilterFrom('?status=sent')).toBe('sent');
    expect(statusFilterFrom('?status=changes_requested')).toBe('changes_requested');
    expect(statusFilterFrom('?status=open')).toBe('open');
    expect(statusFilterFrom('?status=closed')).toBe('all');
    expect(statusFilterFrom('')).toBe('all');
    expect(QUOTE_STATUS_FILTERS.slice(0, 3)).toEqual(['all', 'open', 'draft']);
  });

  it('counts a tab from the server’s counts, adding up all and open when they are not given', () => {
    const counts = { draft: 2, sent: 3, changes_requested: 1, accepted: 4, declined: 1, expired: 0, withdrawn: 1 };
    expect(countOf(counts, 'sent')).toBe(3);
    expect(countOf(counts, 'open')).toBe(6);
    expect(countOf(counts, 'all')).toBe(12);
    expect(countOf({ ...counts, all: 99, open: 7 }, 'all')).toBe(99);
    expect(countOf({ ...counts, all: 99, open: 7 }, 'open')).toBe(7);
    expect(countOf({}, 'expired')).toBe(0);
    expect(countOf(null, 'sent')).toBeNull();
  });
});

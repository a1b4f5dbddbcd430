import { describe, expect, it } from 'vitest';
import { OPEN_TICKET_STATUSES, parseTicketSearch, TICKET_STATUSES } from './ticket.domain.js';

describe('ticket words', () => {
  it('"open" means every status but closed', () => {
    expect([...OPEN_TICKET_STATUSES, 'closed'].sort()).toEqual([...TICKET_STATUSES].sort());
    expect(OPEN_TICKET_STATUSES).not.toContain('closed');
  });

  it.each([
    ['#12', { text: '#12', number: 12, numberOnly: true }],
    ['  12 ', { text: '12', number: 12, numberOnly: false }],
    ['12 Main St', { text: '12 Main St', number: null, numberOnly: false }],
    ['#12a', { text: '#12a', number: null, numberOnly: false }],
    ['#1234567890', { text: '#1234567890', number: null, numberOnly: false }],
  ])('reads %j as %j', (q, expected) => {
    expect(parseTicketSearch(q)).toEqual(expected);
  });

  it('reads a blank box as no search', () => {
    expect(parseTicketSearch('   ')).toBeNull();
    expect(parseTicketSearch(undefined)).toBeNull();
  });
});

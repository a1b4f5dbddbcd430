import { beforeAll, expect, it } from 'vitest';
import type { Ticket } from '../../src/features/tickets/ticket.service.js';
import { openTicket, createTeamTenant, type TeamTenant, signInContact } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * One meaning of a ticket search on both surfaces: `%`, `_` and `\` are searched for literally,
 * `#n` is ticket number n only, a bare `n` is that number or text containing it.
 */
describeEachDialect('ticket search in the portal and the team inbox', (getDb) => {
  const t = useTestApp(getDb);
  let tt: TeamTenant;
  let cookie: string;
  const byTitle = new Map<string, Ticket>();
  const titles = ['100% copper pipe', '1000 copper fittings', 'Pipe_fitting', 'Pipe fitting', 'Back\\slash door', 'Backslash door'];

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Plumbing' });
    for (const title of titles) {
      const ticket = await openTicket(
        t.deps,
        tt.g.tenant.id,
        { clientId: tt.g.client.id, requesterContactId: tt.g.contact.id, title, source: 'app' },
        { kind: 'contact', id: tt.g.contact.id },
      );
      byTitle.set(title, ticket);
    }
    cookie = await signInContact(new SignInDriver(t), tt.g.tenant, tt.g.contact.email);
  });

  const portalSearch = async (q: string): Promise<string[]> => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/portal/${tt.g.tenant.slug}/api/tickets?status=all&limit=50&q=${encodeURIComponent(q)}`,
      headers: { origin: TEST_ORIGIN, cookie },
    });
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{ tickets: { title: string }[] }>()
      .tickets.map((x) => x.title)
      .sort();
  };
  const teamSearch = async (q: string): Promise<string[]> => {
    const res = await tt.as.agent.get(`/api/team/tickets?status=all&limit=50&q=${encodeURIComponent(q)}`);
    expect(res.statusCode, res.body).toBe(200);
    return res
      .json<{ tickets: { title: string }[] }>()
      .tickets.map((x) => x.title)
      .sort();
  };
  const surfaces = { portal: portalSearch, team: teamSearch };

  for (const [surface, search] of Object.entries(surfaces)) {
    it(`${surface}: % _ and \\ typed in the box are matched literally`, async () => {
      expect(await search('100%')).toEqual(['100% copper pipe']);
      expect(await search('pipe_')).toEqual(['Pipe_fitting']);
      expect(await search('back\\')).toEqual(['Back\\slash door']);
      expect(await search('%')).toEqual(['100% copper pipe']);
    });

    it(`${surface}: #n is that ticket number only; a bare n is the number or text containing it`, async () => {
      const pipe = byTitle.get('100% copper pipe')!;
      const other = byTitle.get('Pipe fitting')!;
      expect(await search(`#${pipe.number}`)).toEqual(['100% copper pipe']);
      expect(await search(`#${other.number}`)).toEqual(['Pipe fitting']);
      // "100" is no ticket's number here; as text it is in two titles.
      expect(await search('100')).toEqual(['100% copper pipe', '1000 copper fittings']);
      // A bare number finds its ticket even when no title contains it.
      expect(await search(String(other.number))).toContain('Pipe fitting');
      expect(await search('#999999')).toEqual([]);
    });
  }
});

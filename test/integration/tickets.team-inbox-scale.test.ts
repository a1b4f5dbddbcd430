import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import type { TTeamTicketList } from '../../src/features/tickets/team-ticket.schemas.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import { insertTicketBatch, type SeedTicketRow } from '../../src/features/tickets/ticket.repository.js';
import { PRIORITY_RANK, TICKET_PRIORITIES, TICKET_STATUSES } from '../../src/features/tickets/ticket.domain.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import type { Dialect } from '../../src/platform/db/create-db.js';
import { newId } from '../../src/platform/ids.js';
import { QueryCounter } from '../helpers/query-counter.js';
import { explain, QueryRecorder } from '../helpers/query-plan.js';
import { buildTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant } from '../helpers/factories.js';

/**
 * The inbox with 5,000 tickets in one organisation: every sort pages through all of them without a
 * gap or a duplicate, a page costs the same number of queries as on an organisation with one
 * ticket, and the database walks an index in sort order instead of sorting.
 */
const TICKETS = 5_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');
const MINUTE = 60_000;

/** Every filter alone, and the default view. */
const FILTERS = [
  '',
  'status=all',
  'status=new,in_progress',
  'priority=urgent,high',
  'assigneeId=me',
  'assigneeId=unassigned',
  'CLIENT',
  'awaiting=customer',
  'q=leak',
  'q=%231234',
];
const SORTS = ['activity', 'created', 'priority', 'scheduled'] as const;

describeEachDialect('team inbox at scale', (getDb, dialect) => {
  const counter = new QueryCounter();
  const recorder = new QueryRecorder();
  let t: TestApp;
  let big: TeamTenant;
  let small: TeamTenant;
  let seeded: SeedTicketRow[];

  /** A repeatable spread of values. */
  const pick = <T>(list: readonly T[], i: number, salt: number): T => list[(i * 7919 + salt * 104729) % list.length]!;

  beforeAll(async () => {
    const database = getDb();
    t = await buildTestApp({ ...database, db: database.db.withPlugin(counter).withPlugin(recorder) });
    big = await createTeamTenant(t, { name: 'Big Plumbing' });
    small = await createTeamTenant(t, { name: 'Small Plumbing' });
    const tenantId = big.g.tenant.id;
    const fourth = await addTeamMember(t.deps, tenantId, { email: `fourth-${tenantId}@team.example.com`, name: 'Fourth', role: 'agent' });
    const members: (TeamMember | null)[] = [big.g.member, big.owner, big.admin, fourth, null];
    const contacts: Contact[] = [big.g.contact];
    for (let c = 0; c < 12; c++) {
      const client = await createClient(t.deps, tenantId, { name: `Client ${c}` });
      contacts.push(await addContact(t.deps, tenantId, client.id, { email: `person${c}-${tenantId}@example.com`, name: `Person ${c}` }));
    }
    seeded = [];
    for (let i = 0; i < TICKETS; i++) {
      const created = START + i * 10 * MINUTE;
      // Activity times collide on purpose (every 500 minutes), so the id tiebreaker is exercised.
      const activity = START + ((i * 37) % 500) * 10 * MINUTE;
      const contact = pick(contacts, i, 1);
      seeded.push({
        id: newId(created),
        clientId: contact.clientId,
        requesterContactId: contact.id,
        number: 1000 + i,
        title: i % 50 === 0 ? `Leaking pipe ${i}` : `Routine visit ${i}`,
        status: pick(TICKET_STATUSES, i, 2),
        priority: pick(TICKET_PRIORITIES, i, 3),
        // Scheduled times collide too (the number breaks the tie).
        scheduledAt: i % 5 === 0 ? new Date(START + ((i * 13) % 300) * 60 * MINUTE).toISOString() : null,
        charge: null,
        source: 'portal',
        now: new Date(created).toISOString(),
        assigneeId: pick(members, i, 4)?.id ?? null,
        lastActivityAt: new Date(activity).toISOString(),
        lastCustomerMessageAt: i % 3 === 0 ? null : new Date(activity).toISOString(),
        lastTeamReplyAt: i % 4 === 0 ? null : new Date(activity + (i % 2 === 0 ? -MINUTE : MINUTE)).toISOString(),
      });
    }
    await insertTicketBatch(forTenant(t.deps.db, tenantId), seeded);
    // PostgreSQL plans by statistics: gather them as autovacuum eventually would, so the plan is the one production gets.
    if (database.dialect === 'postgres') await sql`analyze ticket`.execute(database.db);
  }, 120_000);
  afterAll(async () => t.close());

  const urlOf = (tt: TeamTenant, filter: string, sort: string, extra = '') =>
    `/api/team/tickets?sort=${sort}&${filter === 'CLIENT' ? `clientId=${tt.g.client.id}` : filter}${extra}`;

  async function page(url: string): Promise<TTeamTicketList> {
    const res = await big.as.agent.get(url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TTeamTicketList>();
  }

  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const expectedOrder: Record<(typeof SORTS)[number], (a: SeedTicketRow, b: SeedTicketRow) => number> = {
    activity: (a, b) => byText(b.lastActivityAt!, a.lastActivityAt!) || byText(b.id, a.id),
    created: (a, b) => b.number - a.number,
    priority: (a, b) => PRIORITY_RANK[b.priority] - PRIORITY_RANK[a.priority] || expectedOrder.activity(a, b),
    scheduled: (a, b) =>
      a.scheduledAt && b.scheduledAt
        ? byText(a.scheduledAt, b.scheduledAt) || a.number - b.number
        : a.scheduledAt
          ? -1
          : b.scheduledAt
            ? 1
            : b.number - a.number,
  };

  for (const sort of SORTS) {
    it(`pages through all ${TICKETS} tickets by ${sort} in order, without gaps or duplicates`, async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const body: TTeamTicketList = await page(
          urlOf(big, 'status=all', sort, `&limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
        );
        seen.push(...body.tickets.map((r) => r.id));
        cursor = body.nextCursor;
      } while (cursor);
      const expected = [...seeded].sort(expectedOrder[sort]).map((r) => r.id);
      expect(seen.length).toBe(TICKETS + 1); // and the factory's own ticket, the oldest
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen.filter((id) => id !== big.g.ticket.id)).toEqual(expected);
    }, 60_000);
  }

  it('counts per status for the filters without status, on the first page only', async () => {
    const mine = seeded.filter((r) => r.assigneeId === big.g.member.id);
    const body = await page(urlOf(big, 'status=new', 'activity', '&assigneeId=me'));
    for (const status of TICKET_STATUSES) expect(body.counts?.[status]).toBe(mine.filter((r) => r.status === status).length);
    expect(body.tickets.every((r) => r.status === 'new' && r.assignee?.id === big.g.member.id)).toBe(true);
    expect((await page(urlOf(big, 'status=new', 'activity', `&assigneeId=me&cursor=${body.nextCursor}`))).counts).toBeNull();
  });

  it('runs a fixed number of queries per page, whatever the amount of data', async () => {
    for (const sort of SORTS) {
      for (const filter of FILTERS) {
        const onSmall = await counter.measure(async () =>
          expect((await small.as.agent.get(urlOf(small, filter, sort))).statusCode).toBe(200),
        );
        let cursor: string | null = null;
        // The first page (with counts) and two pages deep into the 5,000.
        for (let i = 0; i < 3; i++) {
          const url = urlOf(big, filter, sort, cursor ? `&cursor=${encodeURIComponent(cursor)}` : '');
          let body: TTeamTicketList | undefined;
          const onBig = await counter.measure(async () => {
            body = await page(url);
          });
          expect(onBig, `${sort} ${filter} page ${i + 1}`).toBeLessThanOrEqual(onSmall);
          cursor = body?.nextCursor ?? null;
          if (!cursor) break;
        }
      }
    }
  }, 120_000);

  it('counts an unsearched inbox from the ticket table alone', async () => {
    const { db } = getDb();
    for (const filter of ['', 'status=all', 'assigneeId=me', 'awaiting=customer']) {
      const queries = await recorder.capture(db, () => page(urlOf(big, filter, 'activity')));
      const counts = queries.filter((q) => /group by/i.test(q.sql));
      expect(counts, filter).toHaveLength(1);
      expect(counts[0]!.sql, filter).not.toMatch(/join/i);
    }
  });

  /** The plans of the queries a page runs for a filter and sort. */
  async function plansOf(filter: string, sort: string, matching: RegExp): Promise<string[]> {
    const { db } = getDb();
    const queries = (await recorder.capture(db, () => page(urlOf(big, filter, sort)))).filter((q) => matching.test(q.sql));
    expect(queries.length, `${sort} ${filter}`).toBeGreaterThan(0);
    return Promise.all(queries.map((query) => explain(db, dialect, query)));
  }

  /**
   * The plans each dialect is held to. SQLite plans without statistics, so every filter and sort is
   * pinned; PostgreSQL plans by statistics, so only the default view is.
   */
  const planTests: Record<Dialect, readonly { name: string; run: () => Promise<void> }[]> = {
    sqlite: [
      {
        name: 'counts an unsearched inbox on the (tenant_id, status) index only',
        run: async () => {
          for (const filter of ['', 'status=all']) {
            for (const plan of await plansOf(filter, 'activity', /group by/i)) {
              expect(plan, filter).toBe('SEARCH ticket USING COVERING INDEX ticket_tenant_status_idx (tenant_id=?)');
            }
          }
        },
      },
      {
        name: 'walks an index in sort order for every filter and sort',
        run: async () => {
          for (const sort of SORTS) {
            for (const filter of FILTERS) {
              for (const plan of await plansOf(filter, sort, /order by/i)) {
                expect(plan, `${sort} ${filter}`).toMatch(/SEARCH ticket USING (COVERING )?INDEX ticket_\w+|sqlite_autoindex_ticket_\d/);
                expect(plan, `${sort} ${filter}`).not.toMatch(/TEMP B-TREE|SCAN ticket/);
              }
            }
          }
        },
      },
    ],
    postgres: [],
  };
  const defaultViewPlan: Record<Dialect, { uses: RegExp; never: RegExp }> = {
    sqlite: { uses: /SEARCH ticket USING INDEX ticket_open_activity_idx/, never: /TEMP B-TREE|SCAN ticket/ },
    postgres: { uses: /Index Scan Backward using ticket_open_activity_idx/, never: /\bSort\b|Seq Scan on ticket\b/ },
  };

  for (const test of planTests[dialect]) it(test.name, test.run, 120_000);

  it('walks the default view (open tickets by activity) on its index without sorting', async () => {
    for (const plan of await plansOf('', 'activity', /order by/i)) {
      expect(plan).toMatch(defaultViewPlan[dialect].uses);
      expect(plan).not.toMatch(defaultViewPlan[dialect].never);
    }
  });
});

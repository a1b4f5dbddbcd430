import { beforeAll, expect, it } from 'vitest';
import { QUOTE_SEND_EMAIL_JOB } from '../../src/features/quotes/quote.service.js';
import {
  ZTeamQuoteDetail,
  ZTeamQuoteList,
  type TTeamQuoteDetail,
  type TTeamQuoteList,
} from '../../src/features/quotes/team-quote.schemas.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTeamTenant, openContactTicket, type TeamTenant } from '../helpers/factories.js';
import type { TeamApi } from '../helpers/team-api.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The team's quotes API (`/api/team/quotes…`, `/api/team/quote-settings`) end to end, over inject. */

/** A request body: a valid create request's fields, or anything else a client might send. */
type Body = Record<string, unknown>;

describeEachDialect('quotes: the team API', (getDb) => {
  const t = useTestApp(getDb);
  let tt: TeamTenant;
  let other: TeamTenant;
  let otherQuote: TTeamQuoteDetail;
  let otherSent: TTeamQuoteDetail;

  const body = (team: TeamTenant, extra: Body = {}): Body => ({
    clientId: team.g.client.id,
    ticketId: team.g.ticket.id,
    title: 'New radiator',
    // 2 × $310.50 = $621.00 + 10 % = $62.10 · 0.75 h × $80.00 = $60.00, no tax → subtotal $681.00, tax $62.10, total $743.10
    lines: [
      { description: 'Radiator', quantity: '2', unitPrice: 31_050, taxRatePercent: '10' },
      { description: 'Labour (hours)', quantity: '0.75', unitPrice: 8_000 },
    ],
    ...extra,
  });

  async function create(api: TeamApi, payload: Body): Promise<TTeamQuoteDetail> {
    const res = await api.post('/api/team/quotes', payload);
    expect(res.statusCode, res.body).toBe(201);
    return ZTeamQuoteDetail.parse(res.json());
  }
  async function detail(api: TeamApi, id: string): Promise<TTeamQuoteDetail> {
    const res = await api.get(`/api/team/quotes/${id}`);
    expect(res.statusCode, res.body).toBe(200);
    return ZTeamQuoteDetail.parse(res.json());
  }
  async function list(api: TeamApi, query: string): Promise<TTeamQuoteList> {
    const res = await api.get(`/api/team/quotes?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return ZTeamQuoteList.parse(res.json());
  }
  const codeOf = (res: { statusCode: number; json: () => { error: { code: string } } }) => [res.statusCode, res.json().error.code];

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Heating' });
    other = await createTeamTenant(t, { name: 'Elsewhere Ltd' });
    otherQuote = await create(other.as.agent, body(other));
    expect((await other.as.agent.post(`/api/team/quotes/${otherQuote.quote.id}/send`, {})).statusCode).toBe(200);
    otherSent = await detail(other.as.agent, otherQuote.quote.id);
    expect(otherSent.quote.status).toBe('sent');
  });

  it('creates, edits, sends, revises, downloads, withdraws and duplicates a quote', async () => {
    const api = tt.as.agent;
    const created = await create(api, body(tt));
    expect(created.quote).toMatchObject({
      number: 'Q-1',
      status: 'draft',
      version: 1,
      client: { id: tt.g.client.id, name: tt.g.client.name },
      ticket: { id: tt.g.ticket.id, number: tt.g.ticket.number, title: 'Leaking tap' },
      total: { amount: 74_310, currency: 'USD' },
      totals: { currency: 'USD', subtotal: 68_100, discount: 0, tax: 6_210, total: 74_310 },
      recipients: [],
      firstViewed: null,
      sentAt: null,
    });
    expect(created.quote.lines.map((l) => [l.net, l.tax, l.taxRatePercent])).toEqual([
      [62_100, 6_210, '10'],
      [6_000, 0, null],
    ]);
    expect(created.versions).toEqual([expect.objectContaining({ version: 1, current: true, createdBy: 'Agent' })]);
    expect(created.events.map((e) => [e.kind, e.by])).toEqual([['created', 'Agent']]);
    expect(created.can).toEqual({ edit: true, send: true, withdraw: false, duplicate: true });
    expect(await detail(api, created.quote.id)).toEqual(created);
    const id = created.quote.id;

    t.clock.advance(60_000);
    const edited = await api.patch(`/api/team/quotes/${id}`, { title: 'Two new radiators', requiresSignature: true });
    expect(edited.statusCode, edited.body).toBe(200);
    const draft = ZTeamQuoteDetail.parse(edited.json());
    expect(draft.quote).toMatchObject({ title: 'Two new radiators', version: 1, requiresSignature: true });
    expect(draft.versions).toHaveLength(1);
    expect(draft.versions[0]!.contentSha256).not.toBe(created.versions[0]!.contentSha256);

    t.clock.advance(60_000);
    const sent = await api.post(`/api/team/quotes/${id}/send`, {});
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json().quote).toMatchObject({ status: 'sent', sentAt: t.clock.now().toISOString() });
    expect(sent.json().quote.recipients).toEqual([{ contactId: tt.g.contact.id, name: tt.g.contact.name, email: tt.g.contact.email }]);
    expect(sent.json().can).toEqual({ edit: true, send: false, withdraw: true, duplicate: true });
    expect(codeOf(await api.post(`/api/team/quotes/${id}/send`, {}))).toEqual([409, 'QUOTE_ALREADY_SENT']);

    t.clock.advance(60_000);
    const revised = await api.patch(`/api/team/quotes/${id}`, { discount: { kind: 'amount', amount: 1_000 } });
    expect(revised.statusCode, revised.body).toBe(200);
    const v2 = ZTeamQuoteDetail.parse(revised.json());
    // discount $10.00 shared 62,100 : 6,000 → 911.89… and 88.10… → floors 911 + 88 = 999; the last cent to the larger remainder (.89) → 912, 88;
    // tax 10 % of 61,188 = 6,118.8 → 6,119; total 68,100 − 1,000 + 6,119 = 73,219
    expect(v2.quote).toMatchObject({
      status: 'sent',
      version: 2,
      totals: { subtotal: 68_100, discount: 1_000, tax: 6_119, total: 73_219 },
    });
    expect(v2.versions.map((v) => [v.version, v.current, v.total.amount])).toEqual([
      [1, false, 74_310],
      [2, true, 73_219],
    ]);
    expect(v2.versions[0]!.contentSha256).toBe(draft.versions[0]!.contentSha256);
    const jobs = await listJobs(t.deps.db, { kind: QUOTE_SEND_EMAIL_JOB, tenantId: tt.g.tenant.id });
    expect(jobs.map((j) => JSON.parse(j.payload).version)).toEqual([1, 2]);

    const pdf = await api.get(`/api/team/quotes/${id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect([pdf.headers['content-type'], pdf.headers['content-disposition']]).toEqual([
      'application/pdf',
      'attachment; filename="Q-1-v2.pdf"',
    ]);
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const first = await api.get(`/api/team/quotes/${id}/pdf?version=1`);
    expect([first.statusCode, first.headers['content-disposition']]).toEqual([200, 'attachment; filename="Q-1-v1.pdf"']);
    expect(codeOf(await api.get(`/api/team/quotes/${id}/pdf?version=3`))).toEqual([404, 'QUOTE_NOT_FOUND']);

    t.clock.advance(60_000);
    const withdrawn = await api.post(`/api/team/quotes/${id}/withdraw`, {});
    expect(withdrawn.statusCode, withdrawn.body).toBe(200);
    expect(withdrawn.json().quote).toMatchObject({ status: 'withdrawn', decidedAt: t.clock.now().toISOString() });
    expect(withdrawn.json().can).toEqual({ edit: false, send: false, withdraw: false, duplicate: true });
    expect(codeOf(await api.post(`/api/team/quotes/${id}/withdraw`, {}))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect(codeOf(await api.patch(`/api/team/quotes/${id}`, { title: 'Again' }))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect(codeOf(await api.post(`/api/team/quotes/${id}/send`, {}))).toEqual([409, 'QUOTE_WITHDRAWN']);

    const copy = await api.post(`/api/team/quotes/${id}/duplicate`, {});
    expect(copy.statusCode, copy.body).toBe(201);
    const dup = ZTeamQuoteDetail.parse(copy.json());
    expect(dup.quote).toMatchObject({ number: 'Q-2', status: 'draft', version: 1, title: 'Two new radiators', totals: v2.quote.totals });
    expect(dup.quote.id).not.toBe(id);
    expect(dup.quote.lines).toEqual(v2.quote.lines);
    expect(dup.events.map((e) => [e.kind, e.detail])).toEqual([
      ['created', null],
      ['duplicated', 'Q-1'],
    ]);
    const history = (await detail(api, id)).events.map((e) => [e.kind, e.version, e.by]);
    expect(history).toEqual([
      ['created', 1, 'Agent'],
      ['edited', 1, 'Agent'],
      ['sent', 1, 'Agent'],
      ['revised', 2, 'Agent'],
      ['withdrawn', 2, 'Agent'],
    ]);
  });

  it('refuses bad input with 400 VALIDATION_FAILED and the path, writing nothing', async () => {
    const team = await createTeamTenant(t, { name: 'Strict Co' });
    const api = team.as.agent;
    const line = { description: 'Work', quantity: '1', unitPrice: 100 };
    const cases: [string, Body, string][] = [
      ['no title', { title: undefined }, 'title'],
      ['blank title', { title: '   ' }, 'title'],
      ['no lines', { lines: [] }, 'lines'],
      ['500 lines', { lines: Array.from({ length: 500 }, () => line) }, 'lines'],
      ['negative quantity', { lines: [{ ...line, quantity: '-1' }] }, 'lines.0.quantity'],
      ['zero quantity', { lines: [{ ...line, quantity: '0' }] }, 'lines.0.quantity'],
      ['four decimals', { lines: [{ ...line, quantity: '1.2345' }] }, 'lines.0.quantity'],
      ['a number for a quantity', { lines: [{ ...line, quantity: 2 }] }, 'lines.0.quantity'],
      ['an absurd quantity', { lines: [{ ...line, quantity: '1000001' }] }, 'lines.0.quantity'],
      ['negative price', { lines: [{ ...line, unitPrice: -1 }] }, 'lines.0.unitPrice'],
      ['fractional minor units', { lines: [{ ...line, unitPrice: 1.5 }] }, 'lines.0.unitPrice'],
      ['an absurd price', { lines: [{ ...line, unitPrice: 100_000_000_001 }] }, 'lines.0.unitPrice'],
      ['tax over 100 %', { lines: [{ ...line, taxRatePercent: '100.5' }] }, 'lines.0.taxRatePercent'],
      ['an unknown line field', { lines: [{ ...line, colour: 'red' }] }, 'lines.0'],
      ['negative discount', { discount: { kind: 'amount', amount: -5 } }, 'discount.amount'],
      ['percent over 100', { discount: { kind: 'percent', percent: '150' } }, 'discount.percent'],
      ['unknown discount kind', { discount: { kind: 'coupon', code: 'X' } }, 'discount.kind'],
      ['not a date', { validUntil: '24/12/2026' }, 'validUntil'],
      ['no such day', { validUntil: '2026-02-30' }, 'validUntil'],
      ['a string for a flag', { requiresSignature: 'yes' }, 'requiresSignature'],
      ['a currency of its own', { currency: 'XXX' }, 'body'],
      ['no client', { clientId: undefined }, 'clientId'],
    ];
    for (const [what, extra, path] of cases) {
      const res = await api.post('/api/team/quotes', body(team, extra));
      expect(res.statusCode, what).toBe(400);
      expect(res.json().error.code, what).toBe('VALIDATION_FAILED');
      expect(
        res.json().error.details.map((d: { path: string }) => d.path),
        what,
      ).toContain(path);
    }
    const tooLarge = await api.post('/api/team/quotes', body(team, { lines: [{ ...line, quantity: '1000', unitPrice: 100_000_000_000 }] }));
    expect(codeOf(tooLarge)).toEqual([400, 'QUOTE_TOTAL_TOO_LARGE']);
    expect((await list(api, '')).counts?.all).toBe(0);

    const quote = await create(api, body(team));
    const before = await detail(api, quote.quote.id);
    for (const [what, change, path] of [
      ['no lines', { lines: [] }, 'lines'],
      ['an unknown field', { status: 'accepted' }, 'body'],
      ['blank title', { title: '' }, 'title'],
      ['bad tax', { lines: [{ ...line, taxRatePercent: 'ten' }] }, 'lines.0.taxRatePercent'],
    ] as const) {
      const res = await api.patch(`/api/team/quotes/${quote.quote.id}`, change);
      expect([res.statusCode, res.json().error.code], what).toEqual([400, 'VALIDATION_FAILED']);
      expect(
        res.json().error.details.map((d: { path: string }) => d.path),
        what,
      ).toContain(path);
    }
    const send = await api.post(`/api/team/quotes/${quote.quote.id}/send`, { recipientContactIds: 'everyone' });
    expect(codeOf(send)).toEqual([400, 'VALIDATION_FAILED']);
    expect(await detail(api, quote.quote.id)).toEqual(before);
    for (const query of ['status=bogus', 'limit=0', 'limit=101', 'cursor=not-a-cursor']) {
      expect(codeOf(await api.get(`/api/team/quotes?${query}`)), query).toEqual([400, 'VALIDATION_FAILED']);
    }
  });

  it('answers 404 for another organisation’s quote, client or ticket on every route, changing nothing', async () => {
    const api = tt.as.owner;
    const id = otherQuote.quote.id;
    const notFound = [404, 'QUOTE_NOT_FOUND'];
    expect(codeOf(await api.get(`/api/team/quotes/${id}`))).toEqual(notFound);
    expect(codeOf(await api.patch(`/api/team/quotes/${id}`, { title: 'Mine' }))).toEqual(notFound);
    expect(codeOf(await api.post(`/api/team/quotes/${id}/send`, {}))).toEqual(notFound);
    expect(codeOf(await api.post(`/api/team/quotes/${id}/withdraw`, {}))).toEqual(notFound);
    expect(codeOf(await api.post(`/api/team/quotes/${id}/duplicate`, {}))).toEqual(notFound);
    expect(codeOf(await api.get(`/api/team/quotes/${id}/pdf`))).toEqual(notFound);
    expect(codeOf(await api.get(`/api/team/quotes/no-such-quote`))).toEqual(notFound);
    expect(await detail(other.as.agent, id)).toEqual(otherSent);
    expect((await list(other.as.agent, '')).counts?.all).toBe(1);

    expect(codeOf(await api.post('/api/team/quotes', body(tt, { clientId: other.g.client.id, ticketId: null })))).toEqual([
      404,
      'CLIENT_NOT_FOUND',
    ]);
    expect(codeOf(await api.post('/api/team/quotes', body(tt, { ticketId: other.g.ticket.id })))).toEqual([404, 'TICKET_NOT_FOUND']);
    expect(codeOf(await api.post('/api/team/quotes', body(tt, { recipientContactIds: [other.g.contact.id] })))).toEqual([
      404,
      'CONTACT_NOT_FOUND',
    ]);
    expect((await list(api, `clientId=${other.g.client.id}`)).quotes).toEqual([]);
  });

  it('lists newest change first with filters, counts on the first page and keyset pages', async () => {
    const team = await createTeamTenant(t, { name: 'Listing Co' });
    const api = team.as.agent;
    const secondTicket = await openContactTicket(t.deps, team.g.contact, { title: 'Boiler', body: 'Noisy.' });
    const ids: string[] = [];
    const step = async (payload: Body, then?: 'send' | 'withdraw'): Promise<string> => {
      t.clock.advance(60_000);
      const { quote } = await create(api, body(team, payload));
      if (then) expect((await api.post(`/api/team/quotes/${quote.id}/send`, {})).statusCode).toBe(200);
      if (then === 'withdraw') expect((await api.post(`/api/team/quotes/${quote.id}/withdraw`, {})).statusCode).toBe(200);
      ids.push(quote.id);
      return quote.id;
    };
    const [d1, s1, w1, d2, s2, n1] = [
      await step({}),
      await step({}, 'send'),
      await step({}, 'withdraw'),
      await step({ ticketId: secondTicket.id }),
      await step({ ticketId: secondTicket.id }, 'send'),
      await step({ ticketId: null }),
    ];
    const newestFirst = [...ids].reverse();

    const all = await list(api, '');
    expect(all.quotes.map((q) => q.id)).toEqual(newestFirst);
    expect(all.counts).toEqual({
      draft: 3,
      sent: 2,
      changes_requested: 0,
      accepted: 0,
      declined: 0,
      expired: 0,
      withdrawn: 1,
      open: 5,
      all: 6,
    });
    expect(all.nextCursor).toBeNull();
    expect((await list(api, 'status=draft')).quotes.map((q) => q.id)).toEqual([n1, d2, d1]);
    expect((await list(api, 'status=sent')).quotes.map((q) => q.id)).toEqual([s2, s1]);
    expect((await list(api, 'status=open')).quotes.map((q) => q.id)).toEqual([n1, s2, d2, s1, d1]);
    expect((await list(api, 'status=withdrawn')).quotes.map((q) => q.id)).toEqual([w1]);
    expect((await list(api, 'status=accepted')).quotes).toEqual([]);
    const onTicket = await list(api, `ticketId=${secondTicket.id}`);
    expect(onTicket.quotes.map((q) => q.id)).toEqual([s2, d2]);
    expect(onTicket.counts).toMatchObject({ draft: 1, sent: 1, all: 2 });
    expect((await list(api, `clientId=${team.g.client.id}&status=sent`)).quotes.map((q) => q.id)).toEqual([s2, s1]);

    const seen: string[] = [];
    let page = await list(api, 'limit=4');
    expect(page.counts?.all).toBe(6);
    seen.push(...page.quotes.map((q) => q.id));
    expect(page.nextCursor).not.toBeNull();
    page = await list(api, `limit=4&cursor=${encodeURIComponent(page.nextCursor!)}`);
    expect(page.counts).toBeNull();
    expect(page.nextCursor).toBeNull();
    seen.push(...page.quotes.map((q) => q.id));
    expect(seen).toEqual(newestFirst);
    // A change moves a quote to the top.
    t.clock.advance(60_000);
    expect((await api.patch(`/api/team/quotes/${d1}`, { title: 'Touched' })).statusCode).toBe(200);
    expect((await list(api, 'limit=1')).quotes.map((q) => [q.id, q.title])).toEqual([[d1, 'Touched']]);
  });

  it('keeps the default terms: anyone reads them, owners and admins change them, new quotes start with them', async () => {
    const team = await createTeamTenant(t, { name: 'Terms Co' });
    expect((await team.as.agent.get('/api/team/quote-settings')).json()).toEqual({ defaultTerms: '' });
    const refused = await team.as.agent.put('/api/team/quote-settings', { defaultTerms: 'Agents may not.' });
    expect(codeOf(refused)).toEqual([403, 'FORBIDDEN']);
    const bad = await team.as.admin.put('/api/team/quote-settings', { defaultTerms: 'x'.repeat(20_001) });
    expect(codeOf(bad)).toEqual([400, 'VALIDATION_FAILED']);
    expect(codeOf(await team.as.admin.put('/api/team/quote-settings', { defaultTerms: 'x', extra: 1 }))).toEqual([
      400,
      'VALIDATION_FAILED',
    ]);
    expect((await team.as.agent.get('/api/team/quote-settings')).json()).toEqual({ defaultTerms: '' });

    const terms = 'Payment within 14 days. Parts carry a 2-year warranty.';
    const saved = await team.as.admin.put('/api/team/quote-settings', { defaultTerms: terms });
    expect([saved.statusCode, saved.json()]).toEqual([200, { defaultTerms: terms }]);
    expect((await team.as.owner.put('/api/team/quote-settings', { defaultTerms: terms })).statusCode).toBe(200);
    expect((await team.as.agent.get('/api/team/quote-settings')).json()).toEqual({ defaultTerms: terms });
    expect((await create(team.as.agent, body(team))).quote.terms).toBe(terms);
    expect((await create(team.as.agent, body(team, { terms: 'Special terms.' }))).quote.terms).toBe('Special terms.');
    // Another organisation's terms are its own.
    expect((await other.as.agent.get('/api/team/quote-settings')).json()).toEqual({ defaultTerms: '' });
  });

  it('needs a signed-in member', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/team/quotes' });
    expect(res.statusCode).toBe(401);
  });
});

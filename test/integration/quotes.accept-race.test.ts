import { beforeAll, expect, it } from 'vitest';
import { addContact, type Contact } from '../../src/features/clients/client.service.js';
import { listQuoteEvents, QUOTE_ACCEPTED_EMAIL_JOB } from '../../src/features/quotes/quote.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { listJobs } from '../../src/platform/jobs/outbox.repository.js';
import { createTeamTenant, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { TEST_ORIGIN, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * Twenty customers' clicks on "Accept" at once, over real sockets: exactly one acceptance, one
 * `accepted` event and one confirmation email; every other request a clean 409.
 */
describeEachDialect('quotes: the accept race', (getDb) => {
  const t = useTestApp(getDb);
  let origin: string;
  let tt: TeamTenant;
  let contacts: Contact[];

  beforeAll(async () => {
    await t.app.listen({ host: '127.0.0.1', port: 0 });
    const address = t.app.server.address();
    origin = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    tt = await createTeamTenant(t, { name: 'Race Plumbing' });
    contacts = [tt.g.contact];
    for (const name of ['Dee', 'Eli', 'Fay']) {
      contacts.push(
        await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, { email: `${name}-${tt.g.tenant.slug}@customer.example.com`, name }),
      );
    }
  });

  async function sentQuote(requiresSignature: boolean): Promise<string> {
    const created = await tt.as.agent.post('/api/team/quotes', {
      clientId: tt.g.client.id,
      ticketId: tt.g.ticket.id,
      title: 'Boiler service',
      lines: [{ description: 'Service', quantity: '1', unitPrice: 12_000, taxRatePercent: '20' }],
      requiresSignature,
    });
    expect(created.statusCode, created.body).toBe(201);
    const id = created.json().quote.id as string;
    expect((await tt.as.agent.post(`/api/team/quotes/${id}/send`, {})).statusCode).toBe(200);
    return id;
  }

  /** Twenty accepts, all started before any answers, from the cookies given in turn. */
  async function race(quoteId: string, cookies: readonly string[]): Promise<{ status: number; code: string | null }[]> {
    const url = `${origin}/portal/${tt.g.tenant.slug}/api/quotes/${quoteId}/accept`;
    const requests = Array.from({ length: 20 }, async (_, i) => {
      const res = await fetch(url, {
        method: 'POST',
        headers: { origin: TEST_ORIGIN, 'content-type': 'application/json', cookie: cookies[i % cookies.length]! },
        body: JSON.stringify({ version: 1, signerName: `Signer ${i}`, signature: { kind: 'typed' } }),
      });
      const json = (await res.json()) as { error?: { code: string } };
      return { status: res.status, code: json.error?.code ?? null };
    });
    return Promise.all(requests);
  }

  async function expectOneAcceptance(quoteId: string, results: { status: number; code: string | null }[]): Promise<void> {
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200)).toEqual(
      Array.from({ length: 19 }, () => ({ status: 409, code: 'QUOTE_ALREADY_DECIDED' })),
    );
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    const rows = await scope
      .selectFrom('quote_acceptance')
      .select('quote_acceptance.signer_name')
      .where('quote_acceptance.quote_id', '=', quoteId)
      .execute();
    expect(rows).toHaveLength(1);
    expect((await listQuoteEvents(scope, quoteId)).filter((e) => e.kind === 'accepted')).toHaveLength(1);
    const detail = (await tt.as.agent.get(`/api/team/quotes/${quoteId}`)).json();
    expect(detail.quote.status).toBe('accepted');
    // The one row is the winner's: its signer is one of the twenty, and the answer it got said so.
    expect(detail.acceptance.signerName).toBe(rows[0]!.signer_name);
    const confirmations = await listJobs(t.deps.db, { kind: QUOTE_ACCEPTED_EMAIL_JOB, tenantId: tt.g.tenant.id });
    expect(confirmations.filter((j) => JSON.parse(j.payload).quoteId === quoteId)).toHaveLength(1);
  }

  it('one contact accepting twenty times at once gets exactly one acceptance', async () => {
    const quoteId = await sentQuote(true);
    const cookie = await portalCookieFor(t, tt.g.contact);
    await expectOneAcceptance(quoteId, await race(quoteId, [cookie]));
  });

  it('four contacts accepting twenty times at once get exactly one acceptance between them', async () => {
    const quoteId = await sentQuote(false);
    const cookies = await Promise.all(contacts.map((c) => portalCookieFor(t, c)));
    await expectOneAcceptance(quoteId, await race(quoteId, cookies));
  });
});

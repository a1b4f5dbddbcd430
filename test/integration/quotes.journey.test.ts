import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { expect, it } from 'vitest';
import { createTeamTenant, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { SignInDriver, tokenOf } from '../helpers/sign-in.js';
import { SAME_ORIGIN_JSON, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * The whole life of a quote through both APIs, as a team and a customer live it: created, sent
 * (the customer's email carries a deep link that signs them in to the quote), opened, accepted
 * with a drawn signature, and the signed PDF in the confirmation email and the team's download.
 */
describeEachDialect('quotes: the journey', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  async function drawnSignature(): Promise<string> {
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="120"><path d="M20 90 C 80 10, 140 10, 200 80 S 320 100, 380 30" stroke="#111" stroke-width="4" fill="none"/></svg>`;
    const png = await sharp(Buffer.from(svg)).png().toBuffer();
    return `data:image/png;base64,${png.toString('base64')}`;
  }

  function portal(team: TeamTenant, cookie: string) {
    const base = `/portal/${team.g.tenant.slug}/api`;
    return {
      get: (p: string) => t.app.inject({ method: 'GET', url: `${base}${p}`, headers: { cookie } }),
      post: (p: string, payload: unknown) =>
        t.app.inject({ method: 'POST', url: `${base}${p}`, headers: { ...SAME_ORIGIN_JSON, cookie }, payload: payload as object }),
    };
  }

  it('is created, sent with a deep link, opened, accepted with a signature, and its signed PDF reaches the customer', async () => {
    const team = await createTeamTenant(t, { name: 'Harbour Plumbing' });
    const { g } = team;
    const created = await team.as.agent.post('/api/team/quotes', {
      clientId: g.client.id,
      ticketId: g.ticket.id,
      title: 'Replace the boiler',
      lines: [
        { description: 'Boiler', quantity: '1', unitPrice: 150_000, taxRatePercent: '20' },
        { description: 'Labour (hours)', quantity: '2.5', unitPrice: 4_999, taxRatePercent: '20' },
      ],
      discount: { kind: 'percent', percent: '10' },
      requiresSignature: true,
    });
    expect(created.statusCode).toBe(201);
    const draft = created.json();
    expect(draft.quote).toMatchObject({ number: 'Q-1', status: 'draft', version: 1 });
    // 150000 + round(2.5 × 4999 = 12497.5) = 150000 + 12498 = 162498; 10 % = 16249.8 → 16250;
    // shares: 16250 × 150000 / 162498 = 15000.18… → 15000, the rest 1250; tax 20 % of 135000 and 11248 = 27000 + 2249.6 → 2250.
    expect(draft.quote.totals).toEqual({ currency: 'USD', subtotal: 162_498, discount: 16_250, tax: 29_250, total: 175_498 });

    // A minute between the steps, as between a person's (history entries made in one instant have no order).
    t.clock.advance(60_000);
    const sent = await team.as.agent.post(`/api/team/quotes/${draft.quote.id}/send`, {});
    expect(sent.statusCode).toBe(200);
    expect(sent.json().quote.status).toBe('sent');
    await d.deliver();
    const [mail] = await d.mailTo(g.contact.email);
    expect(mail?.subject).toContain('Quote Q-1 from Harbour Plumbing');
    expect(mail?.text).toContain('$1,754.98');

    // The deep link signs the contact in and lands on the quote.
    const confirmed = await d.confirm(g.tenant.slug, tokenOf(mail!));
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json().landingPath).toBe(`/quotes/${draft.quote.id}`);

    const customer = portal(team, await portalCookieFor(t, g.contact));
    t.clock.advance(60_000);
    const listed = await customer.get('/quotes?status=waiting');
    expect(listed.json().quotes.map((q: { id: string }) => q.id)).toEqual([draft.quote.id]);
    const viewed = await customer.get(`/quotes/${draft.quote.id}`);
    expect(viewed.statusCode).toBe(200);
    expect(viewed.json().can).toEqual({ accept: true, decline: true, requestChanges: true });
    const ticket = await customer.get(`/tickets/${g.ticket.id}`);
    expect(ticket.json().quotes).toEqual([
      {
        id: draft.quote.id,
        number: 'Q-1',
        title: 'Replace the boiler',
        status: 'sent',
        version: 1,
        total: { amount: 175_498, currency: 'USD' },
      },
    ]);

    t.clock.advance(60_000);
    const unsigned = await customer.post(`/quotes/${draft.quote.id}/accept`, { version: 1, signerName: 'Dana Client' });
    expect([unsigned.statusCode, unsigned.json().error.code]).toEqual([400, 'SIGNATURE_REQUIRED']);
    const accepted = await customer.post(`/quotes/${draft.quote.id}/accept`, {
      version: 1,
      signerName: 'Dana Client',
      signature: { kind: 'drawn', dataUrl: await drawnSignature() },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().quote.status).toBe('accepted');
    expect(accepted.json().can.accept).toBe(false);
    const again = await customer.post(`/quotes/${draft.quote.id}/accept`, {
      version: 1,
      signerName: 'Dana Client',
      signature: { kind: 'typed' },
    });
    expect([again.statusCode, again.json().error.code]).toEqual([409, 'QUOTE_ALREADY_DECIDED']);

    const detail = (await team.as.agent.get(`/api/team/quotes/${draft.quote.id}`)).json();
    expect(detail.acceptance).toMatchObject({ version: 1, signerName: 'Dana Client', signature: 'drawn', contact: { id: g.contact.id } });
    expect(detail.acceptance.contentSha256).toBe(detail.versions[0].contentSha256);
    expect(detail.quote.firstViewed.by).toBe(g.contact.name);
    expect(detail.events.map((e: { kind: string }) => e.kind)).toEqual(['created', 'sent', 'viewed', 'accepted']);

    await d.deliver();
    const confirmation = (await d.mailTo(g.contact.email)).find((m) => m.subject.startsWith('You accepted quote Q-1'));
    expect(confirmation?.attachments.map((a) => [a.filename, a.contentType])).toEqual([['Q-1-v1.pdf', 'application/pdf']]);

    const pdf = await team.as.agent.get(`/api/team/quotes/${draft.quote.id}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    const dir = mkdtempSync(path.join(tmpdir(), 'quote-pdf-'));
    writeFileSync(path.join(dir, 'q.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'q.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toContain('Q-1');
    expect(text).toContain('Dana Client');
    expect(text).toContain(detail.acceptance.contentSha256.slice(0, 16));
  });

  it('dates the PDF the day it was sent where the organisation works, and names a percentage discount', async () => {
    // 02:30 UTC on 6 December is 20:30 on 5 December in Chicago.
    t.clock.set('2026-12-06T02:30:00.000Z');
    const team = await createTeamTenant(t, { name: 'Lakeside Repairs' });
    const zone = await team.as.owner.patch('/api/team/settings/organisation', { timeZone: 'America/Chicago' });
    expect(zone.statusCode).toBe(200);
    const created = await team.as.agent.post('/api/team/quotes', {
      clientId: team.g.client.id,
      title: 'Evening call-out',
      lines: [{ description: 'Call-out', quantity: '1', unitPrice: 10_000, taxRatePercent: null }],
      discount: { kind: 'percent', percent: '12.5' },
    });
    const id = created.json().quote.id as string;
    expect((await team.as.agent.post(`/api/team/quotes/${id}/send`, {})).statusCode).toBe(200);
    const pdf = await team.as.agent.get(`/api/team/quotes/${id}/pdf`);
    const dir = mkdtempSync(path.join(tmpdir(), 'quote-pdf-'));
    writeFileSync(path.join(dir, 'q.pdf'), pdf.rawPayload);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'q.pdf'), '-'], { encoding: 'utf8' });
    expect(text).toMatch(/Issue date\s+December 5, 2026/);
    expect(text).toMatch(/Discount \(12\.5%\)\s+-\$12\.50/);
  });
});

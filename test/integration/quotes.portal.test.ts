import type { LightMyRequestResponse } from 'fastify';
import sharp from 'sharp';
import { beforeAll, expect, it } from 'vitest';
import { addContact, createClient, type Contact } from '../../src/features/clients/client.service.js';
import { ZPortalQuoteDetail, type TPortalQuoteDetail } from '../../src/features/quotes/portal-quote.schemas.js';
import { dateIn } from '../../src/features/quotes/quote.domain.js';
import { findQuoteAcceptance } from '../../src/features/quotes/quote.repository.js';
import type { TCreateQuoteRequest, TTeamQuoteDetail } from '../../src/features/quotes/team-quote.schemas.js';
import type { Ticket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTeamTenant, openContactTicket, portalCookieFor, teamCookieFor, type TeamTenant } from '../helpers/factories.js';
import { teamApi, type TeamApi } from '../helpers/team-api.js';
import { SAME_ORIGIN_JSON, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/** The customer's side of quotes (`B/api/quotes…`): who sees what, and every decision with its refusals. */

const UA = 'Mozilla/5.0 (quotes test)';

describeEachDialect('quotes: the portal', (getDb) => {
  const t = useTestApp(getDb);
  let tt: TeamTenant;
  let other: TeamTenant;
  /** A second contact of the "all" client, with a ticket of their own. */
  let cleo: Contact;
  let cleoTicket: Ticket;
  /** A client set to "own", with two contacts and a ticket each. */
  let ana: Contact;
  let ben: Contact;
  let anaTicket: Ticket;
  let benTicket: Ticket;

  beforeAll(async () => {
    tt = await createTeamTenant(t, { name: 'Harbor Heating' });
    other = await createTeamTenant(t, { name: 'Elsewhere Ltd' });
    const id = tt.g.tenant.id;
    cleo = await addContact(t.deps, id, tt.g.client.id, { email: `cleo-${tt.g.tenant.slug}@customer.example.com`, name: 'Cleo Client' });
    cleoTicket = await openContactTicket(t.deps, cleo, { title: 'Boiler', body: 'Noisy.' });
    const own = await createClient(t.deps, id, { name: 'Own Street Flats', ticketVisibility: 'own' });
    ana = await addContact(t.deps, id, own.id, { email: `ana-${tt.g.tenant.slug}@customer.example.com`, name: 'Ana Own' });
    ben = await addContact(t.deps, id, own.id, { email: `ben-${tt.g.tenant.slug}@customer.example.com`, name: 'Ben Own' });
    anaTicket = await openContactTicket(t.deps, ana, { title: 'Ana’s sink', body: 'Blocked.' });
    benTicket = await openContactTicket(t.deps, ben, { title: 'Ben’s shower', body: 'Cold.' });
  });

  /** The agent's team API with a session opened now (the expiry test moves the clock past a session's life). */
  const agent = async (): Promise<TeamApi> => teamApi(t, await teamCookieFor(t, tt.g.tenant.id, tt.g.member.id));

  /** A quote made (and, unless told, sent) by the team over its API; its id. */
  async function quote(
    input: { clientId?: string; ticketId?: string | null; send?: string[] | false; extra?: Partial<TCreateQuoteRequest> } = {},
  ): Promise<string> {
    t.clock.advance(1_000);
    const created = await (
      await agent()
    ).post('/api/team/quotes', {
      clientId: input.clientId ?? tt.g.client.id,
      ticketId: input.ticketId === undefined ? tt.g.ticket.id : input.ticketId,
      title: 'Replace the valve',
      // 1 × $95.00 + 20 % = $114.00
      lines: [{ description: 'Valve', quantity: '1', unitPrice: 9_500, taxRatePercent: '20' }],
      ...input.extra,
    });
    expect(created.statusCode, created.body).toBe(201);
    const quoteId = created.json().quote.id as string;
    if (input.send !== false) {
      const sent = await (await agent()).post(`/api/team/quotes/${quoteId}/send`, input.send ? { recipientContactIds: input.send } : {});
      expect(sent.statusCode, sent.body).toBe(200);
    }
    return quoteId;
  }

  async function teamView(quoteId: string): Promise<TTeamQuoteDetail> {
    const res = await (await agent()).get(`/api/team/quotes/${quoteId}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<TTeamQuoteDetail>();
  }

  async function as(contact: Pick<Contact, 'id' | 'tenantId'>, slug = tt.g.tenant.slug) {
    const cookie = await portalCookieFor(t, contact);
    const base = `/portal/${slug}/api`;
    const get = (p: string) => t.app.inject({ method: 'GET', url: `${base}${p}`, headers: { cookie, 'user-agent': UA } });
    const post = (p: string, payload: unknown = {}) =>
      t.app.inject({
        method: 'POST',
        url: `${base}${p}`,
        headers: { ...SAME_ORIGIN_JSON, cookie, 'user-agent': UA },
        payload: payload as object,
      });
    return {
      get,
      post,
      ids: async (status = 'all') => {
        const res = await get(`/quotes?status=${status}`);
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().quotes as { id: string }[]).map((q) => q.id).sort();
      },
      view: async (quoteId: string): Promise<TPortalQuoteDetail> => {
        const res = await get(`/quotes/${quoteId}`);
        expect(res.statusCode, res.body).toBe(200);
        return ZPortalQuoteDetail.parse(res.json());
      },
      accept: (quoteId: string, body: Record<string, unknown> = {}) =>
        post(`/quotes/${quoteId}/accept`, { version: 1, signerName: 'Casey Customer', ...body }),
    };
  }
  type Portal = Awaited<ReturnType<typeof as>>;

  const codeOf = (res: LightMyRequestResponse) => [res.statusCode, res.json().error.code];

  /** Every read and write of the portal on one quote answers 404 QUOTE_NOT_FOUND. */
  async function expectHidden(portal: Portal, quoteId: string): Promise<void> {
    const notFound = [404, 'QUOTE_NOT_FOUND'];
    expect(codeOf(await portal.get(`/quotes/${quoteId}`)), 'GET').toEqual(notFound);
    expect(codeOf(await portal.get(`/quotes/${quoteId}/pdf`)), 'pdf').toEqual(notFound);
    expect(codeOf(await portal.accept(quoteId)), 'accept').toEqual(notFound);
    expect(codeOf(await portal.post(`/quotes/${quoteId}/decline`, { reason: 'No' })), 'decline').toEqual(notFound);
    expect(codeOf(await portal.post(`/quotes/${quoteId}/request-changes`, { message: 'Cheaper?' })), 'request-changes').toEqual(notFound);
  }

  const chronology = async (quoteId: string) => (await teamView(quoteId)).events.map((e) => e.kind);

  it('a client set to “all” sees every sent quote of the client, never a draft', async () => {
    const toAll = await quote();
    const cleosTicket = await quote({ ticketId: cleoTicket.id, send: [cleo.id] });
    const noTicket = await quote({ ticketId: null, send: [cleo.id] });
    const draft = await quote({ send: false });
    const casey = await as(tt.g.contact);
    expect(await casey.ids()).toEqual([toAll, cleosTicket, noTicket].sort());
    await expectHidden(casey, draft);
    expect((await teamView(draft)).quote.status).toBe('draft');
    const ticket = await casey.get(`/tickets/${cleoTicket.id}`);
    expect(ticket.json().quotes.map((q: { id: string }) => q.id)).toEqual([cleosTicket]);
  });

  it('a client set to “own” sees the quotes of its tickets and those sent to it, nothing else', async () => {
    const own = (ticketId: string | null, send: string[]) => quote({ clientId: ana.clientId, ticketId, send });
    const onAnasTicket = await own(anaTicket.id, [ben.id]);
    const sentToAna = await own(benTicket.id, [ana.id]);
    const bensOnly = await own(benTicket.id, [ben.id]);
    const bensNoTicket = await own(null, [ben.id]);
    const anasNoTicket = await own(null, [ana.id]);
    const portalAna = await as(ana);
    expect(await portalAna.ids()).toEqual([onAnasTicket, sentToAna, anasNoTicket].sort());
    // The quote sent to Ana sits on Ben's ticket, which Ana may not see: it is shown without it.
    expect((await portalAna.view(sentToAna)).quote.ticket).toBeNull();
    expect((await portalAna.view(onAnasTicket)).quote.ticket).toEqual({ id: anaTicket.id, number: anaTicket.number, title: 'Ana’s sink' });
    for (const hidden of [bensOnly, bensNoTicket]) await expectHidden(portalAna, hidden);
    expect(await (await as(ben)).ids()).toEqual([onAnasTicket, sentToAna, bensOnly, bensNoTicket].sort());
    await expectHidden(await as(ben), anasNoTicket);
    for (const q of [bensOnly, bensNoTicket]) {
      const view = await teamView(q);
      expect([view.quote.status, view.acceptance, view.quote.firstViewed]).toEqual(['sent', null, null]);
    }
  });

  it('another client’s and another organisation’s quotes are 404 on every route', async () => {
    const anasQuote = await quote({ clientId: ana.clientId, ticketId: anaTicket.id });
    const caseysQuote = await quote();
    await expectHidden(await as(tt.g.contact), anasQuote);
    await expectHidden(await as(other.g.contact, other.g.tenant.slug), caseysQuote);
    // Nor does another organisation's portal address reach it with this tenant's session.
    const crossCookie = await portalCookieFor(t, tt.g.contact);
    const cross = await t.app.inject({
      method: 'GET',
      url: `/portal/${other.g.tenant.slug}/api/quotes/${caseysQuote}`,
      headers: { cookie: crossCookie },
    });
    expect(cross.statusCode).toBe(401);
    for (const q of [anasQuote, caseysQuote]) expect((await teamView(q)).quote).toMatchObject({ status: 'sent', firstViewed: null });
  });

  it('accepts without a signature when none is required, keeping who, when, where and the content hash', async () => {
    const quoteId = await quote();
    const casey = await as(tt.g.contact);
    t.clock.advance(60_000);
    const res = await casey.accept(quoteId);
    expect(res.statusCode, res.body).toBe(200);
    const accepted = ZPortalQuoteDetail.parse(res.json());
    expect(accepted.quote.status).toBe('accepted');
    expect(accepted.can).toEqual({ accept: false, decline: false, requestChanges: false });
    const team = await teamView(quoteId);
    expect(team.acceptance).toEqual({
      version: 1,
      signerName: 'Casey Customer',
      contact: { id: tt.g.contact.id, name: tt.g.contact.name, email: tt.g.contact.email },
      acceptedAt: t.clock.now().toISOString(),
      ip: '127.0.0.1',
      userAgent: UA,
      contentSha256: team.versions[0]!.contentSha256,
      signature: 'none',
    });
    expect(accepted.acceptance).toEqual({
      version: 1,
      signerName: 'Casey Customer',
      acceptedAt: t.clock.now().toISOString(),
      contentSha256: team.versions[0]!.contentSha256,
    });
    expect(codeOf(await casey.accept(quoteId))).toEqual([409, 'QUOTE_ALREADY_DECIDED']);
    expect(codeOf(await casey.post(`/quotes/${quoteId}/decline`, {}))).toEqual([409, 'QUOTE_ALREADY_DECIDED']);
    expect(codeOf(await casey.post(`/quotes/${quoteId}/request-changes`, { message: 'Hm' }))).toEqual([409, 'QUOTE_ALREADY_DECIDED']);
    expect(await chronology(quoteId)).toEqual(['created', 'sent', 'accepted']);
    expect(await casey.ids('accepted')).toContain(quoteId);
  });

  it('a signature that is required must be given: typed (the signer’s name) or drawn (stored re-encoded)', async () => {
    const signed = { extra: { requiresSignature: true } };
    const [typedQuote, drawnQuote, badQuote] = [await quote(signed), await quote(signed), await quote(signed)];
    const casey = await as(tt.g.contact);
    expect(codeOf(await casey.accept(typedQuote))).toEqual([400, 'SIGNATURE_REQUIRED']);
    expect(await findQuoteAcceptance(forTenant(t.deps.db, tt.g.tenant.id), typedQuote)).toBeUndefined();
    expect((await teamView(typedQuote)).quote.status).toBe('sent');
    // A typed signature is the signer's name itself: no other text can be sent with it.
    const otherText = await casey.accept(typedQuote, { signature: { kind: 'typed', name: 'Somebody Else' } });
    expect(codeOf(otherText)).toEqual([400, 'VALIDATION_FAILED']);
    const typed = await casey.accept(typedQuote, { signerName: 'Casey Q. Customer', signature: { kind: 'typed' } });
    expect(typed.statusCode, typed.body).toBe(200);
    expect((await teamView(typedQuote)).acceptance).toMatchObject({ signerName: 'Casey Q. Customer', signature: 'typed' });

    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="300" height="100"><path d="M10 80 C 60 10, 120 10, 160 60 S 250 90, 290 20" stroke="#123" stroke-width="5" fill="none"/></svg>`;
    const png = await sharp(Buffer.from(svg))
      .png()
      .withMetadata({ exif: { IFD0: { Artist: 'Casey at home' } } })
      .toBuffer();
    const drawn = await casey.accept(drawnQuote, {
      signature: { kind: 'drawn', dataUrl: `data:image/png;base64,${png.toString('base64')}` },
    });
    expect(drawn.statusCode, drawn.body).toBe(200);
    const stored = await findQuoteAcceptance(forTenant(t.deps.db, tt.g.tenant.id), drawnQuote);
    expect(stored).toMatchObject({ signatureKind: 'drawn', signerName: 'Casey Customer' });
    const kept = stored!.signaturePng!;
    expect(kept.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(kept.equals(png)).toBe(false);
    const meta = await sharp(kept).metadata();
    expect([meta.format, meta.exif, meta.width! <= 600]).toEqual(['png', undefined, true]);
    expect((await teamView(drawnQuote)).acceptance?.signature).toBe('drawn');

    const script = `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`;
    expect(codeOf(await casey.accept(badQuote, { signature: { kind: 'drawn', dataUrl: script } }))).toEqual([400, 'SIGNATURE_INVALID']);
    expect(codeOf(await casey.accept(badQuote, { signature: { kind: 'drawn', dataUrl: 'data:image/png;base64,' } }))).toEqual([
      400,
      'SIGNATURE_INVALID',
    ]);
    expect(await findQuoteAcceptance(forTenant(t.deps.db, tt.g.tenant.id), badQuote)).toBeUndefined();
    expect(await chronology(badQuote)).toEqual(['created', 'sent']);
  });

  it('an old version cannot be accepted once the team has revised the quote', async () => {
    const quoteId = await quote();
    const casey = await as(tt.g.contact);
    expect((await casey.view(quoteId)).quote.version).toBe(1);
    t.clock.advance(60_000);
    const revised = await (await agent()).patch(`/api/team/quotes/${quoteId}`, { title: 'Replace the valve and the trap' });
    expect(revised.json().quote.version).toBe(2);
    expect(codeOf(await casey.accept(quoteId, { version: 1 }))).toEqual([409, 'QUOTE_SUPERSEDED']);
    const now = await casey.view(quoteId);
    expect(now.quote).toMatchObject({ version: 2, title: 'Replace the valve and the trap', status: 'sent' });
    const ok = await casey.accept(quoteId, { version: 2 });
    expect(ok.statusCode, ok.body).toBe(200);
    const team = await teamView(quoteId);
    expect(team.acceptance).toMatchObject({ version: 2, contentSha256: team.versions[1]!.contentSha256 });
    expect(team.versions[1]!.contentSha256).not.toBe(team.versions[0]!.contentSha256);
  });

  it('an expired or withdrawn quote can no longer be decided', async () => {
    // Valid until today (UTC): it lapses at the next midnight.
    const today = dateIn('UTC', t.clock.now());
    const expiring = await quote({ extra: { validUntil: today } });
    const withdrawn = await quote();
    expect((await (await agent()).post(`/api/team/quotes/${withdrawn}/withdraw`, {})).statusCode).toBe(200);
    const casey = await as(tt.g.contact);
    expect(await casey.ids('waiting')).toContain(expiring);
    t.clock.set(`${dateIn('UTC', t.clock.now(), 1)}T00:00:00.000Z`);
    expect(await casey.ids('waiting')).not.toContain(expiring);
    expect(await casey.ids('expired')).toContain(expiring);
    const view = await casey.view(expiring);
    expect([view.quote.status, view.can]).toEqual(['expired', { accept: false, decline: false, requestChanges: false }]);
    expect(codeOf(await casey.accept(expiring))).toEqual([409, 'QUOTE_EXPIRED']);
    expect(codeOf(await casey.post(`/quotes/${expiring}/decline`, {}))).toEqual([409, 'QUOTE_EXPIRED']);
    expect(codeOf(await casey.post(`/quotes/${expiring}/request-changes`, { message: 'Still?' }))).toEqual([409, 'QUOTE_EXPIRED']);
    expect(codeOf(await casey.accept(withdrawn))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect(codeOf(await casey.post(`/quotes/${withdrawn}/decline`, {}))).toEqual([409, 'QUOTE_WITHDRAWN']);
    expect((await teamView(expiring)).acceptance).toBeNull();
  });

  it('declines with a reason the team reads', async () => {
    const quoteId = await quote();
    const cleoPortal = await as(cleo);
    t.clock.advance(60_000);
    const res = await cleoPortal.post(`/quotes/${quoteId}/decline`, { reason: '  Too expensive for now.  ' });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().decline).toEqual({ at: t.clock.now().toISOString(), reason: 'Too expensive for now.' });
    const team = await teamView(quoteId);
    expect(team.quote.status).toBe('declined');
    expect(team.decline).toEqual({ by: 'Cleo Client', at: t.clock.now().toISOString(), reason: 'Too expensive for now.' });
    expect(team.events.at(-1)).toMatchObject({ kind: 'declined', by: 'Cleo Client', detail: 'Too expensive for now.' });
    expect(await cleoPortal.ids('declined')).toContain(quoteId);
    // Without a reason is fine too.
    const plain = await cleoPortal.post(`/quotes/${await quote()}/decline`, {});
    expect([plain.statusCode, plain.json().decline.reason]).toEqual([200, null]);
  });

  it('asks for changes on the quote’s ticket, or on a new one when it has none', async () => {
    const onTicket = await quote();
    const casey = await as(tt.g.contact);
    expect(codeOf(await casey.post(`/quotes/${onTicket}/request-changes`, { message: '   ' }))).toEqual([400, 'VALIDATION_FAILED']);
    t.clock.advance(60_000);
    const res = await casey.post(`/quotes/${onTicket}/request-changes`, { message: 'Could you use a brass valve?' });
    expect(res.statusCode, res.body).toBe(200);
    expect([res.json().ticketId, res.json().quote.status]).toEqual([tt.g.ticket.id, 'changes_requested']);
    const messages = (await casey.get(`/tickets/${tt.g.ticket.id}`)).json().messages as { body: string }[];
    expect(messages.at(-1)!.body).toContain('Could you use a brass valve?');
    const number = (await teamView(onTicket)).quote.number;
    expect(messages.at(-1)!.body).toContain(number);
    expect((await teamView(onTicket)).events.at(-1)).toMatchObject({ kind: 'changes_requested', detail: 'Could you use a brass valve?' });
    // Still open to a decision, and the team's revision sends it again.
    expect((await casey.view(onTicket)).can).toEqual({ accept: true, decline: true, requestChanges: true });
    expect((await (await agent()).patch(`/api/team/quotes/${onTicket}`, { title: 'Brass valve' })).json().quote).toMatchObject({
      status: 'sent',
      version: 2,
    });

    const loose = await quote({ ticketId: null });
    const opened = await casey.post(`/quotes/${loose}/request-changes`, { message: 'Can you come on Friday instead?' });
    expect(opened.statusCode, opened.body).toBe(200);
    const ticketId = opened.json().ticketId as string;
    expect(ticketId).not.toBe(tt.g.ticket.id);
    const ticket = (await casey.get(`/tickets/${ticketId}`)).json();
    expect(ticket.messages[0].body).toContain('Can you come on Friday instead?');
    expect(ticket.ticket.requester).toBe(tt.g.contact.name);
    expect(ticket.quotes.map((q: { id: string }) => q.id)).toEqual([loose]);
    expect((await teamView(loose)).quote.ticket?.id).toBe(ticketId);
  });

  it('records the first customer view once, and never a view of a draft', async () => {
    const quoteId = await quote();
    const draft = await quote({ send: false });
    expect((await teamView(quoteId)).quote.firstViewed).toBeNull();
    const casey = await as(tt.g.contact);
    expect((await casey.get(`/quotes/${draft}`)).statusCode).toBe(404);
    expect((await teamView(draft)).quote.firstViewed).toBeNull();
    t.clock.advance(60_000);
    const first = t.clock.now().toISOString();
    await casey.view(quoteId);
    t.clock.advance(60_000);
    await casey.view(quoteId);
    await (await as(cleo)).view(quoteId);
    const team = await teamView(quoteId);
    expect(team.quote.firstViewed).toEqual({ at: first, by: tt.g.contact.name });
    expect(team.events.map((e) => [e.kind, e.by])).toEqual([
      ['created', 'Agent'],
      ['sent', 'Agent'],
      ['viewed', tt.g.contact.name],
    ]);
  });

  it('downloads the quote as a PDF', async () => {
    const quoteId = await quote();
    const res = await (await as(tt.g.contact)).get(`/quotes/${quoteId}/pdf`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="${(await teamView(quoteId)).quote.number}-v1.pdf"`);
    expect(res.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
  });
});

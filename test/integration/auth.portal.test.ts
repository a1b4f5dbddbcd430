import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { requestSignInLink } from '../../src/features/auth/portal-sign-in-link.service.js';
import { disableContact } from '../../src/features/clients/client.service.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { SignInDriver, sessionCookieOf, tokenOf } from '../helpers/sign-in.js';
import { useTestApp, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const DAY = 86_400_000;

/** Headers that differ between any two responses by design: the request id, the date and fresh CSP nonces. */
function comparable(res: LightMyRequestResponse) {
  const headers = { ...res.headers };
  delete headers['x-request-id'];
  delete headers.date;
  headers['content-security-policy'] = String(headers['content-security-policy']).replace(/'nonce-[^']+'/g, "'nonce'");
  return { status: res.statusCode, headers, body: res.body };
}

describeEachDialect('portal sign-in by link and code', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);
  let a: TenantGraph;
  let b: TenantGraph;

  beforeAll(async () => {
    a = await createTenantGraph(t.deps);
    b = await createTenantGraph(t.deps);
  });

  /** A fresh contact of tenant A per test, so per-email rate limits never mix tests. */
  async function newContact(): Promise<TenantGraph> {
    return createTenantGraph(t.deps);
  }

  it('answers known, unknown and other-tenant emails byte for byte alike, and mails only the contact', async () => {
    const known = await d.requestLink(a.tenant.slug, a.contact.email);
    const unknown = await d.requestLink(a.tenant.slug, 'nobody-here@example.com');
    const otherTenant = await d.requestLink(a.tenant.slug, b.contact.email);
    expect(known.statusCode).toBe(202);
    expect(known.json<{ message: string }>().message).toBe(
      `If this address belongs to a customer of ${a.tenant.name}, a sign-in link is on its way. It can take a minute to arrive.`,
    );
    expect(comparable(unknown)).toEqual(comparable(known));
    expect(comparable(otherTenant)).toEqual(comparable(known));
    expect(known.headers['cache-control']).toBe('no-store');

    await d.deliver();
    const mails = await d.mailTo(a.contact.email);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      to: a.contact.email,
      from: { name: a.tenant.name },
      subject: `Your sign-in link for ${a.tenant.name}`,
    });
    expect(mails[0]!.headers['Auto-Submitted'] ?? mails[0]!.headers['auto-submitted']).toBe('auto-generated');
    expect(await d.mailTo('nobody-here@example.com')).toHaveLength(0);
    expect(await d.mailTo(b.contact.email)).toHaveLength(0);
    expect(mails[0]!.text.toLowerCase()).not.toContain('servelo');
    expect(mails[0]!.html.toLowerCase()).not.toContain('servelo');
  });

  it('signs in once with a link; a second use is refused', async () => {
    const g = await newContact();
    const { token } = await d.linkFor(g.tenant.slug, g.contact.email);
    const first = await d.confirm(g.tenant.slug, token);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toMatchObject({
      landingPath: '/',
      me: { contact: { email: g.contact.email, name: g.contact.name }, client: { name: g.client.name } },
    });
    const cookie = sessionCookieOf(first);
    const setCookie = String(first.headers['set-cookie']);
    expect(setCookie).toMatch(/HttpOnly/i);
    expect(setCookie).toMatch(/SameSite=Lax/i);
    expect(setCookie).toMatch(/Path=\//);
    expect(setCookie).not.toMatch(/Domain=/i);

    const me = await d.get(`/portal/${g.tenant.slug}/api/me`, { cookie });
    expect(me.statusCode).toBe(200);
    expect(me.headers['cache-control']).toBe('no-store');

    const again = await d.confirm(g.tenant.slug, token);
    expect(again.statusCode).toBe(400);
    expect(again.json<{ error: { code: string } }>().error.code).toBe('LINK_INVALID');
    const info = await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token });
    expect(info.json()).toMatchObject({ state: 'used', maskedEmail: `${g.contact.email[0]}•••@customer.example.com` });

    const actions = await listTenantAuditActions(t.deps.db, g.tenant.id);
    expect(actions).toEqual(expect.arrayContaining(['auth.link.issued', 'auth.link.spent', 'auth.link.failed']));
    const auditData = await t.deps.db.selectFrom('audit_event').select('data').where('tenant_id', '=', g.tenant.id).execute();
    for (const row of auditData) expect(row.data ?? '').not.toContain(token);
  });

  it('gives exactly one session to 20 parallel confirmations of the same link', async () => {
    const g = await newContact();
    const { token } = await d.linkFor(g.tenant.slug, g.contact.email);
    const results = await Promise.all(Array.from({ length: 20 }, () => d.confirm(g.tenant.slug, token)));
    expect(results.filter((r) => r.statusCode === 200)).toHaveLength(1);
    expect(results.filter((r) => r.statusCode === 400)).toHaveLength(19);
    // eslint-disable-next-line no-restricted-syntax -- counts the contact's sessions across the database, past the scope on purpose
    const sessions = await t.deps.db.selectFrom('session').select('id').where('subject_id', '=', g.contact.id).execute();
    expect(sessions).toHaveLength(1);
  });

  it('refuses an expired link and says so on the confirmation page', async () => {
    const g = await newContact();
    const { token } = await d.linkFor(g.tenant.slug, g.contact.email);
    t.clock.advance(7 * DAY + 1);
    expect((await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token })).json()).toMatchObject({ state: 'expired' });
    expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(400);
    expect(await listTenantAuditActions(t.deps.db, g.tenant.id)).toContain('auth.link.expired');
  });

  it('revokes an older unspent link when a newer one is sent', async () => {
    const g = await newContact();
    const older = await d.linkFor(g.tenant.slug, g.contact.email);
    // Straight through the service: the HTTP limit of one link a minute per address would hold it back.
    await requestSignInLink(t.deps, g.tenant.id, { email: g.contact.email }, { ip: null, userAgent: null });
    await d.deliver();
    const newer = tokenOf((await d.mailTo(g.contact.email))[0]!);
    expect(newer).not.toBe(older.token);
    expect((await d.confirm(g.tenant.slug, older.token)).statusCode).toBe(400);
    expect((await d.confirm(g.tenant.slug, newer)).statusCode).toBe(200);
  });

  it('signs in with the code on another device; five wrong codes disable the code, never the emailed link', async () => {
    const g = await newContact();
    const { code } = await d.linkFor(g.tenant.slug, g.contact.email);
    const ok = await d.post(`/portal/${g.tenant.slug}/api/auth/code`, { email: g.contact.email.toUpperCase(), code: code.toLowerCase() });
    expect(ok.statusCode).toBe(200);
    expect(sessionCookieOf(ok)).toMatch(/^sid=/);

    const h = await newContact();
    const issued = await d.linkFor(h.tenant.slug, h.contact.email);
    for (let i = 0; i < 5; i++) {
      const wrong = await d.post(`/portal/${h.tenant.slug}/api/auth/code`, { email: h.contact.email, code: 'AAAA-AAAA' });
      expect(wrong.json<{ error: { code: string } }>().error.code).toBe('CODE_INVALID');
    }
    // The code is spent for good (the brute-force bound holds), but a stranger who knows only the
    // address cannot take the customer's link away: it still signs them in.
    const late = await d.post(`/portal/${h.tenant.slug}/api/auth/code`, { email: h.contact.email, code: issued.code });
    expect(late.statusCode).toBe(400);
    expect((await d.confirm(h.tenant.slug, issued.token)).statusCode).toBe(200);
    expect(await listTenantAuditActions(t.deps.db, h.tenant.id)).toContain('auth.code.burned');
  });

  it('builds the emailed URL from configuration, whatever Host, X-Forwarded-Host or Forwarded say', async () => {
    const g = await newContact();
    // On the platform host (an unknown Host serves nothing at all: domains.routing.test.ts).
    await d.requestLink(g.tenant.slug, g.contact.email, {
      host: 'localhost:3000',
      'x-forwarded-host': 'evil.example',
      'x-forwarded-proto': 'https',
      forwarded: 'host=evil.example;proto=https',
    });
    await d.deliver();
    const mail = (await d.mailTo(g.contact.email))[0]!;
    const links = [...mail.text.matchAll(/https?:\/\/[^\s)"']+/g)].map((m) => m[0]);
    expect(links.length).toBeGreaterThan(0);
    for (const link of links) expect(link.startsWith(`${TEST_ORIGIN}/portal/${g.tenant.slug}`)).toBe(true);
    expect(mail.html).not.toContain('evil.example');
  });

  it("refuses tenant A's link at tenant B, and B's portal refuses A's session", async () => {
    const g = await newContact();
    const { token } = await d.linkFor(g.tenant.slug, g.contact.email);
    expect((await d.confirm(b.tenant.slug, token)).statusCode).toBe(400);
    expect((await d.post(`/portal/${b.tenant.slug}/api/auth/link-info`, { token })).json()).toMatchObject({
      state: 'invalid',
      maskedEmail: null,
    });
    const signedIn = await d.confirm(g.tenant.slug, token);
    expect(signedIn.statusCode).toBe(200);
    const cookie = sessionCookieOf(signedIn);
    expect((await d.get(`/portal/${b.tenant.slug}/api/me`, { cookie })).statusCode).toBe(401);
    expect((await d.get(`/portal/${g.tenant.slug}/api/me`, { cookie })).statusCode).toBe(200);
  });

  it('never spends a link on GET or HEAD of the link, nor on a cross-site POST', async () => {
    const g = await newContact();
    const { token } = await d.linkFor(g.tenant.slug, g.contact.email);
    for (const method of ['GET', 'HEAD'] as const) {
      const res = await t.app.inject({
        method,
        url: `/portal/${g.tenant.slug}/auth/confirm?token=${token}`,
        headers: { accept: 'text/html' },
      });
      expect(res.statusCode).toBe(200);
    }
    const crossSite = await t.app.inject({
      method: 'POST',
      url: `/portal/${g.tenant.slug}/api/auth/confirm`,
      headers: { 'content-type': 'application/json', 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      payload: { token },
    });
    expect(crossSite.statusCode).toBe(403);
    expect((await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token })).json()).toMatchObject({ state: 'valid' });
    expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(200);
  });

  it("stops a disabled contact's link and session at once", async () => {
    const g = await newContact();
    const first = await d.linkFor(g.tenant.slug, g.contact.email);
    const cookie = sessionCookieOf(await d.confirm(g.tenant.slug, first.token));
    await requestSignInLink(t.deps, g.tenant.id, { email: g.contact.email }, { ip: null, userAgent: null });
    await d.deliver();
    const pending = tokenOf((await d.mailTo(g.contact.email))[0]!);

    await disableContact(t.deps, g.tenant.id, g.contact.id);
    expect((await d.get(`/portal/${g.tenant.slug}/api/me`, { cookie })).statusCode).toBe(401);
    expect((await d.confirm(g.tenant.slug, pending)).statusCode).toBe(400);
    await d.requestLink(g.tenant.slug, g.contact.email);
    await d.deliver();
    expect(await d.mailTo(g.contact.email)).toHaveLength(2);
  });

  it('never mails another address, whatever the email field holds', async () => {
    const g = await newContact();
    const before = new Set((await d.allMail()).map((m) => m.id));
    const hostile = [
      `${g.contact.email},attacker@evil.example`,
      `${g.contact.email}\r\nBcc: attacker@evil.example`,
      `attacker@evil.example <${g.contact.email}>`,
      `"${g.contact.email}"@evil.example`,
      g.contact.email.replace('@', '＠') + '@evil.example',
      `${g.contact.email} attacker@evil.example`,
    ];
    for (const email of hostile) {
      const res = await d.requestLink(g.tenant.slug, email);
      expect([202, 400], email).toContain(res.statusCode);
    }
    await d.deliver();
    const sent = (await d.allMail()).filter((m) => !before.has(m.id));
    for (const mail of sent) expect(mail.to).toBe(g.contact.email);
    expect(sent.every((m) => !JSON.stringify(m).includes('attacker@evil.example'))).toBe(true);
  });
});

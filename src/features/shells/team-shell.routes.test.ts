import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildTestApp, type TestApp } from '../../../test/helpers/test-app.js';
import { describeEachDialect } from '../../../test/helpers/test-database.js';
import { updateOrganisation } from '../tenants/tenant.service.js';
import { createTeamTenant, type TeamTenant } from '../../../test/helpers/factories.js';

function cspNoncesOf(response: LightMyRequestResponse): string[] {
  const csp = String(response.headers['content-security-policy'] ?? '');
  return [...csp.matchAll(/'nonce-([^']+)'/g)].map((m) => m[1] ?? '');
}

function bootstrapOf(html: string): unknown {
  const json = /<script type="application\/json" id="team-bootstrap" nonce="[^"]+">([^<]*)<\/script>/.exec(html)?.[1];
  return json === undefined ? undefined : (JSON.parse(json) as unknown);
}

describeEachDialect('team app shell', (database) => {
  let t: TestApp;
  let acme: TeamTenant;

  beforeAll(async () => {
    t = await buildTestApp(database());
    acme = await createTeamTenant(t, { name: 'Acme <Repairs>' });
    await updateOrganisation({ db: t.deps.db, clock: t.clock }, acme.g.tenant.id, {
      timeZone: 'Europe/Berlin',
      locale: 'de-DE',
      currency: 'EUR',
    });
  });

  afterAll(async () => {
    await t?.close();
  });

  it('serves the same neutral shell for /app and every page below it, with nonce CSP and no caching', async () => {
    for (const url of ['/app', '/app/', '/app/tickets/01HX', '/app/settings/organisation?x=1']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['content-type']).toMatch(/^text\/html/);
      expect(res.headers['cache-control']).toBe('no-store');
      expect(res.body).toContain('<title>Servelo</title>');
      expect(res.body).toContain('<div id="root">');
      const nonces = cspNoncesOf(res);
      expect(nonces.length).toBeGreaterThan(0);
      for (const [, nonce] of res.body.matchAll(/<script[^>]* nonce="([^"]+)"/g)) expect(nonces).toContain(nonce);
      expect(res.body, 'dist/web is missing: run `npm run build` first').toMatch(
        /<script type="module" nonce="[^"]+" src="\/assets\/team-[^"]+\.js"><\/script>/,
      );
      // Signed out: nothing about any organisation.
      expect(bootstrapOf(res.body)).toEqual({ organisation: null });
      expect(res.body).not.toContain('Acme');
    }
  });

  it('never leaks a token page’s URL in a Referer', async () => {
    for (const url of ['/app/reset', '/app/accept-invite', '/app/reset/']) {
      const res = await t.app.inject({ method: 'GET', url });
      expect(res.headers['referrer-policy'], url).toBe('no-referrer');
    }
    const inbox = await t.app.inject({ method: 'GET', url: '/app/' });
    expect(inbox.headers['referrer-policy']).not.toBe('no-referrer');
  });

  it('embeds the signed-in organisation’s time zone, locale and currency, escaped for a script element', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/app/', headers: { cookie: acme.as.agent.cookie ?? '' } });
    expect(bootstrapOf(res.body)).toEqual({
      organisation: { tenantId: acme.g.tenant.id, timeZone: 'Europe/Berlin', locale: 'de-DE', currency: 'EUR' },
    });
    // The name is not embedded: the app asks /api/team/me, so the page stays the same for everyone.
    expect(res.body).not.toContain('Acme');
    const revoked = await t.app.inject({
      method: 'GET',
      url: '/app/',
      headers: { cookie: 'servelo_team=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
    });
    expect(revoked.statusCode).toBe(200);
    expect(bootstrapOf(revoked.body)).toEqual({ organisation: null });
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { insertCustomDomain, uniqueHost } from '../helpers/custom-domains.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { SignInDriver, tokenOf } from '../helpers/sign-in.js';
import { type TestApp, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * Sessions on a custom domain served over HTTPS by a proxy in front (Caddy, TRUST_PROXY=1) while
 * PUBLIC_URL is plain HTTP: the cookies follow the request's scheme — `__Host-` and Secure — and
 * stay host-only.
 */
describeEachDialect('sessions on a custom domain over HTTPS behind a trusted proxy', (getDb) => {
  const t = useTestApp(getDb, { TRUST_PROXY: '1' });
  const d = new SignInDriver(t);
  let g: TenantGraph;
  let host: string;

  beforeAll(async () => {
    g = await createTenantGraph(t.deps);
    host = uniqueHost('https');
    await insertCustomDomain(t.deps, g.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
  });

  /** What Caddy forwards for a browser's HTTPS request to the domain. */
  function viaProxy(app: TestApp, method: 'GET' | 'POST', url: string, extra: { payload?: object; cookie?: string; proto?: string } = {}) {
    return app.app.inject({
      method,
      url,
      remoteAddress: '127.0.0.1',
      headers: {
        host,
        'x-forwarded-proto': extra.proto ?? 'https',
        'x-forwarded-for': '198.51.100.77',
        ...(method === 'POST' ? { origin: `https://${host}`, 'content-type': 'application/json' } : {}),
        ...(extra.cookie ? { cookie: extra.cookie } : {}),
      },
      ...(extra.payload ? { payload: extra.payload } : {}),
    });
  }

  const setCookies = (res: LightMyRequestResponse): string[] => {
    const raw = res.headers['set-cookie'];
    return raw === undefined ? [] : Array.isArray(raw) ? raw : [String(raw)];
  };

  it('sets __Host-sid with Secure and no Domain, and reads it back only over HTTPS', async () => {
    expect((await viaProxy(t, 'POST', '/api/auth/request-link', { payload: { email: g.contact.email } })).statusCode).toBe(202);
    await d.deliver();
    const token = tokenOf((await d.mailTo(g.contact.email))[0]!);

    const info = await viaProxy(t, 'POST', '/api/auth/link-info', { payload: { token } });
    const binding = setCookies(info).find((c) => c.startsWith('__Secure-sign_in_confirm='));
    expect(binding).toContain('Secure');
    const confirmed = await viaProxy(t, 'POST', '/api/auth/confirm', { payload: { token }, cookie: binding!.split(';')[0]! });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const session = setCookies(confirmed).find((c) => c.startsWith('__Host-sid='));
    expect(session).toBeDefined();
    expect(session).toContain('Secure');
    expect(session).toContain('Path=/');
    expect(session!.toLowerCase()).not.toContain('domain=');

    const cookie = session!.split(';')[0]!;
    expect((await viaProxy(t, 'GET', '/api/me', { cookie })).statusCode).toBe(200);
    // Over plain HTTP the browser would not send a Secure cookie; the server does not read the name either.
    expect((await viaProxy(t, 'GET', '/api/me', { cookie, proto: 'http' })).statusCode).toBe(401);
  });
});

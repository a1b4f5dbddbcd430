import type { LightMyRequestResponse } from 'fastify';
import { expect, it } from 'vitest';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { confirmBindingCookieOf, SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const errorCodeOf = (res: LightMyRequestResponse) => res.json<{ error: { code: string; message: string } }>().error;

/**
 * The confirm POST is bound to a visit of the confirmation page (issue 11, B4): the page's
 * link-info call sets a short-lived, host-only cookie for that very link, and the POST must carry
 * it. A client that forges the fetch-metadata headers without opening the page gets nowhere, and
 * its attempt neither spends the link nor counts against it.
 */
describeEachDialect('portal sign-in: the confirm POST is bound to the confirmation page', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  async function linkOf(): Promise<{ g: TenantGraph; token: string }> {
    const g = await createTenantGraph(t.deps);
    return { g, token: (await d.serviceLinkFor(g.tenant.id, g.contact.email)).token };
  }

  it('refuses a confirm POST without the page cookie, and the link still works from the page', async () => {
    const { g, token } = await linkOf();
    const unbound = await d.confirmUnbound(g.tenant.slug, token);
    expect(unbound.statusCode).toBe(403);
    expect(errorCodeOf(unbound).code).toBe('SIGN_IN_CONFIRM_UNBOUND');
    expect(errorCodeOf(unbound).message).toMatch(/open the sign-in link .*again/i);
    expect(unbound.cookies.find((c) => c.name === 'sid')).toBeUndefined();

    const info = await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token });
    expect(info.json()).toMatchObject({ state: 'valid' });
    const signedIn = await d.confirmUnbound(g.tenant.slug, token, confirmBindingCookieOf(info));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
  });

  it("refuses the cookie of another link, even the same customer's", async () => {
    const { g, token } = await linkOf();
    const other = await linkOf();
    const otherInfo = await d.post(`/portal/${other.g.tenant.slug}/api/auth/link-info`, { token: other.token });
    const wrong = await d.confirmUnbound(g.tenant.slug, token, confirmBindingCookieOf(otherInfo));
    expect(wrong.statusCode).toBe(403);
    expect(errorCodeOf(wrong).code).toBe('SIGN_IN_CONFIRM_UNBOUND');
    // The same link's cookie, forged for another portal, does not travel either.
    const sameTokenOtherTenant = await d.post(`/portal/${other.g.tenant.slug}/api/auth/link-info`, { token });
    const crossTenant = await d.confirmUnbound(g.tenant.slug, token, confirmBindingCookieOf(sameTokenOtherTenant));
    expect(errorCodeOf(crossTenant).code).toBe('SIGN_IN_CONFIRM_UNBOUND');
    const tampered = confirmBindingCookieOf(await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token })).replace(
      /=(\d+)\./,
      (_m, exp: string) => `=${Number(exp) + 3600}.`,
    );
    expect(errorCodeOf(await d.confirmUnbound(g.tenant.slug, token, tampered)).code).toBe('SIGN_IN_CONFIRM_UNBOUND');
    expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(200);
  });

  it('lets the page cookie lapse after 15 minutes', async () => {
    const { g, token } = await linkOf();
    const cookie = confirmBindingCookieOf(await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token }));
    t.clock.advance(15 * 60_000 + 1_000);
    expect(errorCodeOf(await d.confirmUnbound(g.tenant.slug, token, cookie)).code).toBe('SIGN_IN_CONFIRM_UNBOUND');
    expect((await d.confirm(g.tenant.slug, token)).statusCode).toBe(200);
  });

  it('sets the cookie host-only, HttpOnly, SameSite=Strict, for the confirm path only, for 15 minutes', async () => {
    const { g, token } = await linkOf();
    const info = await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token });
    const cookie = info.cookies.find((c) => c.name === 'sign_in_confirm');
    expect(cookie).toMatchObject({
      httpOnly: true,
      sameSite: 'Strict',
      path: `/portal/${g.tenant.slug}/api/auth/confirm`,
      maxAge: 900,
    });
    expect(cookie?.domain).toBeUndefined();
    expect(cookie?.secure).toBeUndefined();
  });
});

describeEachDialect('portal sign-in: the confirm cookie over HTTPS', (getDb) => {
  it('is Secure and carries the __Secure- prefix', async () => {
    const t = await buildTestApp(getDb(), { PUBLIC_URL: 'https://desk.example.com' });
    try {
      const g = await createTenantGraph(t.deps);
      const info = await t.app.inject({
        method: 'POST',
        url: `/portal/${g.tenant.slug}/api/auth/link-info`,
        headers: { origin: 'https://desk.example.com', 'content-type': 'application/json' },
        payload: { token: 'x'.repeat(43) },
      });
      expect(info.statusCode).toBe(200);
      expect(info.cookies.find((c) => c.name === '__Secure-sign_in_confirm')).toMatchObject({ secure: true, httpOnly: true });
    } finally {
      await t.close();
    }
  });
});

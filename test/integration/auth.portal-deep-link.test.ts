import { expect, it } from 'vitest';
import { issueDeepLink, isPortalLandingPath } from '../../src/features/auth/portal-deep-link.service.js';
import { disableContact } from '../../src/features/clients/client.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTenantGraph } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const tokenOfUrl = (url: string) => /#token=([A-Za-z0-9_-]+)$/.exec(url)?.[1] ?? '';

/**
 * A notification's deep link (the "View quote" button of an email) signs its contact straight in
 * and lands on one portal page, with the guarantees of a sign-in link: spent once, bound to its
 * tenant and contact, through the confirmation page; it neither replaces the contact's sign-in
 * link nor is replaced by a new one.
 */
describeEachDialect('deep links of notifications', (getDb) => {
  const t = useTestApp(getDb);

  const issue = async (g: Awaited<ReturnType<typeof createTenantGraph>>, landingPath = '/quotes/q-1') =>
    issueDeepLink(forTenant(t.deps.db, g.tenant.id), t.clock, {
      contact: g.contact,
      portalUrl: `${t.config.http.publicUrl}/portal/${g.tenant.slug}`,
      landingPath,
      purpose: 'quote.sent',
    });

  it('signs its contact in once and lands on its page', async () => {
    const g = await createTenantGraph(t.deps);
    const d = new SignInDriver(t);
    const link = await issue(g);
    expect(link.url).toMatch(new RegExp(`/portal/${g.tenant.slug}/auth/confirm#token=`));
    expect(link.expiresAt.getTime() - t.clock.now().getTime()).toBe(7 * 86_400_000);

    const info = await d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token: tokenOfUrl(link.url) });
    expect(info.json()).toMatchObject({ state: 'valid' });
    const first = await d.confirm(g.tenant.slug, tokenOfUrl(link.url));
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json().landingPath).toBe('/quotes/q-1');
    const again = await d.confirm(g.tenant.slug, tokenOfUrl(link.url));
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('LINK_INVALID');
  });

  it("is refused on another organisation's portal and after its contact is disabled", async () => {
    const a = await createTenantGraph(t.deps);
    const b = await createTenantGraph(t.deps);
    const d = new SignInDriver(t);
    const link = await issue(a);
    const elsewhere = await d.confirm(b.tenant.slug, tokenOfUrl(link.url));
    expect(elsewhere.json().error.code).toBe('LINK_INVALID');

    const second = await issue(a);
    // Both deep links end with the contact: the one refused elsewhere was never spent.
    expect(await disableContact(t.deps, a.tenant.id, a.contact.id)).toMatchObject({ tokens: 2 });
    const disabled = await d.confirm(a.tenant.slug, tokenOfUrl(second.url));
    expect(disabled.json().error.code).toBe('LINK_INVALID');
  });

  it("neither replaces the contact's sign-in link nor is replaced by a newer one", async () => {
    const g = await createTenantGraph(t.deps);
    const d = new SignInDriver(t);
    const signIn = await d.serviceLinkFor(g.tenant.id, g.contact.email);
    const link = await issue(g);
    // A sign-in link requested after the deep link was sent.
    const later = await d.serviceLinkFor(g.tenant.id, g.contact.email);
    expect((await d.confirm(g.tenant.slug, tokenOfUrl(link.url))).statusCode).toBe(200);
    expect((await d.confirm(g.tenant.slug, later.token)).statusCode).toBe(200);
    // The first sign-in link was replaced by the later one, as before.
    expect((await d.confirm(g.tenant.slug, signIn.token)).json().error.code).toBe('LINK_INVALID');
    // Its one-time code signs nobody in through the deep link: code entry knows sign-in links only.
    expect((await d.post(`/portal/${g.tenant.slug}/api/auth/code`, { email: g.contact.email, code: 'ABCD-EFGH' })).json().error.code).toBe(
      'CODE_INVALID',
    );
  });

  it('lands only on a path of the portal', async () => {
    expect(['/quotes/01abc', '/tickets/7?tab=quotes', '/'].map(isPortalLandingPath)).toEqual([true, true, true]);
    expect(['//evil.example', '/\\evil.example', 'https://evil.example', '/quotes/\n1', 'quotes'].map(isPortalLandingPath)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    const g = await createTenantGraph(t.deps);
    await expect(issue(g, '//evil.example')).rejects.toThrow(RangeError);
  });
});

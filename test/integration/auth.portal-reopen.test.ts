import { expect, it } from 'vitest';
import { addContact } from '../../src/features/clients/client.service.js';
import { createTenantGraph, uniqueEmail } from '../helpers/factories.js';
import { SignInDriver, sessionCookieOf } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * A customer who opens a link they already used, in the browser where they are signed in as that
 * same contact, goes to the portal; anyone else still learns that the link was used.
 */
describeEachDialect('portal: re-opening a used sign-in link', (getDb) => {
  const t = useTestApp(getDb);

  it("answers signed_in with the link's landing path to its own contact, and used to everyone else", async () => {
    const d = new SignInDriver(t);
    const g = await createTenantGraph(t.deps);
    const { token } = await d.serviceLinkFor(g.tenant.id, g.contact.email);
    const signedIn = await d.confirm(g.tenant.slug, token);
    expect(signedIn.statusCode).toBe(200);
    const cookie = sessionCookieOf(signedIn);
    const info = (headers: Record<string, string> = {}) => d.post(`/portal/${g.tenant.slug}/api/auth/link-info`, { token }, headers);

    expect((await info({ cookie })).json()).toMatchObject({
      state: 'signed_in',
      signedInAs: null,
      landingPath: expect.stringMatching(/^\//),
    });
    expect((await info()).json()).toMatchObject({ state: 'used', landingPath: null });

    const other = await addContact(t.deps, g.tenant.id, g.client.id, { email: uniqueEmail('other'), name: 'Other Person' });
    const { token: otherToken } = await d.serviceLinkFor(g.tenant.id, other.email);
    const otherCookie = sessionCookieOf(await d.confirm(g.tenant.slug, otherToken));
    expect((await info({ cookie: otherCookie })).json()).toMatchObject({
      state: 'used',
      landingPath: null,
      signedInAs: expect.any(String),
    });
  });
});

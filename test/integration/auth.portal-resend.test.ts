import { expect, it } from 'vitest';
import { createTenantGraph } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * "Email me a new link" obeys the limits of the address it sends to (1 a minute, 5 an hour),
 * however many old links someone holds: four old tokens cannot send four emails.
 */
describeEachDialect('portal: resending a sign-in link', (getDb) => {
  const t = useTestApp(getDb);

  it('sends at most one email a minute to an address, whichever old links or new requests ask', async () => {
    const d = new SignInDriver(t);
    const g = await createTenantGraph(t.deps);
    const tokens: string[] = [];
    for (let i = 0; i < 4; i++) {
      t.clock.advance(61 * 60_000);
      tokens.push((await d.serviceLinkFor(g.tenant.id, g.contact.email)).token);
    }
    const before = (await d.mailTo(g.contact.email)).length;
    t.clock.advance(61 * 60_000);

    for (const token of tokens) {
      const res = await d.post(`/portal/${g.tenant.slug}/api/auth/resend`, { token });
      expect(res.statusCode).toBe(202);
    }
    await d.deliver();
    expect((await d.mailTo(g.contact.email)).length - before).toBe(1);

    // The resend and a link request share the address's count: asking again within the minute sends nothing.
    expect((await d.requestLink(g.tenant.slug, g.contact.email)).statusCode).toBe(202);
    await d.deliver();
    expect((await d.mailTo(g.contact.email)).length - before).toBe(1);
  });
});

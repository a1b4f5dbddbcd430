import { afterAll, beforeAll, expect, it } from 'vitest';
import { SignInDriver } from '../helpers/sign-in.js';
import { createTeamTenant, signInContact, type TeamTenant } from '../helpers/factories.js';
import { buildTestApp, SAME_ORIGIN_JSON, TEST_ORIGIN, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

/**
 * Text no person types: a NUL character anywhere in a body, a query string or a path, and bytes
 * that are not UTF-8 in a JSON body. PostgreSQL cannot store NUL in text and SQLite would keep it;
 * either way it is refused at the edge with 400 and a field to fix, on every route, and nothing is
 * written.
 */
describeEachDialect('hostile text at the edge', (getDb) => {
  let t: TestApp;
  let tt: TeamTenant;
  let cookie: string;

  beforeAll(async () => {
    t = await buildTestApp(getDb());
    tt = await createTeamTenant(t);
    cookie = await signInContact(new SignInDriver(t), tt.g.tenant, tt.g.contact.email);
  });
  afterAll(async () => t.close());

  const portal = (method: 'GET' | 'POST' | 'PATCH', path: string, payload?: string | object) =>
    t.app.inject({
      method,
      url: `/portal/${tt.g.tenant.slug}/api${path}`,
      headers: { ...(payload === undefined ? { origin: TEST_ORIGIN } : SAME_ORIGIN_JSON), cookie },
      ...(payload === undefined ? {} : { payload }),
    });
  const expectRefused = (
    res: { statusCode: number; body: string; json: () => { error: { code: string; details?: { path: string }[] } } },
    path: string,
  ) => {
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('VALIDATION_FAILED');
    expect(res.json().error.details?.map((d) => d.path)).toContain(path);
  };

  it('refuses a NUL character in a JSON body field, and writes nothing', async () => {
    expectRefused(await portal('POST', '/tickets', { title: 'Leak\u0000', description: 'Drips' }), 'title');
    expectRefused(await tt.as.agent.post('/api/team/clients', { name: 'Acme\u0000 Ltd' }), 'name');
    expectRefused(await portal('PATCH', '/me', { name: 'Casey', phone: null, extra: undefined, nested: ['ok', 'bad\u0000'] }), 'nested.1');
    const list = await portal('GET', '/tickets?status=all');
    expect(list.json().tickets.map((x: { title: string }) => x.title)).not.toContain('Leak\u0000');
  });

  it('refuses a NUL character in a query string or a path', async () => {
    expectRefused(await portal('GET', '/tickets?q=%00'), 'q');
    expectRefused(await tt.as.agent.get('/api/team/tickets?q=a%00b'), 'q');
    expectRefused(await portal('GET', '/tickets/abc%00def'), 'id');
    expectRefused(await tt.as.agent.get('/api/team/clients/%00'), 'id');
  });

  it('refuses a JSON body that is not UTF-8', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: `/portal/${tt.g.tenant.slug}/api/tickets`,
      headers: { ...SAME_ORIGIN_JSON, cookie },
      payload: Buffer.concat([Buffer.from('{"title":"Caf'), Buffer.from([0xe9]), Buffer.from('","description":"x"}')]),
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json().error.code).toBe('INVALID_JSON');
  });

  it('turns control characters in names into spaces at input, and refuses a name of nothing else', async () => {
    const client = await tt.as.agent.post('/api/team/clients', { name: 'Acme\u0007\tLtd\n' });
    expect(client.statusCode, client.body).toBe(201);
    expect(client.json().name).toBe('Acme Ltd');
    const me = await portal('PATCH', '/me', { name: 'Casey\u001b[31m\u2028Red' });
    expect(me.statusCode, me.body).toBe(200);
    expect(me.json().contact.name).toBe('Casey [31m Red');
    const org = await tt.as.owner.patch('/api/team/settings/organisation', { name: 'Harbor\r\nBcc: x@evil.test' });
    expect(org.statusCode, org.body).toBe(200);
    expect(org.json().name).toBe('Harbor Bcc: x@evil.test');
    expectRefused(await tt.as.agent.post('/api/team/clients', { name: '\u0000\u0007' }), 'name');
    expectRefused(await tt.as.agent.post('/api/team/clients', { name: '\u0007\u001b' }), 'name');
  });
});

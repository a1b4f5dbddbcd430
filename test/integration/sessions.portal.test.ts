import { Redis } from 'ioredis';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createTenantGraph, type TenantGraph, signInContact } from '../helpers/factories.js';
import { SignInDriver } from '../helpers/sign-in.js';
import { buildTestApp, useTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const DAY = 86_400_000;
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

describeEachDialect('portal sessions and sign-in limits', (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  const signIn = (g: TenantGraph, cookie?: string) => signInContact(d, g.tenant, g.contact.email, cookie);

  it('signs out one session, or every session of the contact', async () => {
    const g = await createTenantGraph(t.deps);
    const phone = await signIn(g);
    t.clock.advance(61_000);
    const laptop = await signIn(g);
    const me = `/portal/${g.tenant.slug}/api/me`;

    const out = await d.post(`/portal/${g.tenant.slug}/api/auth/logout`, {}, { cookie: phone });
    expect(out.statusCode).toBe(204);
    expect(String(out.headers['set-cookie'])).toMatch(/sid=;/);
    expect((await d.get(me, { cookie: phone })).statusCode).toBe(401);
    expect((await d.get(me, { cookie: laptop })).statusCode).toBe(200);

    t.clock.advance(61_000);
    const tablet = await signIn(g);
    expect((await d.post(`/portal/${g.tenant.slug}/api/auth/logout-all`, {}, { cookie: tablet })).statusCode).toBe(204);
    expect((await d.get(me, { cookie: laptop })).statusCode).toBe(401);
    expect((await d.get(me, { cookie: tablet })).statusCode).toBe(401);
  });

  it('issues a new session id on every sign-in and revokes the one the browser had', async () => {
    const g = await createTenantGraph(t.deps);
    const first = await signIn(g);
    t.clock.advance(61_000);
    const second = await signIn(g, first);
    expect(second).not.toBe(first);
    expect((await d.get(`/portal/${g.tenant.slug}/api/me`, { cookie: first })).statusCode).toBe(401);
    expect((await d.get(`/portal/${g.tenant.slug}/api/me`, { cookie: second })).statusCode).toBe(200);
  });

  it('ends a session after 7 idle days, and after 30 days however active', async () => {
    const g = await createTenantGraph(t.deps);
    const me = `/portal/${g.tenant.slug}/api/me`;
    const idle = await signIn(g);
    t.clock.advance(7 * DAY - 60_000);
    expect((await d.get(me, { cookie: idle })).statusCode).toBe(200);
    t.clock.advance(7 * DAY - 60_000);
    expect((await d.get(me, { cookie: idle })).statusCode).toBe(200);
    t.clock.advance(7 * DAY + 1);
    expect((await d.get(me, { cookie: idle })).statusCode).toBe(401);

    const busy = await signIn(g);
    for (let day = 0; day < 29; day++) {
      t.clock.advance(DAY);
      expect((await d.get(me, { cookie: busy })).statusCode).toBe(200);
    }
    t.clock.advance(DAY);
    expect((await d.get(me, { cookie: busy })).statusCode).toBe(401);
  });

  it('ignores a session id in the query string or body', async () => {
    const g = await createTenantGraph(t.deps);
    const cookie = await signIn(g);
    const id = cookie.split('=')[1];
    expect((await d.get(`/portal/${g.tenant.slug}/api/me?sid=${id}`)).statusCode).toBe(401);
  });

  it('sends at most one link a minute per address, with the same answer', async () => {
    const g = await createTenantGraph(t.deps);
    const first = await d.requestLink(g.tenant.slug, g.contact.email);
    const second = await d.requestLink(g.tenant.slug, g.contact.email);
    expect(second.statusCode).toBe(202);
    expect(second.body).toBe(first.body);
    await d.deliver();
    expect(await d.mailTo(g.contact.email)).toHaveLength(1);
  });

  it('limits confirm and code attempts per address with 429', async () => {
    const g = await createTenantGraph(t.deps);
    let last = 0;
    for (let i = 0; i < 101; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: `/portal/${g.tenant.slug}/api/auth/confirm`,
        headers: { origin: 'http://localhost:3000', 'content-type': 'application/json' },
        payload: { token: 'x'.repeat(43) },
        remoteAddress: '203.0.113.9',
      });
      last = res.statusCode;
    }
    expect(last).toBe(429);
  });
});

describeEachDialect('sign-in limits shared through Redis', (getDb) => {
  let one: TestApp;
  let two: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    one = await buildTestApp(getDb(), { REDIS_URL });
    two = await buildTestApp(getDb(), { REDIS_URL });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await one.deps.redis?.quit();
    await two.deps.redis?.quit();
    await redis.quit();
  });

  it('lets a second app instance see the first instance’s count', async () => {
    expect(one.deps.redis).not.toBeNull();
    const g = await createTenantGraph(one.deps);
    const d1 = new SignInDriver(one);
    const d2 = new SignInDriver(two);
    expect((await d1.requestLink(g.tenant.slug, g.contact.email)).statusCode).toBe(202);
    expect((await d2.requestLink(g.tenant.slug, g.contact.email)).statusCode).toBe(202);
    await d1.deliver();
    await d2.deliver();
    expect(await d1.mailTo(g.contact.email)).toHaveLength(1);
    const keys = await redis.keys(`rl:*${g.tenant.id}*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

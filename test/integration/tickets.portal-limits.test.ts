import type { LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { addContact, type Contact } from '../../src/features/clients/client.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { createTeamTenant, openContactTicket, portalCookieFor, type TeamTenant } from '../helpers/factories.js';
import { injectMultipart, type PartSpec } from '../helpers/multipart-upload.js';
import { buildTestApp, SAME_ORIGIN_JSON, useTestApp, type TestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** Small limits, so a test reaches them in a few requests. */
const LIMITS = {
  PORTAL_LIMIT_SUBMISSIONS_PER_MINUTE: '2',
  PORTAL_LIMIT_REPLIES_PER_MINUTE: '2',
  PORTAL_LIMIT_CLOSES_PER_MINUTE: '1',
  PORTAL_LIMIT_UPLOADS_PER_MINUTE: '2',
};

const csv = (name: string): PartSpec => ({ field: 'files', filename: name, content: Buffer.from('a,b\n1,2\n') });

const upload = (t: TestApp, url: string, cookie: string) => injectMultipart(t.app, url, [csv('list.csv')], { cookie });

function portal(t: TestApp, slug: string, cookie: string) {
  const post = (path: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/portal/${slug}${path}`, headers: { ...SAME_ORIGIN_JSON, cookie }, payload });
  return {
    submit: (title = 'Help') => post('/api/tickets', { title, description: 'Please help.' }),
    reply: (ticketId: string, body = 'More detail.') => post(`/api/tickets/${ticketId}/messages`, { body }),
    close: (ticketId: string) => post(`/api/tickets/${ticketId}/close`, { message: 'Solved, thanks.' }),
    upload: () => upload(t, `/portal/${slug}/api/uploads`, cookie),
    list: async () =>
      (await t.app.inject({ method: 'GET', url: `/portal/${slug}/api/tickets?status=all&limit=50`, headers: { cookie } })).json<{
        tickets: { id: string; status: string }[];
      }>().tickets,
    detail: async (id: string) =>
      (await t.app.inject({ method: 'GET', url: `/portal/${slug}/api/tickets/${id}`, headers: { cookie } })).json<{
        ticket: { status: string };
        messages: unknown[];
      }>(),
  };
}

/** A 429 a person can act on: the stable code, a Retry-After in seconds, and a message that says how long. */
function expectLimited(res: LightMyRequestResponse, maxSeconds: number): void {
  expect(res.statusCode, res.body).toBe(429);
  const error = res.json<{ error: { code: string; message: string } }>().error;
  expect(error.code).toBe('CUSTOMER_LIMIT_REACHED');
  expect(error.message).toMatch(/You can \w+ more in (a minute|\d+ minutes|about an hour|about \d+ hours)\./);
  const retryAfter = Number(res.headers['retry-after']);
  expect(Number.isInteger(retryAfter)).toBe(true);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(maxSeconds);
}

describeEachDialect('per-customer limits in the portal', (getDb) => {
  const t = useTestApp(getDb, LIMITS);

  async function customers(): Promise<{ tt: TeamTenant; other: Contact; a: ReturnType<typeof portal>; b: ReturnType<typeof portal> }> {
    const tt = await createTeamTenant(t);
    const other = await addContact(t.deps, tt.g.tenant.id, tt.g.client.id, { email: `b-${randomUUID()}@customer.example.com`, name: 'Bo' });
    const slug = tt.g.tenant.slug;
    return {
      tt,
      other,
      a: portal(t, slug, await portalCookieFor(t, tt.g.contact)),
      b: portal(t, slug, await portalCookieFor(t, other)),
    };
  }

  it('refuses a third new request within a minute with 429 and creates nothing; another contact and the team go on', async () => {
    const { tt, a, b } = await customers();
    for (const title of ['One', 'Two']) expect((await a.submit(title)).statusCode).toBe(201);
    const before = (await a.list()).length;
    expectLimited(await a.submit('Three'), 60);
    expect(await a.list()).toHaveLength(before);
    expect((await b.submit('From Bo')).statusCode).toBe(201);
    const team = await tt.as.agent.post('/api/team/tickets', {
      clientId: tt.g.client.id,
      contactId: tt.g.contact.id,
      title: 'By the team',
      description: 'Logged by phone.',
    });
    expect(team.statusCode, team.body).toBe(201);
  });

  it('refuses a third reply within a minute, adds no message, and leaves the team and another contact free', async () => {
    const { tt, a, b } = await customers();
    const id = tt.g.ticket.id;
    for (const body of ['First', 'Second']) expect((await a.reply(id, body)).statusCode).toBe(201);
    const messages = (await a.detail(id)).messages.length;
    const refused = await a.reply(id, 'Third');
    expectLimited(refused, 60);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/replies/);
    expect((await a.detail(id)).messages).toHaveLength(messages);
    expect((await b.reply(id, 'From Bo')).statusCode).toBe(201);
    for (const body of ['Team 1', 'Team 2', 'Team 3']) {
      expect((await tt.as.agent.post(`/api/team/tickets/${id}/messages`, { body, visibility: 'public' })).statusCode).toBe(201);
    }
  });

  it('refuses a second closing within a minute and leaves that ticket open', async () => {
    const { tt, a } = await customers();
    const second = await openContactTicket(t.deps, tt.g.contact, { title: 'Second', body: 'Also.' });
    expect((await a.close(tt.g.ticket.id)).statusCode).toBe(200);
    expectLimited(await a.close(second.id), 60);
    expect((await a.detail(second.id)).ticket.status).not.toBe('closed');
  });

  it('refuses a third upload within a minute and stores nothing; another contact and the team can still upload', async () => {
    const { tt, a, b } = await customers();
    for (let i = 0; i < 2; i++) expect((await a.upload()).statusCode).toBe(201);
    const scope = forTenant(t.deps.db, tt.g.tenant.id);
    const count = async () => (await scope.selectFrom('file').select('file.id').execute()).length;
    const before = await count();
    expectLimited(await a.upload(), 60);
    expect(await count()).toBe(before);
    expect((await b.upload()).statusCode).toBe(201);
    for (let i = 0; i < 3; i++) expect((await upload(t, '/api/team/uploads', tt.as.agent.cookie!)).statusCode).toBe(201);
  });

  it("applies the organisation's own limits, set by an owner or admin in the settings (agents may not)", async () => {
    const { tt, a, b } = await customers();
    const url = '/api/team/settings/customer-limits';
    expect((await tt.as.agent.get(url)).statusCode).toBe(403);
    expect((await tt.as.agent.patch(url, { submissionsPerDay: 1 })).statusCode).toBe(403);
    const initial = await tt.as.admin.get(url);
    expect(initial.statusCode).toBe(200);
    expect(initial.json()).toMatchObject({
      defaults: { submissionsPerMinute: 2, submissionsPerDay: 30, repliesPerDay: 300 },
      overrides: {},
      effective: { submissionsPerMinute: 2, submissionsPerDay: 30 },
    });
    expect((await tt.as.admin.patch(url, { submissionsPerDay: 0 })).statusCode).toBe(400);
    const saved = await tt.as.owner.patch(url, { submissionsPerDay: 1, submissionsPerMinute: 5 });
    expect(saved.statusCode, saved.body).toBe(200);
    expect(saved.json()).toMatchObject({
      overrides: { submissionsPerDay: 1, submissionsPerMinute: 5 },
      effective: { submissionsPerDay: 1, submissionsPerMinute: 5, repliesPerDay: 300 },
    });

    expect((await a.submit('Only one today')).statusCode).toBe(201);
    const refused = await a.submit('One too many');
    expectLimited(refused, 24 * 3600);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3600);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/today/);
    expect((await b.submit('Bo has his own count')).statusCode).toBe(201);

    // Back to the default: null clears the override.
    const cleared = await tt.as.admin.patch(url, { submissionsPerDay: null });
    expect(cleared.json()).toEqual(expect.objectContaining({ overrides: { submissionsPerMinute: 5 } }));
    expect(cleared.json()).toMatchObject({ effective: { submissionsPerDay: 30 } });
    expect((await a.submit('Allowed again')).statusCode).toBe(201);
    const audit = await listTenantAuditActions(t.deps.db, tt.g.tenant.id);
    expect(audit.filter((action) => action === 'settings.customer_limits.updated')).toHaveLength(2);
  });
});

describeEachDialect('per-customer limits shared through Redis', (getDb) => {
  let one: TestApp;
  let two: TestApp;
  let redis: Redis;

  beforeAll(async () => {
    redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
    await redis.connect();
    one = await buildTestApp(getDb(), { ...LIMITS, REDIS_URL });
    two = await buildTestApp(getDb(), { ...LIMITS, REDIS_URL });
  });
  afterAll(async () => {
    await one.close();
    await two.close();
    await one.deps.redis?.quit();
    await two.deps.redis?.quit();
    await redis.quit();
  });

  it('counts a customer’s requests on both app instances together', async () => {
    expect(one.deps.redis).not.toBeNull();
    const tt = await createTeamTenant(one);
    const cookie = await portalCookieFor(one, tt.g.contact);
    const [first, second] = [portal(one, tt.g.tenant.slug, cookie), portal(two, tt.g.tenant.slug, cookie)];
    expect((await first.submit('On one')).statusCode).toBe(201);
    expect((await second.submit('On two')).statusCode).toBe(201);
    expectLimited(await first.submit('Third, anywhere'), 60);
    expectLimited(await second.submit('Third, anywhere'), 60);
    const keys = await redis.keys(`rl:*${tt.g.contact.id}*`);
    expect(keys.length).toBeGreaterThan(0);
  });
});

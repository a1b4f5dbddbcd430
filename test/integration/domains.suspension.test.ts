import { beforeAll, expect, it } from 'vitest';
import { addOperator } from '../../src/features/operator/operator.service.js';
import { setTenantStatusForOperator } from '../../src/features/operator/operator-tenant.service.js';
import { insertCustomDomain, uniqueHost } from '../helpers/custom-domains.js';
import { createTenantGraph, type TenantGraph } from '../helpers/factories.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { type TestApp, useTestApp } from '../helpers/test-app.js';

const by = (operatorId: string) => ({ operatorId, meta: { ip: '203.0.113.5', userAgent: 'test' } });

/** The portal's branding on the custom domain, and whether Caddy may get a certificate for it (asked from loopback). */
async function probe(t: TestApp, host: string): Promise<{ portal: number; ask: number }> {
  const portal = await t.app.inject({ url: '/api/portal', headers: { host } });
  const ask = await t.app.inject({ url: `/internal/tls/ask?domain=${host}`, headers: { host: '127.0.0.1' }, remoteAddress: '127.0.0.1' });
  return { portal: portal.statusCode, ask: ask.statusCode };
}

/** Polls for at most a second: the change signal reloads the host table in the background, not within the request. */
async function eventually(read: () => Promise<unknown>, expected: unknown): Promise<void> {
  const deadline = Date.now() + 1_000;
  let last: unknown;
  while (Date.now() < deadline) {
    last = await read();
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  expect(last).toEqual(expected);
}

describeEachDialect('custom domains of a suspended organisation', (getDb) => {
  const t = useTestApp(getDb);
  let tenant: TenantGraph;
  let host: string;
  let operatorId: string;

  beforeAll(async () => {
    tenant = await createTenantGraph(t.deps, { name: 'Suspended Heating' });
    host = uniqueHost('suspend');
    await insertCustomDomain(t.deps, tenant.tenant.id, host, { status: 'active', approvedAt: t.clock.now() });
    await t.app.hostRouter.refresh();
    const operator = await addOperator(
      t.deps,
      { email: `ops-${Date.now()}@servelo.test`, password: 'a-long-operator-password-1' },
      { memoryKib: 1024, timeCost: 1 },
    );
    operatorId = operator.id;
  });

  it('stops serving and certifying the domain the moment the operator suspends, and serves it again on resume', async () => {
    expect(await probe(t, host)).toEqual({ portal: 200, ask: 200 });

    await setTenantStatusForOperator(t.deps, tenant.tenant.id, 'suspended', by(operatorId));
    // Well within the host table's and the ask cache's own lifetimes: only the change signal explains it.
    await eventually(() => probe(t, host), { portal: 404, ask: 404 });
    const neutral = await t.app.inject({ url: '/api/portal', headers: { host } });
    expect(neutral.body).not.toContain('Suspended Heating');

    await setTenantStatusForOperator(t.deps, tenant.tenant.id, 'active', by(operatorId));
    await eventually(() => probe(t, host), { portal: 200, ask: 200 });
  });
});

import { afterAll, beforeAll, expect } from 'vitest';
import type { TCustomDomain, TCustomDomainSettings } from '../../src/features/domains/team-custom-domain.schemas.js';
import { updatePlatformSettings } from '../../src/features/operator/platform-settings.service.js';
import { startDnsServer, type TestDnsServer } from './dns-server.js';
import type { TeamApi } from './team-api.js';
import { buildTestApp, type TestApp } from './test-app.js';
import type { TestDatabase } from './test-database.js';

/** Where custom domains must point in these tests (PORTAL_CNAME_TARGET), and its address in the test zone. */
export const CNAME_TARGET = 'portal.example.com';
export const TARGET_ADDRESS = '203.0.113.10';
export const DOMAIN_PATH = '/api/team/settings/custom-domain';

export interface DomainsTestApp extends TestApp {
  readonly dns: TestDnsServer;
}

/**
 * A test app whose DNS checks ask a real DNS server on loopback (DNS_SERVERS), which holds the
 * CNAME target's address; tests publish each domain's records with `dns.set`.
 */
export function useDomainsTestApp(getDb: () => TestDatabase, env: Record<string, string> = {}): DomainsTestApp {
  let built: TestApp | undefined;
  let dns: TestDnsServer | undefined;
  beforeAll(async () => {
    dns = await startDnsServer({ [CNAME_TARGET]: { a: [TARGET_ADDRESS] } });
    built = await buildTestApp(getDb(), { DNS_SERVERS: dns.address, PORTAL_CNAME_TARGET: CNAME_TARGET, ...env });
  });
  afterAll(async () => {
    await built?.close();
    await dns?.close();
  });
  const current = (): TestApp => {
    if (!built) throw new Error('the test app is built in beforeAll');
    return built;
  };
  return {
    get app() {
      return current().app;
    },
    get config() {
      return current().config;
    },
    get deps() {
      return current().deps;
    },
    get clock() {
      return current().clock;
    },
    get dns() {
      if (!dns) throw new Error('the DNS server starts in beforeAll');
      return dns;
    },
    close: () => current().close(),
  };
}

let counter = 0;
/** A host no other test claims. */
export function uniqueHost(label: string, parent = 'acme-test.com'): string {
  counter += 1;
  return `${label}-${counter}-${process.pid}.${parent}`;
}

/** Publishes the records the team app asks for: the CNAME to the target and the TXT with the claim's token. */
export function publishRecords(
  dns: TestDnsServer,
  domain: Pick<TCustomDomain, 'host' | 'records'>,
  records: { cname?: string | null; a?: string[]; txt?: string[] | null } = {},
): void {
  const cname = records.cname === undefined ? CNAME_TARGET : records.cname;
  dns.set(domain.host, cname === null ? (records.a ? { a: records.a } : undefined) : { cname });
  const txt = records.txt === undefined ? [domain.records.txt.value] : records.txt;
  dns.set(`_servelo-challenge.${domain.host}`, txt === null ? undefined : { txt });
}

export async function claim(api: TeamApi, host: string): Promise<TCustomDomain> {
  const res = await api.put(DOMAIN_PATH, { host });
  expect(res.statusCode, res.body).toBe(200);
  const domain = res.json<TCustomDomainSettings>().domain;
  if (!domain) throw new Error('the claim answered no domain');
  return domain;
}

/** "Check now", past the once-per-10-seconds limit (the manual clock moves on first). */
export async function checkNow(t: TestApp, api: TeamApi): Promise<TCustomDomain> {
  t.clock.advance(11_000);
  const res = await api.post(`${DOMAIN_PATH}/check`);
  expect(res.statusCode, res.body).toBe(200);
  const domain = res.json<TCustomDomainSettings>().domain;
  if (!domain) throw new Error('the check answered no domain');
  return domain;
}

/** Turns the installation's "issue certificates automatically" switch on or off, as an operator would. */
export async function setAutoIssue(t: TestApp, on: boolean): Promise<void> {
  await updatePlatformSettings(t.deps, { autoIssueCertificates: on }, { operatorId: 'test-operator' });
}

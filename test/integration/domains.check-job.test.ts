import { expect, it } from 'vitest';
import { DOMAIN_CHECK_JOB } from '../../src/features/domains/custom-domain.service.js';
import type { TCustomDomainSettings } from '../../src/features/domains/team-custom-domain.schemas.js';
import { addOperator } from '../../src/features/operator/operator.service.js';
import type { OutboxWorker } from '../../src/platform/jobs/worker.js';
import { createWorker } from '../../src/server.js';
import { claim, DOMAIN_PATH, publishRecords, setAutoIssue, uniqueHost, useDomainsTestApp } from '../helpers/domains.js';
import { createTeamTenant, teamCookieFor, type TeamTenant } from '../helpers/factories.js';
import type { DevMail } from '../helpers/sign-in.js';
import { teamApi } from '../helpers/team-api.js';
import { describeEachDialect } from '../helpers/test-database.js';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describeEachDialect('custom domains: the worker re-checks DNS', (getDb) => {
  const t = useDomainsTestApp(getDb);
  let worker: OutboxWorker | undefined;

  /** Runs the worker as the server builds it (its recurring list included) until nothing is due. */
  async function drain(): Promise<void> {
    worker ??= createWorker(t.config, t.deps, undefined);
    for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
  }

  async function mailTo(address: string): Promise<DevMail[]> {
    const res = await t.app.inject({ method: 'GET', url: `/_dev/mail/api/messages?to=${encodeURIComponent(address)}` });
    expect(res.statusCode).toBe(200);
    return res.json<{ messages: DevMail[] }>().messages;
  }

  async function domainOf(tt: TeamTenant) {
    const api = teamApi(t, await teamCookieFor(t, tt.g.tenant.id, tt.owner.id));
    const domain = (await api.get(DOMAIN_PATH)).json<TCustomDomainSettings>().domain;
    if (!domain) throw new Error('no domain');
    return domain;
  }

  it('is registered as a recurring job every 5 minutes', async () => {
    await drain();
    const jobs = await t.deps.db.selectFrom('outbox').select(['kind', 'status']).where('kind', '=', DOMAIN_CHECK_JOB).execute();
    expect(jobs.length).toBeGreaterThan(0);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });

  it('re-checks a claim waiting for DNS on a backoff (1, 5, 15 minutes …) and verifies it once the records appear', async () => {
    const tt = await createTeamTenant(t);
    const domain = await claim(tt.as.owner, uniqueHost('backoff'));
    const start = t.clock.now().getTime();
    const checkedAt = async () => new Date((await domainOf(tt)).lastCheckedAt ?? 0).getTime() - start;

    t.clock.advance(5 * MINUTE);
    await drain();
    let d = await domainOf(tt);
    expect(d.status).toBe('pending_dns');
    expect(await checkedAt()).toBe(5 * MINUTE);
    expect(new Date(d.nextCheckAt!).getTime() - start).toBe(6 * MINUTE);

    t.clock.advance(5 * MINUTE);
    await drain();
    expect(await checkedAt()).toBe(10 * MINUTE);
    d = await domainOf(tt);
    expect(new Date(d.nextCheckAt!).getTime() - start).toBe(15 * MINUTE);

    t.clock.advance(5 * MINUTE);
    await drain();
    expect(await checkedAt()).toBe(15 * MINUTE);
    d = await domainOf(tt);
    expect(new Date(d.nextCheckAt!).getTime() - start).toBe(30 * MINUTE);

    // Not due at 20 and 25 minutes: not asked.
    for (const _ of [1, 2]) {
      t.clock.advance(5 * MINUTE);
      await drain();
      expect(await checkedAt()).toBe(15 * MINUTE);
    }

    publishRecords(t.dns, domain);
    t.clock.advance(5 * MINUTE);
    await drain();
    d = await domainOf(tt);
    expect(d.status).toBe('verified');
    expect(await checkedAt()).toBe(30 * MINUTE);
  });

  it('emails owners, admins and operators when a domain becomes active and when it lapses; proven domains are checked daily', async () => {
    const operator = await addOperator(t.deps, {
      email: `ops-${process.pid}-${Date.now()}@servelo.example.com`,
      name: 'Ops',
      password: 'a-long-operator-password-1',
    });
    const tt = await createTeamTenant(t, { name: 'Blue Pipes' });
    const domain = await claim(tt.as.owner, uniqueHost('notify'));
    publishRecords(t.dns, domain);
    await setAutoIssue(t, true);
    try {
      t.clock.advance(5 * MINUTE);
      await drain();
    } finally {
      await setAutoIssue(t, false);
    }
    expect((await domainOf(tt)).status).toBe('active');

    const activeMail = async (to: string) => (await mailTo(to)).filter((m) => m.subject === `${domain.host} is active`);
    for (const to of [tt.owner.email, tt.admin.email, operator.email]) expect(await activeMail(to), to).toHaveLength(1);
    expect(await mailTo(tt.g.member.email)).toEqual([]);
    const [teamMail] = await activeMail(tt.owner.email);
    expect(teamMail?.text).toContain(
      `Your custom domain ${domain.host} is active: customers can use the portal at https://${domain.host}.`,
    );
    const [opsMail] = await activeMail(operator.email);
    expect(opsMail?.text).toContain(`Blue Pipes’s custom domain ${domain.host} is active`);

    // The next day's check: DNS now points elsewhere.
    const activatedCheck = new Date((await domainOf(tt)).lastCheckedAt!).getTime();
    t.dns.set('elsewhere.example.net', { a: ['198.51.100.20'] });
    publishRecords(t.dns, domain, { cname: 'elsewhere.example.net', txt: null });
    t.clock.advance(10 * MINUTE);
    await drain();
    expect(new Date((await domainOf(tt)).lastCheckedAt!).getTime()).toBe(activatedCheck);
    t.clock.advance(DAY);
    await drain();
    const lapsed = await domainOf(tt);
    expect(lapsed.status).toBe('lapsed');
    const lapseMail = async (to: string) => (await mailTo(to)).filter((m) => m.subject === `${domain.host} no longer points to the portal`);
    for (const to of [tt.owner.email, tt.admin.email, operator.email]) expect(await lapseMail(to), to).toHaveLength(1);
    const [lapseText] = await lapseMail(tt.admin.email);
    expect(lapseText?.text).toContain(`${domain.host} points to elsewhere.example.net, not portal.example.com.`);
    expect(await mailTo(tt.g.member.email)).toEqual([]);

    // Fixed: back to active at the next daily check, with another "active" email.
    publishRecords(t.dns, domain, { txt: null });
    t.clock.advance(DAY);
    await drain();
    expect((await domainOf(tt)).status).toBe('active');
    expect(await activeMail(tt.owner.email)).toHaveLength(2);
  });
});

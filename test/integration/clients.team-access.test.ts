import { expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { createWorker } from '../../src/server.js';
import { SignInDriver, sessionCookieOf, tokenOf, type DevMail } from '../helpers/sign-in.js';
import { useTestApp, TEST_ORIGIN } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant, signInContact } from '../helpers/factories.js';

describeEachDialect("team app: a contact's portal access", (getDb) => {
  const t = useTestApp(getDb);
  const d = new SignInDriver(t);

  /** Runs the outbox worker of the app until nothing is due. */
  async function runWorker(): Promise<void> {
    const worker = createWorker(t.config, t.deps, undefined);
    for (let i = 0; i < 20 && (await worker.runOnce()) > 0; i++);
  }

  /** A real portal session for the contact, through a sign-in link. */
  const portalCookie = (tt: TeamTenant, email = tt.g.contact.email) => signInContact(d, tt.g.tenant, email);

  const meStatus = async (tt: TeamTenant, cookie: string) => (await d.get(`/portal/${tt.g.tenant.slug}/api/me`, { cookie })).statusCode;

  it('changing the email ends the sessions and links, and tells the old and the new address', async () => {
    const tt = await createTeamTenant(t, { name: 'Rivera Plumbing' });
    const oldEmail = tt.g.contact.email;
    const newEmail = `casey.new-${tt.g.tenant.slug}@example.com`;
    const cookie = await portalCookie(tt);
    t.clock.advance(61_000);
    const unspent = await d.serviceLinkFor(tt.g.tenant.id, oldEmail);
    expect(await meStatus(tt, cookie)).toBe(200);

    const res = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { email: ` ${newEmail.toUpperCase()} ` });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ id: tt.g.contact.id, email: newEmail });
    expect(await meStatus(tt, cookie)).toBe(401);
    expect((await d.confirm(tt.g.tenant.slug, unspent.token)).statusCode).toBe(400);

    await runWorker();
    const [toOld] = await d.mailTo(oldEmail);
    const [toNew] = await d.mailTo(newEmail);
    for (const mail of [toOld, toNew] as DevMail[]) {
      expect(mail.subject).toBe('Your email address with Rivera Plumbing was changed');
      expect(mail.from.name).toBe('Rivera Plumbing');
      expect(mail.headers['Auto-Submitted']).toBe('auto-generated');
      expect(mail.text + mail.html).not.toMatch(/auth\/confirm|#token=|[A-Z0-9]{4}-[A-Z0-9]{4}/);
    }
    // The old address gets no link at all and only a masked new address.
    expect(toOld!.to).toBe(oldEmail);
    expect(toOld!.text).not.toContain('http');
    expect(toOld!.text).not.toContain(newEmail);
    expect(toOld!.text).toContain(`c•••@example.com`);
    expect(toNew!.to).toBe(newEmail);
    expect(toNew!.text).toContain(`${TEST_ORIGIN}/portal/${tt.g.tenant.slug}`);

    // Sign-in now works with the new address only.
    t.clock.advance(61_000);
    expect(await meStatus(tt, await portalCookie(tt, newEmail))).toBe(200);
    const before = (await d.mailTo(oldEmail)).length;
    expect((await d.requestLink(tt.g.tenant.slug, oldEmail)).statusCode).toBe(202);
    await d.deliver();
    expect((await d.mailTo(oldEmail)).length).toBe(before);

    // The same email again is no change: nothing revoked, nothing sent.
    const newCookie = await portalCookie(tt, newEmail);
    expect((await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { email: newEmail })).statusCode).toBe(200);
    expect(await meStatus(tt, newCookie)).toBe(200);
    const actions = await listTenantAuditActions(t.deps.db, tt.g.tenant.id);
    expect(actions.filter((a) => a === 'contact.email_changed')).toHaveLength(1);
  });

  it('disabling a contact ends its portal session at once; enabling lets it sign in again', async () => {
    const tt = await createTeamTenant(t);
    const cookie = await portalCookie(tt);
    const disabled = await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { status: 'disabled' });
    expect(disabled.statusCode, disabled.body).toBe(200);
    expect(disabled.json().status).toBe('disabled');
    expect(await meStatus(tt, cookie)).toBe(401);

    const invite = await tt.as.agent.post(`/api/team/contacts/${tt.g.contact.id}/invite`);
    expect(invite.statusCode).toBe(409);
    expect(invite.json().error.code).toBe('CONTACT_DISABLED');

    expect((await tt.as.agent.patch(`/api/team/contacts/${tt.g.contact.id}`, { status: 'active' })).json().status).toBe('active');
    // The old session stays dead (it was revoked, not merely refused); a new sign-in works.
    expect(await meStatus(tt, cookie)).toBe(401);
    t.clock.advance(61_000);
    expect(await meStatus(tt, await portalCookie(tt))).toBe(200);
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toEqual(
      expect.arrayContaining(['contact.disabled', 'contact.enabled']),
    );
  });

  it('sends a portal invitation with a working sign-in link, at most once a minute', async () => {
    const tt = await createTeamTenant(t, { name: 'Invite & Co' });
    const res = await tt.as.agent.post(`/api/team/contacts/${tt.g.contact.id}/invite`);
    expect(res.statusCode, res.body).toBe(202);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.json()).toEqual({ email: tt.g.contact.email });
    await runWorker();
    const [mail] = await d.mailTo(tt.g.contact.email);
    expect(mail?.subject).toBe('Your sign-in link for Invite & Co');
    const signedIn = await d.confirm(tt.g.tenant.slug, tokenOf(mail!));
    expect(signedIn.statusCode, signedIn.body).toBe(200);
    expect(await meStatus(tt, sessionCookieOf(signedIn))).toBe(200);

    const again = await tt.as.admin.post(`/api/team/contacts/${tt.g.contact.id}/invite`);
    expect(again.statusCode).toBe(429);
    expect(again.json().error.code).toBe('RATE_LIMITED');
    await runWorker();
    expect(await d.mailTo(tt.g.contact.email)).toHaveLength(1);
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toContain('contact.invited');
  });

  it("ends all of a contact's portal sessions, and only theirs", async () => {
    const tt = await createTeamTenant(t);
    const other = await createTeamTenant(t);
    const phone = await portalCookie(tt);
    t.clock.advance(61_000);
    const laptop = await portalCookie(tt);
    const bystander = await portalCookie(other);

    const res = await tt.as.agent.post(`/api/team/contacts/${tt.g.contact.id}/end-sessions`);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toEqual({ ended: 2 });
    expect(await meStatus(tt, phone)).toBe(401);
    expect(await meStatus(tt, laptop)).toBe(401);
    expect(await meStatus(other, bystander)).toBe(200);
    expect((await tt.as.agent.post(`/api/team/contacts/${tt.g.contact.id}/end-sessions`)).json()).toEqual({ ended: 0 });
    expect(await listTenantAuditActions(t.deps.db, tt.g.tenant.id)).toContain('contact.sessions_ended');
  });
});

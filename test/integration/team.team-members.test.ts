import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, beforeEach, expect, it } from 'vitest';
import { listTenantAuditActions } from '../../src/features/audit/audit.service.js';
import { addTeamMember, type TeamMember } from '../../src/features/team/team.service.js';
import {
  createTenantGraph,
  type TenantGraph,
  createTeamMemberWithPassword,
  teamCookieFor,
  TEAM_PASSWORD,
  uniqueEmail,
} from '../helpers/factories.js';
import { type DevMail, SignInDriver, teamCookieOf } from '../helpers/sign-in.js';
import { useTestApp, SAME_ORIGIN_JSON } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';

const DAY = 86_400_000;

function inviteTokenOf(mail: DevMail): string {
  const match = /http:\/\/localhost:3000\/app\/accept-invite#token=([A-Za-z0-9_-]{43})\b/.exec(mail.text);
  if (!match?.[1]) throw new Error(`no invitation link in: ${mail.text}`);
  return match[1];
}

describeEachDialect('team members and invitations', (getDb) => {
  const t = useTestApp(getDb);
  const driver = new SignInDriver(t);
  let a: TenantGraph;
  let b: TenantGraph;
  let ownerA: { member: TeamMember; cookie: string };
  let adminA: { member: TeamMember; cookie: string };
  let agentA: string;

  beforeAll(async () => {
    a = await createTenantGraph(t.deps, { name: 'Alpha' });
    b = await createTenantGraph(t.deps, { name: 'Beta' });
    ownerA = await createTeamMemberWithPassword(t, a.tenant.id, {
      email: uniqueEmail('owner'),
      name: 'Owen',
      role: 'owner',
      password: TEAM_PASSWORD,
    });
    adminA = await createTeamMemberWithPassword(t, a.tenant.id, {
      email: uniqueEmail('admin'),
      name: 'Ada',
      role: 'admin',
      password: TEAM_PASSWORD,
    });
  });
  // Fresh sessions for every test: one of them moves the clock past a session's lifetime.
  beforeEach(async () => {
    ownerA = { ...ownerA, cookie: await teamCookieFor(t, a.tenant.id, ownerA.member.id) };
    adminA = { ...adminA, cookie: await teamCookieFor(t, a.tenant.id, adminA.member.id) };
    agentA = await teamCookieFor(t, a.tenant.id, a.member.id);
  });

  const patch = (cookie: string, id: string, payload: object): Promise<LightMyRequestResponse> =>
    t.app.inject({ method: 'PATCH', url: `/api/team/members/${id}`, headers: { ...SAME_ORIGIN_JSON, cookie }, payload });
  const invite = (cookie: string, payload: object) => driver.post('/api/team/members', payload, { cookie });
  const accept = (payload: object, cookie?: string) => driver.post('/api/team/auth/accept-invite', payload, cookie ? { cookie } : {});
  async function invitationFor(email: string): Promise<string> {
    await driver.deliver();
    return inviteTokenOf((await driver.mailTo(email))[0]!);
  }

  it('invites a new teammate end to end: email, accept with a password, signed in as that role', async () => {
    const email = uniqueEmail('new');
    const res = await invite(adminA.cookie, { email: email.toUpperCase(), name: 'Nia New', role: 'agent' });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ email, name: 'Nia New', role: 'agent', status: 'invited' });
    const listed = await driver.get('/api/team/members', { cookie: agentA });
    expect(listed.json<{ members: { email: string; status: string }[] }>().members).toContainEqual(
      expect.objectContaining({ email, status: 'invited' }),
    );

    await driver.deliver();
    const [mail] = await driver.mailTo(email);
    expect(mail!.subject).toBe('You are invited to join Alpha');
    expect(mail!.text).toContain('Ada invited you');
    const token = inviteTokenOf(mail!);
    // Not signed in before accepting; the password is required and checked.
    expect((await driver.post('/api/team/auth/sign-in', { email, password: TEAM_PASSWORD })).statusCode).toBe(401);
    expect((await accept({ token })).json()).toMatchObject({ error: { code: 'VALIDATION_FAILED' } });
    expect((await accept({ token, password: 'too short' })).json()).toMatchObject({ error: { code: 'PASSWORD_TOO_WEAK' } });

    const accepted = await accept({ token, password: TEAM_PASSWORD, name: 'Nia N.' });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ member: { email, name: 'Nia N.', role: 'agent' }, tenant: { id: a.tenant.id } });
    expect((await driver.get('/api/team/me', { cookie: teamCookieOf(accepted) })).statusCode).toBe(200);
    expect((await accept({ token, password: TEAM_PASSWORD })).json()).toMatchObject({ error: { code: 'INVITATION_INVALID' } });
    expect((await driver.post('/api/team/auth/sign-in', { email, password: TEAM_PASSWORD })).statusCode).toBe(200);
    const actions = await listTenantAuditActions(t.deps.db, a.tenant.id);
    expect(actions).toContain('team.invitation.sent');
    expect(actions).toContain('team.invitation.accepted');
  });

  it('invites an existing account of another organisation: it accepts with its own password, which stays', async () => {
    const email = uniqueEmail('existing');
    await createTeamMemberWithPassword(t, b.tenant.id, { email, name: 'Ezra', role: 'owner', password: TEAM_PASSWORD });
    expect((await invite(ownerA.cookie, { email, name: 'Ezra', role: 'admin' })).statusCode).toBe(201);
    const token = await invitationFor(email);
    expect((await accept({ token, password: 'an attempt at a takeover' })).json()).toMatchObject({ error: { code: 'SIGN_IN_FAILED' } });
    const accepted = await accept({ token, password: TEAM_PASSWORD });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json()).toMatchObject({ member: { role: 'admin' }, tenant: { id: a.tenant.id } });
    expect(accepted.json<{ tenants: unknown[] }>().tenants).toHaveLength(2);
  });

  it('expires an invitation after 7 days; inviting again sends a new link and the old one stops working', async () => {
    const email = uniqueEmail('late');
    await invite(ownerA.cookie, { email, name: 'Lee', role: 'agent' });
    const first = await invitationFor(email);
    expect((await invite(ownerA.cookie, { email, name: 'Lee', role: 'agent' })).statusCode).toBe(201);
    const second = await invitationFor(email);
    expect(second).not.toBe(first);
    expect((await accept({ token: first, password: TEAM_PASSWORD })).json()).toMatchObject({ error: { code: 'INVITATION_INVALID' } });
    t.clock.advance(7 * DAY);
    expect((await accept({ token: second, password: TEAM_PASSWORD })).json()).toMatchObject({ error: { code: 'INVITATION_INVALID' } });
    // An active member cannot be invited again.
    const owner = await teamCookieFor(t, a.tenant.id, ownerA.member.id);
    expect((await invite(owner, { email: adminA.member.email, name: 'Ada', role: 'agent' })).json()).toMatchObject({
      error: { code: 'EMAIL_TAKEN' },
    });
  });

  it('enforces roles on the server: agents cannot invite or change roles; only an owner makes an owner', async () => {
    expect((await invite(agentA, { email: uniqueEmail('x'), name: 'X', role: 'agent' })).statusCode).toBe(403);
    expect((await patch(agentA, adminA.member.id, { role: 'agent' })).statusCode).toBe(403);
    expect((await patch(agentA, a.member.id, { role: 'admin' })).statusCode).toBe(403);
    expect((await invite(adminA.cookie, { email: uniqueEmail('o'), name: 'O', role: 'owner' })).statusCode).toBe(403);
    expect((await patch(adminA.cookie, a.member.id, { role: 'owner' })).statusCode).toBe(403);
    expect((await patch(adminA.cookie, ownerA.member.id, { status: 'disabled' })).statusCode).toBe(403);
    // Request bodies are strict: no mass assignment of other fields.
    expect((await patch(adminA.cookie, a.member.id, { email: 'x@example.com' })).json()).toMatchObject({
      error: { code: 'VALIDATION_FAILED' },
    });

    const changed = await patch(adminA.cookie, a.member.id, { role: 'admin' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ id: a.member.id, role: 'admin' });
    // The role is re-read on every request: the agent's open session now acts as an admin.
    expect((await invite(agentA, { email: uniqueEmail('y'), name: 'Y', role: 'agent' })).statusCode).toBe(201);
    expect(await listTenantAuditActions(t.deps.db, a.tenant.id)).toContain('team_member.role_changed');
    await patch(ownerA.cookie, a.member.id, { role: 'agent' });
  });

  it('protects the last active owner from being demoted or disabled', async () => {
    const g = await createTenantGraph(t.deps);
    const owner = await createTeamMemberWithPassword(t, g.tenant.id, {
      email: uniqueEmail('sole'),
      name: 'Sol',
      role: 'owner',
      password: TEAM_PASSWORD,
    });
    expect((await patch(owner.cookie, owner.member.id, { role: 'admin' })).json()).toMatchObject({ error: { code: 'LAST_OWNER' } });
    expect((await patch(owner.cookie, owner.member.id, { status: 'disabled' })).json()).toMatchObject({ error: { code: 'LAST_OWNER' } });
    const second = await addTeamMember(t.deps, g.tenant.id, { email: uniqueEmail('co'), name: 'Co', role: 'admin' });
    expect((await patch(owner.cookie, second.id, { role: 'owner' })).statusCode).toBe(200);
    expect((await patch(owner.cookie, owner.member.id, { role: 'admin' })).statusCode).toBe(200);
    expect(await listTenantAuditActions(t.deps.db, g.tenant.id)).toContain('team_member.role_changed');
  });

  it("answers 404 for another tenant's member ids, exactly like a missing one", async () => {
    const missing = await patch(ownerA.cookie, '01890000-0000-7000-8000-000000000000', { role: 'agent' });
    const foreign = await patch(ownerA.cookie, b.member.id, { role: 'agent' });
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: missing.json<{ error: { code: string } }>().error.code,
    });
    expect((await patch(ownerA.cookie, b.member.id, { status: 'disabled' })).statusCode).toBe(404);
    const listed = await driver.get('/api/team/members', { cookie: ownerA.cookie });
    expect(listed.json<{ members: { id: string }[] }>().members.map((m) => m.id)).not.toContain(b.member.id);
    // B's member is untouched.
    const bOwner = await createTeamMemberWithPassword(t, b.tenant.id, {
      email: uniqueEmail('bo'),
      name: 'B',
      role: 'owner',
      password: TEAM_PASSWORD,
    });
    const listedB = await driver.get('/api/team/members', { cookie: bOwner.cookie });
    expect(listedB.json<{ members: { id: string; role: string; status: string }[] }>().members).toContainEqual(
      expect.objectContaining({ id: b.member.id, role: 'agent', status: 'active' }),
    );
  });
});

import type { LightMyRequestResponse } from 'fastify';
import { beforeAll, expect, it } from 'vitest';
import { getTicket } from '../../src/features/tickets/ticket.service.js';
import { forTenant } from '../../src/platform/db/tenant-scope.js';
import { teamApi } from '../helpers/team-api.js';
import { detailAs, teamUpload, uploadTextAsTeam } from '../helpers/team-tickets.js';
import { useTestApp } from '../helpers/test-app.js';
import { describeEachDialect } from '../helpers/test-database.js';
import { createTeamTenant, type TeamTenant } from '../helpers/factories.js';

describeEachDialect('team tickets: sign-in, roles and organisation isolation', (getDb) => {
  const t = useTestApp(getDb);
  let a: TeamTenant;
  let b: TeamTenant;
  let fileOfB: string;
  let noteFileOfB: string;

  beforeAll(async () => {
    a = await createTeamTenant(t, { name: 'A Plumbing' });
    b = await createTeamTenant(t, { name: 'B Plumbing' });
    fileOfB = await uploadTextAsTeam(t, b.as.agent, 'b.txt', 'of B');
    noteFileOfB = await uploadTextAsTeam(t, b.as.agent, 'note.txt', 'note of B');
    const note = await b.as.agent.post(`/api/team/tickets/${b.g.ticket.id}/messages`, {
      body: 'B only',
      visibility: 'internal',
      fileIds: [noteFileOfB],
    });
    expect(note.statusCode).toBe(201);
  });

  const expect404 = (res: LightMyRequestResponse, code: string, what: string) => {
    expect([res.statusCode, res.json<{ error: { code: string } }>().error.code], what).toEqual([404, code]);
  };

  it('answers 401 on every route without a session, whatever was sent', async () => {
    const nobody = teamApi(t, undefined);
    const id = a.g.ticket.id;
    const answers = [
      await nobody.get('/api/team/tickets'),
      await nobody.get('/api/team/tickets?status=bogus'),
      await nobody.get(`/api/team/tickets/${id}`),
      await nobody.patch(`/api/team/tickets/${id}`, { status: 'closed' }),
      await nobody.patch(`/api/team/tickets/${id}`, { nonsense: true }),
      await nobody.post(`/api/team/tickets/${id}/messages`, { body: 'x', visibility: 'public' }),
      await nobody.post('/api/team/tickets', { clientId: a.g.client.id, contactId: a.g.contact.id, title: 'x', description: 'y' }),
      await teamUpload(t, nobody, [{ field: 'files', filename: 'x.txt', content: Buffer.from('x') }]),
      await nobody.get(`/api/team/files/${fileOfB}`),
      await teamApi(t, 'servelo_team=not-a-real-session-token-at-all').get('/api/team/tickets'),
    ];
    for (const res of answers) expect([res.statusCode, res.json().error.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect((await getTicket(forTenant(t.deps.db, a.g.tenant.id), id)).status).toBe('new');
  });

  it('lets an agent do all ticket work, and marks every answer no-store', async () => {
    const agent = a.as.agent;
    const answers = [
      await agent.get('/api/team/tickets'),
      await agent.get(`/api/team/tickets/${a.g.ticket.id}`),
      await agent.patch(`/api/team/tickets/${a.g.ticket.id}`, { status: 'in_progress', assigneeId: a.owner.id }),
      await agent.post(`/api/team/tickets/${a.g.ticket.id}/messages`, { body: 'On it', visibility: 'public' }),
      await agent.post(`/api/team/tickets/${a.g.ticket.id}/messages`, { body: 'Note', visibility: 'internal' }),
      await agent.post('/api/team/tickets', {
        clientId: a.g.client.id,
        contactId: a.g.contact.id,
        title: 'By phone',
        description: 'Called in',
      }),
      await teamUpload(t, agent, [{ field: 'files', filename: 'x.txt', content: Buffer.from('x') }]),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200, 200, 201, 201, 201, 201]);
    for (const res of answers) expect(res.headers['cache-control']).toBe('no-store');
  });

  it("answers 404 for another organisation's ticket on every ticket route, and leaves it untouched", async () => {
    const before = await detailAs(b.as.agent, b.g.ticket.id);
    const id = b.g.ticket.id;
    expect404(await a.as.agent.get(`/api/team/tickets/${id}`), 'TICKET_NOT_FOUND', 'read');
    expect404(await a.as.agent.patch(`/api/team/tickets/${id}`, { status: 'closed' }), 'TICKET_NOT_FOUND', 'change');
    expect404(await a.as.agent.patch(`/api/team/tickets/${id}`, {}), 'TICKET_NOT_FOUND', 'empty change');
    expect404(await a.as.agent.post(`/api/team/tickets/${id}/messages`, { body: 'x', visibility: 'public' }), 'TICKET_NOT_FOUND', 'reply');
    expect404(await a.as.agent.post(`/api/team/tickets/${id}/messages`, { body: 'x', visibility: 'internal' }), 'TICKET_NOT_FOUND', 'note');
    expect404(await a.as.owner.get(`/api/team/tickets/${id}`), 'TICKET_NOT_FOUND', 'owner read');
    expect404(await a.as.agent.get('/api/team/tickets/no-such-ticket'), 'TICKET_NOT_FOUND', 'missing');
    // Both organisations have a "Leaking tap"; a search finds only A's.
    const found = (await a.as.agent.get(`/api/team/tickets?status=all&q=${encodeURIComponent(b.g.ticket.title)}`)).json();
    expect(found.tickets.map((r: { id: string }) => r.id)).toEqual([a.g.ticket.id]);
    expect(Object.values<number>(found.counts).reduce((sum, n) => sum + n, 0)).toBe(1);
    const after = await detailAs(b.as.agent, b.g.ticket.id);
    expect(after.messages).toEqual(before.messages);
    expect(after.history).toEqual(before.history);
    expect(after.ticket.status).toBe(before.ticket.status);
  });

  it("answers 404 for another organisation's client, contact and member, as filters and in writes", async () => {
    expect404(await a.as.agent.get(`/api/team/tickets?clientId=${b.g.client.id}`), 'CLIENT_NOT_FOUND', 'client filter');
    expect404(await a.as.agent.get(`/api/team/tickets?assigneeId=${b.g.member.id}`), 'TEAM_MEMBER_NOT_FOUND', 'assignee filter');
    expect404(
      await a.as.agent.patch(`/api/team/tickets/${a.g.ticket.id}`, { assigneeId: b.g.member.id }),
      'TEAM_MEMBER_NOT_FOUND',
      'assign',
    );
    const create = (clientId: string, contactId: string) =>
      a.as.agent.post('/api/team/tickets', { clientId, contactId, title: 'x', description: 'y' });
    expect404(await create(b.g.client.id, b.g.contact.id), 'CLIENT_NOT_FOUND', 'both of B');
    expect404(await create(a.g.client.id, b.g.contact.id), 'CONTACT_NOT_FOUND', 'contact of B');
    expect404(await create(b.g.client.id, a.g.contact.id), 'CLIENT_NOT_FOUND', 'client of B');
  });

  it('is documented in the OpenAPI document signed-in members get', async () => {
    const res = await a.as.agent.get('/api/team/openapi.json');
    expect(res.statusCode).toBe(200);
    const paths = res.json<{ paths: Record<string, Record<string, unknown>> }>().paths;
    expect(Object.keys(paths['/api/team/tickets'] ?? {}).sort()).toEqual(['get', 'post']);
    expect(Object.keys(paths['/api/team/tickets/{id}'] ?? {}).sort()).toEqual(['get', 'patch']);
    expect(Object.keys(paths['/api/team/tickets/{id}/messages'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/team/uploads'] ?? {})).toEqual(['post']);
    expect(Object.keys(paths['/api/team/files/{id}'] ?? {})).toEqual(['get']);
  });

  it("answers 404 for another organisation's files: download and attach", async () => {
    expect404(await a.as.agent.get(`/api/team/files/${fileOfB}`), 'FILE_NOT_FOUND', 'upload of B');
    expect404(await a.as.agent.get(`/api/team/files/${noteFileOfB}?variant=original`), 'FILE_NOT_FOUND', 'note file of B');
    expect404(
      await a.as.agent.post(`/api/team/tickets/${a.g.ticket.id}/messages`, { body: 'x', visibility: 'public', fileIds: [fileOfB] }),
      'FILE_NOT_FOUND',
      'attach B’s upload',
    );
    expect404(
      await a.as.agent.post('/api/team/tickets', {
        clientId: a.g.client.id,
        contactId: a.g.contact.id,
        title: 'x',
        description: 'y',
        fileIds: [fileOfB],
      }),
      'FILE_NOT_FOUND',
      'attach B’s upload to a new ticket',
    );
    // B's own team sees the note's file, and its upload is still unattached and theirs.
    expect((await b.as.admin.get(`/api/team/files/${noteFileOfB}`)).statusCode).toBe(200);
    expect((await b.as.agent.get(`/api/team/files/${fileOfB}`)).statusCode).toBe(200);
  });
});

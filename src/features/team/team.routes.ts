import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { forTenant } from '../../platform/db/tenant-scope.js';
import { inviteTeamMember } from './invitation.service.js';
import { endAllSessions } from '../sessions/session.service.js';
import { presentTeamMember } from './team.presenter.js';
import { ZAddTeamMemberRequest, ZTeamMember, ZTeamMemberList, ZTeamMemberParams, ZUpdateTeamMemberRequest } from './team.schemas.js';
import { listTeamMembers, updateTeamMember } from './team.service.js';

const TAGS = ['team'];

/**
 * The team page: list members (anyone), invite and change role or status (owners and admins).
 * Scoped to the viewer's tenant; inside the team surface's signed-in routes.
 */
export function registerTeamMemberRoutes(app: FastifyInstance, options: { deps: Deps }): void {
  const { deps } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();

  typed.get('/api/team/members', { schema: { tags: TAGS, response: { 200: ZTeamMemberList } } }, async (request) => {
    const viewer = request.teamViewer;
    return { members: (await listTeamMembers(forTenant(deps.db, viewer.tenant.id))).map(presentTeamMember) };
  });

  typed.post(
    '/api/team/members',
    { schema: { tags: TAGS, body: ZAddTeamMemberRequest, response: { 201: ZTeamMember } } },
    async (request, reply) => {
      const viewer = request.teamViewer;
      const member = await inviteTeamMember(deps, viewer, request.body);
      deps.wakeWorker();
      return reply.code(201).send(presentTeamMember(member));
    },
  );

  typed.patch(
    '/api/team/members/:id',
    { schema: { tags: TAGS, params: ZTeamMemberParams, body: ZUpdateTeamMemberRequest, response: { 200: ZTeamMember } } },
    async (request) => {
      const viewer = request.teamViewer;
      const member = await updateTeamMember(deps, viewer, request.params.id, request.body);
      // A disabled member's sessions end now (they would be refused anyway: status is re-read per request).
      if (member.status === 'disabled') await endAllSessions(forTenant(deps.db, viewer.tenant.id), deps.clock, 'team', member.id);
      return presentTeamMember(member);
    },
  );
}

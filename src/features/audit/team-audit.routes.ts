import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Deps } from '../../deps.js';
import { requireTeamRole } from '../team/team-viewer.js';
import { ZAuditPage, ZListAuditQuery } from './team-audit.schemas.js';
import { presentAuditLog } from './team-audit.presenter.js';
import { listTeamAuditLog } from './team-audit.service.js';

/** The organisation's audit log (`GET /api/team/audit`); owners only. Inside the team surface's signed-in routes. */
export function registerTeamAuditRoutes(app: FastifyInstance, options: { deps: Deps }): void {
  const { deps } = options;
  app.withTypeProvider<ZodTypeProvider>().get(
    '/api/team/audit',
    {
      // 403 below owner before the query is even validated (the surface answered 401 without a session).
      preValidation: async (request) => {
        requireTeamRole(request.teamViewer, 'owner');
      },
      schema: {
        tags: ['team audit'],
        summary: "The organisation's audit log, newest first, keyset-paginated (owners only)",
        querystring: ZListAuditQuery,
        response: { 200: ZAuditPage },
      },
    },
    async (request) => presentAuditLog(await listTeamAuditLog(deps, request.teamViewer, request.query)),
  );
}

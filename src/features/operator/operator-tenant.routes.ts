import type { FastifyInstance } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../../config/config.js';
import type { Deps } from '../../deps.js';
import { requestMetaOf } from '../../http/request-meta.js';
import { getPlatformSettings, updatePlatformSettings } from './platform-settings.service.js';
import { presentOperatorAuditEvent, presentOperatorTenant } from './operator-tenant.presenter.js';
import {
  ZOperatorAuditPage,
  ZOperatorAuditQuery,
  ZOperatorCreateTenantRequest,
  ZOperatorTenant,
  ZOperatorTenantList,
  ZOperatorTenantListQuery,
  ZOperatorTenantParams,
  ZPlatformSettings,
  ZPlatformSettingsPatch,
} from './operator-tenant.schemas.js';
import {
  createTenantForOperator,
  getTenantForOperator,
  listAuditForOperator,
  listTenantsForOperator,
  setTenantStatusForOperator,
} from './operator-tenant.service.js';

const TAGS = ['operator'];

/** The console's organisations and installation settings; inside the operator surface's signed-in routes. */
export function registerOperatorTenantRoutes(app: FastifyInstance, options: { deps: Deps; config: Config }): void {
  const { deps } = options;
  const typed = app.withTypeProvider<ZodTypeProvider>();
  const actorOf = (request: { operatorIdentity: { operator: { id: string } } } & Parameters<typeof requestMetaOf>[0]) => ({
    operatorId: request.operatorIdentity.operator.id,
    meta: requestMetaOf(request),
  });

  typed.get(
    '/api/operator/tenants',
    { schema: { tags: TAGS, querystring: ZOperatorTenantListQuery, response: { 200: ZOperatorTenantList } } },
    async (request) => {
      const page = await listTenantsForOperator(deps, request.query);
      return { tenants: page.tenants.map(presentOperatorTenant), next: page.next };
    },
  );

  typed.post(
    '/api/operator/tenants',
    { schema: { tags: TAGS, body: ZOperatorCreateTenantRequest, response: { 201: ZOperatorTenant } } },
    async (request, reply) => {
      const tenant = await createTenantForOperator(deps, request.body, actorOf(request));
      deps.wakeWorker();
      return reply.code(201).send(presentOperatorTenant(tenant));
    },
  );

  typed.get(
    '/api/operator/tenants/:tenantId',
    { schema: { tags: TAGS, params: ZOperatorTenantParams, response: { 200: ZOperatorTenant } } },
    async (request) => presentOperatorTenant(await getTenantForOperator(deps, request.params.tenantId)),
  );

  typed.post(
    '/api/operator/tenants/:tenantId/suspend',
    { schema: { tags: TAGS, params: ZOperatorTenantParams, response: { 200: ZOperatorTenant } } },
    async (request) =>
      presentOperatorTenant(await setTenantStatusForOperator(deps, request.params.tenantId, 'suspended', actorOf(request))),
  );

  typed.post(
    '/api/operator/tenants/:tenantId/resume',
    { schema: { tags: TAGS, params: ZOperatorTenantParams, response: { 200: ZOperatorTenant } } },
    async (request) => presentOperatorTenant(await setTenantStatusForOperator(deps, request.params.tenantId, 'active', actorOf(request))),
  );

  typed.get('/api/operator/settings', { schema: { tags: TAGS, response: { 200: ZPlatformSettings } } }, async () =>
    getPlatformSettings(deps.db),
  );

  typed.patch(
    '/api/operator/settings',
    { schema: { tags: TAGS, body: ZPlatformSettingsPatch, response: { 200: ZPlatformSettings } } },
    async (request) => {
      const { operatorId, meta } = actorOf(request);
      return updatePlatformSettings(deps, request.body, { operatorId, ip: meta.ip, userAgent: meta.userAgent });
    },
  );

  typed.get(
    '/api/operator/audit',
    { schema: { tags: TAGS, querystring: ZOperatorAuditQuery, response: { 200: ZOperatorAuditPage } } },
    async (request) => {
      const page = await listAuditForOperator(deps, request.query);
      return { events: page.events.map(presentOperatorAuditEvent), next: page.next };
    },
  );
}

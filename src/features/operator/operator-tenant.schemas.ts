import { z } from 'zod';
import { ZDisplayName } from '../../platform/display-name.js';
import { ZTenantSlug } from '../tenants/tenant.schemas.js';

/**
 * The operator console's organisations and settings (`/api/operator/tenants…`,
 * `/api/operator/settings`). Errors: VALIDATION_FAILED (400), NOT_FOUND (404),
 * TENANT_SLUG_TAKEN (409).
 */
export const ZTenantStatus = z.enum(['active', 'suspended']);

export const ZOperatorTenant = z.object({
  id: z.string(),
  slug: z.string(),
  name: z.string(),
  status: ZTenantStatus,
  createdAt: z.string(),
  counts: z.object({ tickets: z.number(), contacts: z.number(), storageBytes: z.number() }),
  domain: z.object({ host: z.string(), status: z.string() }).nullable(),
  /** Where the organisation's customers sign in (path on the platform host). */
  portalPath: z.string(),
});
export type TOperatorTenant = z.infer<typeof ZOperatorTenant>;

/** GET /api/operator/tenants?search=&after= — newest first; `next` is the cursor of the next page. */
export const ZOperatorTenantListQuery = z.strictObject({
  search: z.string().trim().max(100).optional(),
  after: z.string().max(100).optional(),
  limit: z.coerce.number().int().min(1).max(100).optional(),
});
export const ZOperatorTenantList = z.object({ tenants: z.array(ZOperatorTenant), next: z.string().nullable() });
export type TOperatorTenantList = z.infer<typeof ZOperatorTenantList>;

export const ZOperatorTenantParams = z.strictObject({ tenantId: z.string().max(100) });

/** POST /api/operator/tenants — the organisation and the email of its first owner (invited). */
export const ZOperatorCreateTenantRequest = z.strictObject({
  name: ZDisplayName(120),
  slug: ZTenantSlug,
  ownerEmail: z.string().trim().max(320),
  ownerName: ZDisplayName(200).optional(),
});
export type TOperatorCreateTenantRequest = z.infer<typeof ZOperatorCreateTenantRequest>;

/** GET/PATCH /api/operator/settings */
export const ZPlatformSettings = z.object({ autoIssueCertificates: z.boolean() });
export const ZPlatformSettingsPatch = z.strictObject({ autoIssueCertificates: z.boolean().optional() });
export type TPlatformSettings = z.infer<typeof ZPlatformSettings>;

/** GET /api/operator/audit?tenantId=&before= — newest first; `next` is the cursor of the next page. */
export const ZOperatorAuditQuery = z.strictObject({
  tenantId: z.string().max(100).optional(),
  before: z
    .string()
    .max(200)
    .regex(/^[^~]+~[^~]+$/, { error: 'must be a cursor from a previous page' })
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).optional(),
});
export const ZOperatorAuditEvent = z.object({
  id: z.string(),
  tenantId: z.string().nullable(),
  tenantName: z.string().nullable(),
  actor: z.object({ kind: z.string(), id: z.string().nullable() }),
  action: z.string(),
  subject: z.object({ kind: z.string(), id: z.string().nullable() }).nullable(),
  data: z.record(z.string(), z.unknown()).nullable(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
  createdAt: z.string(),
  occurrences: z.number(),
});
export const ZOperatorAuditPage = z.object({ events: z.array(ZOperatorAuditEvent), next: z.string().nullable() });
export type TOperatorAuditPage = z.infer<typeof ZOperatorAuditPage>;

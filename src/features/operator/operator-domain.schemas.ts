import { z } from 'zod';

/** A console tab: the queue "verified, waiting for a certificate", active claims, problems, or all. */
export const ZOperatorDomainFilter = z.enum(['waiting', 'active', 'problems', 'all']);

/** GET /api/operator/domains */
export const ZOperatorDomainListQuery = z.strictObject({
  filter: ZOperatorDomainFilter.default('all'),
  q: z.string().trim().max(200).optional(),
});

export const ZOperatorDomain = z.object({
  id: z.string(),
  host: z.string(),
  tenant: z.object({ id: z.string(), slug: z.string(), name: z.string(), status: z.enum(['active', 'suspended']) }),
  status: z.enum(['pending_dns', 'verified', 'issuing', 'active', 'failed', 'lapsed']),
  /** Why it is in its state, in words. */
  statusReason: z.string().nullable(),
  approvedAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  lastCheckedAt: z.string().nullable(),
  certificate: z.object({ id: z.string(), issuer: z.string(), source: z.enum(['acme', 'upload']), notAfter: z.string() }).nullable(),
  certificateError: z.string().nullable(),
  certificateAttempts: z.number().int(),
  certificateNextAttemptAt: z.string().nullable(),
  /** What the operator may do now. */
  can: z.object({ issue: z.boolean(), renew: z.boolean(), revoke: z.boolean(), upload: z.boolean() }),
});
export type TOperatorDomain = z.infer<typeof ZOperatorDomain>;

export const ZOperatorDomainList = z.object({
  domains: z.array(ZOperatorDomain),
  counts: z.object({ waiting: z.number().int(), active: z.number().int(), problems: z.number().int(), all: z.number().int() }),
  /** Whether Servelo issues certificates itself (ACME), or a proxy such as Caddy does on demand. */
  issuer: z.enum(['acme', 'proxy']),
});
export type TOperatorDomainList = z.infer<typeof ZOperatorDomainList>;

export const ZOperatorDomainParams = z.strictObject({ domainId: z.string().max(100) });

/** POST /api/operator/domains/:domainId/revoke */
export const ZOperatorRevokeRequest = z.strictObject({ reason: z.string().trim().min(1, 'Say why it is revoked.').max(500) });

/** POST /api/operator/domains/:domainId/certificate — PEM chain (leaf first) and its private key. */
export const ZOperatorUploadCertificateRequest = z.strictObject({
  certPem: z.string().trim().min(1, 'Paste the certificate chain.').max(64_000),
  keyPem: z.string().trim().min(1, 'Paste the private key.').max(16_000),
});

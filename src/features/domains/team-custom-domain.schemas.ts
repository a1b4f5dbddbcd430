import { z } from 'zod';

/**
 * The team app's custom-domain contract (`/api/team/settings/custom-domain`, owners and admins
 * only: agents get 403 FORBIDDEN), shared by the server routes and the web app (issue 14).
 */

export const CUSTOM_DOMAIN_STATUSES = ['pending_dns', 'verified', 'issuing', 'active', 'failed', 'lapsed'] as const;
export const ZCustomDomainStatus = z.enum(CUSTOM_DOMAIN_STATUSES);
export type TCustomDomainStatus = z.infer<typeof ZCustomDomainStatus>;

/** One DNS record the organisation adds at its DNS provider. */
export const ZDnsRecord = z.object({ type: z.enum(['CNAME', 'TXT']), name: z.string(), value: z.string() });

export const ZCustomDomain = z.object({
  id: z.string(),
  /** Normalised: lower-case, IDN as punycode, no trailing dot. */
  host: z.string(),
  status: ZCustomDomainStatus,
  /** Why the domain is in its state, in words; null when there is nothing to say (active). */
  statusReason: z.string().nullable(),
  /** Exactly what to add: the CNAME to the installation, and the TXT proof with this claim's token. */
  records: z.object({ cname: ZDnsRecord, txt: ZDnsRecord }),
  /** What DNS answered at the last check. */
  observed: z.object({ cname: z.string().nullable(), addresses: z.array(z.string()), txt: z.array(z.string()) }).nullable(),
  lastCheckedAt: z.string().nullable(),
  nextCheckAt: z.string().nullable(),
  verifiedAt: z.string().nullable(),
  activatedAt: z.string().nullable(),
  lapsedAt: z.string().nullable(),
  /** While lapsed: until when customers can still use it. */
  servedUntil: z.string().nullable(),
  /** `https://<host>` while customers can use the portal there; null otherwise. */
  url: z.string().nullable(),
  /** The newest certificate, if one was issued or uploaded (never the PEM). */
  certificate: z
    .object({
      issuer: z.string(),
      notAfter: z.string(),
      status: z.enum(['active', 'superseded', 'revoked']),
      source: z.enum(['acme', 'upload']),
    })
    .nullable(),
  createdAt: z.string(),
});
export type TCustomDomain = z.infer<typeof ZCustomDomain>;

/** GET / PUT / POST …/check answer: the claim (null when there is none) and where a CNAME must point. */
export const ZCustomDomainSettings = z.object({
  domain: ZCustomDomain.nullable(),
  cnameTarget: z.string(),
  /** Whether the installation issues certificates itself (ACME) rather than through its proxy. */
  certificatesByAcme: z.boolean(),
});
export type TCustomDomainSettings = z.infer<typeof ZCustomDomainSettings>;

/** PUT /api/team/settings/custom-domain: claim a host, or replace the current one. */
export const ZClaimCustomDomainRequest = z.strictObject({ host: z.string().max(300) });
export type TClaimCustomDomainRequest = z.infer<typeof ZClaimCustomDomainRequest>;

import type { Config } from '../../config/config.js';
import { challengeRecordName, isServable } from './custom-domain.domain.js';
import type { CustomDomainView } from './custom-domain.service.js';
import type { TCustomDomainSettings } from './team-custom-domain.schemas.js';

const iso = (d: Date | null) => (d === null ? null : d.toISOString());

export function presentCustomDomainSettings(view: CustomDomainView | null, domains: Config['domains'], now: Date): TCustomDomainSettings {
  const base = { cnameTarget: domains.cnameTarget, certificatesByAcme: domains.acme !== null };
  if (!view) return { ...base, domain: null };
  const { domain, certificate } = view;
  const servable = isServable(domain, now, domains.lapseGraceMs);
  return {
    ...base,
    domain: {
      id: domain.id,
      host: domain.host,
      status: domain.status,
      statusReason: domain.statusReason,
      records: {
        cname: { type: 'CNAME', name: domain.host, value: domains.cnameTarget },
        txt: { type: 'TXT', name: challengeRecordName(domain.host), value: domain.verificationToken },
      },
      observed: domain.dnsObserved
        ? { ...domain.dnsObserved, addresses: [...domain.dnsObserved.addresses], txt: [...domain.dnsObserved.txt] }
        : null,
      lastCheckedAt: iso(domain.lastCheckedAt),
      nextCheckAt: iso(domain.nextCheckAt),
      verifiedAt: iso(domain.verifiedAt),
      activatedAt: iso(domain.activatedAt),
      lapsedAt: iso(domain.lapsedAt),
      servedUntil: domain.status === 'lapsed' && domain.lapsedAt ? iso(new Date(domain.lapsedAt.getTime() + domains.lapseGraceMs)) : null,
      url: servable ? `https://${domain.host}` : null,
      certificate: certificate
        ? {
            issuer: certificate.issuer,
            notAfter: certificate.notAfter.toISOString(),
            status: certificate.status,
            source: certificate.source,
          }
        : null,
      createdAt: domain.createdAt.toISOString(),
    },
  };
}

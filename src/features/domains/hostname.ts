import { isIP } from 'node:net';
import { domainToASCII } from 'node:url';
import { parse } from 'tldts';
import { AppError } from '../../platform/errors.js';

/** Where a claimed host must not be: the installation's own names (config.domains). */
export interface PlatformNames {
  readonly platformHosts: readonly string[];
  readonly cnameTarget: string;
  readonly subdomainBase: string | null;
}

const MAX_HOST_LENGTH = 253;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

function refuse(message: string): never {
  throw new AppError('DOMAIN_INVALID', message, { details: [{ path: 'host', message }] });
}

function isAtOrBelow(host: string, name: string): boolean {
  return host === name || host.endsWith(`.${name}`);
}

/**
 * A claimed host name in the one form it is stored, compared and served under: trimmed,
 * lower-case, IDN as punycode (`bücher.example` → `xn--bcher-kva.example`), without the trailing
 * dot of a fully qualified name.
 * @throws DOMAIN_INVALID (with a field error on `host`) when it is not a name an organisation may claim:
 *   not a host name, an IP literal, `localhost`, a public suffix (`co.uk`, `github.io`) or anything
 *   without a registrable part, the platform's own hosts or names under them, or a per-organisation
 *   subdomain of PORTAL_SUBDOMAIN_BASE.
 */
export function normaliseClaimedHost(input: string, platform: PlatformNames): string {
  let host = input.trim().toLowerCase();
  if (host === '') refuse('Enter a domain name, for example support.yourcompany.com.');
  if (host.startsWith('[') || isIP(host) !== 0 || isIP(host.replace(/\.$/, '')) !== 0) {
    refuse('Enter a domain name, not an IP address.');
  }
  if (/[/:@?#\s]/.test(host)) refuse('Enter only the domain name, without https://, a path or a port.');
  if (host.endsWith('.')) host = host.slice(0, -1);
  if (host.includes('*')) refuse('Wildcards cannot be claimed; enter one domain name.');
  const ascii = domainToASCII(host);
  if (ascii === '') refuse('This is not a valid domain name.');
  host = ascii;
  if (host.length > MAX_HOST_LENGTH) refuse(`A domain name has at most ${MAX_HOST_LENGTH} characters.`);
  const labels = host.split('.');
  if (!labels.every((label) => LABEL.test(label))) {
    refuse('This is not a valid domain name: use letters, digits and hyphens, in parts separated by dots.');
  }
  if (labels.length < 2) refuse('Enter a full domain name, for example support.yourcompany.com.');
  if (isAtOrBelow(host, 'localhost')) refuse('localhost cannot be claimed.');
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) refuse('Enter a domain name, not an IP address.');

  for (const own of [...platform.platformHosts, platform.cnameTarget]) {
    if (isAtOrBelow(host, own.toLowerCase())) refuse('This name belongs to this service and cannot be claimed.');
  }
  if (platform.subdomainBase && isAtOrBelow(host, platform.subdomainBase.toLowerCase())) {
    refuse('Names under the per-organisation portal addresses of this service cannot be claimed.');
  }

  const parsed = parse(host, { allowPrivateDomains: true });
  if (parsed.isIp) refuse('Enter a domain name, not an IP address.');
  if (!parsed.domain || parsed.publicSuffix === host) {
    refuse('This is a public suffix that anyone can register under; enter a name in a domain you own.');
  }
  return host;
}

import { Resolver } from 'node:dns/promises';

/**
 * The DNS questions a custom-domain check asks (a port: production asks real DNS through
 * `createDnsResolver`; tests point it at a real DNS server on loopback via DNS_SERVERS). Each
 * method rejects like `node:dns/promises`: an error with `code` ENOTFOUND (NXDOMAIN), ENODATA
 * (the name exists without such a record), or another code when DNS could not be asked.
 */
export interface DnsResolver {
  resolveCname(name: string): Promise<string[]>;
  resolve4(name: string): Promise<string[]>;
  resolve6(name: string): Promise<string[]>;
  resolveTxt(name: string): Promise<string[][]>;
}

const TIMEOUT_MS = 2_000;
const TRIES = 2;

/** node's resolver with the configured servers (`ip` or `ip:port`), a timeout and retries; the system's servers when null. */
export function createDnsResolver(servers: readonly string[] | null): DnsResolver {
  const resolver = new Resolver({ timeout: TIMEOUT_MS, tries: TRIES });
  if (servers && servers.length > 0) resolver.setServers([...servers]);
  return {
    resolveCname: (name) => resolver.resolveCname(name),
    resolve4: (name) => resolver.resolve4(name),
    resolve6: (name) => resolver.resolve6(name),
    resolveTxt: (name) => resolver.resolveTxt(name),
  };
}

/** The answer is "no such record" (rather than "DNS could not be asked"). */
export function isNoRecord(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'ENODATA' || code === 'NOTFOUND' || code === 'NODATA';
}

/** The name does not exist at all (NXDOMAIN). */
export function isNoSuchName(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOTFOUND' || code === 'NOTFOUND';
}

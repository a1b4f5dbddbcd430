import { authenticate, type AuthenticateResult, type DNSResolver } from 'mailauth';
import type { DmarcResult, InboundAuthentication } from './inbound-mail.domain.js';

/**
 * What a door learns about who sent a message (SECURITY.md §6), in the one shape the pipeline
 * reads: the SMTP door verifies the message itself with mailauth; the webhook door reads the
 * `Authentication-Results` header a trusted relay added, and trusts nothing else.
 */

export type { DNSResolver };

export interface SmtpSessionFacts {
  /** The connecting client's address. */
  readonly ip: string;
  /** The name it gave in HELO/EHLO. */
  readonly helo: string;
  /** MAIL FROM ('' for the null return path). */
  readonly sender: string;
  /** Our own host name, for the headers mailauth builds. */
  readonly mta: string;
  /** DNS lookups (tests point this at a DNS server of their own); the system resolver by default. */
  readonly resolver?: DNSResolver;
}

/** Verifies SPF (client address, HELO, MAIL FROM), every DKIM signature and DMARC for the From domain. */
export async function verifyWithMailauth(raw: Buffer, facts: SmtpSessionFacts): Promise<InboundAuthentication> {
  let result: AuthenticateResult;
  try {
    result = await authenticate(raw, {
      ip: facts.ip,
      helo: facts.helo,
      sender: facts.sender,
      mta: facts.mta,
      disableArc: true,
      disableBimi: true,
      ...(facts.resolver ? { resolver: facts.resolver } : {}),
    });
  } catch {
    // DNS that cannot answer is a temporary failure of verification, never a pass.
    return { source: 'mailauth', dmarc: 'temperror', fromDomain: fromDomainOf(raw), spf: null, dkim: null };
  }
  return fromMailauth(result, raw);
}

export function fromMailauth(result: AuthenticateResult, raw: Buffer): InboundAuthentication {
  const dkimResults = result.dkim.results.map((r) => normalise(r.status.result));
  return {
    source: 'mailauth',
    dmarc: result.dmarc ? toDmarc(result.dmarc.status.result) : 'none',
    fromDomain: (result.dmarc ? result.dmarc.domain : null) || domainOf(result.dkim.headerFrom[0]) || fromDomainOf(raw),
    spf: result.spf ? normalise(result.spf.status.result) : null,
    dkim: bestDkim(dkimResults),
  };
}

/**
 * The results a trusted relay wrote: the topmost `Authentication-Results` header whose authserv-id
 * is in INBOUND_TRUSTED_RELAYS (a relay removes older headers claiming its own id, RFC 8601 §5),
 * read for dmarc, spf and dkim. Null when no trusted relay wrote one: the message then counts as unverified.
 */
export function authenticationFromRelay(raw: Buffer, trustedRelays: readonly string[]): InboundAuthentication | null {
  if (trustedRelays.length === 0) return null;
  for (const value of headerValues(raw, 'authentication-results')) {
    const parsed = parseAuthenticationResults(value);
    if (!parsed || !trustedRelays.includes(parsed.authservId)) continue;
    const dmarc = parsed.results.find((r) => r.method === 'dmarc');
    const spf = parsed.results.find((r) => r.method === 'spf');
    const dkim = parsed.results.filter((r) => r.method === 'dkim').map((r) => r.result);
    return {
      source: 'relay',
      dmarc: dmarc ? toDmarc(dmarc.result) : 'none',
      fromDomain: dmarc?.props['header.from']?.toLowerCase() ?? fromDomainOf(raw),
      spf: spf ? spf.result : null,
      dkim: bestDkim(dkim),
    };
  }
  return null;
}

interface ParsedResults {
  readonly authservId: string;
  readonly results: readonly { method: string; result: string; props: Record<string, string> }[];
}

/** `authserv-id [version]; method=result (comment) ptype.prop=value …; …` (RFC 8601), comments removed. */
export function parseAuthenticationResults(value: string): ParsedResults | undefined {
  const text = stripComments(value);
  const [head, ...resinfos] = text.split(';');
  const authservId = head?.trim().split(/\s+/)[0]?.toLowerCase();
  if (!authservId) return undefined;
  const results = [];
  for (const resinfo of resinfos) {
    const tokens = resinfo.trim().split(/\s+/).filter(Boolean);
    const first = /^([a-z0-9-]+)(?:\/\d+)?=([a-z0-9-]+)$/i.exec(tokens[0] ?? '');
    if (!first) continue;
    const props: Record<string, string> = {};
    for (const token of tokens.slice(1)) {
      const prop = /^([a-z0-9-]+\.[a-z0-9-]+)=(.+)$/i.exec(token);
      if (prop) props[prop[1]!.toLowerCase()] = prop[2]!.replace(/^"|"$/g, '');
    }
    results.push({ method: first[1]!.toLowerCase(), result: normalise(first[2]!), props });
  }
  return { authservId, results };
}

function stripComments(value: string): string {
  let out = '';
  let depth = 0;
  for (const ch of value) {
    if (ch === '(') depth += 1;
    else if (ch === ')' && depth > 0) depth -= 1;
    else if (depth === 0) out += ch;
  }
  return out;
}

function normalise(result: string): string {
  const r = result.toLowerCase();
  return r === 'temperr' ? 'temperror' : r === 'permerr' ? 'permerror' : r;
}

function toDmarc(result: string): DmarcResult {
  const r = normalise(result);
  return r === 'pass' || r === 'fail' || r === 'temperror' || r === 'permerror' ? r : 'none';
}

/** One word for all DKIM signatures: `pass` when any passed, else the first one's result, `none` without signatures. */
function bestDkim(results: readonly string[]): string {
  if (results.includes('pass')) return 'pass';
  return results[0] ?? 'none';
}

function domainOf(address: string | undefined): string | null {
  const at = address?.lastIndexOf('@') ?? -1;
  return address && at >= 0 ? address.slice(at + 1).toLowerCase() : null;
}

/** The From header's domain (the last address-looking word in it). */
function fromDomainOf(raw: Buffer): string | null {
  const from = headerValues(raw, 'from')[0];
  const match = from ? /([^\s<>"@,;:]+)@([a-z0-9.-]+)\s*>?\s*$/i.exec(from.trim()) : null;
  return match ? match[2]!.toLowerCase() : null;
}

/** Every value of a header, unfolded, top to bottom. */
export function headerValues(raw: Buffer, name: string): string[] {
  const crlf = raw.indexOf('\r\n\r\n');
  const lf = raw.indexOf('\n\n');
  const ends = [crlf, lf].filter((i) => i >= 0);
  const end = ends.length > 0 ? Math.min(...ends) : Math.min(raw.length, 256 * 1024);
  const head = raw.subarray(0, Math.min(end, 256 * 1024)).toString('latin1');
  const unfolded = head.replace(/\r?\n[ \t]+/g, ' ');
  const wanted = `${name.toLowerCase()}:`;
  return unfolded
    .split(/\r?\n/)
    .filter((line) => line.toLowerCase().startsWith(wanted))
    .map((line) => line.slice(wanted.length).trim());
}

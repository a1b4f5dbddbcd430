import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { normaliseClaimedHost, type PlatformNames } from './hostname.js';

const PLATFORM: PlatformNames = {
  platformHosts: ['servelo.example.com', 'localhost', '127.0.0.1', '::1'],
  cnameTarget: 'portal.example.net',
  subdomainBase: 'portal.servelo.example.com',
};

function refusal(input: string): AppError {
  try {
    normaliseClaimedHost(input, PLATFORM);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${input} was accepted`);
}

describe('normaliseClaimedHost', () => {
  it.each([
    ['support.acme.com', 'support.acme.com'],
    ['  Support.Acme.COM. ', 'support.acme.com'],
    ['bücher.example', 'xn--bcher-kva.example'],
    ['Hilfe.BÜCHER.example', 'hilfe.xn--bcher-kva.example'],
    ['acme.com', 'acme.com'],
    ['help.acme.co.uk', 'help.acme.co.uk'],
    ['acme.co.uk', 'acme.co.uk'],
    ['myorg.github.io', 'myorg.github.io'],
    ['support.myorg.github.io', 'support.myorg.github.io'],
    ['a-b.c-d.example.org', 'a-b.c-d.example.org'],
    ['servelo.example.com.evil.com', 'servelo.example.com.evil.com'],
    ['notservelo.example.com', 'notservelo.example.com'],
  ])('accepts %j as %j', (input, expected) => {
    expect(normaliseClaimedHost(input, PLATFORM)).toBe(expected);
  });

  it.each([
    ['', 'Enter a domain name'],
    ['   ', 'Enter a domain name'],
    ['1.2.3.4', 'not an IP address'],
    ['1.2.3.4.', 'not an IP address'],
    ['[::1]', 'not an IP address'],
    ['::1', 'not an IP address'],
    ['2001:db8::1', 'not an IP address'],
    ['https://support.acme.com', 'without https://'],
    ['support.acme.com/portal', 'without https://'],
    ['support.acme.com:8443', 'without https://'],
    ['user@acme.com', 'without https://'],
    ['*.acme.com', 'Wildcards'],
    ['-bad.acme.com', 'not a valid domain name'],
    ['bad-.acme.com', 'not a valid domain name'],
    ['under_score.acme.com', 'not a valid domain name'],
    ['double..dot.com', 'not a valid domain name'],
    [`${'a'.repeat(64)}.acme.com`, 'not a valid domain name'],
    [`${'abcdefghi.'.repeat(25)}acme.com`, 'at most 253'],
    ['intranet', 'full domain name'],
    ['localhost', 'full domain name'],
    ['localhost.', 'full domain name'],
    ['app.localhost', 'localhost cannot be claimed'],
    ['com', 'full domain name'],
    ['co.uk', 'public suffix'],
    ['github.io', 'public suffix'],
    ['CO.UK.', 'public suffix'],
    ['servelo.example.com', 'belongs to this service'],
    ['SERVELO.example.com.', 'belongs to this service'],
    ['acme.servelo.example.com', 'belongs to this service'],
    ['portal.example.net', 'belongs to this service'],
    ['x.portal.example.net', 'belongs to this service'],
    ['example.123', 'not a valid domain name'],
  ])('refuses %j', (input, words) => {
    const error = refusal(input);
    expect(error.code).toBe('DOMAIN_INVALID');
    expect(error.status).toBe(400);
    expect(error.message).toContain(words);
    expect(error.details).toEqual([{ path: 'host', message: error.message }]);
  });

  it('refuses names under the per-organisation subdomain base, even when the platform host is elsewhere', () => {
    const platform = { ...PLATFORM, platformHosts: ['app.example.org'], cnameTarget: 'app.example.org', subdomainBase: 'orgs.example.io' };
    expect(() => normaliseClaimedHost('acme.orgs.example.io', platform)).toThrow(/per-organisation portal addresses/);
    expect(() => normaliseClaimedHost('orgs.example.io', platform)).toThrow(/per-organisation portal addresses/);
    expect(normaliseClaimedHost('orgs.example.com', platform)).toBe('orgs.example.com');
  });
});

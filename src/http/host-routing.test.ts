import { describe, expect, it } from 'vitest';
import { normaliseHost } from './host-routing.js';
import { internalPeerCheck } from './internal-peers.js';

describe('normaliseHost', () => {
  it.each([
    ['Support.Acme.Test', 'support.acme.test'],
    ['support.acme.test:8443', 'support.acme.test'],
    ['support.acme.test.', 'support.acme.test'],
    ['support.acme.test.:443', 'support.acme.test'],
    ['[::1]:3000', '::1'],
    ['127.0.0.1:80', '127.0.0.1'],
    ['', ''],
    ['evil.test/path', ''],
    ['evil test', ''],
    ['a..b', ''],
    ['[::1', ''],
    ['user@evil.test', ''],
  ])('%j → %j', (input, expected) => {
    expect(normaliseHost(input)).toBe(expected);
  });
});

describe('internalPeerCheck', () => {
  it('allows loopback and the listed addresses and networks, by the address only', () => {
    const isInternal = internalPeerCheck(['10.1.0.0/16', '192.0.2.7', 'fd00::/8']);
    for (const address of ['127.0.0.1', '127.9.9.9', '::1', '::ffff:127.0.0.1', '10.1.200.3', '::ffff:10.1.0.1', '192.0.2.7', 'fd00::2']) {
      expect(isInternal(address), address).toBe(true);
    }
    for (const address of ['10.2.0.1', '192.0.2.8', '203.0.113.7', '::ffff:203.0.113.7', 'fe80::1', '', undefined, 'localhost']) {
      expect(isInternal(address), String(address)).toBe(false);
    }
  });

  it('refuses a malformed entry at start-up rather than ignoring it', () => {
    expect(() => internalPeerCheck(['not-an-ip'])).toThrow(/INTERNAL_ADDRESSES/);
  });
});

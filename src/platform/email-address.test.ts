import { describe, expect, it } from 'vitest';
import { parseEmail } from './email-address.js';

describe('parseEmail', () => {
  it('canonicalises case, whitespace and fullwidth characters', () => {
    expect(parseEmail('  Alice.Smith@Example.COM ')).toBe('alice.smith@example.com');
    expect(parseEmail('ｂｏｂ@example.com')).toBe('bob@example.com');
  });

  it.each([
    'no-at-sign',
    'two@@example.com',
    'a@b@example.com',
    '"quoted"@example.com',
    'alice(comment)@example.com',
    'alice,bob@example.com',
    'alice@example.com\r\nbcc:evil@example.com',
    'alice@localhost',
    'alice＠example.com@evil.com',
    'al ice@example.com',
    '.alice@example.com',
    'alice..b@example.com',
    'alice@-example.com',
    'alice@example.123',
    `${'a'.repeat(65)}@example.com`,
  ])('refuses %j', (raw) => {
    expect(parseEmail(raw)).toBeUndefined();
  });

  it('accepts plus addressing and subdomains', () => {
    expect(parseEmail('ops+alerts@mail.example.co.uk')).toBe('ops+alerts@mail.example.co.uk');
  });
});
